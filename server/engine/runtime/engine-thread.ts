/**
 * An engine thread (./engine-pool): keeps the runs it compiled warm (./run-spec), runs ranges of their
 * trials and assembles finished runs into their statistics, posting progress and results (buffers
 * transferred, not copied). The pool cancels the current job by writing its number into the shared
 * `cancel` cell, which the thread reads between slices.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkResult } from '../simulate';
import { numericTrials, sortedCopy } from '../statistics/summary';
import { type AssembledRun, type AssemblyOptions, assembleRun } from './assembled-run';
import { decodeChunk } from './chunk-codec';
import { WarmRuns } from './run-spec';
import { runSlicedRange } from './sliced-range';

export type EngineThreadRequest =
  /** `spec` (the RunSpec's JSON) comes only when the pool does not know that the thread has the run. */
  | { type: 'range'; job: number; run: string; spec?: string; start: number; end: number }
  | {
      type: 'assemble';
      job: number;
      run: string;
      spec?: string;
      /** Every range of the run: as ChunkResults, or encoded (./chunk-codec) as stored between hosts. */
      chunks: ChunkResult[] | Uint8Array[];
      elapsedMs: number;
      options: AssemblyOptions;
    }
  | { type: 'forget'; run: string };

export type EngineThreadReply =
  | { type: 'missing'; job: number }
  | { type: 'progress'; job: number; done: number }
  | ({ type: 'range'; job: number } & ChunkResult)
  | ({ type: 'assembled'; job: number } & AssembledRun)
  | { type: 'cancelled'; job: number }
  | {
      type: 'error';
      job: number;
      name: string;
      message: string;
      code?: string;
      details?: Record<string, unknown>;
    };

export interface EngineThreadData {
  /** One Int32 cell: the number of the job the pool wants stopped. */
  cancel: SharedArrayBuffer;
  warmRuns: number;
}

/** Progress posts at most this often. */
const PROGRESS_EVERY_MS = 50;

const port = parentPort;
if (!port) throw new Error('engine-thread.ts must run in a worker thread');
const data = workerData as EngineThreadData;
const cancel = new Int32Array(data.cancel);
const runs = new WarmRuns(data.warmRuns);

const post = (reply: EngineThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const buffers = (arrays: (Float64Array | Uint8Array)[]) => [
  ...new Set(arrays.map((a) => a.buffer as ArrayBuffer)),
];

port.on('message', async (message: EngineThreadRequest) => {
  if (message.type === 'forget') return runs.forget(message.run);
  const { job } = message;
  try {
    const warm = runs.get(message.run, message.spec);
    if (!warm) return post({ type: 'missing', job });
    if (message.type === 'assemble') {
      const chunks = message.chunks.map((c) =>
        c instanceof Uint8Array ? decodeChunk(Buffer.from(c.buffer, c.byteOffset, c.byteLength)) : c,
      );
      const { targets } = warm.spec.request;
      const assembled = await assembleRun(warm.prepared, targets, chunks, message.elapsedMs, message.options);
      // A run of one range hands back views into that range's buffers: transfer each buffer once.
      const exported = (assembled.exported ?? []).map((cell) => cell.numeric);
      return post({ type: 'assembled', job, ...assembled }, buffers([...assembled.samples, ...exported]));
    }
    let postedAt = 0;
    const chunk = await runSlicedRange(warm.prepared, message.start, message.end, {
      cancelled: () => Atomics.load(cancel, 0) === job,
      onProgress: (done) => {
        const now = performance.now();
        if (now - postedAt < PROGRESS_EVERY_MS) return;
        postedAt = now;
        post({ type: 'progress', job, done });
      },
    });
    // Sorted here, while other ranges still run, so the run's assembly only reads the sorted runs.
    const sorted = chunk.values.map((values, j) => sortedCopy(numericTrials(values, chunk.outcomes[j])));
    post(
      { type: 'range', job, ...chunk, sorted },
      buffers([...chunk.values, ...chunk.outcomes, ...chunk.inputSamples, ...sorted]),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'SimulationCancelled')
      return post({ type: 'cancelled', job });
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
