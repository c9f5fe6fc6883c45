/**
 * The BullMQ workers: chunk jobs run trials and report progress and heartbeats into the canonical store;
 * the parent job (run once every chunk is done) assembles the results and completes the simulation.
 * Cancels arrive on a pub/sub channel and abort the running chunks of that simulation at once. Trials
 * run, and runs are assembled, on the process's engine threads (the engine's EnginePool), never on this
 * event loop.
 */
import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { TERMINAL_STATUSES } from '../../shared/model';
import type { ServiceConfig } from '../config';
import { type AssembledRun, assembledResults } from '../engine/runtime/assembled-run';
import { encodeChunk } from '../engine/runtime/chunk-codec';
import { EnginePool } from '../engine/runtime/engine-pool';
import { type ChunkEngine, summarizeEngines } from '../engine/runtime/engine-selection';
import { simulationRunKey, simulationSpecText, WarmRuns } from '../engine/runtime/run-spec';
import { SimulationCancelled } from '../engine/simulate';
import { ChunkEngines, type ChunkHooks } from '../gpu/chunk-engines';
import { type GpuReport, type GpuStatus, gpuReport, gpuStatusAtWorkerStart } from '../gpu/gpu-status';
import { FinishingTimes } from '../progress/finishing-time';
import type { ProgressStore } from '../progress/store';
import {
  type AssembleJobData,
  CHUNK_QUEUE,
  type ChunkJobData,
  GPU_CHUNK_QUEUE,
  SIMULATION_QUEUE,
} from '../queue/queues';
import { storedRunText } from '../queue/stored-run';
import {
  CLOSE_GRACE_MS,
  closedWithinGrace,
  connections,
  durableConnection,
  type RedisClient,
} from '../redis/connect';
import type { Keys } from '../redis/keys';
import { resultsSummary, saveResults } from './results';
import { RunError, toSimulationError } from './run-error';

const PROGRESS_EVERY_MS = 100;

export interface WorkerInfo {
  /** host:pid:nonce, also this process's BullMQ worker name (the chunks' `processedBy`). */
  id: string;
  name: string;
  host: string;
  pid: number;
  threads: number;
  /** 'cpu', or 'cpu+gpu' once this worker's GPU is validated. */
  engine: string;
  gpu: GpuReport;
  current_jobs: string[];
  last_heartbeat: string;
}

export class SimulationWorkers {
  /** Names this process for operators: in BullMQ (each job's processedBy), the registry and chunk logs. */
  private readonly id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  /** Running chunk jobs of this process, by simulation id. */
  private readonly active = new Map<string, Set<AbortController>>();
  private chunkWorker?: Worker<ChunkJobData>;
  /** Takes the chunks of "gpu" runs, once this process's GPU is validated. */
  private gpuChunkWorker?: Worker<ChunkJobData>;
  private assembleWorker?: Worker<AssembleJobData>;
  private subscriber?: RedisClient;
  private readonly connections: RedisClient[] = [];
  private registryTimer?: NodeJS.Timeout;
  private readonly pool: EnginePool;
  private gpu?: GpuStatus;
  private engines?: ChunkEngines;
  /** Runs compiled in this process, for GPU chunks only (CPU chunks compile in the engine threads). */
  private readonly gpuRuns = new WarmRuns(2);
  private closed = false;
  /** Jobs (chunks, assemblies) running in this process: a drain waits for these, not for BullMQ. */
  private running = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly finishingTimes: FinishingTimes;

  constructor(
    private readonly config: ServiceConfig,
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly store: ProgressStore,
  ) {
    this.finishingTimes = new FinishingTimes(redis, keys);
    this.pool = new EnginePool({
      threads: config.chunkThreads,
      warmRuns: config.warmRuns,
      memoryMb: config.threadMemoryMb,
      trialTimeoutMs: config.trialTimeoutMs,
    });
  }

