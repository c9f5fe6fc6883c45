/**
 * Runs a simulation on several worker threads: the run is cut into ranges of trials, each thread takes
 * the next range when it finishes one, and the ranges are put back together exactly. Progress is the
 * sum of what every thread has done; cancelling terminates the threads at once.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkbookModel } from '../../../../shared/model';
import { EngineError } from '../../errors';
import {
  assembleResult,
  type ChunkResult,
  checkedIterations,
  type EngineHooks,
  type EngineRequest,
  type EngineResult,
  planRun,
  type RunPlan,
  SimulationCancelled,
} from '../../simulate';
import type { ThreadReply, ThreadRequest } from './thread';

/** The bundled thread script (esbuild writes it to build/ next to the other entry points). */
function threadScript(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'build/server/engine/backends/cpu/thread.js');
    if (existsSync(candidate)) return candidate;
    const sibling = join(dir, 'thread.js');
    if (existsSync(sibling) && dir.endsWith(join('build', 'server', 'engine', 'backends', 'cpu')))
      return sibling;
    dir = dirname(dir);
  }
  throw new Error(
    `internal: the engine thread script is not built (run npm run build:server) — looked above ${resolve(__dirname)}`,
  );
}

export function defaultThreadCount(): number {
  return Math.max(1, availableParallelism());
}

export interface ParallelOptions extends EngineHooks {
  threads?: number;
}

/**
 * A simulation on several threads. Besides the trials, the threads do the statistics' sorting: each
 * range comes back with its outputs sorted (merged here in linear time), and once the trials whose
 * input samples sensitivity records are in, the inputs are sorted on the threads too. So the only serial
 * work left after the last range is a merge and the statistics that are sums.
 */
export async function simulateParallel(
  model: WorkbookModel,
  request: EngineRequest,
  options: ParallelOptions = {},
): Promise<EngineResult> {
  const started = performance.now();
  const seed = request.seed ?? Math.floor(Math.random() * 2 ** 31);
  const seeded = { ...request, seed };
  const iterations = checkedIterations(request.iterations);
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreadCount(), iterations));
  // The threads start compiling at once; this thread compiles too (assembly needs the labels), meanwhile.
  const stop = new AbortController();
  const cancel = () => stop.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const running = runOnThreads(model, seeded, threads, { ...options, signal: stop.signal });
    let plan: RunPlan;
    try {
      plan = planRun(model, seeded);
    } catch (error) {
      stop.abort();
      await running.catch(() => {});
      throw error;
    }
    const work = await running;
    const result = assembleResult(plan, work.chunks, performance.now() - started);
    result.outputs.forEach((output, j) => {
      output.sorted = mergeSortedRuns(work.chunks.map((c) => c.sorted[j]));
    });
    result.inputs.forEach((input, k) => {
      input.order = work.orders[k];
    });
    return result;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
}

type Task =
  | { type: 'range'; id: number; start: number; end: number }
  | { type: 'order'; inputs: number[]; columns: Float64Array[] };

interface ThreadWork {
  chunks: (ChunkResult & { sorted: Float64Array[] })[];
  /** Per input, the ascending order of its recorded samples. */
  orders: Uint32Array[];
}

/**
 * Runs every trial of the run on up to `threads` threads, each taking the next task when it finishes
 * one: ranges of trials (about eight per thread, the first one exactly the recorded trials), and, once
 * that first range is back, the sorting of the inputs' samples.
 */
