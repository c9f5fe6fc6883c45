/**
 * A worker thread that puts a finished run together: decodes the chunks, assembles them and computes
 * the statistics and sensitivity. Sorting millions of samples takes seconds; here it cannot stop the
 * worker's event loop from renewing locks and sending heartbeats.
 */
import { parentPort } from 'node:worker_threads';
import { assembleResult } from '../engine/simulate';
import { decodeChunk } from './chunk-codec';
import { buildResults } from './results';
import { prepareStoredRun, type StoredRun } from './stored-run';

export interface AssembleRequest {
  stored: StoredRun;
  chunks: Uint8Array[];
  elapsedMs: number;
}

export type AssembleReply =
  | {
      type: 'done';
      results: Awaited<ReturnType<typeof buildResults>>['results'];
      summary: Awaited<ReturnType<typeof buildResults>>['summary'];
      samples: Float64Array[];
    }
  | { type: 'error'; message: string };

export async function assemble(request: AssembleRequest) {
  const prepared = prepareStoredRun(request.stored);
  const chunks = request.chunks.map((bytes) =>
    decodeChunk(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  );
  const result = assembleResult(prepared, chunks, request.elapsedMs);
  const { results, summary } = await buildResults(result, request.stored.options.target_cells, 'cpu');
  return { results, summary, samples: result.outputs.map((o) => o.values) };
}

parentPort?.once('message', async (request: AssembleRequest) => {
  try {
    const { results, summary, samples } = await assemble(request);
    const reply: AssembleReply = { type: 'done', results, summary, samples };
    parentPort?.postMessage(
      reply,
      samples.map((s) => s.buffer as ArrayBuffer),
    );
  } catch (error) {
    parentPort?.postMessage({ type: 'error', message: (error as Error).message } satisfies AssembleReply);
  }
});
