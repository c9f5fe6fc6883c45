/** The Express application: middleware order (metrics, CORS, keys, limits, body) and the routes. */

import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { ServiceMetrics } from '../admin/metrics';
import { adminRouter, requireAdmin } from '../admin/router';
import type { ServiceConfig } from '../config';
import type { FileStore } from '../files/file-store';
import type { ModelIntake } from '../intake/model-intake';
import type { ProgressStore } from '../progress/store';
import type { SimulationQueue } from '../queue/simulation-queue';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import { type ApiKeys, cors } from './auth';
import { ApiError, errorHandler } from './errors';
import { filesRouter } from './files';
import { health } from './health';
import { openApiDocument } from './openapi';
import { simulationsRouter } from './simulations';

export interface AppDeps {
  config: ServiceConfig;
  redis: RedisClient;
  keys: Keys;
  store: ProgressStore;
  queue: SimulationQueue;
  files: FileStore;
  intake: ModelIntake;
  apiKeys: ApiKeys;
  metrics: ServiceMetrics;
}

export function createApp(deps: AppDeps): Express {
  const { config, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((_req, res, next) => {
    const end = metrics.runSeconds.startTimer();
    res.on('finish', () => {
      end();
      metrics.requests.inc({ status: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  });
  app.use(cors(config.allowedOrigins));

  const openapi = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => void res.json(openapi));
  app.get('/api/health', async (_req, res) => {
    const body = await health(deps.redis, deps.keys);
    res.status(body.status === 'ok' ? 200 : 503).json(body);
  });

  const admin = express.Router();
  admin.use(requireAdmin(config.adminToken), express.json({ limit: '1mb' }));
  admin.use(adminRouter(deps));
  app.use('/api/admin', admin);
  app.use('/metrics', requireAdmin(config.adminToken), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  if (config.adminToken) {
    const board = new ExpressAdapter();
    board.setBasePath('/admin/queues');
    createBullBoard({
      queues: deps.queue.all.map((q) => new BullMQAdapter(q)),
      serverAdapter: board as never, // @bull-board/express pins its own copy of @bull-board/api
    });
    app.use('/admin/queues', requireAdmin(config.adminToken), board.getRouter());
  }

  app.use('/api', deps.apiKeys.middleware());
  app.use(
    '/api',
    rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req, res) =>
        res.locals.owner === 'public' ? ipKeyGenerator(req.ip ?? '') : res.locals.owner,
      handler: (_req, _res, next) => next(new ApiError(429, 'rate-limited', 'too many requests; slow down')),
    }),
  );
  // A simulation request carries a whole model: its body stays bytes here and is parsed, validated
  // and compiled by the intake threads, never on the event loop.
  app.post(
    ['/api/simulations/run', '/api/simulations/check'],
    express.raw({ type: 'application/json', limit: config.bodyLimit }),
  );
  app.use('/api', express.json({ limit: config.bodyLimit }));
  app.use('/api/files', filesRouter(deps.files, deps.intake, config));
  app.use('/api/simulations', simulationsRouter(deps));
  app.use('/api', (req, _res, next) =>
    next(new ApiError(404, 'not-found', `no route ${req.method} ${req.path}`)),
  );
  app.use(errorHandler);
  return app;
}
