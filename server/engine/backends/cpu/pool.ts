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
  const rangeSize = Math.max(1_000, Math.ceil(iterations / (threads * 8)));
  const ranges: TrialRange[] = [];
  for (let start = 0; start < iterations; start += rangeSize)
    ranges.push({ start, end: Math.min(iterations, start + rangeSize) });
  // The threads start compiling at once; this thread compiles too (assembly needs the labels), meanwhile.
  const stop = new AbortController();
  const cancel = () => stop.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const running = runRangesOnThreads(model, seeded, ranges, { ...options, threads, signal: stop.signal });
    let plan: RunPlan;
    try {
      plan = planRun(model, seeded);
    } catch (error) {
      stop.abort();
      await running.catch(() => {});
      throw error;
    }
    return assembleResult(plan, await running, performance.now() - started);
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
}

export interface TrialRange {
  start: number;
  end: number;
}

/**
 * Runs trials [start, end) of a run on a worker thread, so the calling event loop stays free (the
 * service's BullMQ worker renews locks and sends heartbeats meanwhile). `request.seed` must be set.
 */
export async function runRangeInThread(
  model: WorkbookModel,
  request: EngineRequest & { seed: number },
  range: TrialRange,
  hooks: EngineHooks = {},
): Promise<ChunkResult> {
  const [chunk] = await runRangesOnThreads(model, request, [range], { ...hooks, threads: 1 });
  return chunk;
}

/** Runs the ranges on up to `threads` worker threads, each taking the next range when it finishes one. */
export async function runRangesOnThreads(
  model: WorkbookModel,
  request: EngineRequest & { seed: number },
  ranges: TrialRange[],
  options: ParallelOptions = {},
): Promise<ChunkResult[]> {
  const total = ranges.reduce((n, r) => n + r.end - r.start, 0);
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreadCount(), ranges.length));
  const sliceSize = Math.max(
    1_000,
    Math.min(...ranges.map((r) => r.end - r.start), Math.ceil(request.iterations / 100)),
  );
  const doneByRange = new Map<number, number>();
  let doneTotal = 0;
  const report = (id: number, done: number) => {
    doneTotal += done - (doneByRange.get(id) ?? 0);
    doneByRange.set(id, done);
    options.onProgress?.(doneTotal, total);
  };

  const workers: Worker[] = [];
  const chunks: ChunkResult[] = [];
  const script = threadScript();
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      let next = 0;
      let finished = 0;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        rejectAll(error);
      };
      onAbort = () => fail(new SimulationCancelled('the simulation was cancelled'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const dispatch = (worker: Worker) => {
        const id = next++;
        const range = ranges[id];
        if (!range) return;
        worker.postMessage({ type: 'range', id, ...range, sliceSize } satisfies ThreadRequest);
      };
      for (let t = 0; t < threads; t++) {
        const worker = new Worker(script);
        workers.push(worker);
        worker.on('message', (reply: ThreadReply) => {
          if (failed) return;
          switch (reply.type) {
            case 'ready':
              dispatch(worker);
              break;
            case 'progress':
              report(reply.id, reply.done);
              break;
            case 'result':
              chunks.push(reply);
              report(reply.id, reply.end - reply.start);
              if (++finished === ranges.length) resolveAll();
              else dispatch(worker);
              break;
            case 'error':
              fail(
                reply.userFacing
                  ? new EngineError((reply.code as 'invalid-request') ?? 'invalid-request', reply.message)
                  : new Error(`engine thread failed: ${reply.message}`),
              );
              break;
          }
        });
        worker.on('error', (error) => fail(new Error(`engine thread crashed: ${error.message}`)));
        worker.on('exit', (code) => {
          if (code !== 0 && finished < ranges.length)
            fail(new Error(`engine thread exited with code ${code}`));
        });
        worker.postMessage({ type: 'prepare', model, request } satisfies ThreadRequest);
      }
    });
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return chunks.sort((a, b) => a.start - b.start);
}
