/**
 * The BullMQ workers: chunk jobs run trials and report progress and heartbeats into the canonical store;
 * the parent job (run once every chunk is done) assembles the results and completes the simulation.
 * Cancels arrive on a pub/sub channel and abort the running chunks of that simulation at once. Trials
 * run on the process's engine threads (./chunk-pool), never on this event loop.
 */
import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { TERMINAL_STATUSES } from '../../shared/model';
import type { ServiceConfig } from '../config';
import { SimulationCancelled } from '../engine/simulate';
import type { ProgressStore } from '../progress/store';
import { durableConnection, type RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import { AssembleThread } from './assemble-in-thread';
import { encodeChunk } from './chunk-codec';
import { ChunkPool } from './chunk-pool';
import { RunError, toSimulationError } from './errors';
import { type AssembleJobData, CHUNK_QUEUE, type ChunkJobData, SIMULATION_QUEUE } from './queues';
import { saveResults } from './results';
import { storedRunText } from './stored-run';

const PROGRESS_EVERY_MS = 100;

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  threads: number;
  engine: string;
  current_jobs: string[];
  last_heartbeat: string;
}

export class SimulationWorkers {
  private readonly id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  /** Running chunk jobs of this process, by simulation id. */
  private readonly active = new Map<string, Set<AbortController>>();
  private chunkWorker?: Worker<ChunkJobData>;
  private assembleWorker?: Worker<AssembleJobData>;
  private subscriber?: RedisClient;
  private readonly connections: RedisClient[] = [];
  private registryTimer?: NodeJS.Timeout;
  private readonly assembler = new AssembleThread();
  private readonly pool: ChunkPool;

  constructor(
    private readonly config: ServiceConfig,
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly store: ProgressStore,
  ) {
    this.pool = new ChunkPool({
      threads: config.chunkThreads,
      warmRuns: config.warmRuns,
      memoryMb: config.threadMemoryMb,
    });
  }

  async start(): Promise<void> {
    const common = {
      prefix: this.config.queuePrefix,
      lockDuration: this.config.lockDurationMs,
      stalledInterval: this.config.stalledIntervalMs,
      maxStalledCount: 2,
    };
    this.subscriber = durableConnection(this.config.redisUrl);
    this.subscriber.on('message', (_channel, id: string) => this.abort(id));
    await this.subscriber.subscribe(this.keys.cancelChannel());

    this.chunkWorker = new Worker<ChunkJobData>(CHUNK_QUEUE, (job) => this.runChunkJob(job), {
      ...common,
      connection: this.connection(),
      concurrency: this.config.chunkConcurrency,
    });
    this.chunkWorker.on('failed', (job, error) => void this.onChunkFailed(job, error));
    this.chunkWorker.on('error', () => {}); // connection errors: BullMQ reconnects by itself
    this.assembleWorker = new Worker<AssembleJobData>(SIMULATION_QUEUE, (job) => this.assemble(job), {
      ...common,
      connection: this.connection(),
      concurrency: 2,
    });
    this.assembleWorker.on('failed', (job, error) => void this.onAssembleFailed(job, error));
    this.assembleWorker.on('error', () => {});
    await Promise.all([this.chunkWorker.waitUntilReady(), this.assembleWorker.waitUntilReady()]);
    await this.register();
    this.registryTimer = setInterval(() => void this.register().catch(() => {}), 2_000);
  }

  /** Drains: takes no new jobs and lets running ones finish, then leaves. */
  async close(): Promise<void> {
    clearInterval(this.registryTimer);
    await Promise.all([this.chunkWorker?.close(), this.assembleWorker?.close()]);
    await Promise.all([this.assembler.close(), this.pool.close()]);
    await this.redis.hdel(this.keys.workers(), this.id).catch(() => {});
    this.subscriber?.disconnect();
    for (const c of this.connections) c.disconnect();
  }

  private connection(): RedisClient {
    const connection = durableConnection(this.config.redisUrl);
    this.connections.push(connection);
    return connection;
  }

