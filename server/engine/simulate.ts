/**
 * The engine's entry point: a workbook and a request in, per-output samples out. Stages: parse the
 * model, build the graph and compile the random part, generate the CPU kernel, run the trials in
 * chunks (reporting progress after each), and hand the samples to the statistics stage.
 */

import { MAX_SIMULATIONS } from '../../shared/functions/simtable';
import type { Correlation, InputMetadata, Sampling, Variable, WorkbookModel } from '../../shared/model';
import { CpuKernel, type TrialBuffers } from './backends/cpu/kernel';
import { inputDraws, OUTCOME_CODES, type UniformSource } from './backends/cpu/runtime';
import { type CompiledModel, compileModel } from './compile/compile-model';
import type { Input } from './compile/ir';
import { EngineError } from './errors';
import type { StatisticsCells } from './graph/statistics-cells';
import { parseModel } from './parse/parse-model';
import { fillLhsUniform, lhsUniform } from './sampling/latin-hypercube';
import { fillUniform, uniform } from './sampling/philox';
import type { InputProperties } from './sampling/property-functions';
import type { ConvergenceTest } from './statistics/convergence';
import { addSamples, emptyMoments, type MomentsState, momentsStd } from './statistics/streaming';
import { numericTrials, type OutputStatistics } from './statistics/summary';

export interface AutoStop {
  /** Stop once the 95 % confidence interval of every output's mean is within ± this share of the mean. */
  relativeTolerance: number;
  /** Never stop before this many trials (default 1,000). */
  minIterations?: number;
}

export interface EngineRequest {
  targets: string[];
  /** Run until the outputs' means are this precise, `iterations` being the most trials run. */
  autoStop?: AutoStop;
  variables?: Variable[];
  correlations?: Correlation[];
  iterations: number;
  seed?: number;
  sampling?: Sampling;
  /** Which simulation of a run with several (RiskSimtable), 1 first; each draws from the same seed. */
  simulation?: number;
}

export interface EngineHooks {
  /** Called after each chunk with the number of trials done so far. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between chunks; a run stops with `SimulationCancelled` when it is aborted. */
  signal?: AbortSignal;
  /** Trials per chunk (default: about 1 % of the run, at least 1,000). */
  chunkSize?: number;
}

export interface OutputSamples {
  label: string;
  /** Its RiskOutput name, or its row label. */
  name?: string;
  /** Its RiskOutput's RiskConvergence settings, when it has them. */
  convergence?: ConvergenceTest;
  values: Float64Array;
  outcomes: Uint8Array;
  /** Trials whose value was not a number, by outcome ("#DIV/0!", "text"…). */
  nonNumeric: Record<string, number>;
  /** The numeric values as ascending runs, one per range, each sorted by the range's thread (never merged). */
  sortedRuns?: Float64Array[];
  /**
   * The statistics over every trial, when the backend computed them where the trials are (the GPU's
   * summary run); `values` and `outcomes` then hold only the recorded trials, for sensitivity.
   */
  summary?: OutputStatistics;
}

export interface InputSamples {
  label: string;
  /** Its RiskName, or its row label. */
  name?: string;
  /** Its RiskUnits, RiskCategory, RiskIsDate, RiskIsDiscrete. */
  metadata?: InputMetadata;
  /** Samples of the first trials (at most SENSITIVITY_TRIALS). */
  values: Float64Array;
  /**
   * For an input whose parameters are computed each trial (RiskNormal(B4, 1)), the percentile that drove
   * each of those draws: its own randomness, independent of its parameters, which the contribution to
   * variance conditions on. Absent for the others, whose values order the trials as their percentiles do.
   */
  percentiles?: Float64Array;
}

