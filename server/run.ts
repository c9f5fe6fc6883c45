/**
 * Starts the service from the environment (see server/main.ts and server/worker-main.ts). With no Redis at
 * REDIS_URL (and REDIS_URL unset), starts an embedded redis-server when one is installed.
 * SIGTERM/SIGINT drain: no new jobs, running chunks finish, then exit.
 */
import { loadConfig } from './config';
import { ensureRedis, type RedisHandle } from './redis/embedded';
import { type RunningService, startService } from './service';

export async function runMain(parts: { api: boolean; workers: boolean }): Promise<void> {
  const config = loadConfig();
  let redis: RedisHandle = { url: config.redisUrl };
  if (!process.env.REDIS_URL) redis = await ensureRedis(config.redisUrl);
  if (redis.stop)
    console.log(`montecell: no Redis at ${config.redisUrl}; started an embedded one at ${redis.url}`);
  const service: RunningService = await startService({ ...config, redisUrl: redis.url }, parts);
  const what = [
    parts.api ? `API and WebSocket on ${service.url} (/api, /ws)` : '',
    parts.workers ? 'workers' : '',
  ]
    .filter(Boolean)
    .join(', ');
  console.log(`montecell: ${what} ready (Redis ${redis.url}, prefix ${config.redisPrefix})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`montecell: ${signal}, draining…`);
    await service.close();
    await redis.stop?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
