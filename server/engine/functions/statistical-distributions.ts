/**
 * Probability distributions (densities, CDFs and inverses) and the functions built on them, with
 * Excel's argument rules: integer parameters truncated, out-of-domain parameters #NUM!. The special
 * functions come from shared/numeric/special.ts.
 */

import {
  betaDensity,
  betaInv,
  binomialCdf,
  gammaDensity,
  gammaFn,
  gammaLn,
  gammaPInv,
  normCdf,
  normInv,
  normPdf,
  regIncBeta,
  regIncGammaP,
  regIncGammaQ,
  studentTCdf,
  studentTInv,
  studentTPdf,
} from '../../../shared/numeric/special';
import { binomialMass, hypergeometricMass, poissonMass } from '../numeric/distributions-extra';
import { toBoolean } from '../values/coerce';
import { Errors, ExcelError, type Value } from '../values/value';
import { finite, numberArg } from './statistical-collect';
import { define, type FunctionDefinition } from './types';

export type Numeric = number | ExcelError;

interface NumericOptions {
  /** A value for each optional parameter, by position from the first optional one. */
  defaults?: number[];
  /** Position of the `cumulative` flag, which also accepts the text "TRUE"/"FALSE". */
  flag?: number;
}

/** A function of numbers only; an empty argument is 0, as Excel reads it. */
export function numeric(
  name: string,
  minArgs: number,
  maxArgs: number,
  compute: (xs: number[]) => Numeric,
  { defaults = [], flag }: NumericOptions = {},
): FunctionDefinition {
  return define(name, 'statistical', minArgs, maxArgs, ['scalar'], (args: Value[]) => {
    const xs: number[] = [];
    for (let i = 0; i < maxArgs; i++) {
      if (i >= args.length) {
        xs.push(defaults[i - minArgs]);
        continue;
      }
      const n = i === flag ? flagArg(args[i]) : numberArg(args[i]);
      if (n instanceof ExcelError) return n;
      xs.push(n);
    }
    const result = compute(xs);
    return typeof result === 'number' ? finite(result) : result;
  });
}

function flagArg(value: Value): Numeric {
  if (typeof value !== 'string') return numberArg(value);
  const b = toBoolean(value);
  return b instanceof ExcelError ? b : Number(b);
}

const NUM = Errors.NUM;

/** Excel's probability argument of an inverse: strictly between 0 and 1. */
function openUnit(p: number): boolean {
  return p > 0 && p < 1;
}

// ---- normal family ----

function normalDist(x: number, mean: number, sd: number, cumulative: boolean): Numeric {
  if (sd <= 0) return NUM;
  const z = (x - mean) / sd;
  return cumulative ? normCdf(z) : normPdf(z) / sd;
}

function normalInv(p: number, mean: number, sd: number): Numeric {
  if (!openUnit(p) || sd <= 0) return NUM;
  return mean + sd * normInv(p);
}

function lognormalDist(x: number, mean: number, sd: number, cumulative: boolean): Numeric {
  if (x <= 0 || sd <= 0) return NUM;
  const z = (Math.log(x) - mean) / sd;
  return cumulative ? normCdf(z) : normPdf(z) / (sd * x);
}

function lognormalInv(p: number, mean: number, sd: number): Numeric {
  if (!openUnit(p) || sd <= 0) return NUM;
  return Math.exp(mean + sd * normInv(p));
}

// ---- gamma family ----

function gammaFunction(x: number): Numeric {
  if (x <= 0 && Number.isInteger(x)) return NUM;
  return gammaFn(x);
}

function gammaLogarithm(x: number): Numeric {
  return x <= 0 ? NUM : gammaLn(x);
}

function gammaDist(x: number, alpha: number, beta: number, cumulative: boolean): Numeric {
  if (x < 0 || alpha <= 0 || beta <= 0) return NUM;
  return cumulative ? regIncGammaP(alpha, x / beta) : gammaDensity(alpha, x / beta) / beta;
}

function gammaInverse(p: number, alpha: number, beta: number): Numeric {
  if (p < 0 || p >= 1 || alpha <= 0 || beta <= 0) return NUM;
  return beta * gammaPInv(alpha, p);
}

