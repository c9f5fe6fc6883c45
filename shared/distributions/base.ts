/**
 * What every distribution of the catalogue is built from (see distribution.ts): the spec, the base
 * (untruncated, unshifted) distribution, parameter checks and the options of construction.
 */

import type { DistributionSpec as SharedDistributionSpec } from '../model/distribution';

export type DistributionType = SharedDistributionSpec['type'];

export { lowerBound, upperBound } from '../numeric/search';

/**
 * A distribution as written in a model: the shared schema's spec (parameters in @RISK order, see
 * DISTRIBUTION_FUNCTIONS; `values`/`weights` for RiskDiscrete; `points` for RiskCumul/RiskGeneral;
 * `truncate` limits apply to the final, shifted values; `shift` is added to every sample), plus the
 * function name used in error messages.
 */
export type DistributionSpec = Omit<SharedDistributionSpec, 'params'> & { params: number[]; name?: string };

/**
 * How the distribution will be used. `manyDraws`: it will draw many samples with these parameters (a
 * model input), so an up-front table that makes each draw cheaper pays off; leave it off for one-off
 * distributions built per trial from formula values.
 */
export interface DistributionOptions {
  manyDraws?: boolean;
}

/**
 * An untruncated, unshifted distribution. inverseCdf(u) for u in (0,1) is the smallest x with
 * cdf(x) >= u (for discrete ones a support value); cdfBelow(x) = P(X < x), which differs from
 * cdf(x) only at the atoms of discrete distributions.
 */
export interface BaseDistribution {
  readonly mean: number;
  readonly discrete: boolean;
  readonly lower: number;
  readonly upper: number;
  /**
   * Where a piecewise quantile function has a kink, as cdf values in (0,1) (RiskCumul's points, the
   * triangle's mode): a truncation's mean integrates the quantile between them, as quadrature converges
   * fast only where the integrand is smooth.
   */
  readonly kinks?: readonly number[];
  inverseCdf(u: number): number;
  cdf(x: number): number;
  cdfBelow(x: number): number;
}

/** The Excel error a formula shows for an invalid distribution: #VALUE!, or #NUM! where it says so. */
export type SpecExcelError = '#VALUE!' | '#NUM!';

/** Thrown by the factories on an invalid parameter; createDistribution turns it into { error }. */
export class SpecError extends Error {
  constructor(
    message: string,
    readonly excelError: SpecExcelError = '#VALUE!',
  ) {
    super(message);
  }
}

/** Guards that build the "RiskNormal: standard deviation must be ≥ 0, got -1" style messages. */
export class ParamCheck {
  constructor(readonly functionName: string) {}

  fail(message: string, excelError?: SpecExcelError): never {
    throw new SpecError(`${this.functionName}: ${message}`, excelError);
  }

  atLeast(label: string, value: number, bound: number): void {
    if (!(value >= bound)) this.fail(`${label} must be ≥ ${bound}, got ${value}`);
  }

  above(label: string, value: number, bound: number): void {
    if (!(value > bound)) this.fail(`${label} must be > ${bound}, got ${value}`);
  }

  within(label: string, value: number, lo: number, hi: number): void {
    if (!(value >= lo && value <= hi)) this.fail(`${label} must be between ${lo} and ${hi}, got ${value}`);
  }

  integer(label: string, value: number): void {
    if (!Number.isInteger(value)) this.fail(`${label} must be an integer, got ${value}`);
  }

  ordered(lowLabel: string, low: number, highLabel: string, high: number): void {
    if (!(low <= high)) this.fail(`${lowLabel} (${low}) must be ≤ ${highLabel} (${high})`);
  }
}

/** The smallest double above x >= 0. */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const box = new Float64Array([x]);
  const bits = new BigInt64Array(box.buffer);
  bits[0] += 1n;
  return box[0];
}

/** A distribution concentrated on one value (a zero standard deviation, min = max, ...). */
export function pointMass(value: number): BaseDistribution {
  return {
    mean: value,
    discrete: false,
    lower: value,
    upper: value,
    inverseCdf: () => value,
    cdf: (x) => (x >= value ? 1 : 0),
    cdfBelow: (x) => (x > value ? 1 : 0),
  };
}

/** A continuous distribution from its quantile function and cdf. */
export function continuous(
  mean: number,
  lower: number,
  upper: number,
  inverseCdf: (u: number) => number,
  cdf: (x: number) => number,
  kinks?: readonly number[],
): BaseDistribution {
  return { mean, discrete: false, lower, upper, inverseCdf, cdf, cdfBelow: cdf, ...(kinks ? { kinks } : {}) };
}
