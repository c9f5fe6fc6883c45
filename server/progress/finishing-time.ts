/**
 * How long a run takes from its last trial to its results: the chunks read back, the statistics and
 * sensitivity of every output, the samples saved. A 2,000,000-trial run spends most of a second there,
 * so a time left that counted only trials would reach zero well before the results arrive.
 *
 * The service learns it from its own runs, as a fixed part (the hand-over to the assembly, the thread,
 * Redis) and a part per value the assembly reads (trials × (outputs + inputs)). Small runs teach the
 * fixed part, large ones the part per value; each is a running average, starting from what a 2-core
 * machine measured, so the first run of a new service already has an estimate of the right size.
 */
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

export interface FinishingModel {
  fixedMs: number;
  nsPerValue: number;
}

/** The test service on a 2-core machine: 1,000,000 trials of the example (6 values a trial) took 440 ms. */
export const PRIOR_FINISHING: FinishingModel = { fixedMs: 150, nsPerValue: 50 };

/** Below this many values the fixed part dominates a run's finishing time; above, the part per value. */
const LARGE_RUN_VALUES = 1_000_000;
/** The weight of the newest run in each average. */
const NEWEST_WEIGHT = 0.3;

/** A run's expected finishing time: each of its simulations (RiskSimtable) is assembled on its own. */
export function expectedFinishingMs(model: FinishingModel, values: number, simulations = 1): number {
  return Math.round(simulations * model.fixedMs + (model.nsPerValue * values) / 1e6);
}

/** One run moves the model at most this far: a finish slowed by a busy moment must not set it. */
const MOST_SEEN_FACTOR = 4;

/**
 * The model after a run of `values` values in `simulations` simulations that took `ms` from its last
 * trial to its results.
 */
export function learnedFrom(
  model: FinishingModel,
  values: number,
  ms: number,
  simulations = 1,
): FinishingModel {
  const perValues = values / simulations;
  const expected = expectedFinishingMs(model, perValues);
  const seen =
    expected > 0
      ? Math.min(MOST_SEEN_FACTOR * expected, Math.max(expected / MOST_SEEN_FACTOR, ms / simulations))
      : ms / simulations;
  const blend = (old: number, now: number) => (1 - NEWEST_WEIGHT) * old + NEWEST_WEIGHT * now;
  if (perValues < LARGE_RUN_VALUES)
    return {
      ...model,
      fixedMs: blend(model.fixedMs, Math.max(0, seen - (model.nsPerValue * perValues) / 1e6)),
    };
  return {
    ...model,
    nsPerValue: blend(model.nsPerValue, (Math.max(0, seen - model.fixedMs) * 1e6) / perValues),
  };
}

/** The model as the service's Redis keeps it, shared by the API (which estimates) and the workers. */
export class FinishingTimes {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async model(): Promise<FinishingModel> {
    const stored = await this.redis.hmget(this.keys.finishingTime(), 'fixed_ms', 'ns_per_value');
    const [fixedMs, nsPerValue] = stored.map(Number);
    const known = stored.every((v) => v !== null) && fixedMs >= 0 && nsPerValue >= 0;
    return known ? { fixedMs, nsPerValue } : PRIOR_FINISHING;
  }

  /** Two assemblies finishing together may each overwrite the other's lesson: either is a fair one. */
  async learn(values: number, ms: number, simulations = 1): Promise<void> {
    const next = learnedFrom(await this.model(), values, ms, simulations);
    await this.redis.hset(
      this.keys.finishingTime(),
      'fixed_ms',
      next.fixedMs,
      'ns_per_value',
      next.nsPerValue,
    );
  }
}