  async start(): Promise<void> {
    // Validation runs in the background; chunks that may use the GPU wait for its verdict.
    const gpu = gpuStatusAtWorkerStart(this.config).catch(
      (error: Error): GpuStatus => ({ usable: false, reason: `GPU validation failed: ${error.message}` }),
    );
    void gpu.then((status) => {
      this.gpu = status;
      // A worker that closed meanwhile must not reappear in the registry.
      if (!this.closed) void this.register().catch(() => {});
    });
    this.engines = new ChunkEngines(gpu);
    const common = {
      name: this.id,
      prefix: this.config.queuePrefix,
      lockDuration: this.config.lockDurationMs,
      stalledInterval: this.config.stalledIntervalMs,
      maxStalledCount: 2,
    };
    this.subscriber = durableConnection(this.config.redisUrl);
    this.subscriber.on('message', (_channel, id: string) => this.abort(id));
    await this.subscriber.subscribe(this.keys.cancelChannel());

    const chunkWorker = (queue: string) => {
      const worker = new Worker<ChunkJobData>(queue, (job) => this.counted(() => this.runChunkJob(job)), {
        ...common,
        connection: this.connection(),
        concurrency: this.config.chunkConcurrency,
      });
      worker.on('failed', (job, error) => void this.onChunkFailed(job, error));
      worker.on('error', () => {}); // connection errors: BullMQ reconnects by itself
      return worker;
    };
    this.chunkWorker = chunkWorker(CHUNK_QUEUE);
    void gpu.then((status) => {
      if (status.usable && !this.closed) this.gpuChunkWorker = chunkWorker(GPU_CHUNK_QUEUE);
    });
    this.assembleWorker = new Worker<AssembleJobData>(
      SIMULATION_QUEUE,
      (job) => this.counted(() => this.assemble(job)),
      {
        ...common,
        connection: this.connection(),
        concurrency: 2,
      },
    );
    this.assembleWorker.on('failed', (job, error) => void this.onAssembleFailed(job, error));
    this.assembleWorker.on('error', () => {});
    await Promise.all([this.chunkWorker.waitUntilReady(), this.assembleWorker.waitUntilReady()]);
    await this.register();
    this.registryTimer = setInterval(() => void this.register().catch(() => {}), 2_000);
  }

  /** Drains: takes no new jobs and lets running ones finish, then leaves. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.registryTimer);
    // No new jobs; the running ones finish. BullMQ's close also waits for its blocking connection to
    // end, which after a Redis reset it may never do: once this process's own jobs are done, it gets
    // CLOSE_GRACE_MS and no more.
    const closing = Promise.all([
      this.chunkWorker?.close(),
      this.gpuChunkWorker?.close(),
      this.assembleWorker?.close(),
    ]);
    await this.idle();
    if (!(await closedWithinGrace(closing)))
      console.warn(
        `montecell: the queues' connections did not close within ${CLOSE_GRACE_MS / 1000} s; closing them`,
      );
    await this.pool.close();
    // The GPU's serving processes, idle now that every chunk is done.
    if (this.gpu?.usable) this.gpu.engine.close();
    // Without Redis the entry cannot be removed; the registry's readers skip entries gone stale.
    await closedWithinGrace(this.redis.hdel(this.keys.workers(), this.id));
    await Promise.all(
      [this.subscriber, ...this.connections].map((c) => (c ? connections.close(c) : undefined)),
    );
  }

  private connection(): RedisClient {
    const connection = durableConnection(this.config.redisUrl);
    this.connections.push(connection);
    return connection;
  }

  private async runChunkJob(job: Job<ChunkJobData>): Promise<{ skipped?: boolean }> {
    const { simulation_id: id, index, start, end, simulation = 1 } = job.data;
    const fields = await this.store.fields(id);
    if (!fields || TERMINAL_STATUSES.includes(fields.status as never)) return { skipped: true };
    const controller = new AbortController();
    this.track(id, controller);
    // processedBy names the last attempt's worker; the log keeps every attempt's, for a retried chunk.
    void job.log(`attempt ${job.attemptsMade + 1} on worker ${this.id}`).catch(() => {});
    const beat = setInterval(() => void this.store.heartbeat(id).catch(() => {}), this.config.heartbeatMs);
    try {
      await this.store.chunkProgress(id, index, 0, 'running');
      let sentAt = 0;
      const engines = this.engines;
      if (!engines) throw new Error('internal: the workers are not started');
      const run = simulationRunKey(id, simulation);
      const spec = async () => simulationSpecText(await this.storedRun(id), simulation);
      const source = {
        prepared: () => this.gpuRun(run, spec),
        cpu: (from: number, to: number, hooks: ChunkHooks) =>
          this.pool.runRange(run, { start: from, end: to }, spec, hooks),
      };
      const { chunk, used } = await engines.run(fields.engine, source, start, end, {
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
      await this.redis
        .multi()
        .hset(this.keys.chunkEngines(id), String(index), JSON.stringify(used))
        .expire(this.keys.chunkEngines(id), this.config.resultTtlSeconds)
        .exec();
      const live = await this.store.chunkProgress(id, index, end - start, 'completed');
      // The run ended (cancelled, failed) while this chunk ran: its results will never be assembled.
      if (!live) {
        // Its own key too: after a store reset the record no longer says how many chunks there were.
        await this.redis.del(this.keys.chunk(id, index), this.keys.chunkEngines(id));
        await this.store.discardChunks(id);
      }
      return {};
    } catch (error) {
      if (error instanceof SimulationCancelled) return { skipped: true };
      if (isModelError(error)) {
        const failure = toSimulationError(error);
        await this.store.fail(id, failure);
        throw new UnrecoverableError(failure.message);
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
    const startedAt = Date.now();
    const beat = setInterval(() => void this.store.heartbeat(id).catch(() => {}), this.config.heartbeatMs);
    try {
      const count = Number(fields.chunks);
      // Every chunk in one round trip.
      const reads = this.redis.pipeline();
      for (let i = 0; i < count; i++) reads.getBuffer(this.keys.chunk(id, i));
      const chunks = ((await reads.exec()) ?? []).map(([error, bytes], i) => {
        if (error) throw error;
        if (!bytes) throw new RunError('lost-chunk', `the results of chunk ${i} are missing`);
        // A copy of its own, so the buffer can move to the thread.
        return new Uint8Array(bytes as Buffer);
      });
      const elapsedMs = Date.now() - Number(fields.created_at);
      const engines = summarizeEngines(
        Object.values(await this.redis.hgetall(this.keys.chunkEngines(id))).map(
          (text) => JSON.parse(text) as ChunkEngine,
        ),
      );
      // Each simulation (RiskSimtable) is assembled from its own chunks; the first's samples are kept.
      const simulations = job.data.simulations ?? 1;
      const perSimulation = count / simulations;
      const assembled: AssembledRun[] = [];
      for (let k = 1; k <= simulations; k++) {
        // the last simulation reads the cells the others hand back (RiskMean(B3, 2))
        const earlier = k === simulations ? assembled.map((a) => a.exported) : [];
        assembled.push(
          await this.pool.assemble(
            simulationRunKey(id, k),
            chunks.slice((k - 1) * perSimulation, k * perSimulation),
            elapsedMs,
            async () => simulationSpecText(await this.storedRun(id), k),
            { engines, keyByTargets: true, simulation: { index: k, count: simulations, earlier } },
          ),
        );
      }
      const results = assembledResults(assembled);
      const { samples } = assembled[0];
      const summary = resultsSummary(results);
      await saveResults(this.redis, this.keys, id, samples, results, this.config.resultTtlSeconds);
      // Learnt before the run completes, so the next run submitted on its completion is estimated with it.
      const values = Number(fields.assembly_values);
      if (values > 0)
        await this.finishingTimes.learn(values, Date.now() - startedAt, simulations).catch(() => {});
      await this.store.complete(id, summary, { engine_used: engines.engine_used });
      await this.redis.expire(this.keys.request(id), this.config.resultTtlSeconds);
      await this.redis.del(
        this.keys.chunkEngines(id),
        ...Array.from({ length: count }, (_, i) => this.keys.chunk(id, i)),
      );
    } catch (error) {
      const failure = toSimulationError(error);
      await this.store.fail(id, failure);
      throw new UnrecoverableError(failure.message);
    } finally {
      clearInterval(beat);
      for (let k = 1; k <= (job.data.simulations ?? 1); k++) {
        this.pool.forget(simulationRunKey(id, k));
        this.gpuRuns.forget(simulationRunKey(id, k));
      }
    }
  }

  /** The run (one simulation of it) compiled here, for the GPU path (code generation needs the program). */
  private async gpuRun(run: string, spec: () => Promise<string>) {
    const entry = this.gpuRuns.get(run, undefined) ?? this.gpuRuns.get(run, await spec());
    if (!entry) throw new Error('internal: the run was not compiled');
    return entry.prepared;
  }

