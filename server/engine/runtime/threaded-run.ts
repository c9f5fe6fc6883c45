/**
 * A whole simulation on the engine's threads (./engine-pool), as the CLI runs one: the run is cut into
 * ranges of trials, each thread takes the next range when it finishes one (compiling the model once,
 * for all its ranges), and one thread assembles the ranges into the run's statistics. The service's
 * workers use the same pool the same way, a range per chunk job. Results depend only on the seed and
 * the trial indices, never on the number of threads or ranges.
 */
import { setMaxListeners } from 'node:events';
import type { WorkbookModel } from '../../../shared/model';
import { type ChunkResult, checkedIterations, type EngineRequest } from '../simulate';
import type { EnginesUsed } from '../statistics/results';
import type { AssembledRun, AssemblyOptions } from './assembled-run';
import { defaultThreadCount, EnginePool, type TaskHooks } from './engine-pool';
import type { RunSpec } from './run-spec';

/** Fewer trials than this in a range cost more in messages than they save. */
const MIN_RANGE_TRIALS = 1_000;

export interface ThreadedRunOptions {
  threads?: number;
  /** Trials done so far over the whole run. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** What the results say ran the trials (default: the CPU). */
  engines?: EnginesUsed;
  /** In a run of several simulations (RiskSimtable): which this one is (./assembled-run). */
  simulation?: AssemblyOptions['simulation'];
}

/** The run's one id in a pool of its own. */
const RUN = 'run';

/** Runs every trial on up to `threads` threads and assembles the results on one of them. */
export async function simulateOnThreads(
  model: WorkbookModel,
  request: EngineRequest,
  options: ThreadedRunOptions = {},
): Promise<AssembledRun & { elapsedMs: number }> {
  const started = performance.now();
  const pool = poolFor(request, options);
  try {
    const { chunks, load } = await runRanges(pool, model, request, options);
    const engines = options.engines ?? { engine_used: 'cpu' };
    const assembled = await pool.assemble(RUN, chunks, performance.now() - started, load, {
      engines,
      keyByTargets: false,
      ...(options.simulation ? { simulation: options.simulation } : {}),
    });
    return { ...assembled, elapsedMs: performance.now() - started };
  } finally {
    await pool.close();
  }
}

/** Every range of the run on the threads, in trial order: for callers that assemble them themselves. */
export async function rangesOnThreads(
  model: WorkbookModel,
  request: EngineRequest,
  options: ThreadedRunOptions = {},
): Promise<ChunkResult[]> {
  const pool = poolFor(request, options);
  try {
    return (await runRanges(pool, model, request, options)).chunks;
  } finally {
    await pool.close();
  }
}

function poolFor(request: EngineRequest, options: ThreadedRunOptions): EnginePool {
  const iterations = checkedIterations(request.iterations);
  // No more threads than ranges: each thread compiles the model, and one without a range only waits.
  const threads = Math.max(
    1,
    Math.min(options.threads ?? defaultThreadCount(), Math.ceil(iterations / MIN_RANGE_TRIALS)),
  );
  // The CLI's own process: no heap limit or watchdog beyond Node's and the user's Ctrl-C.
  return new EnginePool({ threads, warmRuns: 1, memoryMb: 0, trialTimeoutMs: 2 ** 31 - 1 });
}

async function runRanges(
  pool: EnginePool,
  model: WorkbookModel,
  request: EngineRequest,
  options: ThreadedRunOptions,
): Promise<{ chunks: ChunkResult[]; load: () => Promise<string> }> {
  const spec: RunSpec = {
    model,
    request: { ...request, seed: request.seed ?? Math.floor(Math.random() * 2 ** 31) },
  };
  const text = JSON.stringify(spec);
  const load = async () => text;
  const { iterations } = request;
  const threads = pool.threads;
  const size = Math.max(MIN_RANGE_TRIALS, Math.ceil(iterations / (threads * 8)));
  const done: number[] = [];
  let total = 0;
  const ranges: Promise<ChunkResult>[] = [];
  // Every range listens for the cancel: on a signal of the run's own, sized for that many listeners.
  const cancel = new AbortController();
  setMaxListeners(Math.ceil(iterations / size) + 1, cancel.signal);
  if (options.signal?.aborted) cancel.abort();
  options.signal?.addEventListener('abort', () => cancel.abort(), { once: true });
  for (let start = 0, id = 0; start < iterations; start += size, id++) {
    const at = id;
    done[at] = 0;
    const hooks: TaskHooks = {
      signal: cancel.signal,
      onProgress: (trials) => {
        total += trials - done[at];
        done[at] = trials;
        options.onProgress?.(total, iterations);
      },
    };
    ranges.push(
      pool.runRange(RUN, { start, end: Math.min(iterations, start + size) }, load, hooks).then((chunk) => {
        hooks.onProgress?.(chunk.end - chunk.start);
        return chunk;
      }),
    );
  }
  return { chunks: await Promise.all(ranges), load };
}
