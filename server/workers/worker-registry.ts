/**
 * The worker registry: each worker process announces itself (host, pid, threads, engine, GPU, jobs) in
 * one Redis hash every few seconds; entries older than LIVE_MS belong to workers that are gone.
 */
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import type { WorkerInfo } from './simulation-workers';

export const LIVE_MS = 10_000;

export async function liveWorkers(redis: RedisClient, keys: Keys): Promise<WorkerInfo[]> {
  return Object.values(await redis.hgetall(keys.workers()))
    .flatMap((text) => {
      // An entry that is not a worker's announcement (another version, a hand edit) is not a worker.
      try {
        return [JSON.parse(text) as WorkerInfo];
      } catch {
        return [];
      }
    })
    .filter((w) => Date.now() - Date.parse(w.last_heartbeat) < LIVE_MS);
}

/** Why no live worker can run a GPU chunk ('' when one can): the workers' own reasons, deduplicated. */
export function gpuUnavailableReason(workers: WorkerInfo[]): string {
  if (workers.some((w) => w.gpu?.usable)) return '';
  if (workers.length === 0) return 'no worker is running';
  return [...new Set(workers.map((w) => w.gpu?.reason ?? 'the worker does not report a GPU'))].join('; ');
}