function chiSquaredDist(x: number, dfArg: number, cumulative: boolean): Numeric {
  const df = Math.trunc(dfArg);
  if (x < 0 || df < 1 || df > 1e10) return NUM;
  return gammaDist(x, df / 2, 2, cumulative);
}

function chiSquaredRightTail(x: number, dfArg: number): Numeric {
  const df = Math.trunc(dfArg);
  if (x < 0 || df < 1 || df > 1e10) return NUM;
  return regIncGammaQ(df / 2, x / 2);
}

function chiSquaredInv(p: number, dfArg: number): Numeric {
  const df = Math.trunc(dfArg);
  if (p < 0 || p >= 1 || df < 1 || df > 1e10) return NUM;
  return 2 * gammaPInv(df / 2, p);
}

function chiSquaredInvRightTail(p: number, dfArg: number): Numeric {
  const df = Math.trunc(dfArg);
  if (p <= 0 || p > 1 || df < 1 || df > 1e10) return NUM;
  return 2 * gammaPInv(df / 2, 1 - p);
}

function exponentialDist(x: number, lambda: number, cumulative: boolean): Numeric {
  if (x < 0 || lambda <= 0) return NUM;
  return cumulative ? -Math.expm1(-lambda * x) : lambda * Math.exp(-lambda * x);
}

function weibullDist(x: number, alpha: number, beta: number, cumulative: boolean): Numeric {
  if (x < 0 || alpha <= 0 || beta <= 0) return NUM;
  const t = (x / beta) ** alpha;
  if (cumulative) return -Math.expm1(-t);
  return (alpha / beta ** alpha) * x ** (alpha - 1) * Math.exp(-t);
}

// ---- beta ----

function betaDist(
  x: number,
  alpha: number,
  beta: number,
  cumulative: boolean,
  lower: number,
  upper: number,
): Numeric {
  if (alpha <= 0 || beta <= 0 || lower >= upper || x < lower || x > upper) return NUM;
  const u = (x - lower) / (upper - lower);
  return cumulative ? regIncBeta(u, alpha, beta) : betaDensity(u, alpha, beta) / (upper - lower);
}

function betaInverse(p: number, alpha: number, beta: number, lower: number, upper: number): Numeric {
  if (!openUnit(p) || alpha <= 0 || beta <= 0 || lower >= upper) return NUM;
  return lower + (upper - lower) * betaInv(p, alpha, beta);
}

// ---- Student t, F ----

function tDist(x: number, dfArg: number, cumulative: boolean): Numeric {
  const df = Math.trunc(dfArg);
  if (df < 1) return cumulative ? NUM : Errors.DIV0;
  return cumulative ? studentTCdf(x, df) : studentTPdf(x, df);
}

function tRightTail(x: number, dfArg: number): Numeric {
  const df = Math.trunc(dfArg);
  if (df < 1) return NUM;
  return studentTCdf(-x, df);
}

function tTwoTailed(x: number, dfArg: number): Numeric {
  const df = Math.trunc(dfArg);
  if (x < 0 || df < 1) return NUM;
  return 2 * studentTCdf(-x, df);
}

function tLegacy(x: number, df: number, tailsArg: number): Numeric {
  const tails = Math.trunc(tailsArg);
  if (tails !== 1 && tails !== 2) return NUM;
  if (x < 0) return NUM;
  return tails === 1 ? tRightTail(x, df) : tTwoTailed(x, df);
}

function tInverse(p: number, dfArg: number): Numeric {
  const df = Math.trunc(dfArg);
  if (!openUnit(p) || df < 1) return NUM;
  return studentTInv(p, df);
}

function tInverseTwoTailed(p: number, dfArg: number): Numeric {
  const df = Math.trunc(dfArg);
  if (p <= 0 || p > 1 || df < 1) return NUM;
  return -studentTInv(p / 2, df);
}

function fDist(x: number, d1Arg: number, d2Arg: number, cumulative: boolean): Numeric {
  const d1 = Math.trunc(d1Arg);
  const d2 = Math.trunc(d2Arg);
  if (x < 0 || d1 < 1 || d2 < 1 || d1 > 1e10 || d2 > 1e10) return NUM;
  if (cumulative) return regIncBeta((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2);
  if (x === 0) return d1 === 2 ? 1 : d1 > 2 ? 0 : NUM;
  const u = (d1 * x) / (d1 * x + d2);
  // density of F through the beta density of u = d1·x / (d1·x + d2)
  return (betaDensity(u, d1 / 2, d2 / 2) * d1 * d2) / (d1 * x + d2) ** 2;
}

function fRightTail(x: number, d1Arg: number, d2Arg: number): Numeric {
  const d1 = Math.trunc(d1Arg);
  const d2 = Math.trunc(d2Arg);
  if (x < 0 || d1 < 1 || d2 < 1 || d1 > 1e10 || d2 > 1e10) return NUM;
  return regIncBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2);
}

