/**
 * Theoretical statistics functions in formulas (RiskTheoMean, RiskTheoPercentile…): a statistic of the
 * distribution itself, truncation and shift included, known without simulating. A statistic the
 * distribution does not have is #NUM! (a Cauchy's mean); one that diverges is #DIV/0! (a Pareto's
 * variance with shape 2).
 */

import { theoreticalStatistics } from '../../../shared/distributions/theoretical';
import type { DistributionStatistic, StatisticsFunctionInfo } from '../../../shared/functions/statistics';
import type { DistributionResult } from '../sampling/formula-distributions';
import { toNumber } from '../values/coerce';
import { Errors, ExcelError, type Scalar } from '../values/value';

export function theoreticalValue(
  info: StatisticsFunctionInfo<DistributionStatistic>,
  call: DistributionResult,
  args: Scalar[],
): Scalar {
  if ('error' in call) return Errors.VALUE;
  const { distribution, spec } = call;
  const arg = args[0] === undefined || args[0] === null ? undefined : toNumber(args[0]);
  if (arg instanceof ExcelError) return arg;
  if (info.params.length > 0 && arg === undefined) return Errors.VALUE;
  const x = arg ?? 0;
  switch (info.statistic) {
    case 'percentile':
    case 'percentile-descending': {
      if (!(x >= 0 && x <= 1)) return Errors.NUM;
      const p = info.statistic === 'percentile' ? x : 1 - x;
      return finite(p === 0 ? distribution.min : p === 1 ? distribution.max : distribution.inverseCdf(p));
    }
    case 'target':
      return distribution.cdf(x);
    case 'target-descending':
      return 1 - distribution.cdf(x);
  }
  const statistics = theoreticalStatistics(spec);
  if ('error' in statistics) return Errors.VALUE;
  switch (info.statistic) {
    case 'mean':
      return finite(statistics.mean);
    case 'stddev':
      return finite(statistics.stdDev);
    case 'variance':
      return finite(statistics.variance);
    case 'min':
      return finite(statistics.min);
    case 'max':
      return finite(statistics.max);
    case 'range':
      return finite(statistics.max - statistics.min);
    case 'skewness':
      return finite(statistics.skewness);
    case 'kurtosis':
      return finite(statistics.kurtosis);
    case 'mode':
      return finite(statistics.mode);
  }
}

/** NaN (no such statistic) as #NUM!, an infinite one as #DIV/0!. */
function finite(x: number): Scalar {
  if (Number.isNaN(x)) return Errors.NUM;
  return Number.isFinite(x) ? x : Errors.DIV0;
}
