/** GET /api/health: Redis, the live workers (registry entries younger than 10 s) and their engines. */

import type { Health } from '../../shared/model';
import type { GpuInfo } from '../engine/backends/cuda/device';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import type { WorkerInfo } from '../workers/simulation-workers';
import { gpuUnavailableReason, liveWorkers } from '../workers/worker-registry';

function device(info: GpuInfo): NonNullable<Health['engines']['gpu_device']> {
  return {
    name: info.name,
    memory_total: info.memoryTotal,
    compute_capability: info.computeCapability,
    driver_version: info.driverVersion,
  };
}

/** The GPU as the live workers report it: usable when any has a validated one, else their reasons. */
export function gpuEngines(workers: WorkerInfo[]): Omit<Health['engines'], 'cpu'> {
  const usable = workers.find((w) => w.gpu?.usable);
  if (usable?.gpu.device) return { gpu: true, gpu_device: device(usable.gpu.device) };
  if (usable) return { gpu: true };
  const failed = workers.find((w) => w.gpu?.device)?.gpu.device;
  return {
    gpu: false,
    gpu_reason: gpuUnavailableReason(workers),
    ...(failed ? { gpu_device: device(failed) } : {}),
  };
}

export async function health(redis: RedisClient, keys: Keys): Promise<Health> {
  const up = await redis.ping().then(
    () => true,
    () => false,
  );
  const workers = up ? await liveWorkers(redis, keys) : [];
  return {
    status: up ? 'ok' : 'unavailable',
    redis: up ? 'up' : 'down',
    workers: workers.length,
    engines: { cpu: true, ...gpuEngines(workers) },
  };
}