function fInverse(p: number, d1Arg: number, d2Arg: number): Numeric {
  const d1 = Math.trunc(d1Arg);
  const d2 = Math.trunc(d2Arg);
  if (p < 0 || p >= 1 || d1 < 1 || d2 < 1 || d1 > 1e10 || d2 > 1e10) return NUM;
  const u = betaInv(p, d1 / 2, d2 / 2);
  return (d2 * u) / (d1 * (1 - u));
}

function fInverseRightTail(p: number, d1Arg: number, d2Arg: number): Numeric {
  const d1 = Math.trunc(d1Arg);
  const d2 = Math.trunc(d2Arg);
  if (p <= 0 || p > 1 || d1 < 1 || d2 < 1 || d1 > 1e10 || d2 > 1e10) return NUM;
  // the right tail of F is the left tail of the beta variable d2 / (d2 + d1·x)
  const v = betaInv(p, d2 / 2, d1 / 2);
  return (d2 * (1 - v)) / (d1 * v);
}

// ---- discrete distributions ----

/** Up to this many trials, cumulative binomial probabilities are summed term by term, as Excel does. */
const BINOMIAL_SUM_LIMIT = 1000;
const BINOMIAL_FEW_TERMS = 30;

/** C(n, k) as a running product: exact below 2^53, for the smaller of k and n − k up to the sum limit. */
function choose(n: number, k: number): number {
  const small = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= small; i++) c = (c * (n - small + i)) / i;
  return c < 2 ** 53 ? Math.round(c) : c;
}

/** P(X = k) for a binomial: directly when the coefficient is exact (as Excel), else by saddle point. */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  if (Math.min(k, n - k) <= BINOMIAL_SUM_LIMIT) {
    const c = choose(n, k);
    // (1 − p) is rounded; log1p keeps that rounding from being raised to a large power
    const value = c * p ** k * Math.exp((n - k) * Math.log1p(-p));
    if (c < 1e300 && value > 1e-290) return value;
  }
  return binomialMass(k, n, p);
}

function binomialCumulative(k: number, n: number, p: number): number {
  // Few terms: summed as Excel does; many: the incomplete beta function, which is accurate throughout.
  if (k > BINOMIAL_FEW_TERMS && n > BINOMIAL_SUM_LIMIT) return binomialCdf(k, n, p);
  let total = 0;
  for (let i = 0; i <= k; i++) total += binomialPmf(i, n, p);
  return Math.min(1, total);
}

function binomialDist(kArg: number, nArg: number, p: number, cumulative: boolean): Numeric {
  const k = Math.trunc(kArg);
  const n = Math.trunc(nArg);
  if (n < 0 || n > Number.MAX_SAFE_INTEGER || k < 0 || k > n || p < 0 || p > 1) return NUM;
  return cumulative ? binomialCumulative(k, n, p) : binomialPmf(k, n, p);
}

function binomialRange(nArg: number, p: number, sArg: number, s2Arg: number): Numeric {
  const n = Math.trunc(nArg);
  const s = Math.trunc(sArg);
  const s2 = Number.isNaN(s2Arg) ? s : Math.trunc(s2Arg);
  if (n < 0 || p < 0 || p > 1 || s < 0 || s > n || s2 < s || s2 > n) return NUM;
  if (s2 - s > BINOMIAL_FEW_TERMS && n > BINOMIAL_SUM_LIMIT)
    return binomialCdf(s2, n, p) - binomialCdf(s - 1, n, p);
  let total = 0;
  for (let i = s; i <= s2; i++) total += binomialPmf(i, n, p);
  return Math.min(1, total);
}

