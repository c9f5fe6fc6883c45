/**
 * Sensitivity of an output to its random inputs: Spearman rank correlation of each input's
 * samples with the output's, and each input's share of variance, estimated as its squared
 * rank correlation normalised so that the shares sum to 1 (exact for a monotone additive
 * model with independent inputs, a ranking aid otherwise).
 */

import { pearson, ranks } from './ranks';

export interface InputSensitivity {
  input: string;
  rankCorrelation: number;
  varianceShare: number;
}

/**
 * Sensitivities ordered by decreasing |rank correlation|. inputs[name] holds that input's
 * samples for the same trials as output (trials with errors already removed by the caller).
 */
export function sensitivity(
  output: Float64Array,
  inputs: ReadonlyMap<string, Float64Array>,
): InputSensitivity[] {
  const ranked = new Map([...inputs].map(([input, samples]) => [input, () => ranks(samples)] as const));
  return sensitivityOfRanks(ranks(output), ranked);
}

/** The same from ranks: `inputRanks` gives each input's ranks over the output's trials, when asked. */
export function sensitivityOfRanks(
  outputRanks: Float64Array,
  inputRanks: ReadonlyMap<string, () => Float64Array>,
): InputSensitivity[] {
  const rows = [...inputRanks].map(([input, rank]) => {
    const r = rank();
    if (r.length !== outputRanks.length) {
      throw new Error(
        `sensitivity: input ${input} has ${r.length} samples for ${outputRanks.length} outputs`,
      );
    }
    return { input, rankCorrelation: pearson(r, outputRanks) };
  });
  return sensitivityOfCorrelations(rows);
}

/** Variance shares and the tornado chart's order, from each input's rank correlation with the output. */
export function sensitivityOfCorrelations<Row extends { input: string; rankCorrelation: number }>(
  correlations: Row[],
): (Row & InputSensitivity)[] {
  const rows = correlations.map((c) => ({ ...c, varianceShare: 0 }));
  let total = 0;
  for (const r of rows) total += r.rankCorrelation * r.rankCorrelation;
  for (const r of rows) r.varianceShare = total > 0 ? (r.rankCorrelation * r.rankCorrelation) / total : 0;
  return rows.sort((a, b) => Math.abs(b.rankCorrelation) - Math.abs(a.rankCorrelation));
}
