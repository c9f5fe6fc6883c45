/** The mean of a distribution given only by its quantile function. */

import { cosh, exp, PI, sinh } from '../numeric/math';

/**
 * Mean as the integral of the quantile function over (0,1), by tanh-sinh quadrature, which
 * copes with the integrable endpoint singularities of unbounded distributions.
 */
export function quantileMean(inverseCdf: (u: number) => number): number {
  const h = 1 / 64;
  let sum = 0;
  for (let k = -320; k <= 320; k++) {
    const t = k * h;
    const s = (PI / 2) * sinh(t);
    const weight = ((PI / 2) * cosh(t)) / (cosh(s) * cosh(s));
    // u = (1 + tanh s) / 2 without cancellation at either end
    const u = s < 0 ? 1 / (1 + exp(-2 * s)) : 1 - 1 / (1 + exp(2 * s));
    if (u > 0 && u < 1 && weight > 0) sum += weight * inverseCdf(u);
  }
  return (sum * h) / 2;
}
