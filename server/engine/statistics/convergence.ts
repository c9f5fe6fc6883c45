/**
 * Whether an output's statistics are known well enough after the trials run: @RISK's convergence test,
 * as RiskConvergenceLevel shows it, with the output's own settings where its RiskOutput carries
 * RiskConvergence(tolerance, toleranceType, confidenceLevel, useMean, useStdDev, usePercentile,
 * percentile), else @RISK's defaults (the mean within ±3 % with 95 % confidence).
 *
 * Each statistic tested gets a confidence interval of the half-width its estimator has after n trials;
 * the output has converged when every half-width is within the tolerance. The intervals are the usual
 * large-sample ones (@RISK does not publish its own): the mean's from its standard error, the standard
 * deviation's from the sample variance's (which needs the kurtosis), a percentile's from the order
 * statistics around it (distribution-free). Each half-width shrinks as 1/√n, which gives the trials a
 * test needs.
 */
import { normInv } from '../../../shared/numeric/special';
import { toBoolean, toNumber } from '../values/coerce';
import { Errors, ExcelError, type Scalar } from '../values/value';
import { percentileSorted, type SortedSample } from './histogram';
import type { OutputSummary } from './summary';

export interface ConvergenceTest {
  /** The ± tolerance: a share of the statistic's value when `relative`, else in the output's units. */
  tolerance: number;
  relative: boolean;
  /** The confidence that the statistic lies within the tolerance, between 0 and 1. */
  confidence: number;
  mean: boolean;
  stdDev: boolean;
  /** The percentile tested (0 to 1), if any. */
  percentile?: number;
}

/** @RISK's simulation defaults: the mean within ±3 % with 95 % confidence. */
export const DEFAULT_CONVERGENCE: ConvergenceTest = {
  tolerance: 0.03,
  relative: true,
  confidence: 0.95,
  mean: true,
  stdDev: false,
};

/** The percentile tested when RiskConvergence asks for one without saying which: @RISK's default. */
const DEFAULT_PERCENTILE = 0.9;

/**
 * RiskConvergence's evaluated arguments (undefined or null where left out) as a test, or what is wrong
 * with them. Left out: the defaults; no statistic chosen: the mean.
 */
export function convergenceTest(args: readonly (Scalar | undefined)[]): ConvergenceTest | string {
  const given = (i: number) => args[i] !== undefined && args[i] !== null;
  const number = (i: number, fallback: number) => {
    if (!given(i)) return fallback;
    const n = toNumber(args[i] as Scalar);
    return n instanceof ExcelError ? Number.NaN : n;
  };
  const flag = (i: number) => {
    if (!given(i)) return undefined;
    const b = toBoolean(args[i] as Scalar);
    return b instanceof ExcelError ? null : b;
  };
  const tolerance = number(0, DEFAULT_CONVERGENCE.tolerance);
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) return 'RiskConvergence needs a tolerance above 0';
  const type = number(1, 2);
  if (type !== 1 && type !== 2)
    return 'RiskConvergence tolerance type must be 1 (± actual values) or 2 (± a percentage)';
  const confidence = number(2, DEFAULT_CONVERGENCE.confidence);
  if (!(confidence > 0 && confidence < 1)) return 'RiskConvergence confidence level must be between 0 and 1';
  const [mean, stdDev, usePercentile] = [flag(3), flag(4), flag(5)];
  if (mean === null || stdDev === null || usePercentile === null)
    return 'RiskConvergence useMean, useStdDev and usePercentile must be TRUE or FALSE';
  const percentile = number(6, DEFAULT_PERCENTILE);
  if (usePercentile && !(percentile > 0 && percentile < 1))
    return 'RiskConvergence percentile must be between 0 and 1';
  const none = mean === undefined && stdDev === undefined && usePercentile === undefined;
  if (!none && !mean && !stdDev && !usePercentile)
    return 'RiskConvergence tests no statistic: set one of them TRUE';
  return {
    tolerance,
    relative: type === 2,
    confidence,
    mean: none || mean === true,
    stdDev: stdDev === true,
    ...(usePercentile ? { percentile } : {}),
  };
}

/**
 * RiskConvergenceLevel: TRUE once every statistic tested is within its tolerance; otherwise the share (0
 * to 99, in percent) of the trials the slowest test needs that the run has done, as @RISK's status column.
 */
export function convergenceLevel(
  summary: OutputSummary,
  sorted: SortedSample,
  test: ConvergenceTest = DEFAULT_CONVERGENCE,
): Scalar {
  const { count: n, mean, std } = summary;
  if (mean === null) return Errors.DIV0;
  if (std === null || std === 0) return true;
  const z = normInv(0.5 + test.confidence / 2);
  const allowed = (value: number) => (test.relative ? test.tolerance * Math.abs(value) : test.tolerance);
  // the trials each test needs: its half-width after n trials is z·spread/√n
  const needed: number[] = [];
  const need = (spread: number, value: number) => {
    const tolerance = allowed(value);
    needed.push(
      spread === 0 ? 0 : tolerance === 0 ? Number.POSITIVE_INFINITY : ((z * spread) / tolerance) ** 2,
    );
  };
  if (test.mean) need(std, mean);
  // Var(s) ≈ σ²(excess kurtosis + 2) / 4n; a normal's is σ²/2n
  if (test.stdDev) need(std * Math.sqrt(Math.max(0, (summary.kurtosis ?? 0) + 2) / 4), std);
  if (test.percentile !== undefined) {
    const p = test.percentile;
    const x = percentileSorted(sorted, p);
    // the ranks z standard deviations of a binomial(n, p) count either side of the percentile's
    const reach = z * Math.sqrt(n * p * (1 - p));
    const lo = sorted.at(Math.max(0, Math.floor(n * p - reach) - 1));
    const hi = sorted.at(Math.min(n - 1, Math.ceil(n * p + reach) - 1));
    need(Math.max(x - lo, hi - x) * (Math.sqrt(n) / z), x);
  }
  const most = Math.max(...needed);
  return n >= most ? true : Math.min(99, Math.floor((100 * n) / most));
}
