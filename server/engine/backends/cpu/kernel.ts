/**
 * A compiled model ready to run on this thread: the generated kernel bound to its runtime, constants
 * and distributions. Runs any range of trials; results depend only on the seed and the trial indices.
 */
import type { CompiledModel } from '../../compile/compile-model';
import { generateKernel } from './codegen';
import { KernelRuntime, type UniformSource } from './runtime';

type KernelFunction = (
  start: number,
  end: number,
  offset: number,
  outputs: Float64Array[],
  outcomes: Uint8Array[],
  record: Float64Array[],
  recordLimit: number,
) => void;

export interface TrialBuffers {
  /** Per output: the value of each trial (NaN when not a number). */
  values: Float64Array[];
  /** Per output: 0 for a number, else an OUTCOME_CODES index. */
  outcomes: Uint8Array[];
  /** Per input: its samples for the first `recordLimit` trials (for sensitivity). */
  inputSamples: Float64Array[];
  recordLimit: number;
}

export class CpuKernel {
  private readonly run: KernelFunction;

  constructor(
    readonly compiled: CompiledModel,
    uniform: UniformSource,
    private readonly buffers: TrialBuffers,
  ) {
    const { source, functions } = generateKernel(compiled.program);
    const runtime = new KernelRuntime(
      compiled.program,
      functions,
      compiled.interpreter,
      uniform,
      buffers.inputSamples,
      buffers.recordLimit,
    );
    // The source holds only compiler-made identifiers and numbers; model data arrives through K and D.
    const factory = new Function('rt', 'K', 'D', source) as (
      rt: KernelRuntime,
      K: unknown[],
      D: unknown[],
    ) => KernelFunction;
    this.run = factory(runtime, compiled.program.constants, runtime.distributions);
  }

  /** Computes trials [start, end) into the buffers at positions start - base … */
  runTrials(start: number, end: number, base = 0): void {
    const b = this.buffers;
    this.run(start, end, start - base, b.values, b.outcomes, b.inputSamples, b.recordLimit);
  }
}
