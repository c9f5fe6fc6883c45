/**
 * A compiled model ready to run on this thread: the generated kernel bound to its runtime, constants
 * and distributions. Runs any range of trials; results depend only on the seed and the trial indices.
 */
import type { CompiledModel } from '../../compile/compile-model';
import type { Program } from '../../compile/ir';
import { type CopulaSampler, copulaSampler } from '../../sampling/copula';
import {
  type CorrelationMatrix,
  correlationBlockOf,
  correlationBlockRange,
  imanConover,
  validateCorrelationMatrix,
} from '../../sampling/correlation';
import { Matrix, rewrittenMatrixData } from '../../values/value';
import { generateKernel, type KernelOptions } from './codegen';
import { type InputDraws, inputDraws, KernelRuntime, type UniformSource } from './runtime';

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

  private readonly blocks: CorrelatedBlocks;
  private readonly copulas: CopulaInputs;
  /** Each input's draws (its own seed's with RiskSeed). */
  private readonly draws: InputDraws[];
  /** The RiskCompound inputs, sampled before the kernel runs. */
  private readonly compoundInputs: number[];

  constructor(
    readonly compiled: CompiledModel,
    uniform: UniformSource,
    seed: number,
    iterations: number,
    options: KernelOptions = {},
  ) {
    this.draws = inputDraws(compiled.program, uniform);
    this.compoundInputs = compiled.program.inputs.flatMap((input, k) =>
      input.source.kind === 'distribution' && input.source.spec.type === 'compound' ? [k] : [],
    );
    const { source, functions } = generateKernel(compiled.program, options);
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
      const data = t.data.slice();
      rewrittenMatrixData.add(data);
      constants[index] = new Matrix(t.rows, t.cols, data, true);
    }
    this.run = factory(runtime, constants, runtime.distributions);
    this.blocks = new CorrelatedBlocks(compiled.program, runtime, uniform, seed, iterations);
    this.copulas = new CopulaInputs(compiled.program, runtime, uniform);
  }

  /** Computes trials [start, end) into `buffers`, whose index 0 is trial `base`. */
  runTrials(buffers: TrialBuffers, start: number, end: number, base: number): void {
    Object.assign(this.buffers, buffers);
    this.runtime.recordBase = base;
    const inputs = this.compiled.program.inputs;
    const uniforms = this.runtime.uniforms;
    const block = Math.max(MIN_BLOCK_TRIALS, Math.floor(BLOCK_SAMPLES / Math.max(1, inputs.length)));
    for (let from = start; from < end; from += block) {
      const to = Math.min(end, from + block);
      for (let k = 0; k < inputs.length; k++) {
        if (inputs[k].source.kind === 'dynamic') continue;
        if (!uniforms[k] || uniforms[k].length < to - from) uniforms[k] = new Float64Array(to - from);
        if (!this.blocks.has(k) && !this.copulas.has(k))
          this.draws[k].source.fill(uniforms[k], this.draws[k].stream, from, to);
      }
      this.blocks.fill(uniforms, from, to);
      this.copulas.fill(uniforms, from, to);
      // RiskCompound has no quantile: its frequency's uniforms become sums here, before the kernel runs
      for (const k of this.compoundInputs) {
        const u = uniforms[k];
        for (let j = 0; j < to - from; j++) u[j] = this.runtime.compound(k, u[j], from + j);
      }
      const b = buffers;
      this.run(from, to, from - base, b.values, b.outcomes, b.inputSamples, b.recordLimit, uniforms);
    }
  }
}

/**
 * Input samples per block of trials (256 KB): the kernel samples a block input by input, then reads it
 * trial by trial, and both passes should find the block in the core's own cache.
 */
const BLOCK_SAMPLES = 1 << 15;
/** Fewer trials than this make the per-input sampling loops too short to pay. */
const MIN_BLOCK_TRIALS = 64;

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

