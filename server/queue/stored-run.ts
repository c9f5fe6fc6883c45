/**
 * What a worker needs to run any chunk of a simulation, stored once in Redis at submission: the engine's
 * RunSpec (model, and request with the seed the intake fixed, so every chunk on any host draws from the
 * same streams), with the options as the client sent them (the admin API shows those) and the owner.
 */

import type { SimulationOptions } from '../../shared/model';
import type { RunSpec } from '../engine/runtime/run-spec';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

export interface StoredRun extends RunSpec {
  options: SimulationOptions & { seed: number };
  owner: string;
  file_id?: string;
  /** Simulations in the run (RiskSimtable), each its own range of chunks; 1 without. */
  simulations: number;
}

/** The engine's request for the options a client sent, the seed fixed. */
export function engineRequest(options: StoredRun['options']): RunSpec['request'] {
  return {
    targets: options.target_cells,
    ...(options.variables ? { variables: options.variables } : {}),
    iterations: options.iterations,
    seed: options.seed,
    sampling: options.sampling,
  };
}

/** `runText` is the StoredRun as JSON, as the intake thread wrote it. */
export async function saveStoredRun(
  redis: RedisClient,
  keys: Keys,
  id: string,
  runText: string,
  ttl: number,
) {
  await redis.set(keys.request(id), runText, 'EX', ttl);
}

/** The stored run as its JSON text: parsed by the engine thread that compiles it, not on the event loop. */
export async function storedRunText(redis: RedisClient, keys: Keys, id: string): Promise<string | undefined> {
  return (await redis.get(keys.request(id))) ?? undefined;
}
