/**
 * The results of a run as clients see them (shared/model/results.ts: the service's, the CLI's --json and
 * the task pane's): per output its statistics, percentiles, histogram, CDF and the count of trials that
 * were not numbers, and the sensitivity of each output to every input.
 */
import type { InputSensitivity, OutputResults, SimulationResults } from '../../../shared/model/results';
import type { EngineResult } from '../simulate';
import { type SimulatedCell, statisticsCellValues } from './cell-statistics';
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
}

export async function describeResults(
  result: EngineResult,
  engines: EnginesUsed,
  { keys = result.outputs.map((o) => o.label), tick = async () => {} }: DescribeOptions = {},
): Promise<SimulationResults> {
  const outputs: Record<string, OutputResults> = {};
  const sensitivity: Record<string, InputSensitivity[]> = {};
  const correlations = new RankCorrelations(result);
  const simulated: SimulatedCell[] = [];
  for (const [j, output] of result.outputs.entries()) {
    await tick();
    if (output.summary) outputs[keys[j]] = describeOutput(output, output.summary);
    else {
      const numeric = numericTrials(output.values, output.outcomes);
      const sorted = presortedSample(output) ?? sortedSample(sortedCopy(numeric));
      const statistics = summarizeOutput(output.values, output.outcomes, sorted);
      outputs[keys[j]] = describeOutput(output, statistics);
      // The statistics cells read every output's sorted values, kept only when there are some.
      if (result.statisticsCells)
        simulated.push({ label: output.label, name: output.name, numeric, sorted, summary: statistics });
    }
    sensitivity[keys[j]] = outputSensitivity(result, j, correlations);
    const cell = simulated.at(-1);
    if (cell?.label === output.label) cell.sensitivity = sensitivity[keys[j]];
  }
  const statisticsCells = result.statisticsCells
    ? statisticsCellValues(result.statisticsCells, simulated, result.simulation)
    : undefined;
  const warnings = [...(result.warnings ?? []), ...(statisticsCells?.warnings ?? [])];
  return {
    outputs,
    sensitivity,
    elapsed_ms: Math.round(result.elapsedMs),
    ...engines,
    seed: result.seed,
    iterations: result.iterations,
    sampling: result.sampling,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(statisticsCells ? { cells: statisticsCells.cells } : {}),
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
      ...(r.cells ? { cells: r.cells } : {}),
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
 * Every output's Spearman correlation with every input, over the recorded trials where that output was
 * a number, each input sorted once for all outputs.
 */
export class RankCorrelations {
  private recorded?: RecordedOutput[];
  private readonly byInput = new Map<number, number[]>();
  constructor(private readonly result: EngineResult) {}

  /** Output j's correlation with each input, or undefined when it has fewer than 3 recorded numbers. */
  ofOutput(j: number): number[] | undefined {
    const recorded = this.recordedOutputs();
    if (!recorded[j]) return undefined;
    return this.result.inputs.map((_, k) => this.ofInput(k)[j]);
  }

  private ofInput(k: number): number[] {
    let correlations = this.byInput.get(k);
    if (!correlations) {
      const { values } = this.result.inputs[k];
      correlations = inputCorrelations(ordering(values), this.recordedOutputs());
      this.byInput.set(k, correlations);
    }
    return correlations;
  }

  private recordedOutputs(): RecordedOutput[] {
    const recorded = this.result.inputs[0]?.values.length ?? 0;
    this.recorded ??= this.result.outputs.map((o) => recordedOutput(o.values, o.outcomes, recorded));
    return this.recorded;
  }
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

/** Rank correlations over the recorded trials in which the output was a number. */
function outputSensitivity(
  result: EngineResult,
  j: number,
  correlations: RankCorrelations,
): InputSensitivity[] {
  const row = correlations.ofOutput(j);
  if (!row) return [];
  return sensitivityOfCorrelations(
    result.inputs.map((input, k) => ({ input: input.label, rankCorrelation: row[k] })),
  ).map((s) => {
    const input = result.inputs.find((i) => i.label === s.input);
    return {
      input: s.input,
      ...(input?.name !== undefined ? { name: input.name } : {}),
      ...(input?.metadata ? { metadata: input.metadata } : {}),
      rank_correlation: Number.isFinite(s.rankCorrelation) ? s.rankCorrelation : 0,
      variance_share: s.varianceShare,
    };
  });
}

/** The output's numbers in order, when the threads that ran its ranges sorted them already. */
function presortedSample(output: Output): SortedSample | undefined {
  return output.sortedRuns ? sortedRuns(output.sortedRuns) : undefined;
}