export interface EngineResult {
  iterations: number;
  seed: number;
  sampling: Sampling;
  elapsedMs: number;
  outputs: OutputSamples[];
  inputs: InputSamples[];
  /** What the run was told but did not stop it (a correlation matrix adjusted); absent when none. */
  warnings?: string[];
  /** The model's statistics cells, which the results compute from the outputs' values. */
  statisticsCells?: StatisticsCells;
  /** Which simulation of the run this was (RiskSimtable's entry), 1 first. */
  simulation?: number;
}

export class SimulationCancelled extends Error {
  override name = 'SimulationCancelled';
}

/** Input samples kept for sensitivity analysis: enough for stable rank correlations, bounded memory. */
export const SENSITIVITY_TRIALS = 100_000;
/** At most this many input samples are kept in all (25M doubles: 200 MB). */
export const SENSITIVITY_SAMPLE_BUDGET = 25_000_000;

export function compile(
  model: WorkbookModel,
  request: Pick<EngineRequest, 'targets' | 'variables' | 'correlations' | 'simulation'>,
): CompiledModel {
  return compileModel(parseModel(model), request);
}

export function uniformSource(seed: number, sampling: Sampling, iterations: number): UniformSource {
  const keyedBy = (own: number) => uniformSource(own, sampling, iterations);
  return sampling === 'latin_hypercube'
    ? {
        one: (stream, trial) => lhsUniform(seed, stream, trial, iterations),
        fill: (out, stream, start, end) => fillLhsUniform(out, seed, stream, start, end, iterations),
        extra: (stream, trial, draw) => uniform(seed, stream, trial, draw),
        keyedBy,
      }
    : {
        one: (stream, trial) => uniform(seed, stream, trial),
        fill: (out, stream, start, end) => fillUniform(out, seed, stream, start, end),
        extra: (stream, trial, draw) => uniform(seed, stream, trial, draw),
        keyedBy,
      };
}

/**
 * How many simulations a run holds: as requested, else one per entry of its longest RiskSimtable list
 * (one when it has none). A list shorter than that would leave a simulation without its scenario.
 */
export function simulationCount(compiled: CompiledModel, requested?: number): number {
  const lists = [...compiled.interpreter.simtables];
  const count = requested ?? Math.max(1, ...lists.map(([, values]) => values));
  if (!Number.isInteger(count) || count < 1 || count > MAX_SIMULATIONS)
    throw new EngineError(
      'invalid-request',
      `the number of simulations must be a whole number from 1 to ${MAX_SIMULATIONS}, got ${count}`,
    );
  const short = lists.find(([, values]) => values < count);
  if (short)
    throw new EngineError(
      'invalid-request',
      `RiskSimtable in ${short[0]} lists ${short[1]} value${short[1] === 1 ? '' : 's'}, fewer than the run's ${count} simulations`,
      { cell: short[0] },
    );
  return count;
}

/** A request checked and compiled, before any backend is chosen. */
export interface RunPlan {
  compiled: CompiledModel;
  iterations: number;
  seed: number;
  sampling: Sampling;
  /** Input samples are kept for trials below this index (for sensitivity). */
  recordLimit: number;
  /** Which simulation of the run (RiskSimtable's entry), 1 first. */
  simulation: number;
}

/** What runs trials: the CPU kernel, or another backend computing the same program. */
export interface TrialKernel {
  /** Computes trials [start, end) into `buffers`, whose index 0 is trial `base`. */
  runTrials(buffers: TrialBuffers, start: number, end: number, base: number): void;
}

/** A request checked and compiled once; ranges of its trials can then run anywhere (threads, workers). */
export interface PreparedRun extends RunPlan {
  kernel: TrialKernel;
}

/** The results of trials [start, end) of a run. */
export interface ChunkResult {
  start: number;
  end: number;
  /** Per output, one value and one outcome code per trial of the range. */
  values: Float64Array[];
  outcomes: Uint8Array[];
  /** Per input, its samples for the trials of the range below the record limit. */
  inputSamples: Float64Array[];
  /**
   * Per output, the range's numeric values in ascending order, when its producer sorted them (a chunk
   * thread, while other chunks still run): the assembly then merges them instead of sorting the run.
   */
  sorted?: Float64Array[];
}

