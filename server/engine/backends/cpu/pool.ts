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
  type RunShape,
  SimulationCancelled,
} from '../../simulate';
import type { RecordedTrials, ThreadReply, ThreadRequest } from './thread';

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

/** Fewer trials than this in a range cost more in messages than they save. */
const MIN_RANGE_TRIALS = 1_000;

export interface ParallelOptions extends EngineHooks {
  threads?: number;
}

/**
 * A simulation on several threads. Besides the trials, the threads do the statistics' sorting: each
 * range comes back with its outputs sorted (merged here in linear time), and once the trials whose
 * input samples sensitivity records are in, the inputs are sorted on the threads too. So the only serial
 * work left after the last range is a merge and the statistics that are sums. The inputs' recorded
 * samples in the result are views into one SharedArrayBuffer: readable anywhere, not transferable.
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
  // No more threads than ranges: each thread compiles the model, and one without a range only waits.
  const ranges = Math.ceil(iterations / MIN_RANGE_TRIALS);
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreadCount(), ranges));
  // Only the threads compile the model: the first one ready sends the labels assembly needs, and a
  // model that cannot compile fails the run with the engine's error from there.
  const work = await runOnThreads(model, seeded, threads, options);
  const result = assembleResult(work.shape, [work.whole], performance.now() - started);
  result.outputs.forEach((output, j) => {
    output.sorted = work.sorted[j];
  });
  if (work.correlations.length > 0)
    result.rankCorrelations = result.outputs.map((_, j) =>
      work.ranked[j] ? result.inputs.map((_, k) => work.correlations[k][j]) : undefined,
    );
  return result;
}

type Task =
  | { type: 'range'; id: number; start: number; end: number }
  | { type: 'sensitivity'; inputs: number[]; columns: Float64Array[]; outputs: RecordedTrials[] }
  | { type: 'merge'; output: number; runs: Float64Array[] };

interface ThreadWork {
  /** The run's size and labels, from the first thread that compiled it. */
  shape: RunShape;
  /** Every trial, put together as the ranges came back (so each range's buffers can go at once). */
  whole: ChunkResult;
  /** Per output, its numeric values in ascending order. */
  sorted: Float64Array[];
  /** Per input, its rank correlation with each output; per output, whether it had enough numbers. */
  correlations: number[][];
  ranked: boolean[];
}

