/**
 * The API's intake: uploads are read and simulation requests compiled in worker threads, each task
 * under a time limit and a memory limit, so no request can block the event loop, exhaust the
 * process's memory or kill it. A thread past a limit is terminated and replaced; its request gets a
 * 422 (`model-too-complex`) or, for uploads, a 413 (`too-large`) naming the limit.
 */
import { Worker } from 'node:worker_threads';
import { ApiError, bugReport } from '../api/errors';
import { threadScript } from '../engine/runtime/thread-script';
import type { IntakeReply } from './intake-thread';
import type { IntakeTask, Submission, SubmissionTask, UploadSummary, UploadTask } from './tasks';

export interface IntakeLimits {
  /** Threads, each running one task at a time. */
  threads: number;
  /** How long one task may run. */
  timeoutMs: number;
  /** Heap (old generation) of each thread. */
  memoryMb: number;
  /** Tasks that may wait for a thread; more are refused with 503. */
  maxWaiting: number;
}

interface Waiting {
  task: IntakeTask;
  transfer: ArrayBuffer[];
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface IntakeThread {
  worker: Worker;
  current?: Waiting;
  timer?: NodeJS.Timeout;
}

export class ModelIntake {
  private readonly idle: IntakeThread[] = [];
  private readonly busy = new Set<IntakeThread>();
  private readonly queue: Waiting[] = [];
  private closed = false;

  constructor(private readonly limits: IntakeLimits) {}

  readUpload(task: Omit<UploadTask, 'kind'>): Promise<UploadSummary> {
    // A copy the thread can own: the upload's buffer may be a slice of a larger one.
    const bytes = new Uint8Array(task.bytes);
    return this.run({ ...task, kind: 'upload', bytes }, [bytes.buffer]) as Promise<UploadSummary>;
  }

  prepareSubmission(task: Omit<SubmissionTask, 'kind'>): Promise<Submission> {
    const body = new Uint8Array(task.body);
    return this.run({ ...task, kind: 'submission', body }, [body.buffer]) as Promise<Submission>;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(unavailable());
    const threads = [...this.idle.splice(0), ...this.busy];
    for (const thread of threads) this.release(thread)?.reject(unavailable());
    await Promise.all(threads.map((thread) => this.retire(thread)));
  }

  private run(task: IntakeTask, transfer: ArrayBuffer[]): Promise<unknown> {
    if (this.closed) return Promise.reject(unavailable());
    if (this.queue.length >= this.limits.maxWaiting)
      return Promise.reject(
        new ApiError(503, 'busy', 'the service is busy reading other models; try again shortly'),
      );
    return new Promise((resolve, reject) => {
      this.queue.push({ task, transfer, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.idle.pop() ?? (this.busy.size < this.limits.threads ? this.start() : undefined);
      if (!thread) return;
      const waiting = this.queue.shift() as Waiting;
      this.busy.add(thread);
      thread.current = waiting;
      thread.timer = setTimeout(() => this.overrun(thread, 'time'), this.limits.timeoutMs);
      thread.worker.postMessage(waiting.task, waiting.transfer);
    }
  }

  private start(): IntakeThread {
    const { path, execArgv } = threadScript('intake-thread', 'intake');
    const worker = new Worker(path, {
      execArgv,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
    });
    worker.unref();
    const thread: IntakeThread = { worker };
    worker.on('message', (reply: IntakeReply) => this.settle(thread, reply));
    worker.on('error', (error: Error & { code?: string }) =>
      this.overrun(thread, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : error),
    );
    worker.on('exit', (code) =>
      this.overrun(thread, new Error(`the intake thread exited with code ${code}`)),
    );
    return thread;
  }

  private settle(thread: IntakeThread, reply: IntakeReply): void {
    const waiting = this.release(thread);
    if (!waiting) return;
    this.idle.push(thread);
    if (reply.type === 'done') waiting.resolve(reply.result);
    else if (reply.type === 'refused')
      waiting.reject(new ApiError(reply.status, reply.code, reply.message, reply.details));
    else waiting.reject(bugReport(reply.message, reply.stack));
    this.dispatch();
  }

  /** The task went past a limit, or the thread died: the thread goes, the request gets why. */
  private overrun(thread: IntakeThread, cause: 'time' | 'memory' | Error): void {
    const waiting = this.release(thread);
    void this.retire(thread);
    if (waiting) {
      const upload = waiting.task.kind === 'upload';
      if (cause === 'time')
        waiting.reject(
          upload
            ? new ApiError(
                413,
                'too-large',
                `the workbook took longer than ${seconds(this.limits.timeoutMs)} to read; make it smaller`,
              )
            : new ApiError(
                422,
                'model-too-complex',
                `the model took longer than ${seconds(this.limits.timeoutMs)} to check and compile; simplify it`,
              ),
        );
      else if (cause === 'memory')
        waiting.reject(
          upload
            ? new ApiError(
                413,
                'too-large',
                `the workbook needs more than ${this.limits.memoryMb} MB to read`,
              )
            : new ApiError(
                422,
                'model-too-complex',
                `the model needs more than ${this.limits.memoryMb} MB to compile; simplify it`,
              ),
        );
      else waiting.reject(bugReport(cause.message, cause.stack));
    }
    this.dispatch();
  }

  private release(thread: IntakeThread): Waiting | undefined {
    clearTimeout(thread.timer);
    const waiting = thread.current;
    thread.current = undefined;
    this.busy.delete(thread);
    return waiting;
  }

  private async retire(thread: IntakeThread): Promise<void> {
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
    thread.worker.removeAllListeners();
    // An 'error' after this point must not become an uncaught exception.
    thread.worker.on('error', () => {});
    await thread.worker.terminate().catch(() => {});
  }
}

function unavailable(): ApiError {
  return new ApiError(503, 'unavailable', 'the service is shutting down; try again shortly');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toLocaleString('en-US')} s`;
}
