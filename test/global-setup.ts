/**
 * The suite needs a real Redis. When none answers at REDIS_URL (default 127.0.0.1:6379) and REDIS_URL
 * was not given, start a private redis-server for this run (the workers inherit REDIS_URL from here) and
 * stop it in global-teardown.ts, so `npm test` works on a machine with Redis installed but not running.
 */
import { ensureRedis } from '../server/redis/embedded';

export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const redis = await ensureRedis('redis://127.0.0.1:6379');
  if (!redis.stop) return;
  process.env.REDIS_URL = redis.url;
  (globalThis as { montecellTestRedis?: typeof redis }).montecellTestRedis = redis;
  console.log(`\nNo Redis at 127.0.0.1:6379: the suite runs on a private one at ${redis.url}`);
}
