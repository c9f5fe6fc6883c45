/**
 * The results of a run as clients see them: per output its statistics, percentiles, histogram, CDF and
 * the count of trials that were not numbers, and the sensitivity of each output to every input.
 */
import type { EngineResult } from '../simulate';
import { argsort, ranks, ranksFromOrder } from './ranks';
import { type InputSensitivity, sensitivityOfRanks } from './sensitivity';
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
  const orders = new InputOrders(result);
  for (const output of result.outputs) {
    const described = describeOutput(result, output, orders);
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
  orders = new InputOrders(result),
): { results: OutputResults; sensitivity: NamedSensitivity[] } {
  const { percentiles, histogram, cdf, errors, ...statistics } = summarizeOutput(
    output.values,
    output.outcomes,
    output.sorted,
  );
  return {
    results: { statistics, percentiles, histogram, cdf, errors: { ...output.nonNumeric, total: errors } },
    sensitivity: outputSensitivity(result, output, orders),
  };
}

/** Each input's samples sorted once (lazily), shared by the sensitivity of every output. */
export class InputOrders {
  private readonly orders = new Map<number, Uint32Array>();
  constructor(private readonly result: EngineResult) {}

  /** Input k's ranks over the recorded trials whose outcome is 0 (the output was a number). */
  ranks(k: number, outcomes: Uint8Array): Float64Array {
    const values = this.result.inputs[k].values;
    let order = this.orders.get(k) ?? this.result.inputs[k].order;
    if (!order) {
      order = argsort(values);
      this.orders.set(k, order);
    }
    return ranksFromOrder(values, order, outcomes);
  }
}

/** Rank correlations over the recorded trials in which the output was a number. */
function outputSensitivity(result: EngineResult, output: Output, orders: InputOrders): NamedSensitivity[] {
  const recorded = result.inputs[0]?.values.length ?? 0;
  if (recorded < 3) return [];
  const outcomes = output.outcomes.subarray(0, recorded);
  const y = numericTrials(output.values.subarray(0, recorded), outcomes);
  if (y.length < 3) return [];
  const inputs = new Map<string, () => Float64Array>();
  const names = new Map<string, string>();
  result.inputs.forEach((input, k) => {
    inputs.set(input.label, () => orders.ranks(k, outcomes));
    if (input.name) names.set(input.label, input.name);
  });
  return sensitivityOfRanks(ranks(y), inputs).map((s) => ({
    ...s,
    ...(names.has(s.input) ? { name: names.get(s.input) } : {}),
    rankCorrelation: Number.isFinite(s.rankCorrelation) ? s.rankCorrelation : 0,
  }));
}
