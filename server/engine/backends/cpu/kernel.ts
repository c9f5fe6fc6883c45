/**
 * A compiled model ready to run on this thread: the generated kernel bound to its runtime, constants
 * and distributions. Runs any range of trials; results depend only on the seed and the trial indices.
 */
import type { CompiledModel } from '../../compile/compile-model';
import type { Program } from '../../compile/ir';
import { Matrix } from '../../values/value';
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
  uniforms: Float64Array[],
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
    private readonly uniform: UniformSource,
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
    // Range sites fill their matrix in place, so each gets its own copy of the template.
    const constants = compiled.program.constants.slice();
    for (const index of areaTemplates(compiled.program)) {
      const t = constants[index] as Matrix;
      constants[index] = new Matrix(t.rows, t.cols, t.data.slice(), true);
    }
    this.run = factory(runtime, constants, runtime.distributions);
  }

  /** Computes trials [start, end) into `buffers`, whose index 0 is trial `base`. */
  runTrials(buffers: TrialBuffers, start: number, end: number, base: number): void {
    Object.assign(this.buffers, buffers);
    this.runtime.recordBase = base;
    const inputs = this.compiled.program.inputs;
    const uniforms = this.runtime.uniforms;
    for (let k = 0; k < inputs.length; k++) {
      if (inputs[k].source.kind === 'dynamic') continue;
      if (!uniforms[k] || uniforms[k].length < end - start) uniforms[k] = new Float64Array(end - start);
      this.uniform.fill(uniforms[k], inputs[k].stream, start, end);
    }
    const b = buffers;
    this.run(start, end, start - base, b.values, b.outcomes, b.inputSamples, b.recordLimit, uniforms);
  }
}

/** Constant-pool indices used as range templates by `area` expressions. */
function areaTemplates(program: Program): Set<number> {
  const found = new Set<number>();
  const visit = (e: unknown): void => {
    if (!e || typeof e !== 'object') return;
    if (Array.isArray(e)) {
      for (const x of e) visit(x);
      return;
    }
    const node = e as { op?: string; template?: number };
    if (node.op === 'area' && node.template !== undefined) found.add(node.template);
    for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value);
  };
  visit(program.cells);
  visit(program.outputs);
  visit(program.inputs);
  return found;
}
