/** Stops the private Redis that global-setup.ts started, if it started one. */
import type { RedisHandle } from '../server/redis/embedded';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { montecellTestRedis?: RedisHandle }).montecellTestRedis?.stop?.();
}