export function prepareRun(model: WorkbookModel, request: EngineRequest): PreparedRun {
  return withCpuKernel(planRun(model, request));
}

/** A plan run by the CPU backend. */
export function withCpuKernel(plan: RunPlan): PreparedRun {
  const { compiled, seed, sampling, iterations } = plan;
  return {
    ...plan,
    kernel: new CpuKernel(compiled, uniformSource(seed, sampling, iterations), seed, iterations),
  };
}

/**
 * The most trials of a run whose every trial is kept in this process's memory. A backend that keeps
 * them elsewhere (the GPU's summary run) allows more.
 */
export const MAX_ITERATIONS = 10_000_000;

export function checkedIterations(iterations: number, max = MAX_ITERATIONS): number {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > max)
    throw new EngineError(
      'invalid-request',
      `iterations must be a whole number from 1 to ${max.toLocaleString('en-US')}`,
    );
  return iterations;
}

/** Checks and compiles a request; a backend's kernel is then built on the plan. */
export function planRun(
  model: WorkbookModel,
  request: EngineRequest,
  maxIterations = MAX_ITERATIONS,
): RunPlan {
  const iterations = checkedIterations(request.iterations, maxIterations);
  const seed = request.seed ?? Math.floor(Math.random() * 2 ** 31);
  const sampling = request.sampling ?? 'monte_carlo';
  const compiled = compile(model, request);
  return {
    compiled,
    iterations,
    seed,
    sampling,
    simulation: request.simulation ?? 1,
    // Many inputs record fewer trials each, so the recording stays within a fixed memory budget.
    recordLimit: Math.min(
      iterations,
      SENSITIVITY_TRIALS,
      Math.max(1_000, Math.floor(SENSITIVITY_SAMPLE_BUDGET / Math.max(1, compiled.program.inputs.length))),
    ),
  };
}

/**
 * Runs trials [start, end) in slices, reporting progress and honouring cancellation between slices.
 * The results depend only on the seed and the trial indices, never on how a run is split.
 */
export async function runRange(
  run: PreparedRun,
  start: number,
  end: number,
  hooks: EngineHooks = {},
): Promise<ChunkResult> {
  const program = run.compiled.program;
  const count = end - start;
  const recorded = Math.max(0, Math.min(end, run.recordLimit) - start);
  const buffers: TrialBuffers = {
    values: program.outputs.map(() => new Float64Array(count)),
    outcomes: program.outputs.map(() => new Uint8Array(count)),
    inputSamples: program.inputs.map(() => new Float64Array(recorded)),
    recordLimit: run.recordLimit,
  };
  const slice = hooks.chunkSize ?? Math.max(1_000, Math.ceil(run.iterations / 100));
  for (let from = start; from < end; from += slice) {
    if (hooks.signal?.aborted) throw new SimulationCancelled('the simulation was cancelled');
    const to = Math.min(end, from + slice);
    run.kernel.runTrials(buffers, from, to, start);
    hooks.onProgress?.(to - start, count);
    // Let timers, sockets and cancel requests run between slices.
    if (to < end) await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    start,
    end,
    values: buffers.values,
    outcomes: buffers.outcomes,
    inputSamples: buffers.inputSamples,
  };
}

/** What `assembleResult` reads of a run: its size, seed, the labels of its outputs and inputs, its warnings. */
export interface RunShape {
  iterations: number;
  seed: number;
  sampling: Sampling;
  recordLimit: number;
  simulation?: number;
  compiled: {
    program: {
      outputs: (LabelledCell & { convergence?: ConvergenceTest })[];
      inputs: (LabelledCell & Partial<DrawnInput>)[];
    };
    warnings: string[];
    statisticsCells?: StatisticsCells;
  };
}

