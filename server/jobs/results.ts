/**
 * The results of a finished run: statistics per output (keyed by the target as the client named it),
 * rank-correlation sensitivity of each output to each input, and the raw samples for download.
 */
import type { Redis } from 'ioredis';
import type { OutputSummary } from '../../shared/model';
import type { EngineResult } from '../engine/simulate';
import { spearman } from '../engine/statistics/ranks';
import { type OutputStatistics, summarizeOutput } from '../engine/statistics/summary';
import type { Keys } from '../redis/keys';

export interface OutputResult {
  statistics: Record<string, unknown>;
  percentiles: Record<string, number | null>;
  histogram: { edges: (number | null)[]; counts: number[] };
  cdf: { x: number | null; p: number }[];
  errors: number;
  non_numeric: Record<string, number>;
}

export interface SimulationResults {
  outputs: Record<string, OutputResult>;
  sensitivity: Record<string, { input: string; name?: string; rank_correlation: number | null }[]>;
  elapsed_ms: number;
  engine_used: string;
  seed: number;
  iterations: number;
  sampling: string;
}

/** Output keys: the targets as requested, or the engine's labels when they do not line up one to one. */
export function outputKeys(result: EngineResult, targets: string[]): string[] {
  return result.outputs.length === targets.length ? targets : result.outputs.map((o) => o.label);
}

export function buildResults(result: EngineResult, targets: string[], engineUsed: string) {
  const keys = outputKeys(result, targets);
  const outputs: Record<string, OutputResult> = {};
  const summary: Record<string, OutputSummary> = {};
  const sensitivity: SimulationResults['sensitivity'] = {};
  result.outputs.forEach((output, j) => {
    const s = summarizeOutput(output.values, output.outcomes);
    outputs[keys[j]] = outputResult(s, output.nonNumeric);
    summary[keys[j]] = {
      mean: finite(s.mean),
      std: finite(s.std),
      min: finite(s.min),
      max: finite(s.max),
      percentiles: Object.fromEntries(Object.entries(s.percentiles).map(([p, v]) => [p, finite(v)])),
      errors: s.errors,
    };
    sensitivity[keys[j]] = result.inputs
      .map((input) => ({
        input: input.label,
        ...(input.name !== undefined ? { name: input.name } : {}),
        rank_correlation: nullable(rankCorrelation(input.values, output.values, output.outcomes)),
      }))
      .sort((a, b) => Math.abs(b.rank_correlation ?? 0) - Math.abs(a.rank_correlation ?? 0));
  });
  const results: SimulationResults = {
    outputs,
    sensitivity,
    elapsed_ms: Math.round(result.elapsedMs),
    engine_used: engineUsed,
    seed: result.seed,
    iterations: result.iterations,
    sampling: result.sampling,
  };
  return { results, summary, keys };
}

function outputResult(s: OutputStatistics, nonNumeric: Record<string, number>): OutputResult {
  return {
    statistics: {
      count: s.count,
      mean: nullable(s.mean),
      std: nullable(s.std),
      variance: nullable(s.variance),
      min: nullable(s.min),
      max: nullable(s.max),
      skewness: nullable(s.skewness),
      kurtosis: nullable(s.kurtosis),
      std_error: nullable(s.stdError),
      ci95: s.ci95.map(nullable),
    },
    percentiles: Object.fromEntries(Object.entries(s.percentiles).map(([p, v]) => [p, nullable(v)])),
    histogram: { edges: s.histogram.edges.map(nullable), counts: s.histogram.counts },
    cdf: s.cdf.map((point) => ({ x: nullable(point.x), p: point.p })),
    errors: s.errors,
    non_numeric: nonNumeric,
  };
}

/** Spearman correlation over the recorded trials whose output is a number. */
function rankCorrelation(input: Float64Array, output: Float64Array, outcomes: Uint8Array): number {
  const n = input.length;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++)
    if (outcomes[i] === 0) {
      xs.push(input[i]);
      ys.push(output[i]);
    }
  return xs.length > 2 ? spearman(xs, ys) : Number.NaN;
}

/** JSON has no NaN or infinities: undefined statistics (no numeric trials) are null. */
function nullable(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The WebSocket summary's schema needs numbers: an undefined statistic is 0 there, null in the results. */
function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

export async function saveResults(
  redis: Redis,
  keys: Keys,
  id: string,
  result: EngineResult,
  results: SimulationResults,
  ttl: number,
): Promise<void> {
  const pipeline = redis.pipeline();
  pipeline.set(keys.results(id), JSON.stringify(results), 'EX', ttl);
  result.outputs.forEach((output, j) => {
    pipeline.set(keys.samples(id, j), Buffer.from(output.values.buffer, output.values.byteOffset, output.values.byteLength), 'EX', ttl);
  });
  const replies = (await pipeline.exec()) ?? [];
  for (const [error] of replies) if (error) throw error;
}