/**
 * Runs every trial of the run on up to `threads` threads, each taking the next task when it finishes
 * one: ranges of trials (about eight per thread), the sensitivity once the recorded trials are back,
 * and the merge of each output's sorted ranges once every range is.
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
  const work: ThreadWork = {
    shape: {
      iterations,
      seed: request.seed,
      sampling: request.sampling ?? 'monte_carlo',
      recordLimit: 0,
      compiled: { program: { outputs: [], inputs: [] } },
    },
    whole: { start: 0, end: iterations, values: [], outcomes: [], inputSamples: [] },
    sorted: [],
    correlations: [],
    ranked: [],
  };
  /** Per range, its outputs' numbers sorted, until they are merged. */
  const sortedRuns: Float64Array[][] = [];
  let ranges = 0;
  let rangesBack = 0;
  let recordLimit = 0;
  let allocated = false;
  /** Sensitivity and merge tasks handed out and not yet back. */
  let pending = 0;
  let planned = false;
  /** Ranges holding recorded trials (below the record limit), and those of them back. */
  let recordedRanges = 0;
  let recordedBack = 0;
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

    const plan = (limit: number) => {
      planned = true;
      recordLimit = limit;
      const size = Math.max(MIN_RANGE_TRIALS, Math.ceil(iterations / (threads * 8)));
      for (let start = 0; start < iterations; start += size) {
        queue.push({ type: 'range', id: ranges++, start, end: Math.min(iterations, start + size) });
        if (start < recordLimit) recordedRanges++;
      }
    };
    const dispatch = (worker: Worker) => {
      const task = queue.shift();
      if (!task) return void idle.push(worker);
      if (task.type === 'range') worker.postMessage({ ...task, sliceSize } satisfies ThreadRequest);
      else if (task.type === 'merge')
        worker.postMessage(
          task satisfies ThreadRequest,
          task.runs.map((r) => r.buffer as ArrayBuffer),
        );
      else
        worker.postMessage(
          task satisfies ThreadRequest,
          task.outputs.flatMap((o) => [o.values.buffer as ArrayBuffer, o.outcomes.buffer as ArrayBuffer]),
        );
    };
    const enqueue = (tasks: Task[]) => {
      pending += tasks.length;
      queue.unshift(...tasks);
      while (idle.length > 0 && queue.length > 0) dispatch(idle.pop() as Worker);
    };
    let merging = false;
    const complete = () => {
      if (rangesBack < ranges) return;
      if (!merging) {
        // Every range is back: merge each output's sorted runs, one task per output.
        merging = true;
        enqueue(
          work.whole.values.map(
            (_, j): Task => ({ type: 'merge', output: j, runs: sortedRuns.map((runs) => runs[j]) }),
          ),
        );
        sortedRuns.length = 0;
      }
      if (pending === 0 && queue.length === 0) {
        options.signal?.removeEventListener('abort', onAbort);
        finish();
      }
    };
    /** Copies a range's trials into the whole run; its own buffers are not kept. */
    const take = (chunk: ChunkResult & { id: number; sorted: Float64Array[] }) => {
      const whole = work.whole;
      if (!allocated) {
        allocated = true;
        whole.values = chunk.values.map(() => new Float64Array(iterations));
        whole.outcomes = chunk.outcomes.map(() => new Uint8Array(iterations));
        // Shared memory: the sensitivity tasks read the samples where they are, however many inputs.
        const samples = new SharedArrayBuffer(
          Float64Array.BYTES_PER_ELEMENT * recordLimit * chunk.inputSamples.length,
        );
        whole.inputSamples = chunk.inputSamples.map(
          (_, k) => new Float64Array(samples, Float64Array.BYTES_PER_ELEMENT * recordLimit * k, recordLimit),
        );
      }
      chunk.values.forEach((v, j) => {
        whole.values[j].set(v, chunk.start);
        whole.outcomes[j].set(chunk.outcomes[j], chunk.start);
      });
      // Only the ranges below the record limit carry input samples.
      chunk.inputSamples.forEach((x, k) => {
        if (x.length > 0) whole.inputSamples[k].set(x, chunk.start);
      });
      sortedRuns[chunk.id] = chunk.sorted;
      rangesBack++;
      if (chunk.start < recordLimit && ++recordedBack === recordedRanges) sensitivity();
    };
    /**
     * Once the recorded trials are all back, the inputs' rank correlations with the outputs are computed
     * on the threads, the inputs split in as many groups as threads (reading the samples in shared memory).
     */
    const sensitivity = () => {
      const { values, outcomes, inputSamples } = work.whole;
      const outputs = (): RecordedTrials[] =>
        values.map((v, j) => ({
          values: v.slice(0, recordLimit),
          outcomes: outcomes[j].slice(0, recordLimit),
        }));
      const inputs = inputSamples.map((_, k) => k);
      const tasks: Task[] = [];
      for (let g = 0; g < threads; g++) {
        const group = inputs.filter((k) => k % threads === g);
        if (group.length === 0) continue;
        const columns = group.map((k) => inputSamples[k]);
        tasks.push({ type: 'sensitivity', inputs: group, columns, outputs: outputs() });
      }
      enqueue(tasks);
    };

    for (let t = 0; t < threads; t++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on('message', (reply: ThreadReply) => {
        if (failed) return;
        try {
          handle(worker, reply);
        } catch (error) {
          finish(error as Error);
        }
      });
      worker.on('error', (error) => finish(new Error(`engine thread crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0 && !failed) finish(new Error(`engine thread exited with code ${code}`));
      });
      worker.postMessage({ type: 'prepare', model, request } satisfies ThreadRequest);
    }

    function handle(worker: Worker, reply: ThreadReply): void {
      switch (reply.type) {
        case 'ready':
          if (!planned) {
            work.shape = reply.shape;
            plan(reply.shape.recordLimit);
          }
          dispatch(worker);
          break;
        case 'progress':
          report(reply.id, reply.done);
          break;
        case 'result':
          report(reply.id, reply.end - reply.start);
          take(reply);
          dispatch(worker);
          complete();
          break;
        case 'sensitivity':
          reply.inputs.forEach((k, i) => {
            work.correlations[k] = reply.correlations[i];
          });
          work.ranked = reply.ranked;
          pending--;
          dispatch(worker);
          complete();
          break;
        case 'merged':
          work.sorted[reply.output] = reply.sorted;
          pending--;
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
    }
  });
}
