/**
 * MC.METALOG({x}, {cumulative p}, [terms], [lower bound], [upper bound]): Keelin's metalog distribution
 * (Keelin 2016, "The Metalog Distributions"; the SIPmath standard's), not an @RISK function. Its quantile
 * is a closed form, so Latin hypercube sampling stays exact:
 *   M(y) = Σ a_j b_j(y), with b_1 = 1, b_2 = L, b_3 = (y-½)L, b_4 = y-½, then alternately (y-½)^m and
 *   (y-½)^m L (b_5 = (y-½)², b_6 = (y-½)²L, b_7 = (y-½)³, …), where L = ln(y/(1-y));
 *   unbounded Q(y) = M(y); bounded below Q = lower + e^M; above Q = upper - e^-M; on both sides
 *   Q = (lower + upper e^M)/(1 + e^M).
 * The coefficients a are the least-squares fit of the transformed x values (x, ln(x - lower),
 * -ln(upper - x), ln((x - lower)/(upper - x))) on the basis at the given probabilities: with as many
 * terms as points the quantile passes through every point. A fit whose quantile is not increasing
 * (checked on a fine grid of probabilities, as the standard does) is no distribution: #NUM!.
 */

import { abs, cosh, exp, POS_INF as INF, isFiniteNumber, log, NEG_INF, sinh, sqrt } from '../numeric/math';
import { brentRoot } from '../numeric/root';
import { type BaseDistribution, continuous, type DistributionSpec, type ParamCheck } from './base';

/** The most terms a metalog takes. */
export const MAX_METALOG_TERMS = 30;
/** Terms used when none are given: one per point, up to this many (Keelin's workbooks offer 16). */
export const DEFAULT_METALOG_TERMS = 16;

export interface MetalogBounds {
  lower?: number;
  upper?: number;
}

/** b_j(y) for j = 1..k (index j - 1), given L = ln(y/(1-y)). */
function basis(y: number, logit: number, k: number, out: Float64Array): void {
  const c = y - 0.5;
  out[0] = 1;
  if (k > 1) out[1] = logit;
  if (k > 2) out[2] = c * logit;
  if (k > 3) out[3] = c;
  let power = c;
  for (let j = 5; j <= k; j++) {
    if (j % 2 === 1) {
      power *= c;
      out[j - 1] = power;
    } else out[j - 1] = power * logit;
  }
}

/**
 * y(1-y) M'(y): the quantile's slope up to a positive factor (the transforms are increasing), finite at
 * both ends. d/dy L = 1/(y(1-y)).
 */
function scaledSlope(a: Float64Array, y: number, logit: number): number {
  const c = y - 0.5;
  const w = y * (1 - y);
  const k = a.length;
  let s = 0;
  if (k > 1) s += a[1];
  if (k > 2) s += a[2] * (w * logit + c);
  if (k > 3) s += a[3] * w;
  let power = c; // c^(m-1) for the pair of terms with exponent m
  let m = 1;
  for (let j = 5; j <= k; j++) {
    if (j % 2 === 1) {
      m++;
      // d/dy c^m = m c^(m-1)
      s += a[j - 1] * m * power * w;
    } else {
      // d/dy c^m L = m c^(m-1) L + c^m / w
      s += a[j - 1] * (m * power * w * logit + power * c);
      power *= c;
    }
  }
  return s;
}

function logitOf(y: number): number {
  return log(y) - log(1 - y);
}

