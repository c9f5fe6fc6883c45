/**
 * A chunk thread of a worker process (./chunk-pool): keeps the compiled runs it was given warm (a bounded
 * LRU, since compiling a model takes tens to hundreds of ms and a run has many chunks), runs chunks of
 * trials on them and posts progress and results (buffers transferred, not copied). The pool cancels the
 * current job by writing its number into the shared `cancel` cell; the thread looks between slices.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ChunkResult, type RunShape, runShape, SimulationCancelled } from '../engine/simulate';
import { numericTrials, sortedCopy } from '../engine/statistics/summary';
import { runChunk } from './run-chunk';
import { PreparedRunCache, type StoredRun } from './stored-run';

export type ChunkThreadRequest =
  /** `stored` (the stored run's JSON) comes only when the pool does not know the thread has the run. */
  | { type: 'chunk'; job: number; simulation: string; stored?: string; start: number; end: number }
  | { type: 'shape'; job: number; simulation: string; stored?: string }
  | { type: 'forget'; simulation: string };

export type ChunkThreadReply =
  | { type: 'missing'; job: number }
  | { type: 'progress'; job: number; done: number }
  | ({ type: 'chunk'; job: number } & ChunkResult)
  | { type: 'shape'; job: number; shape: RunShape; targets: string[] }
  | { type: 'cancelled'; job: number }
  | {
      type: 'error';
      job: number;
      name: string;
      message: string;
      code?: string;
      details?: Record<string, unknown>;
    };

export interface ChunkThreadData {
  /** One Int32 cell: the number of the job the pool wants stopped. */
  cancel: SharedArrayBuffer;
  warmRuns: number;
}

/** Progress posts at most this often; the pool forwards them to the store every ~100 ms. */
const PROGRESS_EVERY_MS = 50;

const port = parentPort;
if (!port) throw new Error('chunk-thread.ts must run in a worker thread');
const data = workerData as ChunkThreadData;
const cancel = new Int32Array(data.cancel);
const runs = new PreparedRunCache(data.warmRuns);

const post = (reply: ChunkThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

port.on('message', async (message: ChunkThreadRequest) => {
  if (message.type === 'forget') {
    runs.forget(message.simulation);
    return;
  }
  const { job } = message;
  try {
    const text = message.stored;
    const entry = await runs.get(message.simulation, async () =>
      text === undefined ? undefined : (JSON.parse(text) as StoredRun),
    );
    if (!entry) return post({ type: 'missing', job });
    if (message.type === 'shape')
      return post({
        type: 'shape',
        job,
        shape: runShape(entry.prepared),
        targets: entry.stored.options.target_cells,
      });
    const controller = new AbortController();
    let postedAt = 0;
    const chunk = await runChunk(entry.prepared, message.start, message.end, {
      signal: controller.signal,
      onProgress: (done) => {
        if (Atomics.load(cancel, 0) === job) controller.abort();
        const now = performance.now();
        if (now - postedAt < PROGRESS_EVERY_MS) return;
        postedAt = now;
        post({ type: 'progress', job, done });
      },
    });
    // Sorted here, while other chunks still run, so the run's assembly only reads the sorted runs.
    const sorted = chunk.values.map((values, j) => sortedCopy(numericTrials(values, chunk.outcomes[j])));
    post({ type: 'chunk', job, ...chunk, sorted }, [
      ...chunk.values.map((v) => v.buffer as ArrayBuffer),
      ...chunk.outcomes.map((v) => v.buffer as ArrayBuffer),
      ...chunk.inputSamples.map((v) => v.buffer as ArrayBuffer),
      ...sorted.map((v) => v.buffer as ArrayBuffer),
    ]);
  } catch (error) {
    if (error instanceof SimulationCancelled) return post({ type: 'cancelled', job });
    const e = error as Error & { code?: unknown; details?: Record<string, unknown> };
    post({
      type: 'error',
      job,
      name: e.name ?? 'Error',
      message: e.message ?? String(error),
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(e.details ? { details: e.details } : {}),
    });
  }
});
