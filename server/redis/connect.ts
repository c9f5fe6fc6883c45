/** Redis connections: one kind for BullMQ and pub/sub (waits out outages), one for requests (fails fast). */
import { Redis } from 'ioredis';

/** For BullMQ workers, queues and subscribers: commands wait for the connection to come back. */
export function durableConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** For API requests: when Redis is down, commands fail at once so the API can answer 503. */
export function requestConnection(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}

/** Errors that mean "Redis is not reachable" rather than a bug. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|enableOfflineQueue|ECONNREFUSED|ECONNRESET|Stream isn't writeable|connect ETIMEDOUT/.test(
      error.message,
    )
  );
}

export async function waitUntilReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not answer in time')), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
