/**
 * The results of a run as clients see them: per output its statistics, percentiles, histogram, CDF and
 * the count of trials that were not numbers, and the sensitivity of each output to every input.
 */
import type { EngineResult } from '../simulate';
import { type SortedSample, sortedRuns } from './histogram';
import {
  type CenteredRanks,
  centeredRanks,
  keptTrials,
  type Ordering,
  ordering,
  ranks,
  spearmanWithEach,
} from './ranks';
import { type InputSensitivity, sensitivityOfCorrelations } from './sensitivity';
import { numericTrials, type OutputStatistics, summarizeOutput } from './summary';

export interface OutputResults {
  statistics: Omit<OutputStatistics, 'percentiles' | 'histogram' | 'cdf' | 'errors'>;
  percentiles: Record<string, number>;
  histogram: OutputStatistics['histogram'];
  cdf: OutputStatistics['cdf'];
  /** Trials whose value was not a number, by kind ("#DIV/0!", "text"…); `total` sums them. */
  errors: Record<string, number> & { total: number };
}

export interface SimulationResults {
  iterations: number;
  seed: number;
  sampling: EngineResult['sampling'];
  elapsed_ms: number;
  outputs: Record<string, OutputResults>;
  /** Per output, the inputs by decreasing |rank correlation| (a tornado chart's bars). */
  sensitivity: Record<string, NamedSensitivity[]>;
}

type Output = EngineResult['outputs'][number];

/** An input's sensitivity: `input` is its cell and function ("Model!B6 RISKUNIFORM"), `name` its RiskName or row label. */
export type NamedSensitivity = InputSensitivity & { name?: string };

export function describeResults(result: EngineResult): SimulationResults {
  const outputs: Record<string, OutputResults> = {};
  const sensitivities: Record<string, NamedSensitivity[]> = {};
  const correlations = new RankCorrelations(result);
  for (const output of result.outputs) {
    const described = describeOutput(result, output, correlations);
    outputs[output.label] = described.results;
    sensitivities[output.label] = described.sensitivity;
  }
  return {
    iterations: result.iterations,
    seed: result.seed,
    sampling: result.sampling,
    elapsed_ms: Math.round(result.elapsedMs),
    outputs,
    sensitivity: sensitivities,
  };
}

/** One output's results and sensitivity (callers with many outputs can yield between them). */
export function describeOutput(
  result: EngineResult,
  output: Output,
  correlations = new RankCorrelations(result),
): { results: OutputResults; sensitivity: NamedSensitivity[] } {
  const { percentiles, histogram, cdf, errors, ...statistics } =
    output.summary ?? summarizeOutput(output.values, output.outcomes, presortedSample(output));
  return {
    results: { statistics, percentiles, histogram, cdf, errors: { ...output.nonNumeric, total: errors } },
    sensitivity: outputSensitivity(result, result.outputs.indexOf(output), correlations),
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
): NamedSensitivity[] {
  const row = correlations.ofOutput(j);
  if (!row) return [];
  return sensitivityOfCorrelations(
    result.inputs.map((input, k) => ({ input: input.label, rankCorrelation: row[k] })),
  ).map((s) => {
    const name = result.inputs.find((input) => input.label === s.input)?.name;
    return {
      ...s,
      ...(name !== undefined ? { name } : {}),
      rankCorrelation: Number.isFinite(s.rankCorrelation) ? s.rankCorrelation : 0,
    };
  });
}

/** The output's numbers in order, when the threads that ran its ranges sorted them already. */
function presortedSample(output: Output): SortedSample | undefined {
  return output.sortedRuns ? sortedRuns(output.sortedRuns) : undefined;
}
