/** How a run is split into chunk jobs: about `chunkTrials` trials each, at most `maxChunks` chunks. */
export function chunkSizes(iterations: number, chunkTrials: number, maxChunks: number): number[] {
  const count = Math.max(1, Math.min(maxChunks, Math.ceil(iterations / chunkTrials)));
  const base = Math.floor(iterations / count);
  const extra = iterations % count;
  return Array.from({ length: count }, (_, i) => base + (i < extra ? 1 : 0));
}

export function chunkRanges(sizes: number[]): { start: number; end: number }[] {
  let start = 0;
  return sizes.map((size) => {
    const range = { start, end: start + size };
    start += size;
    return range;
  });
}