/** BINOM.INV: the smallest k whose cumulative probability reaches alpha. */
function binomialInv(nArg: number, p: number, alpha: number): Numeric {
  const n = Math.trunc(nArg);
  if (n < 0 || n > Number.MAX_SAFE_INTEGER || !openUnit(p) || !openUnit(alpha)) return NUM;
  // a relative tolerance so that rounding in the cumulative sum does not skip the exact boundary
  const target = alpha * (1 - 1e-15);
  if (n <= BINOMIAL_SUM_LIMIT) {
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += binomialPmf(k, n, p);
      if (total >= target) return k;
    }
    return n;
  }
  const sd = Math.sqrt(n * p * (1 - p));
  const guess = Math.min(n, Math.max(0, Math.floor(n * p + sd * normInv(alpha))));
  return smallestReaching((k) => binomialCdf(k, n, p) >= target, guess, n);
}

/**
 * The smallest k in [0, n] for which `reached` holds (it is monotone in k), searching outwards from a
 * guess with doubling steps and then bisecting: a handful of evaluations when the guess is close.
 */
function smallestReaching(reached: (k: number) => boolean, guess: number, n: number): number {
  let low: number; // reached(low) is false, or low = -1
  let high: number; // reached(high) is true
  if (reached(guess)) {
    high = guess;
    let step = 1;
    low = high - step;
    while (low >= 0 && reached(low)) {
      high = low;
      step *= 2;
      low = high - step;
    }
    low = Math.max(low, -1);
  } else {
    low = guess;
    let step = 1;
    high = Math.min(n, low + step);
    while (high < n && !reached(high)) {
      low = high;
      step *= 2;
      high = Math.min(n, low + step);
    }
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (reached(mid)) high = mid;
    else low = mid;
  }
  return high;
}

function negativeBinomialDist(fArg: number, sArg: number, p: number, cumulative: boolean): Numeric {
  const f = Math.trunc(fArg);
  const s = Math.trunc(sArg);
  if (f < 0 || s < 1 || !openUnit(p)) return NUM;
  if (cumulative) return regIncBeta(p, s, f + 1);
  return (s / (f + s)) * binomialPmf(s, f + s, p);
}

function poissonDist(xArg: number, mean: number, cumulative: boolean): Numeric {
  if (xArg < 0 || mean < 0) return NUM;
  const x = Math.trunc(xArg);
  if (!cumulative) return poissonMass(x, mean);
  return mean === 0 ? 1 : regIncGammaQ(x + 1, mean);
}

function hypergeometricDist(
  sArg: number,
  nArg: number,
  mArg: number,
  totalArg: number,
  cumulative: boolean,
): Numeric {
  const [s, n, m, total] = [sArg, nArg, mArg, totalArg].map(Math.trunc);
  if (s < 0 || n <= 0 || m <= 0 || total <= 0 || n > total || m > total) return NUM;
  if (s > n || s > m || s < Math.max(0, n - total + m)) return NUM;
  if (!cumulative) return hypergeometricMass(s, n, m, total);
  let sum = 0;
  for (let i = Math.max(0, n - total + m); i <= s; i++) sum += hypergeometricMass(i, n, m, total);
  return Math.min(1, sum);
}

// ---- other scalar functions ----

function confidenceNormal(alpha: number, sd: number, sizeArg: number): Numeric {
  const n = Math.trunc(sizeArg);
  if (!openUnit(alpha) || sd <= 0 || n < 1) return NUM;
  // as Excel, through the upper quantile: 1 − α/2 rounds differently from α/2 near α = 1
  return (normInv(1 - alpha / 2) * sd) / Math.sqrt(n);
}

function confidenceT(alpha: number, sd: number, sizeArg: number): Numeric {
  const n = Math.trunc(sizeArg);
  if (!openUnit(alpha) || sd <= 0 || n < 1) return NUM;
  if (n === 1) return Errors.DIV0;
  return (-studentTInv(alpha / 2, n - 1) * sd) / Math.sqrt(n);
}

function fisher(x: number): Numeric {
  if (x <= -1 || x >= 1) return NUM;
  return Math.atanh(x);
}

function permutations(nArg: number, kArg: number): Numeric {
  const n = Math.trunc(nArg);
  const k = Math.trunc(kArg);
  if (n < 0 || k < 0 || n < k) return NUM;
  let result = 1;
  for (let i = n - k + 1; i <= n; i++) result *= i;
  return result;
}

