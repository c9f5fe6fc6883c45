/** GET /api/health: the service, its Redis, live workers and which engines they can run. */
import { z } from 'zod';

export const GpuDevice = z.object({
  name: z.string(),
  memory_total: z.string(),
  compute_capability: z.string(),
  driver_version: z.string(),
});

export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  redis: z.enum(['up', 'down']),
  /** Workers that sent a heartbeat in the last 10 s. */
  workers: z.number().int().min(0),
  engines: z.object({
    cpu: z.boolean(),
    /** True when at least one live worker has a GPU that passed validation. */
    gpu: z.boolean(),
    /** Why no GPU is usable (each worker's reason, e.g. a GPUValidationError's message). */
    gpu_reason: z.string().optional(),
    /** A validated GPU (or, without one, the device that failed validation). */
    gpu_device: GpuDevice.optional(),
  }),
});

export type GpuDevice = z.infer<typeof GpuDevice>;
export type Health = z.infer<typeof Health>;
