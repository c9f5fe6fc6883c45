/**
 * The results of a run as clients see them (shared/model/results.ts: the service's, the CLI's --json and
 * the task pane's): per output its statistics, percentiles, histogram, CDF and the count of trials that
 * were not numbers, and the sensitivity of each output to every input.
 */
import type {
  InputSensitivity,
  OutputResults,
  Scatter,
  Scenario,
  SimulationResults,
} from '../../../shared/model/results';
import type { EngineResult } from '../simulate';
import {
  analysedTrials,
  analyseInput,
  contributionShares,
  type InputAgainstOutput,
  type InputCrossProducts,
  inputCrossProducts,
  MAX_REGRESSION_INPUTS,
  MIN_ANALYSED_TRIALS,
  type RecordedY,
  recordedY,
  SCENARIO_THRESHOLD,
  scatterTrials,
  standardizedRegression,
  TAILS,
} from './analyses';
import {
  type SimulatedCell,
  type SimulationsCells,
  type StatisticsCellValues,
  statisticsCellValues,
} from './cell-statistics';
import { type SortedSample, sortedRuns, sortedSample } from './histogram';
import {
  type CenteredRanks,
  centeredRanks,
  keptTrials,
  type Ordering,
  ordering,
  ranks,
  spearmanWithEach,
} from './ranks';
import { sensitivityOfCorrelations } from './sensitivity';
import { numericTrials, type OutputStatistics, sortedCopy, summarizeOutput } from './summary';

type Output = EngineResult['outputs'][number];

/** The backend that computed the trials, as the service and the CLI name it, and why not the GPU. */
export type EnginesUsed = Pick<SimulationResults, 'engine_used' | 'engine_note'>;

export interface DescribeOptions {
  /** The outputs' keys, in the result's order: the targets as the client named them (default: labels). */
  keys?: readonly string[];
  /** Runs before each output (heartbeats, other jobs): the statistics of a large run take a while. */
  tick?: () => Promise<void>;
  /**
   * A run of several simulations (RiskSimtable) whose statistics cells name one (RiskMean(B3, 2)): every
   * simulation's cells, to compute this one's with; or 'later' when the caller computes this one's once
   * every simulation has run (../runtime/assembled-run).
   */
  simulations?: SimulationsCells | 'later';
}

/** A simulation's results, and the cells its statistics functions read. */
export interface DescribedSimulation {
  results: SimulationResults;
  simulated: SimulatedCell[];
}

export async function describeResults(
  result: EngineResult,
  engines: EnginesUsed,
  options: DescribeOptions = {},
): Promise<SimulationResults> {
  return (await describeSimulation(result, engines, options)).results;
}