/** Least squares min |B a - z| by Householder QR (B is n×k, n ≥ k); undefined when B is rank deficient. */
function leastSquares(rows: Float64Array[], z: Float64Array): Float64Array | undefined {
  const n = rows.length;
  const k = rows[0].length;
  const b = rows.map((r) => Float64Array.from(r));
  const rhs = Float64Array.from(z);
  for (let col = 0; col < k; col++) {
    let norm = 0;
    for (let i = col; i < n; i++) norm += b[i][col] * b[i][col];
    norm = sqrt(norm);
    if (!(norm > 0)) return undefined;
    const alpha = b[col][col] > 0 ? -norm : norm;
    const v = new Float64Array(n - col);
    for (let i = col; i < n; i++) v[i - col] = b[i][col];
    v[0] -= alpha;
    let vv = 0;
    for (const x of v) vv += x * x;
    if (vv === 0) continue;
    for (let j = col; j < k; j++) {
      let dot = 0;
      for (let i = col; i < n; i++) dot += v[i - col] * b[i][j];
      const f = (2 * dot) / vv;
      for (let i = col; i < n; i++) b[i][j] -= f * v[i - col];
    }
    let dot = 0;
    for (let i = col; i < n; i++) dot += v[i - col] * rhs[i];
    const f = (2 * dot) / vv;
    for (let i = col; i < n; i++) rhs[i] -= f * v[i - col];
  }
  const a = new Float64Array(k);
  const scale = abs(b[0][0]);
  for (let col = k - 1; col >= 0; col--) {
    if (!(abs(b[col][col]) > 1e-13 * scale)) return undefined;
    let s = rhs[col];
    for (let j = col + 1; j < k; j++) s -= b[col][j] * a[j];
    a[col] = s / b[col][col];
  }
  return a;
}

/** The metalog's coefficients, checked: the points, terms and bounds as MC.METALOG takes them. */
export function fitMetalog(
  check: ParamCheck,
  xs: number[],
  ps: number[],
  terms: number,
  bounds: MetalogBounds,
): Float64Array {
  const { lower, upper } = bounds;
  if (xs.length !== ps.length)
    check.fail(`the x values (${xs.length}) and probabilities (${ps.length}) must have the same length`);
  check.integer('terms', terms);
  check.within('terms', terms, 2, MAX_METALOG_TERMS);
  if (terms > xs.length) check.fail(`terms (${terms}) must not exceed the number of points (${xs.length})`);
  if (lower !== undefined && upper !== undefined && !(lower < upper))
    check.fail(`the lower bound (${lower}) must be < the upper bound (${upper})`);
  for (const p of ps)
    if (!(p > 0 && p < 1)) check.fail(`probabilities must be strictly between 0 and 1, got ${p}`);
  if (new Set(ps).size !== ps.length) check.fail('probabilities must be distinct');
  const z = Float64Array.from(xs, (x) => {
    if ((lower !== undefined && !(x > lower)) || (upper !== undefined && !(x < upper)))
      check.fail(`x values must lie strictly within the bounds, got ${x}`);
    if (lower !== undefined && upper !== undefined) return log((x - lower) / (upper - x));
    if (lower !== undefined) return log(x - lower);
    if (upper !== undefined) return -log(upper - x);
    return x;
  });
  const rows = ps.map((p) => {
    const row = new Float64Array(terms);
    basis(p, logitOf(p), terms, row);
    return row;
  });
  const a = leastSquares(rows, z);
  if (!a) check.fail('the points do not determine the coefficients');
  // a density: the quantile increasing on a fine grid (probabilities 1e-11 … 1 - 1e-11 by logit)
  for (let t = -25; t <= 25; t += 0.01) {
    const y = 1 / (1 + exp(-t));
    if (!(scaledSlope(a, y, t) > 0))
      check.fail(
        'the fitted quantile is not increasing: no metalog with these terms fits these points',
        '#NUM!',
      );
  }
  return a;
}

/** M(y) from the coefficients, given y and its logit L (exact where y rounds to 1). */
function metalogSum(a: Float64Array, scratch: Float64Array, y: number, logit: number): number {
  basis(y, logit, a.length, scratch);
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * scratch[j];
  return s;
}

/**
 * Where M(y) ~ c·L at an end (y → 1: the upper tail, y → 0: the lower), the coefficient c: the log
 * transform makes that tail a power law of index 1/c, so the mean is finite only for c < 1.
 */
export function metalogTailCoefficient(a: Float64Array, end: 'upper' | 'lower'): number {
  const c = end === 'upper' ? 0.5 : -0.5;
  let s = a.length > 1 ? a[1] : 0;
  if (a.length > 2) s += a[2] * c;
  let power = c;
  for (let j = 6; j <= a.length; j += 2) {
    power *= c;
    s += a[j - 1] * power;
  }
  return s;
}

