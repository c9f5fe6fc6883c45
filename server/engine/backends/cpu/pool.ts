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
  type EngineHooks,
  type EngineRequest,
  type EngineResult,
  prepareRun,
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
  // Compile here too: errors in the model surface before any thread starts, and assembly needs the labels.
  const seed = request.seed ?? Math.floor(Math.random() * 2 ** 31);
  const run = prepareRun(model, { ...request, seed });
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreadCount(), run.iterations));
  const rangeSize = Math.max(1_000, Math.ceil(run.iterations / (threads * 8)));
  const sliceSize = Math.max(1_000, Math.min(rangeSize, Math.ceil(run.iterations / 100)));
  const ranges: { id: number; start: number; end: number }[] = [];
  for (let start = 0, id = 0; start < run.iterations; start += rangeSize, id++)
    ranges.push({ id, start, end: Math.min(run.iterations, start + rangeSize) });

  const doneByRange = new Map<number, number>();
  let doneTotal = 0;
  const report = (id: number, done: number) => {
    doneTotal += done - (doneByRange.get(id) ?? 0);
    doneByRange.set(id, done);
    options.onProgress?.(doneTotal, run.iterations);
  };

  const workers: Worker[] = [];
  const chunks: ChunkResult[] = [];
  const script = threadScript();
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
      const onAbort = () => fail(new SimulationCancelled('the simulation was cancelled'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const dispatch = (worker: Worker) => {
        const range = ranges[next++];
        if (!range) return;
        worker.postMessage({ type: 'range', ...range, sliceSize } satisfies ThreadRequest);
      };
      for (let t = 0; t < Math.min(threads, ranges.length); t++) {
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
        worker.postMessage({ type: 'prepare', model, request: { ...request, seed } } satisfies ThreadRequest);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assembleResult(run, chunks, performance.now() - started);
}
