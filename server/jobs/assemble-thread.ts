/**
 * A worker thread that puts a finished run together: decodes the chunks, assembles them and computes
 * the statistics and sensitivity. Sorting millions of samples takes seconds; here it cannot stop the
 * worker's event loop from renewing locks and sending heartbeats.
 */
import { parentPort } from 'node:worker_threads';
import { assembleResult, type PreparedRun, type RunShape } from '../engine/simulate';
import { decodeChunk } from './chunk-codec';
import type { summarizeEngines } from './engine-selection';
import { buildResults } from './results';

export interface AssembleRequest {
  shape: RunShape;
  targets: string[];
  chunks: Uint8Array[];
  elapsedMs: number;
  /** The backends the chunks ran on, for the results' engine_used and engine_note. */
  engines: ReturnType<typeof summarizeEngines>;
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
  const chunks = request.chunks.map((bytes) =>
    decodeChunk(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  );
  // assembleResult reads only the fields RunShape keeps.
  const result = assembleResult(request.shape as unknown as PreparedRun, chunks, request.elapsedMs);
  const { results, summary } = await buildResults(result, request.targets, request.engines);
  return { results, summary, samples: result.outputs.map((o) => o.values) };
}

parentPort?.on('message', async ({ id, request }: { id: number; request: AssembleRequest }) => {
  try {
    const { results, summary, samples } = await assemble(request);
    const reply: AssembleReply = { type: 'done', results, summary, samples };
    // A run of one chunk hands back views into that chunk's buffer: transfer each buffer once.
    parentPort?.postMessage({ id, reply }, [...new Set(samples.map((s) => s.buffer as ArrayBuffer))]);
  } catch (error) {
    const reply: AssembleReply = { type: 'error', message: (error as Error).message };
    parentPort?.postMessage({ id, reply });
  }
});