export async function describeSimulation(
  result: EngineResult,
  engines: EnginesUsed,
  { keys = result.outputs.map((o) => o.label), tick = async () => {}, simulations }: DescribeOptions = {},
): Promise<DescribedSimulation> {
  const outputs: Record<string, OutputResults> = {};
  const sensitivity: Record<string, InputSensitivity[]> = {};
  const scenarios: Record<string, Scenario[]> = {};
  const scatter: Record<string, Scatter> = {};
  const analyses = new SensitivityAnalyses(result);
  const scatterPoints = scatterTrialsPerOutput(result.outputs.length);
  const simulated: SimulatedCell[] = [];
  for (const [j, output] of result.outputs.entries()) {
    await tick();
    const analysed = outputSensitivity(result, j, analyses, scatterPoints);
    sensitivity[keys[j]] = analysed.sensitivity;
    if (analysed.scenarios) scenarios[keys[j]] = analysed.scenarios;
    if (analysed.scatter) scatter[keys[j]] = analysed.scatter;
    if (output.summary) outputs[keys[j]] = describeOutput(output, output.summary);
    else {
      const numeric = numericTrials(output.values, output.outcomes);
      const sorted = presortedSample(output) ?? sortedSample(sortedCopy(numeric));
      const statistics = summarizeOutput(output.values, output.outcomes, sorted);
      outputs[keys[j]] = describeOutput(output, statistics);
      // The statistics cells read every output's sorted values, kept only when there are some.
      if (result.statisticsCells)
        simulated.push({
          label: output.label,
          name: output.name,
          numeric,
          sorted,
          summary: statistics,
          sensitivity: analysed.sensitivity,
          ...(output.convergence ? { convergence: output.convergence } : {}),
        });
    }
  }
  const results: SimulationResults = {
    outputs,
    sensitivity,
    ...(Object.keys(scenarios).length > 0 ? { scenarios } : {}),
    ...(Object.keys(scatter).length > 0 ? { scatter } : {}),
    elapsed_ms: Math.round(result.elapsedMs),
    ...engines,
    seed: result.seed,
    iterations: result.iterations,
    sampling: result.sampling,
    ...(result.warnings && result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
  const plan = result.statisticsCells;
  if (!plan || simulations === 'later') return { results, simulated };
  const cells = statisticsCellValues(plan, simulated, result.simulation, simulations);
  return { results: withStatisticsCells(results, cells), simulated };
}

/** The results with the values of their statistics cells, and what those cells warn of. */
export function withStatisticsCells(
  results: SimulationResults,
  cells: StatisticsCellValues,
): SimulationResults {
  const warnings = [...(results.warnings ?? []), ...cells.warnings];
  return {
    ...results,
    ...(warnings.length > 0 ? { warnings } : {}),
    cells: cells.cells,
    ...(cells.calls.length > 0 ? { statistic_calls: cells.calls } : {}),
  };
}

/**
 * The results of a run of several simulations (RiskSimtable): the first simulation's at the top, as a
 * run of one shows them, and every simulation's outputs, sensitivity and cells in `simulations`.
 */
export function simulationsResults(each: readonly SimulationResults[]): SimulationResults {
  if (each.length === 1) return each[0];
  return {
    ...each[0],
    elapsed_ms: each.reduce((sum, r) => sum + r.elapsed_ms, 0),
    simulations: each.map((r, i) => ({
      index: i + 1,
      outputs: r.outputs,
      sensitivity: r.sensitivity,
      ...(r.scenarios ? { scenarios: r.scenarios } : {}),
      ...(r.scatter ? { scatter: r.scatter } : {}),
      ...(r.cells ? { cells: r.cells } : {}),
      ...(r.statistic_calls ? { statistic_calls: r.statistic_calls } : {}),
    })),
  };
}

function describeOutput(output: Output, statistics: OutputStatistics): OutputResults {
  const { percentiles, histogram, cdf, errors, ...s } = statistics;
  return {
    ...(output.name !== undefined ? { name: output.name } : {}),
    statistics: {
      count: s.count,
      mean: s.mean,
      std: s.std,
      variance: s.variance,
      min: s.min,
      max: s.max,
      skewness: s.skewness,
      kurtosis: s.kurtosis,
      std_error: s.standardError,
      ci95: s.confidence95,
    },
    percentiles,
    histogram,
    cdf: cdf.map(([x, p]) => ({ x, p })),
    errors,
    non_numeric: output.nonNumeric,
  };
}

/**
 * Every output's sensitivity to every input, over the recorded trials where that output was a number:
 * each input sorted once (by value, and by its driving percentile when its parameters vary), every
 * output then read along that order (Spearman, deciles, tail medians, first-order effect).
 */
export class SensitivityAnalyses {
  private recorded?: { ranked: RecordedOutput[]; ys: RecordedY[] };
  private readonly byInput = new Map<number, { correlations: number[]; against: InputAgainstOutput[] }>();
  /** The inputs' cross products over all analysed trials: every output with no error trial shares them. */
  private allTrialsProducts?: InputCrossProducts;
  constructor(private readonly result: EngineResult) {}

  /** Output j's sensitivity to each input, or undefined when it has fewer than 3 recorded numbers. */
  ofOutput(j: number): OutputAnalyses | undefined {
    const { ranked, ys } = this.recordedOutputs();
    if (!ranked[j]) return undefined;
    const inputs = this.result.inputs.map((_, k) => this.ofInput(k));
    return {
      correlations: inputs.map((i) => i.correlations[j]),
      against: inputs.map((i) => i.against[j]),
      regression: this.regression(ys[j]),
      y: ys[j],
    };
  }

  private ofInput(k: number): { correlations: number[]; against: InputAgainstOutput[] } {
    let found = this.byInput.get(k);
    if (!found) {
      const { values, percentiles } = this.result.inputs[k];
      const { ranked, ys } = this.recordedOutputs();
      const byValue = ordering(values);
      const analysed = ys[0]?.kept.length ?? 0;
      const first = (x: Float64Array) => (analysed < x.length ? ordering(x.subarray(0, analysed)) : byValue);
      found = {
        correlations: inputCorrelations(byValue, ranked),
        against: analyseInput(first(values), percentiles && ordering(percentiles.subarray(0, analysed)), ys),
      };
      this.byInput.set(k, found);
    }
    return found;
  }

  private regression(y: RecordedY): number[] | undefined {
    const inputs = this.result.inputs.map((i) => i.values);
    if (inputs.length > MAX_REGRESSION_INPUTS) return undefined;
    if (y.count < y.kept.length) return standardizedRegression(inputs, y);
    this.allTrialsProducts ??= inputCrossProducts(inputs, y.kept, y.count);
    return standardizedRegression(inputs, y, this.allTrialsProducts);
  }

  private recordedOutputs(): { ranked: RecordedOutput[]; ys: RecordedY[] } {
    const recorded = this.result.inputs[0]?.values.length ?? 0;
    const { inputs, outputs } = this.result;
    const analysed = analysedTrials(recorded, inputs.length, outputs.length);
    this.recorded ??= {
      ranked: outputs.map((o) => recordedOutput(o.values, o.outcomes, recorded)),
      ys: outputs.map((o) => recordedY(o.values, o.outcomes, analysed)),
    };
    return this.recorded;
  }
}

interface OutputAnalyses {
  correlations: number[];
  against: InputAgainstOutput[];
  regression: number[] | undefined;
  y: RecordedY;
}

/**
 * An output over the recorded trials, ranked over those where it was a number; undefined when fewer
 * than 3 were (no correlation to speak of).
 */
export type RecordedOutput = CenteredRanks | undefined;

export function recordedOutput(values: Float64Array, outcomes: Uint8Array, recorded: number): RecordedOutput {
  const numbers = outcomes.subarray(0, recorded);
  const y = numericTrials(values.subarray(0, recorded), numbers);
  return y.length >= 3 ? centeredRanks(ranks(y), keptTrials(numbers)) : undefined;
}

/** An input's Spearman correlation with each output (NaN for an output without ranks). */
export function inputCorrelations(samples: Ordering, outputs: RecordedOutput[]): number[] {
  const correlations = spearmanWithEach(
    samples,
    outputs.filter((o) => o !== undefined),
  );
  let next = 0;
  return outputs.map((o) => (o ? correlations[next++] : Number.NaN));
}

/** An output's analyses as the results give them: its tornado, its scenarios and its scatter plot. */
interface OutputSensitivity {
  sensitivity: InputSensitivity[];
  scenarios?: Scenario[];
  scatter?: Scatter;
}

function outputSensitivity(
  result: EngineResult,
  j: number,
  analyses: SensitivityAnalyses,
  scatterPoints: number,
): OutputSensitivity {
  const found = analyses.ofOutput(j);
  if (!found) return { sensitivity: [] };
  const { correlations, against, regression, y } = found;
  const contributions = contributionShares(against.map((a) => a.firstOrder));
  const named = (k: number) => {
    const input = result.inputs[k];
    return {
      input: input.label,
      ...(input.name !== undefined ? { name: input.name } : {}),
    };
  };
  const ranked = sensitivityOfCorrelations(
    result.inputs.map((input, k) => ({ input: input.label, rankCorrelation: correlations[k], k })),
  );
  const sensitivity = ranked.map((s): InputSensitivity => {
    const { k } = s;
    const input = result.inputs[k];
    const { decileMeans } = against[k];
    return {
      ...named(k),
      ...(input.metadata ? { metadata: input.metadata } : {}),
      rank_correlation: Number.isFinite(s.rankCorrelation) ? s.rankCorrelation : 0,
      variance_share: s.varianceShare,
      ...(regression ? { regression: regression[k] } : {}),
      ...(y.count >= MIN_ANALYSED_TRIALS
        ? {
            contribution_to_variance: contributions[k],
            change_in_mean: {
              decile_means: decileMeans,
              spread: Math.max(...decileMeans) - Math.min(...decileMeans),
            },
          }
        : {}),
    };
  });
  if (y.count < MIN_ANALYSED_TRIALS) return { sensitivity };
  const scenarios = TAILS.map(({ tail, percent }, b): Scenario => {
    const inputs = against
      .map((a, k) => ({
        k,
        median: a.tailMedians[b],
        overall: a.median,
        shift: (a.tailMedians[b] - a.median) / a.std,
      }))
      .filter((s) => Number.isFinite(s.shift) && Math.abs(s.shift) > SCENARIO_THRESHOLD)
      .sort((a, c) => Math.abs(c.shift) - Math.abs(a.shift))
      .map((s) => ({ ...named(s.k), median: s.median, overall_median: s.overall, shift: s.shift }));
    return { tail, percent, trials: y.tailSizes[b], inputs };
  });
  const trials = scatterTrials(y, scatterPoints);
  const shown = ranked.slice(0, SCATTER_INPUTS).map((s) => s.k);
  const scatter: Scatter = {
    output: trials.map((t) => y.values[t]),
    inputs: shown.map((k) => ({ ...named(k), values: trials.map((t) => result.inputs[k].values[t]) })),
  };
  return { sensitivity, scenarios, ...(trials.length > 0 && shown.length > 0 ? { scatter } : {}) };
}

/** A scatter plot shows the output against this many of its most rank-correlated inputs at most. */
export const SCATTER_INPUTS = 6;
/** Trials a scatter plot shows at most, and the most all outputs' plots show in all (JSON size). */
export const SCATTER_TRIALS = 1_000;
export const SCATTER_TRIALS_IN_ALL = 20_000;

/** Each output's scatter trials: 1,000, fewer when many outputs would make the results large. */
function scatterTrialsPerOutput(outputs: number): number {
  return Math.min(SCATTER_TRIALS, Math.floor(SCATTER_TRIALS_IN_ALL / Math.max(1, outputs)));
}

/** The output's numbers in order, when the threads that ran its ranges sorted them already. */
function presortedSample(output: Output): SortedSample | undefined {
  return output.sortedRuns ? sortedRuns(output.sortedRuns) : undefined;
}
