/** Binary form of a chunk's results in Redis: a JSON header, then the typed arrays back to back. */
import type { ChunkResult } from '../engine/simulate';

export function encodeChunk(chunk: ChunkResult): Buffer {
  const arrays = [...chunk.values, ...chunk.outcomes, ...chunk.inputSamples];
  const header = Buffer.from(
    JSON.stringify({
      start: chunk.start,
      end: chunk.end,
      outputs: chunk.values.length,
      inputs: chunk.inputSamples.length,
      lengths: arrays.map((a) => a.byteLength),
    }),
  );
  const size = Buffer.alloc(4);
  size.writeUInt32LE(header.length);
  return Buffer.concat([
    size,
    header,
    ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
  ]);
}

export function decodeChunk(bytes: Buffer): ChunkResult {
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString()) as {
    start: number;
    end: number;
    outputs: number;
    inputs: number;
    lengths: number[];
  };
  let offset = 4 + headerLength;
  const slices = header.lengths.map((length) => {
    // Copy into a fresh, aligned buffer: typed arrays need aligned offsets.
    const copy = new Uint8Array(length);
    copy.set(bytes.subarray(offset, offset + length));
    offset += length;
    return copy.buffer;
  });
  const o = header.outputs;
  return {
    start: header.start,
    end: header.end,
    values: slices.slice(0, o).map((b) => new Float64Array(b)),
    outcomes: slices.slice(o, 2 * o).map((b) => new Uint8Array(b)),
    inputSamples: slices.slice(2 * o).map((b) => new Float64Array(b)),
  };
}
