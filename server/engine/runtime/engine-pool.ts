/**
 * The engine's threads, used as they are by the CLI and by the service's workers: every trial runs on
 * one of them (./engine-thread), so the caller's event loop stays free (to renew BullMQ locks, publish
 * progress, hear cancels). Threads start on demand up to `threads` and live as long as the pool. Each
 * keeps the runs it compiled warm: a task goes to a thread that already has its run when one is idle,
 * and the run's spec travels to a thread only when the thread does not have it.
 *
 * Cancelling is one path: the task's AbortSignal. The pool writes the job's number into the thread's
 * shared cancel cell, the thread stops at its next slice, and a thread that has not stopped within
 * STOP_GRACE_MS is terminated. A thread silent for `trialTimeoutMs` (a trial, or the compile, that does
 * not end: a regular expression that backtracks forever, say) is terminated too, and its task fails
 * `model-too-complex`: one hostile model never holds a thread for good. A thread that crashes or runs
 * out of memory fails its task with a message saying so, and another thread is started for the next.
 * (Node ends a thread over its heap limit cleanly only when the heap grows a little at a time; a single
 * allocation far past the limit aborts the whole process.)
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EngineError, type EngineErrorCode } from '../errors';
import { type ChunkResult, SimulationCancelled } from '../simulate';
import type { AssembledRun, AssemblyOptions } from './assembled-run';
import type { EngineThreadData, EngineThreadReply, EngineThreadRequest } from './engine-thread';
import { threadScript } from './thread-script';

const STOP_GRACE_MS = 1_000;

export interface EnginePoolOptions {
  /** At most this many threads (and so tasks at once). */
  threads: number;
  /** Compiled runs each thread keeps. */
  warmRuns: number;
  /** Heap limit of each thread in MB; 0 keeps Node's default. */
  memoryMb: number;
  /** The longest a thread may work on a task without a word (progress is posted every 50 ms or slice). */
  trialTimeoutMs: number;
}

type Outcome = ChunkResult | AssembledRun;

/** What a task asks of its run's thread. */
type TaskRequest =
  | { type: 'range'; start: number; end: number }
  | Omit<Extract<EngineThreadRequest, { type: 'assemble' }>, 'job' | 'run' | 'spec'>;

/** Where a run's spec (the RunSpec as JSON) comes from; throws when it is gone. */
export type SpecLoader = () => Promise<string>;

export interface TaskHooks {
  /** Trials done so far in this range. */
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
}

interface Task {
  job: number;
  run: string;
  request: TaskRequest;
  load: SpecLoader;
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
  /** Removed once the task settles: a run's many ranges share one signal. */
  onAbort?: () => void;
  settled: boolean;
  resolve: (outcome: Outcome) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  cancel: Int32Array;
  /** Runs the thread has been sent, least recent first (the thread's LRU; a miss is answered `missing`). */
  warm: Set<string>;
  task?: Task;
  grace?: NodeJS.Timeout;
  /** Ends the thread when its task goes silent for trialTimeoutMs. */
  watchdog?: NodeJS.Timeout;
}

/** Heap a run's spec takes while it is read, per character of its JSON (a generous bound). */
const READ_COST = 8;

/** One thread per core the machine gives this process. */
export function defaultThreadCount(): number {
  return Math.max(1, availableParallelism());
}

