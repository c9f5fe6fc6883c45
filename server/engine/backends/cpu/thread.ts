/**
 * A worker thread of the CPU backend: compiles the model it is given once, then runs the ranges of
 * trials the pool sends, posting progress and the range's results (buffers transferred, not copied),
 * each output's numbers also sorted; and sorts inputs' samples when asked (for sensitivity).
 */
import { parentPort } from 'node:worker_threads';
import type { WorkbookModel } from '../../../../shared/model';
import {
  type EngineRequest,
  type PreparedRun,
  prepareRun,
  type RunShape,
  runRange,
  runShape,
} from '../../simulate';
import { mergeSortedRuns, ordering } from '../../statistics/ranks';
import { inputCorrelations, recordedOutput } from '../../statistics/results';
import { numericTrials, sortedCopy } from '../../statistics/summary';

export type ThreadRequest =
  | { type: 'prepare'; model: WorkbookModel; request: EngineRequest }
  | { type: 'range'; id: number; start: number; end: number; sliceSize: number }
  | { type: 'sensitivity'; inputs: number[]; columns: Float64Array[]; outputs: RecordedTrials[] }
  | { type: 'merge'; output: number; runs: Float64Array[] };

/** An output's values and outcomes over the recorded trials. */
export interface RecordedTrials {
  values: Float64Array;
  outcomes: Uint8Array;
}

export type ThreadReply =
  | { type: 'ready'; shape: RunShape }
  | { type: 'progress'; id: number; done: number }
  | {
      type: 'result';
      id: number;
      start: number;
      end: number;
      values: Float64Array[];
      outcomes: Uint8Array[];
      inputSamples: Float64Array[];
      /** Per output, the range's numeric values in ascending order. */
      sorted: Float64Array[];
    }
  /** Per input of the task, its correlation with each output (NaN for outputs without ranks). */
  | { type: 'sensitivity'; inputs: number[]; correlations: number[][]; ranked: boolean[] }
  | { type: 'merged'; output: number; sorted: Float64Array }
  | { type: 'error'; message: string; userFacing: boolean; code?: string };

const port = parentPort;
if (!port) throw new Error('thread.ts must run in a worker thread');

let run: PreparedRun | undefined;

port.on('message', async (message: ThreadRequest) => {
  try {
    if (message.type === 'prepare') {
      run = prepareRun(message.model, message.request);
      port.postMessage({ type: 'ready', shape: runShape(run) } satisfies ThreadReply);
      return;
    }
    if (message.type === 'sensitivity') {
      const outputs = message.outputs.map((o) => recordedOutput(o.values, o.outcomes, o.values.length));
      const correlations = message.columns.map((column) => inputCorrelations(ordering(column), outputs));
      const ranked = outputs.map((o) => o !== undefined);
      port.postMessage({
        type: 'sensitivity',
        inputs: message.inputs,
        correlations,
        ranked,
      } satisfies ThreadReply);
      return;
    }
    if (message.type === 'merge') {
      const sorted = mergeSortedRuns(message.runs);
      port.postMessage({ type: 'merged', output: message.output, sorted } satisfies ThreadReply, [
        sorted.buffer as ArrayBuffer,
      ]);
      return;
    }
    if (!run) throw new Error('internal: range before prepare');
    const chunk = await runRange(run, message.start, message.end, {
      chunkSize: message.sliceSize,
      onProgress: (done) =>
        port.postMessage({ type: 'progress', id: message.id, done } satisfies ThreadReply),
    });
    const sorted = chunk.values.map((values, j) => sortedCopy(numericTrials(values, chunk.outcomes[j])));
    const reply: ThreadReply = { type: 'result', id: message.id, ...chunk, sorted };
    port.postMessage(reply, [
      ...chunk.values.map((v) => v.buffer as ArrayBuffer),
      ...chunk.outcomes.map((v) => v.buffer as ArrayBuffer),
      ...chunk.inputSamples.map((v) => v.buffer as ArrayBuffer),
      ...sorted.map((v) => v.buffer as ArrayBuffer),
    ]);
  } catch (error) {
    const e = error as Error & { userFacing?: boolean; code?: string };
    port.postMessage({
      type: 'error',
      message: e.message,
      userFacing: e.userFacing === true,
      ...(e.code !== undefined ? { code: e.code } : {}),
    } satisfies ThreadReply);
  }
});
