/**
 * How an engine thread runs a range of trials: in slices of about SLICE_MS, so it reports progress
 * several times a second and sees a cancel within one slice, whatever a trial costs. Slices are ranges
 * of trial indices, so the joined result equals one run of the whole range.
 */
import { type ChunkResult, type PreparedRun, runRange, SimulationCancelled } from '../simulate';

/** Each slice aims at about this much CPU time. */
const SLICE_MS = 40;

export async function runSlicedRange(
  run: PreparedRun,
  start: number,
  end: number,
  hooks: { onProgress: (done: number) => void; cancelled: () => boolean },
): Promise<ChunkResult> {
  const parts: ChunkResult[] = [];
  // Start small: a model whose trial takes tens of ms must not hide its first progress for seconds.
  let slice = 4;
  for (let from = start; from < end; ) {
    if (hooks.cancelled()) throw new SimulationCancelled('the simulation was cancelled');
    const to = Math.min(end, from + slice);
    const began = performance.now();
    parts.push(await runRange(run, from, to, { chunkSize: to - from }));
    const took = performance.now() - began;
    // Aim each slice at SLICE_MS, growing or shrinking at most 4× at a time.
    slice = Math.max(1, Math.round(slice * Math.min(4, Math.max(0.25, SLICE_MS / Math.max(took, 0.5)))));
    from = to;
    hooks.onProgress(to - start);
  }
  return concatChunks(parts, start, end);
}

function concatChunks(parts: ChunkResult[], start: number, end: number): ChunkResult {
  if (parts.length === 1) return parts[0];
  const join = <T extends Float64Array | Uint8Array>(arrays: T[], make: (n: number) => T): T => {
    const out = make(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  const first = parts[0];
  return {
    start,
    end,
    values: first.values.map((_, j) =>
      join(
        parts.map((p) => p.values[j]),
        (n) => new Float64Array(n),
      ),
    ),
    outcomes: first.outcomes.map((_, j) =>
      join(
        parts.map((p) => p.outcomes[j]),
        (n) => new Uint8Array(n),
      ),
    ),
    inputSamples: first.inputSamples.map((_, k) =>
      join(
        parts.map((p) => p.inputSamples[k]),
        (n) => new Float64Array(n),
      ),
    ),
  };
}