function runOnThreads(
  model: WorkbookModel,
  request: EngineRequest & { seed: number },
  threads: number,
  options: ParallelOptions,
): Promise<ThreadWork> {
  const iterations = request.iterations;
  const sliceSize = Math.max(1_000, Math.ceil(iterations / 100));
  const done = new Map<number, number>();
  let doneTotal = 0;
  const report = (id: number, trials: number) => {
    doneTotal += trials - (done.get(id) ?? 0);
    done.set(id, trials);
    options.onProgress?.(doneTotal, iterations);
  };

  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: Task[] = [];
  const work: ThreadWork = { chunks: [], orders: [] };
  let ranges = 0;
  let ordersPending = 0;
  let planned = false;
  /** Ranges holding recorded trials (below the record limit), and those of them back. */
  let recordedRanges = 0;
  const recorded: ChunkResult[] = [];
  const script = threadScript();

  return new Promise<ThreadWork>((resolveAll, rejectAll) => {
    let failed = false;
    const finish = (error?: Error) => {
      if (failed) return;
      failed = true;
      void Promise.all(workers.map((w) => w.terminate())).then(() =>
        error ? rejectAll(error) : resolveAll(work),
      );
    };
    const onAbort = () => finish(new SimulationCancelled('the simulation was cancelled'));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const plan = (recordLimit: number) => {
      planned = true;
      const size = Math.max(1_000, Math.ceil(iterations / (threads * 8)));
      for (let start = 0; start < iterations; start += size) {
        queue.push({ type: 'range', id: ranges++, start, end: Math.min(iterations, start + size) });
        if (start < recordLimit) recordedRanges++;
      }
    };
    const dispatch = (worker: Worker) => {
      const task = queue.shift();
      if (!task) return void idle.push(worker);
      if (task.type === 'range') {
        worker.postMessage({ ...task, sliceSize, sort: true } satisfies ThreadRequest);
      } else {
        worker.postMessage(
          task satisfies ThreadRequest,
          task.columns.map((c) => c.buffer as ArrayBuffer),
        );
      }
    };
    const complete = () => {
      if (work.chunks.length === ranges && ordersPending === 0 && queue.length === 0) {
        options.signal?.removeEventListener('abort', onAbort);
        finish();
      }
    };
    /** Once the recorded trials are all back, sorts the inputs' samples on the threads, in groups. */
    const sortInputsWhenRecorded = (chunk: ChunkResult) => {
      if (chunk.inputSamples[0]?.length === 0 || recorded.push(chunk) < recordedRanges) return;
      recorded.sort((a, b) => a.start - b.start);
      const column = (k: number) => {
        const out = new Float64Array(recorded.reduce((n, c) => n + c.inputSamples[k].length, 0));
        let at = 0;
        for (const c of recorded) {
          out.set(c.inputSamples[k], at);
          at += c.inputSamples[k].length;
        }
        return out;
      };
      const inputs = chunk.inputSamples.map((_, k) => k);
      for (let g = 0; g < threads; g++) {
        const group = inputs.filter((k) => k % threads === g);
        if (group.length === 0) continue;
        ordersPending++;
        queue.unshift({ type: 'order', inputs: group, columns: group.map(column) });
      }
      while (idle.length > 0 && queue.length > 0) dispatch(idle.pop() as Worker);
    };

    for (let t = 0; t < threads; t++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on('message', (reply: ThreadReply) => {
        if (failed) return;
        switch (reply.type) {
          case 'ready':
            if (!planned) plan(reply.recordLimit);
            dispatch(worker);
            break;
          case 'progress':
            report(reply.id, reply.done);
            break;
          case 'result':
            work.chunks.push(reply);
            report(reply.id, reply.end - reply.start);
            sortInputsWhenRecorded(reply);
            dispatch(worker);
            complete();
            break;
          case 'orders':
            reply.inputs.forEach((k, i) => {
              work.orders[k] = reply.orders[i];
            });
            ordersPending--;
            dispatch(worker);
            complete();
            break;
          case 'error':
            finish(
              reply.userFacing
                ? new EngineError((reply.code as 'invalid-request') ?? 'invalid-request', reply.message)
                : new Error(`engine thread failed: ${reply.message}`),
            );
            break;
        }
      });
      worker.on('error', (error) => finish(new Error(`engine thread crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0 && !failed) finish(new Error(`engine thread exited with code ${code}`));
      });
      worker.postMessage({ type: 'prepare', model, request } satisfies ThreadRequest);
    }
  });
}

/** One ascending array from ascending runs, by pairwise merges (-0 before +0, as a sort puts them). */
export function mergeSortedRuns(runs: Float64Array[]): Float64Array {
  let level = runs.filter((r) => r.length > 0);
  if (level.length === 0) return new Float64Array(0);
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? merge(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

function merge(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x < y || (x === y && (x !== 0 || 1 / x <= 1 / y))) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