  private async storedRun(id: string): Promise<string> {
    const text = await storedRunText(this.redis, this.keys, id);
    if (text === undefined) throw new RunError('expired', 'the simulation’s request is no longer stored');
    return text;
  }

  private async onChunkFailed(job: Job<ChunkJobData> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) await this.failUnlessOver(job.data.simulation_id, error);
  }

  private async onAssembleFailed(job: Job<AssembleJobData> | undefined, error: Error): Promise<void> {
    if (job) await this.failUnlessOver(job.data.simulation_id, error);
  }

  /**
   * A run already over keeps the failure it has: a chunk records its model's error before BullMQ hears
   * of it, and BullMQ then fails the parent for its child. Neither is an internal error to log.
   */
  private async failUnlessOver(id: string, error: Error): Promise<void> {
    const fields = await this.store.fields(id).catch(() => undefined);
    if (fields && TERMINAL_STATUSES.includes(fields.status as never)) return;
    await this.store.fail(id, toSimulationError(error)).catch(() => {});
  }

  private abort(id: string): void {
    for (const controller of this.active.get(id) ?? []) controller.abort();
  }

  private async counted<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      if (--this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
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
      name: this.id,
      host: hostname(),
      pid: process.pid,
      threads: this.config.chunkThreads,
      engine: this.gpu?.usable ? 'cpu+gpu' : 'cpu',
      gpu: gpuReport(this.gpu),
      current_jobs: [...this.active.keys()],
      last_heartbeat: new Date().toISOString(),
    };
    await this.redis.hset(this.keys.workers(), this.id, JSON.stringify(info));
  }
}

function isModelError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'EngineError' || error instanceof RunError);
}
