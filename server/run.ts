/**
 * Starts the service from the environment (see server/main.ts, server/api-main.ts and
 * server/worker-main.ts). With no Redis at REDIS_URL (and REDIS_URL unset), starts an embedded
 * redis-server when one is installed. With both roles (`npm start`), the workers run in a supervised
 * child process (./worker-process), so a worker that dies never takes the API down.
 * SIGTERM/SIGINT drain: no new jobs, running chunks finish, then exit.
 */
import { join } from 'node:path';
import { loadConfig } from './config';
import { ensureRedis, type RedisHandle } from './redis/embedded';
import { type RunningService, startService } from './service';
import { SupervisedWorkers } from './worker-process';

export async function runMain(parts: { api: boolean; workers: boolean }): Promise<void> {
  const config = loadConfig();
  let redis: RedisHandle = { url: config.redisUrl };
  if (!process.env.REDIS_URL) redis = await ensureRedis(config.redisUrl);
  if (redis.stop)
    console.log(`montecell: no Redis at ${config.redisUrl}; started an embedded one at ${redis.url}`);
  const workersApart = parts.api && parts.workers;
  const service: RunningService = await startService(
    { ...config, redisUrl: redis.url },
    { api: parts.api, workers: parts.workers && !workersApart },
  );
  const workers = workersApart
    ? new SupervisedWorkers(join(__dirname, 'worker-main.js'), { ...process.env, REDIS_URL: redis.url })
    : undefined;
  workers?.start();
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
    await workers?.stop();
    await service.close();
    await redis.stop?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
