/**
 * The canonical progress store: one RedisClient hash per simulation, changed only through the atomic scripts
 * in ./scripts (each bumps `seq` and publishes the record), read by REST and the WebSocket gateway alike.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { Progress, SimulationError, SimulationStatus } from '../../shared/model';
import type { RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import { type RecordFields, toProgress } from './record';
import { CHUNK_PROGRESS, CREATE, FINISH, HEARTBEAT, KEEP_ALIVE } from './scripts';

export interface NewSimulation {
  id: string;
  owner: string;
  engine: string;
  clientId?: string;
  /** Trials of each chunk, in order. */
  chunkSizes: number[];
  /** Values the assembly will read: trials × (outputs + inputs). */
  assemblyValues: number;
  /** The expected time from the last trial to the results (./finishing-time). */
  finishingMs: number;
}

/** What the scripts publish on the events channel. */
export interface StoreEvent {
  kind: 'progress' | 'heartbeat' | 'completed' | 'failed' | 'cancelled';
  fields: RecordFields;
  summary?: unknown;
}

/** What the API's keep-alive found: the record gone, the run over, or still live. */
export type KeepAlive = 'gone' | 'over' | 'live';

/** How long after its last event the API sends a heartbeat for a live run (the promise is one a second). */
export const KEEP_ALIVE_GAP_MS = 700;

export class ProgressStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly options: { stallAfterMs: number; heartbeatMs: number; ttlSeconds: number },
  ) {}

  async create(sim: NewSimulation): Promise<void> {
    const total = sim.chunkSizes.reduce((a, b) => a + b, 0);
    const fields: (string | number)[] = [
      'id',
      sim.id,
      'owner',
      sim.owner,
      'engine',
      sim.engine,
      'client_id',
      sim.clientId ?? '',
      'total',
      total,
      'chunks',
      sim.chunkSizes.length,
      'assembly_values',
      sim.assemblyValues,
      'finishing_ms',
      sim.finishingMs,
    ];
    sim.chunkSizes.forEach((size, i) => {
      fields.push(`c:${i}:total`, size, `c:${i}:done`, 0, `c:${i}:status`, 'queued');
    });
    // A long safety TTL while it runs; the result TTL applies once it ends.
    await this.eval(CREATE, sim.id, this.options.ttlSeconds + 7 * 24 * 3600, ...fields);
  }

  /** Records a chunk's count; false when the run is already over (the chunk should stop). */
  async chunkProgress(
    id: string,
    index: number,
    done: number,
    status: SimulationStatus | '' = '',
  ): Promise<boolean> {
    return (await this.eval(CHUNK_PROGRESS, id, index, done, status)) !== -1;
  }

  async heartbeat(id: string): Promise<void> {
    await this.eval(HEARTBEAT, id, Math.max(1, this.options.heartbeatMs - 50));
  }

  /**
   * The API's heartbeat for a live run it streams: an event when none went out for KEEP_ALIVE_GAP_MS,
   * saying what the run waits for when its work has been silent for three heartbeats, and marking it
   * stalled after `stallAfterMs`.
   */
  async keepAlive(id: string): Promise<KeepAlive> {
    const answer = await this.eval(
      KEEP_ALIVE,
      id,
      KEEP_ALIVE_GAP_MS,
      3 * this.options.heartbeatMs,
      this.options.stallAfterMs,
    );
    return answer === -2 ? 'gone' : answer === -1 ? 'over' : 'live';
  }

  /** This store's epoch (see Keys.storeEpoch), created when missing. */
  async epoch(): Promise<string> {
    await this.redis.set(this.keys.storeEpoch(), randomUUID(), 'NX');
    return (await this.redis.get(this.keys.storeEpoch())) ?? '';
  }

  /** Ends a run as completed; a run short of its trials ends failed instead (never "completed" early). */
  async complete(id: string, summary: unknown, extra: Record<string, string> = {}): Promise<boolean> {
    const ended = await this.finish(id, 'completed', undefined, JSON.stringify(summary), extra);
    if (ended === -1) {
      await this.fail(id, {
        code: 'incomplete-run',
        message: 'the run ended before every requested iteration was computed',
      });
      return false;
    }
    return ended === 1;
  }

  async fail(id: string, error: SimulationError): Promise<boolean> {
    const ended = (await this.finish(id, 'failed', error)) === 1;
    await this.discardChunks(id);
    return ended;
  }

  async cancel(id: string): Promise<boolean> {
    const ended =
      (await this.finish(id, 'cancelled', { code: 'cancelled', message: 'the simulation was cancelled' })) ===
      1;
    await this.discardChunks(id);
    return ended;
  }

  /**
   * Deletes the finished chunks' results of a run that will never be assembled (cancelled, failed), so
   * they do not sit in Redis for RESULT_TTL_SECONDS. A chunk that finishes later deletes its own
   * (see SimulationWorkers.runChunkJob).
   */
  async discardChunks(id: string): Promise<void> {
    const count = Number((await this.redis.hget(this.keys.simulation(id), 'chunks')) ?? 0);
    // The keys share the run's hash tag: one DEL, one slot.
    await this.redis.del(
      this.keys.chunkEngines(id),
      ...Array.from({ length: count }, (_, i) => this.keys.chunk(id, i)),
    );
  }

  async fields(id: string): Promise<RecordFields | undefined> {
    const fields = await this.redis.hgetall(this.keys.simulation(id));
    return fields.status ? fields : undefined;
  }

  async get(id: string): Promise<Progress | undefined> {
    const fields = await this.fields(id);
    return fields ? this.toProgress(id, fields) : undefined;
  }

  toProgress(id: string, fields: RecordFields): Progress {
    return toProgress(id, fields, Date.now(), this.options.stallAfterMs);
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.keys.simulation(id));
  }

  private async finish(
    id: string,
    status: SimulationStatus,
    error?: SimulationError,
    summary = '',
    extra: Record<string, string> = {},
  ): Promise<number> {
    return this.eval(
      FINISH,
      id,
      status,
      error ? JSON.stringify(error) : '',
      summary,
      this.options.ttlSeconds,
      ...Object.entries(extra).flat(),
    );
  }

  private async eval(script: string, id: string, ...args: (string | number)[]): Promise<number> {
    const keyArgs = [1, this.keys.simulation(id), this.keys.eventsChannel(), ...args] as const;
    const sha = sha1(script);
    try {
      return Number(await this.redis.evalsha(sha, ...keyArgs));
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return Number(await this.redis.eval(script, ...keyArgs));
    }
  }
}

const shas = new Map<string, string>();
function sha1(script: string): string {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}