/**
 * ∫ Q(y) dy over (0,1) as ∫ Q(y(t)) y(1-y) dt over the logit t, with t = sinh(w) and the trapezoidal
 * rule in w: the integrand then decays double-exponentially (Q grows at most like e^(c|t|), c < 1,
 * against y(1-y) ~ e^-|t|), and no probability near 1 is rounded away, as it is when integrating
 * over y (a tail (1-y)^-c beyond 1 - 2^-53 is not negligible).
 */
function meanOverLogit(quantileAtLogit: (t: number) => number): number {
  const h = 1 / 32;
  let sum = 0;
  for (let k = -256; k <= 256; k++) {
    const w = k * h;
    const t = sinh(w);
    const e = exp(-abs(t));
    const density = e / ((1 + e) * (1 + e)); // y(1-y)
    if (density > 0) sum += quantileAtLogit(t) * density * cosh(w);
  }
  return sum * h;
}

/** MC.METALOG as a distribution: the closed-form quantile, the cdf by inverting it. */
export function metalog(
  check: ParamCheck,
  xs: number[],
  ps: number[],
  terms: number,
  bounds: MetalogBounds,
): BaseDistribution {
  const a = fitMetalog(check, xs, ps, terms, bounds);
  const { lower, upper } = bounds;
  const scratch = new Float64Array(a.length);
  const transform =
    lower !== undefined && upper !== undefined
      ? (m: number) =>
          m > 0 ? (lower * exp(-m) + upper) / (exp(-m) + 1) : (lower + upper * exp(m)) / (1 + exp(m))
      : lower !== undefined
        ? (m: number) => lower + exp(m)
        : upper !== undefined
          ? (m: number) => upper - exp(-m)
          : (m: number) => m;
  const quantile = (y: number) => transform(metalogSum(a, scratch, y, logitOf(y)));
  // on the logit scale t, y = 1/(1 + e^-t): no rounding of y to 1 spoils L = t
  const quantileAtLogit = (t: number) => transform(metalogSum(a, scratch, 1 / (1 + exp(-t)), t));
  const lo = lower ?? NEG_INF;
  const hi = upper ?? INF;
  const cdf = (x: number) => {
    if (x <= lo) return 0;
    if (x >= hi) return 1;
    // probabilities from 1e-17 to 1 - 1e-17
    const at = (t: number) => quantileAtLogit(t) - x;
    if (!(at(-39) < 0)) return 0;
    if (!(at(39) > 0)) return 1;
    const t = brentRoot(at, -39, 39);
    return isFiniteNumber(t) ? 1 / (1 + exp(-t)) : Number.NaN;
  };
  // a power-law tail from the log transform can leave no mean: the static value is then the median
  const heavy =
    (lower !== undefined && upper === undefined && metalogTailCoefficient(a, 'upper') >= 1) ||
    (upper !== undefined && lower === undefined && metalogTailCoefficient(a, 'lower') >= 1);
  const mean = heavy ? quantile(0.5) : meanOverLogit(quantileAtLogit);
  return continuous(mean, lo, hi, quantile, cdf);
}

/**
 * MC.METALOG's spec from its arguments: terms default to one per point (at most
 * DEFAULT_METALOG_TERMS); an absent bound leaves that side unbounded.
 */
export function metalogSpec(
  xs: number[],
  ps: number[],
  terms?: number,
  lower?: number,
  upper?: number,
): DistributionSpec {
  const bounds: MetalogBounds = {
    ...(lower !== undefined ? { lower } : {}),
    ...(upper !== undefined ? { upper } : {}),
  };
  return {
    type: 'metalog',
    params: [terms ?? Math.min(xs.length, DEFAULT_METALOG_TERMS)],
    points: { x: [...xs], y: [...ps] },
    ...(lower !== undefined || upper !== undefined ? { bounds } : {}),
  };
}