export class EnginePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextJob = 1;
  private closed = false;

  constructor(private readonly options: EnginePoolOptions) {}

  /** The most threads this pool runs at once. */
  get threads(): number {
    return this.options.threads;
  }

  /** Runs trials [start, end) of a run, with the sorted numbers of each output. */
  runRange(
    run: string,
    range: { start: number; end: number },
    load: SpecLoader,
    hooks: TaskHooks = {},
  ): Promise<ChunkResult> {
    return this.submit(run, { type: 'range', ...range }, load, hooks) as Promise<ChunkResult>;
  }

  /**
   * Puts every range of a finished run together and computes its statistics and sensitivity, on a
   * thread (usually one that has the run warm already). The chunks' buffers move to that thread.
   */
  assemble(
    run: string,
    chunks: ChunkResult[] | Uint8Array[],
    elapsedMs: number,
    load: SpecLoader,
    options: AssemblyOptions,
  ): Promise<AssembledRun> {
    const request = { type: 'assemble' as const, chunks, elapsedMs, options };
    return this.submit(run, request, load, {}) as Promise<AssembledRun>;
  }

  /** The run is done: the threads free its compiled form. */
  forget(run: string): void {
    for (const slot of this.slots) {
      if (!slot.warm.delete(run)) continue;
      slot.worker.postMessage({ type: 'forget', run } satisfies EngineThreadRequest);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = new Error('the worker is shutting down');
    for (const task of this.queue.splice(0)) this.settle(task, stopping);
    for (const slot of this.slots) if (slot.task) this.settle(slot.task, stopping);
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot)));
  }

  private submit(run: string, request: TaskRequest, load: SpecLoader, hooks: TaskHooks): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the worker is shutting down'));
      if (hooks.signal?.aborted) return reject(new SimulationCancelled('the simulation was cancelled'));
      const task: Task = {
        job: this.nextJob++,
        run,
        request,
        load,
        settled: false,
        resolve,
        reject,
        ...hooks,
      };
      if (hooks.signal) {
        task.onAbort = () => this.cancel(task);
        hooks.signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.pump();
    });
  }

  /** Gives queued tasks to idle threads, a thread that has the run warm first, starting threads as needed. */
  private pump(): void {
    while (this.queue.length > 0) {
      const idle = this.slots.filter((s) => !s.task);
      let slot: Slot | undefined;
      let at = 0;
      for (; at < this.queue.length && !slot; at++) slot = idle.find((s) => s.warm.has(this.queue[at].run));
      if (slot) at--;
      else {
        at = 0;
        slot = idle[0] ?? (this.slots.length < this.options.threads ? this.spawn() : undefined);
      }
      if (!slot) return;
      const [task] = this.queue.splice(at, 1);
      slot.task = task;
      void this.send(slot, task, task.request.type === 'assemble' || !slot.warm.has(task.run));
    }
  }

  private async send(slot: Slot, task: Task, withRun: boolean): Promise<void> {
    let spec: string | undefined;
    if (withRun) {
      try {
        spec = await task.load();
      } catch (error) {
        this.finish(slot, task, error as Error);
        return;
      }
      if (slot.task !== task) return; // cancelled or crashed while loading
      const limit = this.options.memoryMb * 2 ** 20;
      if (limit > 0 && spec.length * READ_COST > limit) {
        // Past the limit inside JSON.parse, which Node cannot stop, the whole process would abort.
        this.finish(
          slot,
          task,
          new EngineError(
            'out-of-memory',
            `the model (${(spec.length / 2 ** 20).toFixed(1)} MB as JSON) is too large to read in an engine thread of ${this.options.memoryMb} MB (THREAD_MEMORY_MB)`,
          ),
        );
        return;
      }
      slot.warm.delete(task.run);
      slot.warm.add(task.run);
      for (const old of slot.warm) {
        if (slot.warm.size <= this.options.warmRuns) break;
        slot.warm.delete(old);
      }
    } else {
      slot.warm.delete(task.run);
      slot.warm.add(task.run);
    }
    const { request } = task;
    const message = {
      ...request,
      job: task.job,
      run: task.run,
      ...(spec !== undefined ? { spec } : {}),
    } satisfies EngineThreadRequest;
    // An assembly's chunks move to the thread (so it always gets the spec: it cannot answer `missing`).
    const transfer = request.type === 'assemble' ? [...new Set(request.chunks.flatMap(chunkBuffers))] : [];
    slot.worker.postMessage(message, transfer);
    this.watch(slot, task);
  }

  /** (Re)starts the thread's watchdog for its task: any word from the thread about the task resets it. */
  private watch(slot: Slot, task: Task): void {
    clearTimeout(slot.watchdog);
    slot.watchdog = setTimeout(() => {
      if (slot.task !== task) return;
      const seconds = this.options.trialTimeoutMs / 1000;
      this.remove(slot);
      void this.stop(slot);
      this.settle(
        task,
        new EngineError(
          'model-too-complex',
          `a trial of this model ran for more than ${seconds} s without finishing (TRIAL_TIMEOUT_MS), so the run was stopped: look for a regular expression that backtracks, or a formula over huge ranges`,
        ),
      );
      this.pump();
    }, this.options.trialTimeoutMs);
    slot.watchdog.unref();
  }

  private spawn(): Slot {
    const { path, execArgv } = threadScript('engine-thread', 'engine/runtime');
    const cancel = new SharedArrayBuffer(4);
    const worker = new Worker(path, {
      execArgv,
      workerData: { cancel, warmRuns: this.options.warmRuns } satisfies EngineThreadData,
      ...(this.options.memoryMb > 0
        ? { resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb } }
        : {}),
    });
    worker.unref();
    const slot: Slot = { worker, cancel: new Int32Array(cancel), warm: new Set() };
    worker.on('message', (reply: EngineThreadReply) => this.onReply(slot, reply));
    worker.on('error', (error: Error & { code?: string }) =>
      this.lose(
        slot,
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new EngineError(
              'out-of-memory',
              `the run ran out of memory in its engine thread (heap limit ${this.options.memoryMb || 'default'} MB)`,
            )
          : new Error(`the engine thread crashed: ${error.message}`),
      ),
    );
    worker.on('exit', (code) => this.lose(slot, new Error(`the engine thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, reply: EngineThreadReply): void {
    const task = slot.task;
    if (!task || task.job !== reply.job) return;
    this.watch(slot, task);
    switch (reply.type) {
      case 'missing':
        slot.warm.delete(task.run);
        void this.send(slot, task, true);
        break;
      case 'progress':
        if (!task.settled) task.onProgress?.(reply.done);
        break;
      case 'range':
      case 'assembled': {
        const { type: _type, job: _job, ...outcome } = reply;
        this.finish(slot, task, outcome);
        break;
      }
      case 'cancelled':
        this.finish(slot, task, new SimulationCancelled('the simulation was cancelled'));
        break;
      case 'error':
        this.finish(slot, task, threadError(reply));
        break;
    }
  }

  private cancel(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.settle(task, new SimulationCancelled('the simulation was cancelled'));
    const slot = this.slots.find((s) => s.task === task);
    if (!slot) return;
    Atomics.store(slot.cancel, 0, task.job);
    // The thread stops at its next slice; one that does not (a single trial running for seconds) is ended.
    slot.grace = setTimeout(() => {
      if (slot.task !== task) return;
      this.remove(slot);
      void this.stop(slot);
      this.pump();
    }, STOP_GRACE_MS);
  }

  /** The thread is done with its task (whatever the outcome): it takes the next. */
  private finish(slot: Slot, task: Task, outcome: Outcome | Error): void {
    this.settle(task, outcome);
    if (slot.task !== task) return;
    slot.task = undefined;
    clearTimeout(slot.grace);
    clearTimeout(slot.watchdog);
    this.pump();
  }

  /** The thread is gone: its task fails with the reason and a new thread serves the next one. */
  private lose(slot: Slot, error: Error): void {
    if (!this.remove(slot)) return;
    clearTimeout(slot.grace);
    clearTimeout(slot.watchdog);
    if (slot.task) this.settle(slot.task, error);
    if (!this.closed) this.pump();
  }

  private remove(slot: Slot): boolean {
    const at = this.slots.indexOf(slot);
    if (at < 0) return false;
    this.slots.splice(at, 1);
    return true;
  }

  private async stop(slot: Slot): Promise<void> {
    clearTimeout(slot.grace);
    clearTimeout(slot.watchdog);
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
  }

  private settle(task: Task, outcome: Outcome | Error): void {
    if (task.settled) return;
    task.settled = true;
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    if (outcome instanceof Error) task.reject(outcome);
    else task.resolve(outcome);
  }
}

/** The thread's error as the caller sees it: model errors keep their code, anything else says where. */
function threadError(reply: Extract<EngineThreadReply, { type: 'error' }>): Error {
  if (reply.name === 'EngineError')
    return new EngineError(
      (reply.code ?? 'invalid-request') as EngineErrorCode,
      reply.message,
      reply.details,
    );
  return new Error(`the engine thread failed: ${reply.message}`);
}

/** The buffers behind a chunk, moved (not copied) to the thread that assembles it. */
function chunkBuffers(chunk: ChunkResult | Uint8Array): ArrayBuffer[] {
  if (chunk instanceof Uint8Array) return [chunk.buffer as ArrayBuffer];
  const arrays = [...chunk.values, ...chunk.outcomes, ...chunk.inputSamples, ...(chunk.sorted ?? [])];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
