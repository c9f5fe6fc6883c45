/**
 * What a worker needs to run any chunk of a simulation, stored once in RedisClient at submission: the model,
 * the request and the seed the API fixed (so every chunk, on any host, draws from the same streams).
 */

import type { SimulationOptions, WorkbookModel } from '../../shared/model';
import { type PreparedRun, prepareRun } from '../engine/simulate';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';

export interface StoredRun {
  options: SimulationOptions & { seed: number };
  model: WorkbookModel;
  owner: string;
  file_id?: string;
}

export function prepareStoredRun(run: StoredRun): PreparedRun {
  return prepareRun(run.model, {
    targets: run.options.target_cells,
    variables: run.options.variables,
    iterations: run.options.iterations,
    seed: run.options.seed,
    sampling: run.options.sampling,
  });
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

/** Compiled runs of recent simulations, least recently used dropped first: an engine thread's warm runs. */
export class PreparedRunCache {
  private readonly runs = new Map<string, { stored: StoredRun; prepared: PreparedRun }>();
  constructor(private readonly capacity = 8) {}

  async get(
    id: string,
    load: () => Promise<StoredRun | undefined>,
  ): Promise<{ stored: StoredRun; prepared: PreparedRun } | undefined> {
    const hit = this.runs.get(id);
    if (hit) {
      this.runs.delete(id);
      this.runs.set(id, hit);
      return hit;
    }
    const stored = await load();
    if (!stored) return undefined;
    const entry = { stored, prepared: prepareStoredRun(stored) };
    this.runs.set(id, entry);
    while (this.runs.size > this.capacity) this.runs.delete(this.runs.keys().next().value as string);
    return entry;
  }

  forget(id: string): void {
    this.runs.delete(id);
  }
}
