/** The mean of a distribution given only by its quantile function. */

import { cosh, exp, PI, sinh } from '../numeric/math';

/**
 * The integral of f(u) over (from, to) ⊂ (0,1) by tanh-sinh quadrature, which copes with the integrable
 * endpoint singularities of a quantile function (or a power of it) on an unbounded support. u never
 * reaches the ends; near 1 it cannot come closer than 2^-53, so what lies beyond the quantile at
 * 1 - 2^-53 is left out (negligible for tails lighter than a power law). The rule converges fast for
 * integrands smooth inside the interval: split it where f has a kink (a density's jump) with `breaks`.
 */
export function integrateOverProbability(f: (u: number) => number, breaks: readonly number[] = []): number {
  const ends = [0, ...breaks.filter((b) => b > 0 && b < 1).sort((a, b) => a - b), 1];
  let total = 0;
  for (let i = 0; i + 1 < ends.length; i++) {
    if (ends[i + 1] > ends[i]) total += tanhSinh(f, ends[i], ends[i + 1]);
  }
  return total;
}

function tanhSinh(f: (u: number) => number, from: number, to: number): number {
  const h = 1 / 64;
  const width = to - from;
  let sum = 0;
  for (let k = -320; k <= 320; k++) {
    const t = k * h;
    const s = (PI / 2) * sinh(t);
    const weight = ((PI / 2) * cosh(t)) / (cosh(s) * cosh(s));
    // u = from + width (1 + tanh s) / 2, without cancellation at either end
    const u = s < 0 ? from + width / (1 + exp(-2 * s)) : to - width / (1 + exp(2 * s));
    if (u > from && u < to && weight > 0) sum += weight * f(u);
  }
  return (sum * h * width) / 2;
}

/** Mean as the integral of the quantile function over (0,1). */
export function quantileMean(inverseCdf: (u: number) => number): number {
  return integrateOverProbability(inverseCdf);
}
