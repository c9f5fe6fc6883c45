/**
 * Submitting and cancelling simulations: a request the intake has compiled (a model that cannot run
 * was refused there with its error) is stored with the seed the intake fixed, recorded as `queued` in the progress store, and
 * enqueued as one BullMQ flow: a parent job over one child job per chunk.
 */
import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue } from 'bullmq';
import type { ServiceConfig } from '../config';
import type { PreparedSubmission } from '../intake/tasks';
import { expectedFinishingMs, FinishingTimes } from '../progress/finishing-time';
import type { ProgressStore } from '../progress/store';
import { closedWithinGrace, connections, durableConnection, type RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import { gpuUnavailableReason, liveWorkers } from '../workers/worker-registry';
import { chunkRanges, chunkSizes } from './chunk-plan';
import { CHUNK_ATTEMPTS, CHUNK_QUEUE, chunkJobId, GPU_CHUNK_QUEUE, SIMULATION_QUEUE } from './queues';
import { saveStoredRun } from './stored-run';

export interface Submission {
  simulation_id: string;
  total_iterations: number;
}

export class SimulationQueue {
  private readonly flows: FlowProducer;
  private readonly connection: RedisClient;
  readonly simulations: Queue;
  readonly chunks: Queue;
  readonly gpuChunks: Queue;
  private readonly finishingTimes: FinishingTimes;

  constructor(
    private readonly config: ServiceConfig,
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly store: ProgressStore,
  ) {
    const connection = durableConnection(config.redisUrl);
    this.connection = connection;
    this.finishingTimes = new FinishingTimes(redis, keys);
    const prefix = config.queuePrefix;
    this.flows = new FlowProducer({ connection, prefix });
    this.simulations = new Queue(SIMULATION_QUEUE, { connection, prefix });
    this.chunks = new Queue(CHUNK_QUEUE, { connection, prefix });
    this.gpuChunks = new Queue(GPU_CHUNK_QUEUE, { connection, prefix });
    // Connection errors are retried by ioredis; requests meanwhile fail and are answered 503.
    this.flows.on('error', () => {});
    this.simulations.on('error', () => {});
    this.chunks.on('error', () => {});
    this.gpuChunks.on('error', () => {});
  }

  /** Every queue, for the admin API's counts, pause and resume. */
  get all(): Queue[] {
    return [this.simulations, this.chunks, this.gpuChunks];
  }

  /** A chunk job, in whichever chunk queue its run went to. */
  async chunkJob(id: string) {
    return (await this.chunks.getJob(id)) ?? (await this.gpuChunks.getJob(id));
  }

  async chunkLogs(id: string) {
    const logs = await this.chunks.getJobLogs(id);
    return logs.count > 0 ? logs : this.gpuChunks.getJobLogs(id);
  }

  /** Stores and enqueues a run the intake has already parsed, validated and compiled. */
  async submit(run: PreparedSubmission, owner: string): Promise<Submission> {
    const id = randomUUID();
    // Each simulation (RiskSimtable) is split alike; progress counts every simulation's trials.
    // The chunks of all simulations together stay within maxChunks (one each past it).
    const perSimulation = Math.max(1, Math.floor(this.config.maxChunks / run.simulations));
    const sizes = chunkSizes(run.iterations, this.config.chunkTrials, perSimulation);
    const allSizes = Array.from({ length: run.simulations }, () => sizes).flat();
    const ttl = this.config.resultTtlSeconds + 7 * 24 * 3600;
    await saveStoredRun(this.redis, this.keys, id, run.storedRunText, ttl);
    const assemblyValues = run.iterations * run.simulations * run.valuesPerTrial;
    await this.store.create({
      id,
      owner,
      engine: run.engine,
      chunkSizes: allSizes,
      assemblyValues,
      finishingMs: expectedFinishingMs(await this.finishingTimes.model(), assemblyValues, run.simulations),
      ...(run.client_id ? { clientId: run.client_id } : {}),
    });
    await this.redis
      .multi()
      .zadd(this.keys.ownerSimulations(owner), Date.now(), id)
      .zremrangebyrank(this.keys.ownerSimulations(owner), 0, -1001)
      .expire(this.keys.ownerSimulations(owner), ttl)
      .exec();
    // "gpu" runs wait in their own queue for a worker with a validated GPU; with none alive they fail now.
    const gpuMissing =
      run.engine === 'gpu' ? gpuUnavailableReason(await liveWorkers(this.redis, this.keys)) : '';
    if (gpuMissing) {
      await this.store.fail(id, {
        code: 'gpu-unavailable',
        message: `engine "gpu" was requested but the GPU is not usable: ${gpuMissing}`,
      });
      return { simulation_id: id, total_iterations: run.iterations * run.simulations };
    }
    try {
      await this.enqueue(id, sizes, run.simulations, run.engine === 'gpu' ? GPU_CHUNK_QUEUE : CHUNK_QUEUE);
    } catch (error) {
      // Never leave a record queued for work that was not enqueued.
      await this.store
        .fail(id, { code: 'unavailable', message: 'the simulation could not be queued; submit it again' })
        .catch(() => {});
      throw error;
    }
    return { simulation_id: id, total_iterations: run.iterations * run.simulations };
  }

  private async enqueue(id: string, sizes: number[], simulations: number, chunkQueue: string): Promise<void> {
    const ranges = chunkRanges(sizes);
    const chunks = Array.from({ length: simulations }, (_, k) =>
      ranges.map((range) => ({ ...range, ...(simulations > 1 ? { simulation: k + 1 } : {}) })),
    ).flat();
    await this.flows.add({
      name: 'assemble',
      queueName: SIMULATION_QUEUE,
      data: { simulation_id: id, ...(simulations > 1 ? { simulations } : {}) },
      opts: { jobId: id, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } },
      children: chunks.map((chunk, index) => ({
        name: 'chunk',
        queueName: chunkQueue,
        data: { simulation_id: id, index, ...chunk },
        opts: {
          jobId: chunkJobId(id, index),
          attempts: CHUNK_ATTEMPTS,
          backoff: { type: 'fixed', delay: 200 },
          failParentOnFailure: true,
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 24 * 3600 },
        },
      })),
    });
  }

  /** Marks the run cancelled (the record is final at once) and tells every worker to stop its chunks. */
  async cancel(id: string): Promise<void> {
    await this.store.cancel(id);
    await this.redis.publish(this.keys.cancelChannel(), id);
  }

  async close(): Promise<void> {
    // The queues' own close waits for Redis; during an outage the connection is closed without it.
    await closedWithinGrace(Promise.all([this.flows.close(), ...this.all.map((q) => q.close())]));
    await connections.close(this.connection);
  }
}
