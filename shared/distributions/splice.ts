/**
 * RiskSplice(dist1, dist2, splice point): dist1's density left of the splice point joined to dist2's right
 * of it, each piece scaled so that the joined density is continuous at the point and integrates to 1
 * (Palisade's knowledge base, "How does RiskSplice work?"): f = k1·f1 below b, k2·f2 from b on, with
 * k1·f1(b) = k2·f2(b) and k1·F1(b) + k2·(1 - F2(b)) = 1.
 */

import { abs, isFiniteNumber, max as maxOf, min as minOf, POS_INF } from '../numeric/math';
import { type BaseDistribution, continuous, type ParamCheck } from './base';
import type { Distribution } from './distribution';
import { quantileMean } from './quantile-mean';

/**
 * Both pieces must have a density at the splice point (each from its own side): the scaling that makes
 * the joined density continuous divides by them. Discrete pieces have none.
 */
export function splice(
  check: ParamCheck,
  left: Distribution,
  right: Distribution,
  point: number,
): BaseDistribution {
  if (left.discrete || right.discrete) check.fail('both distributions must be continuous');
  const leftDensity = oneSidedDensity(left, point, -1);
  const rightDensity = oneSidedDensity(right, point, 1);
  if (!(leftDensity > 0))
    check.fail(`the first distribution has no density just below the splice point ${point}`);
  if (!(rightDensity > 0))
    check.fail(`the second distribution has no density just above the splice point ${point}`);
  const leftCdf = left.cdf(point);
  const rightCdf = right.cdf(point);
  const leftScale = 1 / (leftCdf + (leftDensity / rightDensity) * (1 - rightCdf));
  const rightScale = (leftScale * leftDensity) / rightDensity;
  // P(X < point): the left piece's share of the probability
  const leftShare = leftScale * leftCdf;
  const leftQuantile = (u: number) => minOf(point, left.inverseCdf(u * leftCdf));
  const rightQuantile = (u: number) => maxOf(point, right.inverseCdf(rightCdf + u * (1 - rightCdf)));
  const rightMean = isFiniteNumber(right.mean) ? quantileMean(rightQuantile) : POS_INF;
  return continuous(
    leftShare * quantileMean(leftQuantile) + (1 - leftShare) * rightMean,
    left.min,
    right.max,
    (u) => (u < leftShare ? leftQuantile(u / leftShare) : rightQuantile((u - leftShare) / (1 - leftShare))),
    (x) => (x < point ? leftScale * left.cdf(x) : leftShare + rightScale * (right.cdf(x) - rightCdf)),
    [leftShare],
  );
}

/**
 * The density at x from one side (-1: below, 1: above) by the cdf's second-order one-sided difference,
 * as the catalogue's distributions give their cdf only; one side, as a density may jump at x (a
 * Pareto's at its minimum).
 */
function oneSidedDensity(d: Distribution, x: number, side: -1 | 1): number {
  const h = side * 1e-5 * maxOf(1, abs(x));
  return (-3 * d.cdf(x) + 4 * d.cdf(x + h) - d.cdf(x + 2 * h)) / (2 * h);
}
