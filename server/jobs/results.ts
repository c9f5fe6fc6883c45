/**
 * The results of a finished run: statistics per output (keyed by the target as the client named it),
 * rank-correlation sensitivity of each output to each input, and the raw samples for download.
 */

import type { OutputSummary } from '../../shared/model';
import type { AssembledRun } from '../engine/runtime/assembled-run';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

export interface OutputResult {
  statistics: Record<string, unknown>;
  percentiles: Record<string, number>;
  histogram: { edges: number[]; counts: number[] };
  cdf: { x: number; p: number }[];
  errors: number;
  non_numeric: Record<string, number>;
}

export interface SimulationResults {
  outputs: Record<string, OutputResult>;
  sensitivity: Record<
    string,
    { input: string; name?: string; rank_correlation: number; variance_share: number }[]
  >;
  elapsed_ms: number;
  /** "cuda", "cpu", or "cuda+cpu" when chunks ran on different workers. */
  engine_used: string;
  /** Why the GPU was not used (for some or all chunks), when it was not. */
  engine_note?: string;
  seed: number;
  iterations: number;
  sampling: string;
}

/**
 * The service's form of a run an engine thread assembled: outputs keyed by the targets as the client
 * named them (or the engine's labels when they do not line up one to one), and the WebSocket summary.
 */
export function buildResults(
  assembled: Pick<AssembledRun, 'results' | 'labels' | 'targets'>,
  engines: { engine_used: string; engine_note?: string },
) {
  const { results: described, labels, targets } = assembled;
  const keys = labels.length === targets.length ? targets : labels;
  const outputs: Record<string, OutputResult> = {};
  const summary: Record<string, OutputSummary> = {};
  const sensitivity: SimulationResults['sensitivity'] = {};
  labels.forEach((label, j) => {
    const { statistics: s, percentiles, histogram, cdf, errors } = described.outputs[label];
    const { total, ...nonNumeric } = errors;
    outputs[keys[j]] = {
      statistics: {
        count: s.count,
        mean: s.mean,
        std: s.std,
        variance: s.variance,
        min: s.min,
        max: s.max,
        skewness: s.skewness,
        kurtosis: s.kurtosis,
        std_error: s.standardError,
        ci95: s.confidence95,
      },
      percentiles,
      histogram,
      cdf: cdf.map(([x, p]) => ({ x, p })),
      errors: total,
      non_numeric: nonNumeric,
    };
    // The WebSocket summary's schema needs numbers: a statistic undefined for lack of trials is 0 there.
    summary[keys[j]] = {
      mean: s.mean ?? 0,
      std: s.std ?? 0,
      min: s.min ?? 0,
      max: s.max ?? 0,
      percentiles,
      errors: total,
    };
    sensitivity[keys[j]] = described.sensitivity[label].map((x) => ({
      input: x.input,
      ...(x.name !== undefined ? { name: x.name } : {}),
      rank_correlation: x.rankCorrelation,
      variance_share: x.varianceShare,
    }));
  });
  const results: SimulationResults = {
    outputs,
    sensitivity,
    elapsed_ms: described.elapsed_ms,
    ...engines,
    seed: described.seed,
    iterations: described.iterations,
    sampling: described.sampling,
  };
  return { results, summary, keys };
}

export async function saveResults(
  redis: RedisClient,
  keys: Keys,
  id: string,
  samples: Float64Array[],
  results: SimulationResults,
  ttl: number,
): Promise<void> {
  const pipeline = redis.pipeline();
  pipeline.set(keys.results(id), JSON.stringify(results), 'EX', ttl);
  samples.forEach((values, j) => {
    pipeline.set(
      keys.samples(id, j),
      Buffer.from(values.buffer, values.byteOffset, values.byteLength),
      'EX',
      ttl,
    );
  });
  const replies = (await pipeline.exec()) ?? [];
  for (const [error] of replies) if (error) throw error;
}
