/**
 * A worker thread of the CPU backend: compiles the model it is given once, then runs the ranges of
 * trials the pool sends, posting progress and the range's results (buffers transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import type { WorkbookModel } from '../../../../shared/model';
import { type EngineRequest, type PreparedRun, prepareRun, runRange } from '../../simulate';

export type ThreadRequest =
  | { type: 'prepare'; model: WorkbookModel; request: EngineRequest }
  | { type: 'range'; id: number; start: number; end: number; sliceSize: number };

export type ThreadReply =
  | { type: 'ready' }
  | { type: 'progress'; id: number; done: number }
  | {
      type: 'result';
      id: number;
      start: number;
      end: number;
      values: Float64Array[];
      outcomes: Uint8Array[];
      inputSamples: Float64Array[];
    }
  | { type: 'error'; message: string; userFacing: boolean; code?: string };

const port = parentPort;
if (!port) throw new Error('thread.ts must run in a worker thread');

let run: PreparedRun | undefined;

port.on('message', async (message: ThreadRequest) => {
  try {
    if (message.type === 'prepare') {
      run = prepareRun(message.model, message.request);
      port.postMessage({ type: 'ready' } satisfies ThreadReply);
      return;
    }
    if (!run) throw new Error('internal: range before prepare');
    const chunk = await runRange(run, message.start, message.end, {
      chunkSize: message.sliceSize,
      onProgress: (done) =>
        port.postMessage({ type: 'progress', id: message.id, done } satisfies ThreadReply),
    });
    const reply: ThreadReply = { type: 'result', id: message.id, ...chunk };
    port.postMessage(reply, [
      ...chunk.values.map((v) => v.buffer as ArrayBuffer),
      ...chunk.outcomes.map((v) => v.buffer as ArrayBuffer),
      ...chunk.inputSamples.map((v) => v.buffer as ArrayBuffer),
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