  private async runChunkJob(job: Job<ChunkJobData>): Promise<{ skipped?: boolean }> {
    const { simulation_id: id, index, start, end } = job.data;
    const fields = await this.store.fields(id);
    if (!fields || TERMINAL_STATUSES.includes(fields.status as never)) return { skipped: true };
    if (fields.engine === 'gpu') {
      const error = new RunError(
        'gpu-unavailable',
        'engine "gpu" was requested but this service has no usable GPU; run with engine "auto" or "cpu"',
      );
      await this.store.fail(id, toSimulationError(error));
      throw new UnrecoverableError(error.message);
    }
    const controller = new AbortController();
    this.track(id, controller);
    const beat = setInterval(() => void this.store.heartbeat(id).catch(() => {}), this.config.heartbeatMs);
    try {
      await this.store.chunkProgress(id, index, 0, 'running');
      let sentAt = 0;
      const chunk = await this.pool.runChunk(id, { start, end }, () => this.storedRun(id), {
        signal: controller.signal,
        onProgress: (done) => {
          const now = Date.now();
          if (now - sentAt < PROGRESS_EVERY_MS || done === end - start) return;
          sentAt = now;
          // A run that ended meanwhile (a cancel this worker did not hear) stops its chunks too.
          void this.store
            .chunkProgress(id, index, done)
            .then((live) => live || controller.abort())
            .catch(() => {});
          void job.updateProgress(done).catch(() => {});
        },
      });
      await this.redis.set(
        this.keys.chunk(id, index),
        encodeChunk(chunk),
        'EX',
        this.config.resultTtlSeconds,
      );
      await this.store.chunkProgress(id, index, end - start, 'completed');
      return {};
    } catch (error) {
      if (error instanceof SimulationCancelled) return { skipped: true };
      if (isModelError(error)) {
        await this.store.fail(id, toSimulationError(error));
        throw new UnrecoverableError(toSimulationError(error).message);
      }
      throw error; // retried (attempts), and reported by onChunkFailed when they run out
    } finally {
      clearInterval(beat);
      this.untrack(id, controller);
    }
  }

  private async assemble(job: Job<AssembleJobData>): Promise<void> {
    const id = job.data.simulation_id;
    const fields = await this.store.fields(id);
    if (!fields || TERMINAL_STATUSES.includes(fields.status as never)) return;
    const beat = setInterval(() => void this.store.heartbeat(id).catch(() => {}), this.config.heartbeatMs);
    try {
      const { shape, targets } = await this.pool.shape(id, () => this.storedRun(id));
      const count = Number(fields.chunks);
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const bytes = await this.redis.getBuffer(this.keys.chunk(id, i));
        if (!bytes) throw new RunError('lost-chunk', `the results of chunk ${i} are missing`);
        // A copy of its own, so the buffer can move to the thread.
        chunks.push(new Uint8Array(bytes));
      }
      const elapsedMs = Date.now() - Number(fields.created_at);
      const { results, summary, samples } = await this.assembler.run({
        shape,
        targets,
        chunks,
        elapsedMs,
      });
      await saveResults(this.redis, this.keys, id, samples, results, this.config.resultTtlSeconds);
      await this.store.complete(id, summary, { engine_used: 'cpu' });
      await this.redis.expire(this.keys.request(id), this.config.resultTtlSeconds);
      await this.redis.del(...Array.from({ length: count }, (_, i) => this.keys.chunk(id, i)));
    } catch (error) {
      await this.store.fail(id, toSimulationError(error));
      throw new UnrecoverableError(toSimulationError(error).message);
    } finally {
      clearInterval(beat);
      this.pool.forget(id);
    }
  }

  private async storedRun(id: string): Promise<string> {
    const text = await storedRunText(this.redis, this.keys, id);
    if (text === undefined) throw new RunError('expired', 'the simulation’s request is no longer stored');
    return text;
  }

  private async onChunkFailed(job: Job<ChunkJobData> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) await this.store.fail(job.data.simulation_id, toSimulationError(error)).catch(() => {});
  }

  private async onAssembleFailed(job: Job<AssembleJobData> | undefined, error: Error): Promise<void> {
    if (job) await this.store.fail(job.data.simulation_id, toSimulationError(error)).catch(() => {});
  }

  private abort(id: string): void {
    for (const controller of this.active.get(id) ?? []) controller.abort();
  }

  private track(id: string, controller: AbortController): void {
    const set = this.active.get(id) ?? new Set();
    set.add(controller);
    this.active.set(id, set);
  }

  private untrack(id: string, controller: AbortController): void {
    const set = this.active.get(id);
    set?.delete(controller);
    if (set?.size === 0) this.active.delete(id);
  }

  /** Announces this worker (host, pid, jobs) for the admin API; entries older than 10 s are stale. */
  private async register(): Promise<void> {
    const info: WorkerInfo = {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      threads: this.config.chunkThreads,
      engine: 'cpu',
      current_jobs: [...this.active.keys()],
      last_heartbeat: new Date().toISOString(),
    };
    await this.redis.hset(this.keys.workers(), this.id, JSON.stringify(info));
  }
}

function isModelError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'EngineError' || error instanceof RunError);
}
