/**
 * Which backend runs a simulation (the CLI's) or a chunk of one (the service's), and what the results
 * say about it. "gpu" runs on the GPU or fails with the GPU's reason (never silently on the CPU); "auto"
 * uses a usable GPU when the model fits the CUDA backend, else the CPU with a note saying why; "cpu"
 * always runs on the CPU. (The API reads "ultra", an old name of "auto", as "auto".)
 */
import type { GpuDetection } from '../backends/cuda/device';
import type { BackendUnsupported } from '../compile/backend-unsupported';

/** This worker's GPU: validated, or why not (a GPUValidationError's message when validation failed). */
export type GpuAvailability = { usable: true } | { usable: false; reason: string };

export type EngineDecision = { engine: 'cuda' } | { engine: 'cpu'; note?: string } | { fail: string };

/**
 * @param unsupported why the CUDA backend cannot run the model (undefined when it can); only consulted
 * when the GPU is usable, so callers may leave it undefined otherwise.
 */
export function selectEngine(
  requested: string,
  gpu: GpuAvailability,
  unsupported: BackendUnsupported | undefined,
): EngineDecision {
  if (requested === 'cpu') return { engine: 'cpu' };
  if (requested !== 'gpu' && requested !== 'auto')
    return { fail: `unknown engine "${requested}" (expected auto, cpu or gpu)` };
  const why = !gpu.usable ? `the GPU is not usable: ${gpu.reason}` : unsupported?.message;
  if (why === undefined) return { engine: 'cuda' };
  if (requested === 'gpu') return { fail: `engine "gpu" was requested but ${why}` };
  return onCpuBecause(why);
}

const ON_CPU = 'ran on the CPU: ';

function onCpuBecause(why: string): { engine: 'cpu'; note: string } {
  return { engine: 'cpu', note: `${ON_CPU}${why}` };
}

/** Why a decision's CPU run did not use the GPU, as a clause ("the GPU is not usable: …"). */
export function whyNotGpu(note: string): string {
  return note.startsWith(ON_CPU) ? note.slice(ON_CPU.length) : note;
}

/** The GPU run failed (`why` says how): "gpu" fails with it, "auto" runs on the CPU saying why. */
export function afterGpuFailure(
  requested: string,
  why: string,
): { engine: 'cpu'; note: string } | { fail: string } {
  return requested === 'gpu' ? { fail: why } : onCpuBecause(why);
}

/** A machine's GPU as nvidia-smi found it, before anything ran on it. */
export function detectedAvailability(detection: GpuDetection): GpuAvailability {
  return detection.available
    ? { usable: true }
    : { usable: false, reason: `no GPU detected (${detection.reason})` };
}

/** How one chunk ran, as recorded for the assembly of the results. */
export interface ChunkEngine {
  engine: 'cuda' | 'cpu';
  note?: string;
}

/**
 * The run's `engine_used` ("cuda", "cpu", or "cuda+cpu" when workers differed) and its note: the
 * distinct reasons chunks did not use the GPU.
 */
export function summarizeEngines(chunks: ChunkEngine[]): { engine_used: string; engine_note?: string } {
  const used = new Set(chunks.map((c) => c.engine));
  const engine_used = used.size === 2 ? 'cuda+cpu' : used.has('cuda') ? 'cuda' : 'cpu';
  const notes = [...new Set(chunks.flatMap((c) => (c.note ? [c.note] : [])))];
  return notes.length > 0 ? { engine_used, engine_note: notes.join('; ') } : { engine_used };
}