function permutationsWithRepetition(nArg: number, kArg: number): Numeric {
  const n = Math.trunc(nArg);
  const k = Math.trunc(kArg);
  if (n < 0 || k < 0) return NUM;
  return n ** k;
}

const bool = (x: number) => x !== 0;

export const distributionFunctions: FunctionDefinition[] = [
  numeric('NORM.DIST', 4, 4, ([x, m, sd, c]) => normalDist(x, m, sd, bool(c)), { flag: 3 }),
  numeric('NORMDIST', 4, 4, ([x, m, sd, c]) => normalDist(x, m, sd, bool(c)), { flag: 3 }),
  numeric('NORM.INV', 3, 3, ([p, m, sd]) => normalInv(p, m, sd)),
  numeric('NORMINV', 3, 3, ([p, m, sd]) => normalInv(p, m, sd)),
  numeric('NORM.S.DIST', 2, 2, ([z, c]) => normalDist(z, 0, 1, bool(c)), { flag: 1 }),
  numeric('NORMSDIST', 1, 1, ([z]) => normCdf(z)),
  numeric('NORM.S.INV', 1, 1, ([p]) => normalInv(p, 0, 1)),
  numeric('NORMSINV', 1, 1, ([p]) => normalInv(p, 0, 1)),
  numeric('PHI', 1, 1, ([x]) => normPdf(x)),
  numeric('GAUSS', 1, 1, ([z]) => normCdf(z) - 0.5),
  numeric('LOGNORM.DIST', 4, 4, ([x, m, sd, c]) => lognormalDist(x, m, sd, bool(c)), { flag: 3 }),
  numeric('LOGNORMDIST', 3, 3, ([x, m, sd]) => lognormalDist(x, m, sd, true)),
  numeric('LOGNORM.INV', 3, 3, ([p, m, sd]) => lognormalInv(p, m, sd)),
  numeric('LOGINV', 3, 3, ([p, m, sd]) => lognormalInv(p, m, sd)),
  numeric('GAMMA', 1, 1, ([x]) => gammaFunction(x)),
  numeric('GAMMALN', 1, 1, ([x]) => gammaLogarithm(x)),
  numeric('GAMMALN.PRECISE', 1, 1, ([x]) => gammaLogarithm(x)),
  numeric('GAMMA.DIST', 4, 4, ([x, a, b, c]) => gammaDist(x, a, b, bool(c)), { flag: 3 }),
  numeric('GAMMADIST', 4, 4, ([x, a, b, c]) => gammaDist(x, a, b, bool(c)), { flag: 3 }),
  numeric('GAMMA.INV', 3, 3, ([p, a, b]) => gammaInverse(p, a, b)),
  numeric('GAMMAINV', 3, 3, ([p, a, b]) => gammaInverse(p, a, b)),
  numeric('CHISQ.DIST', 3, 3, ([x, df, c]) => chiSquaredDist(x, df, bool(c)), { flag: 2 }),
  numeric('CHISQ.DIST.RT', 2, 2, ([x, df]) => chiSquaredRightTail(x, df)),
  numeric('CHIDIST', 2, 2, ([x, df]) => chiSquaredRightTail(x, df)),
  numeric('CHISQ.INV', 2, 2, ([p, df]) => chiSquaredInv(p, df)),
  numeric('CHISQ.INV.RT', 2, 2, ([p, df]) => chiSquaredInvRightTail(p, df)),
  numeric('CHIINV', 2, 2, ([p, df]) => chiSquaredInvRightTail(p, df)),
  numeric('EXPON.DIST', 3, 3, ([x, l, c]) => exponentialDist(x, l, bool(c)), { flag: 2 }),
  numeric('EXPONDIST', 3, 3, ([x, l, c]) => exponentialDist(x, l, bool(c)), { flag: 2 }),
  numeric('WEIBULL.DIST', 4, 4, ([x, a, b, c]) => weibullDist(x, a, b, bool(c)), { flag: 3 }),
  numeric('WEIBULL', 4, 4, ([x, a, b, c]) => weibullDist(x, a, b, bool(c)), { flag: 3 }),
  numeric('BETA.DIST', 4, 6, ([x, a, b, c, lo, hi]) => betaDist(x, a, b, bool(c), lo, hi), {
    defaults: [0, 1],
    flag: 3,
  }),
  numeric('BETADIST', 3, 5, ([x, a, b, lo, hi]) => betaDist(x, a, b, true, lo, hi), { defaults: [0, 1] }),
  numeric('BETA.INV', 3, 5, ([p, a, b, lo, hi]) => betaInverse(p, a, b, lo, hi), { defaults: [0, 1] }),
  numeric('BETAINV', 3, 5, ([p, a, b, lo, hi]) => betaInverse(p, a, b, lo, hi), { defaults: [0, 1] }),
  numeric('T.DIST', 3, 3, ([x, df, c]) => tDist(x, df, bool(c)), { flag: 2 }),
  numeric('T.DIST.RT', 2, 2, ([x, df]) => tRightTail(x, df)),
  numeric('T.DIST.2T', 2, 2, ([x, df]) => tTwoTailed(x, df)),
  numeric('TDIST', 3, 3, ([x, df, tails]) => tLegacy(x, df, tails)),
  numeric('T.INV', 2, 2, ([p, df]) => tInverse(p, df)),
  numeric('T.INV.2T', 2, 2, ([p, df]) => tInverseTwoTailed(p, df)),
  numeric('TINV', 2, 2, ([p, df]) => tInverseTwoTailed(p, df)),
  numeric('F.DIST', 4, 4, ([x, d1, d2, c]) => fDist(x, d1, d2, bool(c)), { flag: 3 }),
  numeric('F.DIST.RT', 3, 3, ([x, d1, d2]) => fRightTail(x, d1, d2)),
  numeric('FDIST', 3, 3, ([x, d1, d2]) => fRightTail(x, d1, d2)),
  numeric('F.INV', 3, 3, ([p, d1, d2]) => fInverse(p, d1, d2)),
  numeric('F.INV.RT', 3, 3, ([p, d1, d2]) => fInverseRightTail(p, d1, d2)),
  numeric('FINV', 3, 3, ([p, d1, d2]) => fInverseRightTail(p, d1, d2)),
  numeric('BINOM.DIST', 4, 4, ([k, n, p, c]) => binomialDist(k, n, p, bool(c)), { flag: 3 }),
  numeric('BINOMDIST', 4, 4, ([k, n, p, c]) => binomialDist(k, n, p, bool(c)), { flag: 3 }),
  numeric('BINOM.DIST.RANGE', 3, 4, ([n, p, s, s2]) => binomialRange(n, p, s, s2), {
    defaults: [Number.NaN],
  }),
  numeric('BINOM.INV', 3, 3, ([n, p, a]) => binomialInv(n, p, a)),
  numeric('CRITBINOM', 3, 3, ([n, p, a]) => binomialInv(n, p, a)),
  numeric('NEGBINOM.DIST', 4, 4, ([f, s, p, c]) => negativeBinomialDist(f, s, p, bool(c)), { flag: 3 }),
  numeric('NEGBINOMDIST', 3, 3, ([f, s, p]) => negativeBinomialDist(f, s, p, false)),
  numeric('POISSON.DIST', 3, 3, ([x, m, c]) => poissonDist(x, m, bool(c)), { flag: 2 }),
  numeric('POISSON', 3, 3, ([x, m, c]) => poissonDist(x, m, bool(c)), { flag: 2 }),
  numeric('HYPGEOM.DIST', 5, 5, ([s, n, m, t, c]) => hypergeometricDist(s, n, m, t, bool(c)), { flag: 4 }),
  numeric('HYPGEOMDIST', 4, 4, ([s, n, m, t]) => hypergeometricDist(s, n, m, t, false)),
  numeric('CONFIDENCE', 3, 3, ([a, sd, n]) => confidenceNormal(a, sd, n)),
  numeric('CONFIDENCE.NORM', 3, 3, ([a, sd, n]) => confidenceNormal(a, sd, n)),
  numeric('CONFIDENCE.T', 3, 3, ([a, sd, n]) => confidenceT(a, sd, n)),
  numeric('FISHER', 1, 1, ([x]) => fisher(x)),
  numeric('FISHERINV', 1, 1, ([y]) => Math.tanh(y)),
  numeric('PERMUT', 2, 2, ([n, k]) => permutations(n, k)),
  numeric('PERMUTATIONA', 2, 2, ([n, k]) => permutationsWithRepetition(n, k)),
];

export { chiSquaredRightTail, fRightTail, tRightTail };
