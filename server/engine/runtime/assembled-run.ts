/**
 * A finished run put together from its ranges: its results as clients see them (shared/model/results)
 * and each output's values in trial order (the service keeps them for download). An engine thread does
 * this (./engine-thread); tests and benchmarks call it in-process.
 */
import type { SimulationResults } from '../../../shared/model';
import { assembleResult, type ChunkResult, type PreparedRun } from '../simulate';
import { describeResults, type EnginesUsed } from '../statistics/results';

export interface AssembledRun {
  results: SimulationResults;
  samples: Float64Array[];
}

export interface AssemblyOptions {
  /** The backends the ranges ran on, as the results name them. */
  engines: EnginesUsed;
  /**
   * Key the outputs by the run's targets as the client named them (the service), when they line up one
   * to one with the outputs; otherwise by the engine's labels ("Sheet1!B10", the CLI).
   */
  keyByTargets: boolean;
}

/** `chunks` must cover the run's trials exactly. */
export async function assembleRun(
  run: PreparedRun,
  targets: readonly string[],
  chunks: ChunkResult[],
  elapsedMs: number,
  { engines, keyByTargets }: AssemblyOptions,
): Promise<AssembledRun> {
  const result = assembleResult(run, chunks, elapsedMs);
  const labels = result.outputs.map((o) => o.label);
  // Cells named by statistics functions (RiskMean(B10)) follow the targets, keyed by their labels.
  const keys =
    keyByTargets && targets.length <= labels.length ? [...targets, ...labels.slice(targets.length)] : labels;
  return {
    results: await describeResults(result, engines, { keys }),
    samples: result.outputs.map((o) => o.values),
  };
}
