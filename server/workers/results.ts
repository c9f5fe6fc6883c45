/**
 * The results of a finished run (shared/model/results.ts), keyed by the targets as the client named them,
 * the WebSocket's summary of them, and the raw samples for download.
 */

import type { OutputResults, OutputSummary, SimulationResults } from '../../shared/model';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

/** The WebSocket's summary of a run's results, per output. */
export function resultsSummary(results: SimulationResults): Record<string, OutputSummary> {
  return Object.fromEntries(
    Object.entries(results.outputs).map(([key, output]) => [key, outputSummary(output)]),
  );
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
