/**
 * RiskCompound(dist1, dist2, deductible, limit): the sum of N severities drawn from dist2, N drawn from
 * dist1 (the frequency). As Palisade's help page words it, the deductible is subtracted from each severity
 * and a result above the limit is set to the limit; a severity below the deductible counts 0 (the usual
 * per-loss deductible: the page does not say, so this is the standard reading, not a confirmed one).
 * A frequency draw is truncated to a whole number, as @RISK does with a continuous one.
 */

import { isFiniteNumber, max as maxOf, min as minOf, POS_INF, trunc } from '../numeric/math';
import type { ParamCheck } from './base';
import type { Distribution } from './distribution';
import { integrateOverProbability } from './quantile-mean';

/** At most this many severities in one trial: a frequency that can draw more is refused. */
export const MAX_COMPOUND_COUNT = 1_000_000;

/** The largest uniform a draw gives (plain or Latin hypercube): the frequency's largest possible draw. */
const LARGEST_UNIFORM = 1 - 2 ** -53;

export interface CompoundParts {
  readonly frequency: Distribution;
  readonly severity: Distribution;
  readonly deductible: number;
  /** +Infinity when RiskCompound is given none. */
  readonly limit: number;
}

/** A severity after the deductible and the limit. */
export function reducedSeverity(parts: CompoundParts, x: number): number {
  return minOf(parts.limit, maxOf(0, x - parts.deductible));
}

/** The frequency's count for a uniform: its draw truncated to a whole number. */
export function compoundCount(parts: CompoundParts, u: number): number {
  return trunc(parts.frequency.inverseCdf(u));
}

/**
 * One trial's value: the count from the frequency's uniform, then that many severities, the i-th
 * (from 1) from severityUniform(i).
 */
export function compoundSample(
  parts: CompoundParts,
  frequencyUniform: number,
  severityUniform: (draw: number) => number,
): number {
  const count = compoundCount(parts, frequencyUniform);
  let sum = 0;
  for (let i = 1; i <= count; i++)
    sum += reducedSeverity(parts, parts.severity.inverseCdf(severityUniform(i)));
  return sum;
}

/** Checks RiskCompound's arguments; its mean is E[N]·E[X'], X' the reduced severity. */
export function compoundParts(
  check: ParamCheck,
  frequency: Distribution,
  severity: Distribution,
  deductible: number,
  limit: number,
): { parts: CompoundParts; mean: number } {
  check.atLeast('deductible', deductible, 0);
  check.above('limit', limit, 0);
  if (!(frequency.min >= 0))
    check.fail(`the frequency must not be negative, its minimum is ${frequency.min}`);
  const largest = compoundCount({ frequency, severity, deductible, limit }, LARGEST_UNIFORM);
  if (!(largest <= MAX_COMPOUND_COUNT))
    check.fail(
      `the frequency can draw ${largest} severities in a trial; at most ${MAX_COMPOUND_COUNT} are supported`,
      '#NUM!',
    );
  const parts = { frequency, severity, deductible, limit };
  // the reduced severity's quantile has kinks where the deductible and the limit start to bite
  const kinks = [
    severity.cdf(deductible),
    ...(isFiniteNumber(limit) ? [severity.cdf(deductible + limit)] : []),
  ];
  // nothing reduces a non-negative severity without a deductible or a limit: its own mean, exact
  const unreduced = deductible === 0 && !isFiniteNumber(limit) && severity.min >= 0;
  const severityMean = unreduced
    ? severity.mean
    : isFiniteNumber(severity.mean) || isFiniteNumber(limit)
      ? integrateOverProbability((u) => reducedSeverity(parts, severity.inverseCdf(u)), kinks)
      : POS_INF;
  const count = expectedCount(frequency, largest);
  return { parts, mean: count === 0 ? 0 : count * severityMean };
}

/**
 * E[N] for N the frequency's draw truncated to a whole number: a discrete frequency's own mean (its values
 * are counts), a continuous one's as the sum of P(N ≥ k) over k = 1 … its largest possible count.
 */
function expectedCount(frequency: Distribution, largest: number): number {
  if (frequency.discrete) return frequency.mean;
  let sum = 0;
  for (let k = 1; k <= largest; k++) sum += 1 - frequency.cdf(k);
  return sum;
}
