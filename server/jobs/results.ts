/**
 * The results of a finished run (shared/model/results.ts), keyed by the targets as the client named them,
 * the WebSocket's summary of them, and the raw samples for download.
 */

import type { OutputResults, OutputSummary, SimulationResults } from '../../shared/model';
import type { EngineResult } from '../engine/simulate';
import { describeResults, type EnginesUsed } from '../engine/statistics/results';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

/** Output keys: the targets as requested, or the engine's labels when they do not line up one to one. */
export function outputKeys(result: EngineResult, targets: string[]): string[] {
  return result.outputs.length === targets.length ? targets : result.outputs.map((o) => o.label);
}

/**
 * Builds the results; `tick` runs between outputs (heartbeats, other jobs) because the statistics of a
 * large run take a while.
 */
export async function buildResults(
  result: EngineResult,
  targets: string[],
  engines: EnginesUsed,
  tick: () => Promise<void> = async () => {},
) {
  const keys = outputKeys(result, targets);
  const results = await describeResults(result, engines, { keys, tick });
  const summary: Record<string, OutputSummary> = {};
  for (const key of keys) summary[key] = outputSummary(results.outputs[key]);
  return { results, summary, keys };
}

/** The WebSocket summary's schema needs numbers: a statistic undefined for lack of trials is 0 there. */
function outputSummary({ statistics: s, percentiles, errors }: OutputResults): OutputSummary {
  return {
    mean: s.mean ?? 0,
    std: s.std ?? 0,
    min: s.min ?? 0,
    max: s.max ?? 0,
    percentiles: Object.fromEntries(Object.entries(percentiles).map(([p, value]) => [p, value ?? 0])),
    errors,
  };
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