/**
 * Samples of correlated inputs. Iman–Conover reorders whole blocks of trials (fixed by trial index,
 * CORRELATION_BLOCK_SIZE each), so any range of trials computes the blocks it touches in full and
 * copies its part: the samples never depend on how a run is split.
 */
class CorrelatedBlocks {
  private readonly members = new Set<number>();
  private readonly cache = new Map<number, { block: number; columns: Float64Array[] }>();
  private readonly matrices: CorrelationMatrix[];

  constructor(
    private readonly program: Program,
    private readonly runtime: KernelRuntime,
    private readonly uniform: UniformSource,
    private readonly seed: number,
    private readonly iterations: number,
  ) {
    this.matrices = program.correlations.map((g) => {
      const checked = validateCorrelationMatrix(g.matrix);
      if ('error' in checked)
        throw new Error(`internal: invalid correlation reached the kernel: ${checked.error}`);
      return checked.matrix;
    });
    for (const g of program.correlations) for (const k of g.inputs) this.members.add(k);
  }

  has(input: number): boolean {
    return this.members.has(input);
  }

  /** Writes the samples of every correlated input for trials [start, end) into out[k][t - start]. */
  fill(out: Float64Array[], start: number, end: number): void {
    this.program.correlations.forEach((group, g) => {
      for (let block = correlationBlockOf(start); block <= correlationBlockOf(end - 1); block++) {
        const [from, to] = correlationBlockRange(block, this.iterations);
        const columns = this.block(g, block, from, to);
        const a = Math.max(from, start);
        const b = Math.min(to, end);
        group.inputs.forEach((k, j) => {
          out[k].set(columns[j].subarray(a - from, b - from), a - start);
        });
      }
    });
  }

  private block(g: number, block: number, from: number, to: number): Float64Array[] {
    const cached = this.cache.get(g);
    if (cached?.block === block) return cached.columns;
    const group = this.program.correlations[g];
    const columns = group.inputs.map((k) => {
      const column = new Float64Array(to - from);
      this.uniform.fill(column, this.program.inputs[k].stream, from, to);
      const distribution = this.runtime.distributions[k];
      if (distribution)
        for (let i = 0; i < column.length; i++) column[i] = distribution.inverseCdf(column[i]);
      return column;
    });
    imanConover(columns, this.matrices[g], this.seed, group.stream, from);
    this.cache.set(g, { block, columns });
    return columns;
  }
}

/**
 * Samples of inputs sharing a copula (RiskCopula): each trial's joint uniforms from the group's own
 * plain draws of that trial, then each input's quantile. A pure function of (seed, stream, trial).
 */
class CopulaInputs {
  private readonly members = new Set<number>();
  private readonly samplers: CopulaSampler[];

  constructor(
    private readonly program: Program,
    private readonly runtime: KernelRuntime,
    private readonly uniform: UniformSource,
  ) {
    this.samplers = program.copulas.map((g) => {
      const checked = copulaSampler(g.copula);
      if ('error' in checked)
        throw new Error(`internal: invalid copula reached the kernel: ${checked.error}`);
      return checked.sampler;
    });
    for (const g of program.copulas) for (const k of g.inputs) this.members.add(k);
  }

  has(input: number): boolean {
    return this.members.has(input);
  }

  /** Writes the samples of every copula input for trials [start, end) into out[k][t - start]. */
  fill(out: Float64Array[], start: number, end: number): void {
    this.program.copulas.forEach((group, g) => {
      const sample = this.samplers[g];
      const joint = new Float64Array(group.inputs.length);
      const distributions = group.inputs.map((k) => this.runtime.distributions[k]);
      for (let trial = start; trial < end; trial++) {
        sample((draw) => this.uniform.extra(group.stream, trial, draw), joint);
        group.inputs.forEach((k, j) => {
          out[k][trial - start] = distributions[j]?.inverseCdf(joint[j]) ?? joint[j];
        });
      }
    });
  }
}
