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

/** Where a range of trials writes its results; index 0 is the range's first trial. */
export interface TrialBuffers {
  /** Per output: the value of each trial (NaN when not a number). */
  values: Float64Array[];
  /** Per output: 0 for a number, else an OUTCOME_CODES index. */
  outcomes: Uint8Array[];
  /** Per input: its samples for the trials below `recordLimit` (for sensitivity). */
  inputSamples: Float64Array[];
  /** Trials at or above this index are not recorded. */
  recordLimit: number;
}

export class CpuKernel {
  private readonly run: KernelFunction;
  private readonly runtime: KernelRuntime;
  private buffers: TrialBuffers = { values: [], outcomes: [], inputSamples: [], recordLimit: 0 };

  constructor(
    readonly compiled: CompiledModel,
    uniform: UniformSource,
  ) {
    const { source, functions } = generateKernel(compiled.program);
    const runtime = new KernelRuntime(
      compiled.program,
      functions,
      compiled.interpreter,
      uniform,
      this.buffers,
    );
    this.runtime = runtime;
    // The source holds only compiler-made identifiers and numbers; model data arrives through K and D.
    const factory = new Function('rt', 'K', 'D', source) as (
      rt: KernelRuntime,
      K: unknown[],
      D: unknown[],
    ) => KernelFunction;
    this.run = factory(runtime, compiled.program.constants, runtime.distributions);
  }

  /** Computes trials [start, end) into `buffers`, whose index 0 is trial `base`. */
  runTrials(buffers: TrialBuffers, start: number, end: number, base: number): void {
    Object.assign(this.buffers, buffers);
    this.runtime.recordBase = base;
    this.run(
      start,
      end,
      start - base,
      buffers.values,
      buffers.outcomes,
      buffers.inputSamples,
      buffers.recordLimit,
    );
  }
}
