/**
 * Starts the service's parts over one Redis: the HTTP API with the WebSocket gateway on the same port,
 * and/or the workers. `npm start` runs both, `npm run worker` only the workers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceMetrics } from './admin/metrics';
import { createApp } from './api/app';
import { ApiKeys, originAllowed } from './api/auth';
import type { ServiceConfig } from './config';
import { FileStore } from './files/file-store';
import { ModelIntake } from './intake/model-intake';
import { ProgressStore } from './progress/store';
import { SimulationQueue } from './queue/simulation-queue';
import {
  connections,
  durableConnection,
  type RedisClient,
  requestConnection,
  waitUntilReady,
} from './redis/connect';
import { Keys } from './redis/keys';
import { warnAboutRedisSettings } from './redis/settings';
import { SimulationWorkers } from './workers/simulation-workers';
import { WsGateway } from './ws/gateway';

export interface RunningService {
  /** http://host:port when the API runs. */
  url?: string;
  port?: number;
  close(): Promise<void>;
}

export async function startService(
  config: ServiceConfig,
  parts: { api: boolean; workers: boolean } = { api: true, workers: true },
): Promise<RunningService> {
  const keys = new Keys(config.redisPrefix);
  const storeOptions = {
    stallAfterMs: config.stallAfterMs,
    heartbeatMs: config.heartbeatMs,
    ttlSeconds: config.resultTtlSeconds,
  };
  const closers: (() => Promise<void> | void)[] = [];
  const result: RunningService = {
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };

  if (parts.workers) {
    const redis = durableConnection(config.redisUrl);
    await waitUntilReady(redis);
    await warnAboutRedisSettings(redis, config.redisUrl);
    const workers = new SimulationWorkers(config, redis, keys, new ProgressStore(redis, keys, storeOptions));
    await workers.start();
    closers.push(() => connections.close(redis));
    closers.push(() => workers.close());
  }

  if (parts.api) {
    const redis = requestConnection(config.redisUrl);
    await waitUntilReady(redis);
    await warnAboutRedisSettings(redis, config.redisUrl);
    const store = new ProgressStore(redis, keys, storeOptions);
    const queue = new SimulationQueue(config, redis, keys, store);
    const apiKeys = new ApiKeys(config.apiKeys);
    const gateway = new WsGateway(store, durableConnection(config.redisUrl), keys, {
      authorize: (request) => {
        if (!originAllowed(request.headers.origin, config.allowedOrigins)) return { status: 403 };
        const owner = apiKeys.ownerOf(apiKeys.keyOf(request));
        return owner ? { owner } : { status: 401 };
      },
    });
    const metrics = new ServiceMetrics(queue, () => gateway.connections);
    const files = new FileStore(redis, keys, config.fileTtlSeconds);
    const intake = new ModelIntake({
      threads: config.intakeThreads,
      timeoutMs: config.intakeTimeoutMs,
      memoryMb: config.intakeMemoryMb,
      maxWaiting: 64,
    });
    const app = createApp({ config, redis, keys, store, queue, files, intake, apiKeys, metrics });
    const server = createServer(app);
    await gateway.attach(server);
    await listen(server, config.port, config.host);
    const { port } = server.address() as AddressInfo;
    result.port = port;
    result.url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    closers.push(() => connections.close(redis));
    closers.push(() => queue.close());
    closers.push(() => closeServer(server));
    closers.push(() => gateway.close());
    closers.push(() => intake.close());
  }
  return result;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export type { RedisClient };