/** An output or input as results show it: its cell ("Sheet1!B3", with the function for inputs) and name. */
export interface LabelledCell {
  label: string;
  name?: string;
  /** An input's RiskUnits, RiskCategory, RiskIsDate, RiskIsDiscrete. */
  metadata?: InputMetadata;
}

/** The label, name and metadata alone, without the expression or samples they come with. */
export function labelledCell({
  label,
  name,
  properties,
}: {
  label: string;
  name?: string;
  properties?: InputProperties;
}): LabelledCell {
  const metadata: InputMetadata = {
    ...(properties?.units !== undefined ? { units: properties.units } : {}),
    ...(properties?.category !== undefined ? { category: properties.category } : {}),
    ...(properties?.isDate !== undefined ? { is_date: properties.isDate } : {}),
    ...(properties?.isDiscrete !== undefined ? { is_discrete: properties.isDiscrete } : {}),
  };
  return {
    label,
    ...(name !== undefined ? { name } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

/** Puts the ranges of a run back together; they must cover [0, iterations) exactly. */
export function assembleResult(run: RunShape, chunks: ChunkResult[], elapsedMs: number): EngineResult {
  const program = run.compiled.program;
  const inOrder = [...chunks].sort((a, b) => a.start - b.start);
  let next = 0;
  for (const c of inOrder) {
    if (c.start !== next) throw new Error(`internal: trials ${next} to ${c.start} are missing from the run`);
    next = c.end;
  }
  if (next !== run.iterations)
    throw new Error(`internal: the run stopped at trial ${next} of ${run.iterations}`);
  // One range holding every trial (put together by its producer) is used as it is, not copied.
  const whole = inOrder.length === 1 && inOrder[0].inputSamples.every((x) => x.length === run.recordLimit);
  const values = whole ? inOrder[0].values : program.outputs.map(() => new Float64Array(run.iterations));
  const outcomes = whole ? inOrder[0].outcomes : program.outputs.map(() => new Uint8Array(run.iterations));
  const inputs = whole
    ? inOrder[0].inputSamples
    : program.inputs.map(() => new Float64Array(run.recordLimit));
  for (const c of whole ? [] : inOrder) {
    program.outputs.forEach((_, j) => {
      values[j].set(c.values[j], c.start);
      outcomes[j].set(c.outcomes[j], c.start);
    });
    program.inputs.forEach((_, k) => {
      if (c.start < run.recordLimit) inputs[k].set(c.inputSamples[k], c.start);
    });
  }
  const presorted = inOrder.every((c) => c.sorted !== undefined);
  return {
    iterations: run.iterations,
    seed: run.seed,
    sampling: run.sampling,
    elapsedMs,
    outputs: program.outputs.map((o, j) => ({
      ...labelledCell(o),
      ...(o.convergence ? { convergence: o.convergence } : {}),
      values: values[j],
      outcomes: outcomes[j],
      nonNumeric: countOutcomes(outcomes[j]),
      ...(presorted ? { sortedRuns: inOrder.map((c) => (c.sorted as Float64Array[])[j]) } : {}),
    })),
    inputs: recordedInputs(run, inputs),
    ...(run.compiled.warnings.length > 0 ? { warnings: run.compiled.warnings } : {}),
    ...(run.compiled.statisticsCells ? { statisticsCells: run.compiled.statisticsCells } : {}),
    ...(run.simulation !== undefined && run.simulation !== 1 ? { simulation: run.simulation } : {}),
  };
}

/** What fixes an input's draws: its stream, its own seed, and whether its parameters vary. */
type DrawnInput = Pick<Input, 'stream' | 'source' | 'properties'>;

/**
 * The inputs' recorded samples, with the percentiles that drove the draws of those whose parameters vary.
 * Those percentiles are a pure function of the seed, the input's stream and the trial (the kernel's
 * `KernelRuntime.u`), so they are drawn again here rather than carried by every chunk: the same numbers
 * however the run was split.
 */
export function recordedInputs(
  run: Pick<RunShape, 'seed' | 'sampling' | 'iterations' | 'compiled'>,
  samples: Float64Array[],
): InputSamples[] {
  const { inputs } = run.compiled.program;
  const draws = inputs.every((input) => input.stream !== undefined)
    ? inputDraws({ inputs: inputs as DrawnInput[] }, uniformSource(run.seed, run.sampling, run.iterations))
    : undefined;
  return inputs.map((input, k) => {
    const recorded = samples[k];
    if (input.source?.kind !== 'dynamic' || !draws) return { ...labelledCell(input), values: recorded };
    const { source, stream } = draws[k];
    const percentiles = new Float64Array(recorded.length);
    source.fill(percentiles, stream, 0, recorded.length);
    return { ...labelledCell(input), values: recorded, percentiles };
  });
}

/** The whole run on this thread. */
export async function simulate(
  model: WorkbookModel,
  request: EngineRequest,
  hooks: EngineHooks = {},
): Promise<EngineResult> {
  const started = performance.now();
  const run = prepareRun(model, request);
  if (request.autoStop) return simulateUntilPrecise(run, request.autoStop, hooks, started);
  const chunk = await runRange(run, 0, run.iterations, hooks);
  return assembleResult(run, [chunk], performance.now() - started);
}

/**
 * Runs slices of trials until every output's mean is known to the requested relative precision (or the
 * maximum is reached). Plain Monte Carlo only: Latin hypercube strata assume the run's full length.
 */
async function simulateUntilPrecise(
  run: PreparedRun,
  autoStop: AutoStop,
  hooks: EngineHooks,
  started: number,
): Promise<EngineResult> {
  if (run.sampling !== 'monte_carlo')
    throw new EngineError(
      'invalid-request',
      'auto-stop needs monte_carlo sampling (Latin hypercube strata cover a fixed number of trials)',
    );
  if (!(autoStop.relativeTolerance > 0 && autoStop.relativeTolerance < 1))
    throw new EngineError(
      'invalid-request',
      'the auto-stop tolerance must be between 0 and 1 (e.g. 0.01 for ±1 %)',
    );
  const outputs = run.compiled.program.outputs.length;
  const moments = Array.from({ length: outputs }, () => emptyMoments());
  const minimum = Math.min(run.iterations, Math.max(2, autoStop.minIterations ?? 1_000));
  const slice = hooks.chunkSize ?? Math.max(1_000, Math.ceil(run.iterations / 100));
  const chunks: ChunkResult[] = [];
  let done = 0;
  while (done < run.iterations) {
    const end = Math.min(run.iterations, done + slice);
    const chunk = await runRange(run, done, end, { signal: hooks.signal, chunkSize: slice });
    chunks.push(chunk);
    for (let j = 0; j < outputs; j++)
      addSamples(moments[j], numericTrials(chunk.values[j], chunk.outcomes[j]));
    done = end;
    hooks.onProgress?.(done, run.iterations);
    if (done >= minimum && moments.every((m) => precise(m, autoStop.relativeTolerance))) break;
  }
  const stopped = { ...run, iterations: done, recordLimit: Math.min(run.recordLimit, done) };
  return assembleResult(stopped, chunks, performance.now() - started);
}

function precise(m: MomentsState, tolerance: number): boolean {
  const std = momentsStd(m);
  if (std === null || m.count === 0) return false;
  const halfWidth = (1.959963984540054 * std) / Math.sqrt(m.count);
  return halfWidth <= tolerance * Math.abs(m.mean);
}

function countOutcomes(outcomes: Uint8Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < outcomes.length; i++)
    if (outcomes[i] !== 0) {
      const name = OUTCOME_CODES[outcomes[i]];
      counts[name] = (counts[name] ?? 0) + 1;
    }
  return counts;
}
