/**
 * The CUDA backend for a prepared run: generates the kernel and host program, builds them once per model
 * (BinaryCache) and runs any range of trials in the model's serving child process (one per model, kept
 * while chunks keep coming). The draws are keyed by trial index as in the CPU backend, so a range's
 * results match the CPU backend's for the same trials.
 */
import type { BackendUnsupported } from '../../compile/backend-unsupported';
import type { Program } from '../../compile/ir';
import type { PreparedRun } from '../../simulate';
import { type ChildRunHooks, ServingProgram } from './child-run';
import { generateCudaKernel } from './codegen';
import { BinaryCache, type CudaToolchain } from './compiler';
import type { BackendResult, GpuRunner } from './device';
import { generateHostProgram } from './host';

export interface GpuEngineOptions {
  cacheDir: string;
  toolchain: CudaToolchain;
  /** Trials per kernel launch (default: about a hundredth of the range, 65,536 to 10^7). */
  batch?: number;
  /** How long a model's serving process waits for its next range before it quits (default 15 s). */
  idleMs?: number;
}

/** A model's CUDA program: kernel + host source, or why the backend cannot run it. */
export type CudaProgram = { source: string; outputs: number } | { unsupported: BackendUnsupported };

export function cudaProgram(program: Program, sampling: PreparedRun['sampling']): CudaProgram {
  const kernel = generateCudaKernel(program, { sampling });
  if ('unsupported' in kernel) return kernel;
  return { source: kernel.source + generateHostProgram(kernel.outputs), outputs: kernel.outputs };
}

export class GpuEngine {
  private readonly cache: BinaryCache;
  /** Generated programs of recent runs, so the chunks of a run generate theirs once. */
  private readonly programs = new WeakMap<PreparedRun, CudaProgram>();
  /** The serving process of each built program (each holds a device context while it lives). */
  private readonly serving = new Map<string, ServingProgram>();

  constructor(private readonly options: GpuEngineOptions) {
    this.cache = new BinaryCache(options.cacheDir, options.toolchain);
  }

  /** Why this run cannot use the CUDA backend, or undefined when it can. */
  unsupported(run: PreparedRun): BackendUnsupported | undefined {
    const generated = this.programFor(run);
    return 'unsupported' in generated ? generated.unsupported : undefined;
  }

  /** Trials [start, end) of the run on the GPU. */
  async runRange(
    run: PreparedRun,
    start: number,
    end: number,
    hooks: ChildRunHooks = {},
  ): Promise<BackendResult> {
    return this.runProgram(this.programFor(run), run.seed, start, end, hooks);
  }

  /** A GpuRunner for validateDevice: the program's trials [0, iterations) under a seed. */
  runner(program: Program): GpuRunner {
    const generated = cudaProgram(program, 'monte_carlo');
    return { run: (seed, iterations) => this.runProgram(generated, seed, 0, iterations) };
  }

  private programFor(run: PreparedRun): CudaProgram {
    let generated = this.programs.get(run);
    if (!generated) {
      generated = cudaProgram(run.compiled.program, run.sampling);
      this.programs.set(run, generated);
    }
    return generated;
  }

  private async runProgram(
    generated: CudaProgram,
    seed: number,
    start: number,
    end: number,
    hooks: ChildRunHooks = {},
  ): Promise<BackendResult> {
    if ('unsupported' in generated) throw generated.unsupported;
    const binary = await this.cache.binaryFor(generated.source);
    const batch =
      this.options.batch ?? Math.min(10_000_000, Math.max(65_536, Math.ceil((end - start) / 100)));
    let program = this.serving.get(binary);
    if (!program) {
      program = new ServingProgram(binary, generated.outputs, this.options.idleMs);
      this.serving.set(binary, program);
    }
    return program.run({ seed, start, end, batch }, hooks);
  }

  /** Processes started so far, over all models (the tests count them). */
  get processStarts(): number {
    let starts = 0;
    for (const program of this.serving.values()) starts += program.starts;
    return starts;
  }

  /** Ends every serving process (ranges still running fail). */
  close(): void {
    for (const program of this.serving.values()) program.close();
  }
}
