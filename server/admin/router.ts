/**
 * /api/admin (Bearer ADMIN_TOKEN): queue counts, simulations by status, one simulation in full, cancel,
 * retry, delete, pause/resume, workers, Prometheus metrics; bull-board is mounted at /admin/queues.
 * Without ADMIN_TOKEN the admin API is off and says so.
 */

import { timingSafeEqual } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
import { SimulationStatus } from '../../shared/model';
import { ApiError, notFound } from '../api/errors';
import type { ProgressStore } from '../progress/store';
import type { SimulationQueue } from '../queue/simulation-queue';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import { liveWorkers } from '../workers/worker-registry';
import type { ServiceMetrics } from './metrics';

export function requireAdmin(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token)
      return next(new ApiError(404, 'admin-disabled', 'the admin API is off: set ADMIN_TOKEN to enable it'));
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : (req.query.token as string | undefined);
    if (!given) return next(new ApiError(401, 'unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>'));
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b))
      return next(new ApiError(403, 'forbidden', 'wrong admin token'));
    next();
  };
}

export interface AdminDeps {
  redis: RedisClient;
  keys: Keys;
  store: ProgressStore;
  queue: SimulationQueue;
  metrics: ServiceMetrics;
}

export function adminRouter({ redis, keys, store, queue, metrics }: AdminDeps): Router {
  const router = Router();
  const started = Date.now();

  router.get('/queues', async (_req, res) => {
    const out: Record<string, unknown> = {};
    for (const q of queue.all) {
      const completed = await q.getJobCounts('completed');
      out[q.name] = {
        counts: await q.getJobCounts(),
        paused: await q.isPaused(),
        completed_per_minute: (completed.completed ?? 0) / Math.max(1, (Date.now() - started) / 60_000),
      };
    }
    res.json(out);
  });

  router.get('/simulations', async (req, res) => {
    const status = req.query.status ? SimulationStatus.parse(req.query.status) : undefined;
    const jobs = await queue.simulations.getJobs(
      ['waiting', 'active', 'completed', 'failed', 'waiting-children', 'delayed'],
      0,
      199,
    );
    const records = await Promise.all(jobs.filter(Boolean).map((j) => store.get(j.data.simulation_id)));
    res.json({ simulations: records.filter((r) => r && (!status || r.status === status)) });
  });

  router.get('/simulations/:id', async (req, res) => {
    const id = req.params.id;
    const progress = await store.get(id);
    if (!progress) throw notFound('simulation', id);
    const job = await queue.simulations.getJob(id);
    const children = await Promise.all(progress.children.map((_c, i) => queue.chunkJob(`${id}-c${i}`)));
    const request = JSON.parse((await redis.get(keys.request(id))) ?? 'null') as { options?: unknown } | null;
    res.json({
      progress,
      request: request?.options ?? null,
      job: job
        ? {
            id: job.id,
            state: await job.getState(),
            attempts: job.attemptsMade,
            failed_reason: job.failedReason,
          }
        : null,
      chunks: await Promise.all(
        children.map(async (c) =>
          c
            ? {
                id: c.id,
                state: await c.getState(),
                // The worker (host:pid:nonce) that took its last attempt; the logs name every attempt's.
                worker: c.processedBy ?? null,
                attempts: c.attemptsMade,
                failed_reason: c.failedReason,
                logs: (await queue.chunkLogs(c.id!)).logs,
              }
            : null,
        ),
      ),
    });
  });

  router.post('/simulations/:id/cancel', async (req, res) => {
    if (!(await store.get(req.params.id))) throw notFound('simulation', req.params.id);
    await queue.cancel(req.params.id);
    res.status(202).json(await store.get(req.params.id));
  });

  router.post('/simulations/:id/retry', async (req, res) => {
    const job = await queue.simulations.getJob(req.params.id);
    if (!job) throw notFound('simulation job', req.params.id);
    await job.retry();
    res.status(202).json({ retried: req.params.id });
  });

  router.delete('/simulations/:id', async (req, res) => {
    const id = req.params.id;
    const progress = await store.get(id);
    if (!progress) throw notFound('simulation', id);
    await queue.cancel(id);
    await queue.simulations.remove(id).catch(() => 0);
    const results = JSON.parse((await redis.get(keys.results(id))) ?? '{"outputs":{}}') as {
      outputs: object;
    };
    const samples = Object.keys(results.outputs).map((_k, j) => keys.samples(id, j));
    await redis.del(keys.results(id), keys.request(id), ...samples);
    await store.delete(id);
    res.status(204).end();
  });

  router.post('/queues/pause', async (_req, res) => {
    await Promise.all(queue.all.map((q) => q.pause()));
    res.json({ paused: true });
  });
  router.post('/queues/resume', async (_req, res) => {
    await Promise.all(queue.all.map((q) => q.resume()));
    res.json({ paused: false });
  });

  router.get('/workers', async (_req, res) => {
    res.json({ workers: await liveWorkers(redis, keys) });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
