/**
 * A finished run put together from its ranges: the statistics and sensitivity of every output, and
 * each output's values in trial order (the service keeps them for download). An engine thread does
 * this (./engine-thread); tests and benchmarks call it in-process.
 */
import { assembleResult, type ChunkResult, type PreparedRun } from '../simulate';
import { describeResults, type SimulationResults } from '../statistics/results';

export interface AssembledRun {
  results: SimulationResults;
  /** The outputs' labels in the model's order (the keys of `results.outputs`). */
  labels: string[];
  /** The run's targets as requested: in the same order as `labels` when they line up one to one. */
  targets: string[];
  samples: Float64Array[];
}

/** `chunks` must cover the run's trials exactly. */
export function assembleRun(
  run: PreparedRun,
  targets: string[],
  chunks: ChunkResult[],
  elapsedMs: number,
): AssembledRun {
  const result = assembleResult(run, chunks, elapsedMs);
  return {
    results: describeResults(result),
    labels: result.outputs.map((o) => o.label),
    targets,
    samples: result.outputs.map((o) => o.values),
  };
}
