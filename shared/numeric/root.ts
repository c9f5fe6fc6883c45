/** Root finding for one equation in one unknown. */

import { abs, isFiniteNumber, max as maxOf } from './math';

/**
 * A root of f in [a, b], where f(a) and f(b) have opposite signs (or one is 0), by Brent's method
 * (inverse quadratic interpolation and secant steps, bisection whenever they stall): the bracket
 * shrinks to a few ulps. NaN where f does not change sign over [a, b].
 */
export function brentRoot(f: (x: number) => number, a: number, b: number, maxIterations = 200): number {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (!(fa * fb < 0)) return Number.NaN;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIterations; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (abs(fc) < abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolerance = 2 * Number.EPSILON * maxOf(abs(b), Number.MIN_VALUE) + 1e-300;
    const half = (c - b) / 2;
    if (abs(half) <= tolerance || fb === 0) return b;
    if (abs(e) >= tolerance && abs(fa) > abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * half * s;
        q = 1 - s;
      } else {
        const r = fb / fc;
        const t = fa / fc;
        p = s * (2 * half * t * (t - r) - (b - a) * (r - 1));
        q = (t - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * half * q - abs(tolerance * q), abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = half;
        e = d;
      }
    } else {
      d = half;
      e = d;
    }
    a = b;
    fa = fb;
    b += abs(d) > tolerance ? d : half > 0 ? tolerance : -tolerance;
    fb = f(b);
    if (!isFiniteNumber(fb)) return Number.NaN;
  }
  return b;
}
