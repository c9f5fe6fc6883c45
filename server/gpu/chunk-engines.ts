/**
 * Chunk execution by engine: decides per chunk (engine-selection) and runs it on the GPU (GpuEngine in a
 * child process) or hands it to the CPU runner. Sensitivity needs input samples for the first
 * `recordLimit` trials, which the CUDA program does not return; for those trials (at most 100,000 of a
 * run) the CPU backend runs alongside the GPU and only its input samples are kept, so they are exactly
 * what a CPU run records. Every output value comes from the GPU.
 */

import { afterGpuFailure, type ChunkEngine, selectEngine } from '../engine/runtime/engine-selection';
import type { ChunkResult, PreparedRun } from '../engine/simulate';
import { SimulationCancelled } from '../engine/simulate';
import { RunError } from '../workers/run-error';
import { availability, type GpuStatus } from './gpu-status';

export interface ChunkHooks {
  onProgress: (done: number) => void;
  signal: AbortSignal;
}

/** One simulation as the chunk engines see it. */
export interface ChunkSource {
  /** The run compiled in this process: only the GPU path needs it (the CPU path compiles in a thread). */
  prepared(): Promise<PreparedRun>;
  /** Runs trials [start, end) on the CPU backend (the worker's engine threads). */
  cpu(start: number, end: number, hooks: ChunkHooks): Promise<ChunkResult>;
}

export class ChunkEngines {
  constructor(
    /** Settles once the GPU is validated (or not); chunks that may use it wait for it. */
    private readonly gpu: Promise<GpuStatus>,
  ) {}

  /**
   * Runs trials [start, end) on the engine the request allows; throws RunError('gpu-unavailable') when
   * the GPU was required and cannot run it.
   */
  async run(
    requested: string,
    source: ChunkSource,
    start: number,
    end: number,
    hooks: ChunkHooks,
  ): Promise<{ chunk: ChunkResult; used: ChunkEngine }> {
    if (requested === 'cpu') return { chunk: await source.cpu(start, end, hooks), used: { engine: 'cpu' } };
    const status = await this.gpu;
    const run = status.usable ? await source.prepared() : undefined;
    const decision = selectEngine(
      requested,
      availability(status),
      status.usable && run ? status.engine.unsupported(run) : undefined,
    );
    if ('fail' in decision) throw new RunError('gpu-unavailable', decision.fail);
    if (decision.engine === 'cpu') {
      const used: ChunkEngine = decision.note ? { engine: 'cpu', note: decision.note } : { engine: 'cpu' };
      return { chunk: await source.cpu(start, end, hooks), used };
    }
    if (!status.usable || !run) throw new Error('internal: the GPU was selected but is not usable');
    try {
      return { chunk: await gpuChunk(status, run, source, start, end, hooks), used: { engine: 'cuda' } };
    } catch (error) {
      if (error instanceof SimulationCancelled) throw error;
      // The CPU half failed, not the GPU: the chunk fails as a CPU chunk would (retried, or the model's error).
      if (error instanceof CpuSideFailure) throw error.original;
      const message = error instanceof Error ? error.message : String(error);
      const fallback = afterGpuFailure(requested, `the GPU run failed: ${message}`);
      if ('fail' in fallback) throw new RunError('gpu-failed', fallback.fail);
      // "auto": the CPU backend is the reference, so its results for the chunk are always right.
      return { chunk: await source.cpu(start, end, hooks), used: { engine: 'cpu', note: fallback.note } };
    }
  }
}

async function gpuChunk(
  status: Extract<GpuStatus, { usable: true }>,
  run: PreparedRun,
  source: ChunkSource,
  start: number,
  end: number,
  hooks: ChunkHooks,
): Promise<ChunkResult> {
  const recorded = Math.min(end, run.recordLimit);
  // Either half failing stops the other (the GPU child is killed, the engine thread freed).
  const both = new AbortController();
  const stop = () => both.abort();
  hooks.signal.addEventListener('abort', stop, { once: true });
  const samplesOnCpu =
    start < recorded
      ? source
          .cpu(start, recorded, { signal: both.signal, onProgress: () => {} })
          .then((c) => c.inputSamples)
          .catch((error: unknown) => {
            throw new CpuSideFailure(error);
          })
      : Promise.resolve(run.compiled.program.inputs.map(() => new Float64Array(0)));
  try {
    const [gpu, samples] = await Promise.all([
      status.engine.runRange(run, start, end, { signal: both.signal, onProgress: hooks.onProgress }),
      samplesOnCpu,
    ]);
    return { start, end, values: gpu.values, outcomes: gpu.outcomes, inputSamples: samples };
  } catch (error) {
    both.abort();
    await samplesOnCpu.catch(() => {});
    throw error;
  } finally {
    hooks.signal.removeEventListener('abort', stop);
  }
}

/** The input samples' CPU run beside a GPU run failed (with `original`). */
class CpuSideFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}
