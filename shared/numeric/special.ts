/**
 * Special functions in double precision: normal, error, gamma, beta and Student t families.
 *
 * Accuracy targets are ~1e-14 relative for moderate parameters; where a formula is only
 * conditioned to ~1e-12 (very large shape parameters, far tails of derived functions) the
 * comment on the function says so. Domain violations return NaN (callers map that to #NUM!);
 * nothing here throws and nothing allocates on the hot paths.
 */

import {
  abs,
  exp,
  floor,
  isFiniteNumber,
  isInteger,
  isNotANumber,
  log,
  log1p,
  max,
  min,
  NAN,
  NEG_INF,
  PI,
  POS_INF,
  round,
  sin,
  sqrt,
  tan,
  trunc,
} from './math';

const SQRT_2PI = 2.5066282746310002; // sqrt(2*pi)
const LN_SQRT_2PI = 0.9189385332046728; // ln(sqrt(2*pi))
const SQRT_PI = 1.7724538509055159;
const EPS = 2.220446049250313e-16;
const TINY = 1e-300;
const MAX_SERIES_TERMS = 100000;

// ---------------------------------------------------------------------------------------------
// Normal distribution and error function
// ---------------------------------------------------------------------------------------------

/**
 * exp(-x*x/scale) without the rounding error of forming x*x: x is split into a short head
 * (whose square is exact) and a tail, as in Cody's CALERF. Matters in the far tails, where
 * an ulp of x*x is a relative error of x*x*eps in the result.
 */
function expNegSquare(x: number, scale: number): number {
  const head = trunc(x * 16) / 16;
  const tail = x - head;
  return exp((-head * head) / scale) * exp((-tail * (x + head)) / scale);
}

/**
 * Continued fraction 1/(x + s/(x + 2s/(x + 3s/(x + ...)))) by the modified Lentz method.
 * With s = 1 it is the normal Mills ratio (1 - Phi(x)) / phi(x); with s = 1/2 it is
 * erfc(x) * sqrt(pi) * exp(x*x). Converges quickly for x >= ~2.
 */
function millsFraction(x: number, s: number): number {
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const an = n * s;
    d = x + an * d;
    if (d === 0) d = TINY;
    d = 1 / d;
    c = x + an / c;
    if (c === 0) c = TINY;
    const delta = c * d;
    f *= delta;
    if (abs(delta - 1) < EPS) break;
  }
  return 1 / f;
}

/**
 * Sum of x^(2n+1) / (1*3*5*...*(2n+1)) * scale^n, all terms positive (no cancellation).
 * Phi(x) - 1/2 = phi(x) * series(x, 1); erf(x) = 2/sqrt(pi) * exp(-x^2) * series(x, 2).
 */
function oddFactorialSeries(x: number, scale: number): number {
  const x2 = x * x * scale;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (abs(term) < EPS * abs(sum)) break;
  }
  return sum;
}

/** Standard normal density. */
export function normPdf(x: number): number {
  if (isNotANumber(x)) return NAN;
  return expNegSquare(abs(x), 2) / SQRT_2PI;
}

/** Standard normal cumulative distribution, accurate (relative) in both tails. */
export function normCdf(x: number): number {
  if (isNotANumber(x)) return NAN;
  const ax = abs(x);
  if (ax < 2.5) return 0.5 + normPdf(x) * oddFactorialSeries(x, 1);
  if (ax > 40) return x < 0 ? 0 : 1;
  const tail = normPdf(ax) * millsFraction(ax, 1);
  return x < 0 ? tail : 1 - tail;
}

/** Error function erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt. */
export function erf(x: number): number {
  if (isNotANumber(x)) return NAN;
  const ax = abs(x);
  if (ax < 1.5) return (2 / SQRT_PI) * expNegSquare(ax, 1) * oddFactorialSeries(x, 2);
  const r = 1 - erfc(ax);
  return x < 0 ? -r : r;
}

/** Complementary error function 1 - erf(x), accurate (relative) for large positive x. */
export function erfc(x: number): number {
  if (isNotANumber(x)) return NAN;
  if (x < 1.5) return 1 - erf(x);
  if (x > 27.3) return 0;
  return (expNegSquare(x, 1) / SQRT_PI) * millsFraction(x, 0.5);
}

// Wichura (1988), Algorithm AS 241 PPND16: rational approximations accurate to about 1e-16.
const AS241_A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const AS241_B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
const AS241_C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const AS241_D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const AS241_E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const AS241_F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

function poly(c: readonly number[], x: number): number {
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * x + c[i];
  return r;
}

/** Inverse standard normal cdf for p in (0,1); -Infinity/Infinity at 0/1, NaN outside. */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return NAN;
  if (p === 0) return NEG_INF;
  if (p === 1) return POS_INF;
  const q = p - 0.5;
  if (abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(AS241_A, r)) / poly(AS241_B, r);
  }
  let r = sqrt(-log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = poly(AS241_C, r) / poly(AS241_D, r);
  } else {
    r -= 5;
    x = poly(AS241_E, r) / poly(AS241_F, r);
  }
  return q < 0 ? -x : x;
}

// ---------------------------------------------------------------------------------------------
// Gamma function
// ---------------------------------------------------------------------------------------------

// Lanczos approximation, g = 7, n = 9 (relative error ~1e-15 for Re(x) > 0.5).
const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
];

function lanczosSum(x: number): number {
  // x is the argument of Gamma(x), x >= 0.5
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (x - 1 + i);
  return s;
}

/** sin(pi*x) with exact argument reduction (exact zeros at integers). */
function sinPi(x: number): number {
  const r = x - 2 * round(x / 2); // in [-1, 1], exact
  const a = abs(r);
  const s = a <= 0.5 ? sin(PI * a) : sin(PI * (1 - a));
  return r < 0 ? -s : s;
}

/**
 * ln|Gamma(x)| for any x that is not a pole (NaN at 0, -1, -2, ...). Relative accuracy is lost
 * only near the zeros of ln Gamma (x = 1, 2), where absolute accuracy is ~1e-16.
 */
export function gammaLn(x: number): number {
  if (isNotANumber(x)) return NAN;
  if (x <= 0 && isInteger(x)) return NAN;
  if (x === 1 || x === 2) return 0;
  if (isInteger(x) && x <= 23) return log(gammaFn(x)); // exact factorial
  if (x < 0.5) return log(PI / abs(sinPi(x))) - gammaLn(1 - x);
  if (x >= 15) return (x - 0.5) * log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  const t = x + LANCZOS_G - 0.5;
  return LN_SQRT_2PI + (x - 0.5) * log(t) - t + log(lanczosSum(x));
}

/**
 * Gamma(x) for real x; NaN at the poles (0, -1, -2, ...), Infinity on overflow (x > 171.6).
 * Negative arguments use the reflection formula.
 */
export function gammaFn(x: number): number {
  if (isNotANumber(x)) return NAN;
  if (x <= 0 && isInteger(x)) return NAN;
  if (x < 0.5) return PI / (sinPi(x) * gammaFn(1 - x));
  if (x > 171.7) return POS_INF;
  if (isInteger(x) && x <= 23) {
    let f = 1;
    for (let i = 2; i < x; i++) f *= i; // exact: 22! has few enough significant bits
    return f;
  }
  const t = x + LANCZOS_G - 0.5;
  const half = t ** ((x - 0.5) / 2); // split to avoid overflow of t^(x-0.5)
  return SQRT_2PI * half * (half * exp(-t)) * lanczosSum(x);
}

/**
 * Stirling's series remainder for ln Gamma(x): ln Gamma(x) - [(x-1/2) ln x - x + ln sqrt(2 pi)].
 * Asymptotic series for x >= 15; otherwise by difference (absolute error ~1e-15).
 */
function stirlingCorrection(x: number): number {
  if (x >= 15) {
    const x2 = x * x;
    return (
      (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - (1 / 1188 - 691 / 360360 / x2) / x2) / x2) / x2) / x2) / x
    );
  }
  return gammaLn(x) - ((x - 0.5) * log(x) - x + LN_SQRT_2PI);
}

/**
 * a*ln(a/x) + x - a computed without cancellation when a ~ x (Loader 2000, "bd0").
 * It is the Poisson/gamma "deviance" that dominates the exponent of densities.
 */
function deviance(a: number, x: number): number {
  if (abs(a - x) < 0.1 * (a + x)) {
    const v = (a - x) / (a + x);
    let s = (a - x) * v;
    let ej = 2 * a * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return a * log(a / x) + x - a;
}

/** x^a e^-x / Gamma(a), the common prefactor of the regularised incomplete gamma functions. */
function gammaPrefix(a: number, x: number): number {
  if (a < 1) return exp(a * log(x) - x - gammaLn(a));
  // Gamma(a) = sqrt(2pi) a^(a-1/2) e^-a e^stirling(a), so the prefix is
  // sqrt(a/2pi) * exp(-deviance(a,x) - stirling(a)), free of large cancelling terms.
  return sqrt(a / (2 * PI)) * exp(-deviance(a, x) - stirlingCorrection(a));
}

/** Series for P(a,x) / prefix, valid (fast) for x < a + 1. */
function gammaPSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let n = 0; n < MAX_SERIES_TERMS; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (abs(term) < abs(sum) * EPS) break;
  }
  return sum;
}

/** Continued fraction for Q(a,x) / prefix (Lentz), valid for x >= a + 1. */
function gammaQFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_SERIES_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (abs(delta - 1) < EPS) break;
  }
  return h;
}

/** Lower regularised incomplete gamma P(a,x) = gamma(a,x)/Gamma(a); a > 0, x >= 0. */
export function regIncGammaP(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NAN;
  if (x === 0) return 0;
  if (x === POS_INF) return 1;
  if (x < a + 1) return gammaPrefix(a, x) * gammaPSeries(a, x);
  return 1 - gammaPrefix(a, x) * gammaQFraction(a, x);
}

/** Upper regularised incomplete gamma Q(a,x) = 1 - P(a,x), accurate in the upper tail. */
export function regIncGammaQ(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NAN;
  if (x === 0) return 1;
  if (x === POS_INF) return 0;
  if (x < a + 1) return 1 - gammaPrefix(a, x) * gammaPSeries(a, x);
  return gammaPrefix(a, x) * gammaQFraction(a, x);
}

/** Density of the standard gamma distribution (shape a, scale 1) = dP/dx. */
export function gammaDensity(a: number, x: number): number {
  if (!(a > 0) || x < 0) return NAN;
  if (x === 0) return a === 1 ? 1 : a < 1 ? POS_INF : 0;
  return gammaPrefix(a, x) / x;
}

// ---------------------------------------------------------------------------------------------
// Root finding shared by the inverse functions
// ---------------------------------------------------------------------------------------------

/**
 * residual(x, a, b, target, upper) for the inverse functions: increasing in x, zero at the
 * solution. Module-level functions plus explicit parameters (rather than closures) keep the
 * inverse cdfs free of allocation, as the sampling hot path requires.
 */
type Residual = (x: number, a: number, b: number, target: number, upper: boolean) => number;
type Slope = (x: number, a: number, b: number) => number;

/**
 * Solve residual(x) = 0 for a residual increasing in x on [lo, hi] (hi may be Infinity), by
 * Newton steps that fall back to bisection whenever they leave the current bracket.
 */
function solveIncreasing(
  residual: Residual,
  slope: Slope,
  a: number,
  b: number,
  target: number,
  upper: boolean,
  x0: number,
  lo: number,
  hi: number,
): number {
  let x = x0;
  for (let iter = 0; iter < 400; iter++) {
    const r = residual(x, a, b, target, upper);
    if (r === 0) return x;
    if (r < 0) lo = x;
    else hi = x;
    let next = x - r / slope(x, a, b);
    if (!(next > lo && next < hi) || !isFiniteNumber(next)) {
      next = hi === POS_INF ? max(2 * x, x + 1) : 0.5 * (lo + hi);
    }
    if (abs(next - x) <= 4 * EPS * abs(next) || next === lo || next === hi) return next;
    x = next;
  }
  return x;
}

/** P(a,x) - p, or (1-p) - Q(a,x) on the upper side where that is the accurate form. */
function gammaResidual(x: number, a: number, _b: number, target: number, upper: boolean): number {
  return upper ? target - regIncGammaQ(a, x) : regIncGammaP(a, x) - target;
}

function gammaSlope(x: number, a: number): number {
  return gammaDensity(a, x);
}

/** Inverse of P(a, .): the x >= 0 with P(a,x) = p, for a > 0 and p in [0,1]. */
export function gammaPInv(a: number, p: number): number {
  if (!(a > 0 && p >= 0 && p <= 1)) return NAN;
  if (p === 0) return 0;
  if (p === 1) return POS_INF;
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  const x0 = gammaInitialGuess(a, p);
  return solveIncreasing(gammaResidual, gammaSlope, a, 0, target, upper, x0, 0, POS_INF);
}

function gammaInitialGuess(a: number, p: number): number {
  if (a > 1) {
    // Wilson–Hilferty
    const z = normInv(p);
    const x = a * (1 - 1 / (9 * a) + z / (3 * sqrt(a))) ** 3;
    return max(1e-3 * a, x);
  }
  const t = 1 - a * (0.253 + a * 0.12);
  return p < t ? (p / t) ** (1 / a) : 1 - log(1 - (p - t) / (1 - t));
}

// ---------------------------------------------------------------------------------------------
// Beta function
// ---------------------------------------------------------------------------------------------

/**
 * ln B(a,b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a+b), written through Stirling corrections
 * for large a + b so that the big (x-1/2) ln x terms cancel analytically.
 */
/**
 * Samplers call the inverse beta and gamma functions millions of times with the same parameters, and
 * each Newton step needs ln B(a,b) or ln Γ(a): a few recent results are remembered (values unchanged).
 */
class RecentResults {
  private readonly a = new Float64Array(8).fill(Number.NaN);
  private readonly b = new Float64Array(8).fill(Number.NaN);
  private readonly value = new Float64Array(8);
  private next = 0;

  get(a: number, b: number): number | undefined {
    for (let i = 0; i < 8; i++) if (this.a[i] === a && this.b[i] === b) return this.value[i];
    return undefined;
  }

  set(a: number, b: number, value: number): number {
    this.a[this.next] = a;
    this.b[this.next] = b;
    this.value[this.next] = value;
    this.next = (this.next + 1) & 7;
    return value;
  }
}

const recentBetaLn = new RecentResults();

export function betaLn(a: number, b: number): number {
  return recentBetaLn.get(a, b) ?? recentBetaLn.set(a, b, computeBetaLn(a, b));
}

function computeBetaLn(a: number, b: number): number {
  const c = a + b;
  if (c < 10) return gammaLn(a) + gammaLn(b) - gammaLn(c);
  return (
    (a - 0.5) * log1p(-b / c) +
    (b - 0.5) * log(b / c) -
    0.5 * log(c) +
    LN_SQRT_2PI +
    stirlingCorrection(a) +
    stirlingCorrection(b) -
    stirlingCorrection(c)
  );
}

/** Continued fraction for I_x(a,b) * a / prefix (Numerical Recipes betacf, Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_SERIES_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (abs(delta - 1) < EPS) break;
  }
  return h;
}

/** x^a (1-x)^b / B(a,b), with y = 1 - x passed separately to keep its precision. */
function betaPrefix(x: number, y: number, a: number, b: number): number {
  // ln of whichever of x, y is near 1 comes from log1p of the other, which is known exactly
  const lnX = x < 0.5 ? log(x) : log1p(-y);
  const lnY = y < 0.5 ? log(y) : log1p(-x);
  return exp(a * lnX + b * lnY - betaLn(a, b));
}

/**
 * I_x(a,b) (complement = false) or 1 - I_x(a,b) (complement = true), where y = 1 - x is
 * given exactly by the caller. The fraction is evaluated on whichever side converges, and the
 * requested quantity is formed from it without cancellation whenever it is the small one.
 */
function incBeta(x: number, y: number, a: number, b: number, complement: boolean): number {
  if (x <= 0) return complement ? 1 : 0;
  if (y <= 0) return complement ? 0 : 1;
  const prefix = betaPrefix(x, y, a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (prefix * betaFraction(x, a, b)) / a;
    return complement ? 1 - lower : lower;
  }
  const upper = (prefix * betaFraction(y, b, a)) / b;
  return complement ? upper : 1 - upper;
}

/** Regularised incomplete beta I_x(a,b) for x in [0,1], a > 0, b > 0. */
export function regIncBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0 && x >= 0 && x <= 1)) return NAN;
  return incBeta(x, 1 - x, a, b, false);
}

/** Density of the standard beta distribution on [0,1]. */
export function betaDensity(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || x < 0 || x > 1) return NAN;
  if (x === 0) return a === 1 ? exp(-betaLn(a, b)) : a < 1 ? POS_INF : 0;
  if (x === 1) return b === 1 ? exp(-betaLn(a, b)) : b < 1 ? POS_INF : 0;
  return exp((a - 1) * log(x) + (b - 1) * log1p(-x) - betaLn(a, b));
}

/** Inverse of I_.(a,b): the x in [0,1] with I_x(a,b) = p. */
export function betaInv(p: number, a: number, b: number): number {
  if (!(a > 0 && b > 0 && p >= 0 && p <= 1)) return NAN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  const x0 = betaInitialGuess(p, a, b);
  return solveIncreasing(betaResidual, betaDensity, a, b, target, upper, x0, 0, 1);
}

/** I_x(a,b) - p, or (1-p) - (1 - I_x(a,b)) on the upper side. */
function betaResidual(x: number, a: number, b: number, target: number, upper: boolean): number {
  return upper ? target - incBeta(x, 1 - x, a, b, true) : incBeta(x, 1 - x, a, b, false) - target;
}

/** Starting point from Numerical Recipes' invbetai (Abramowitz & Stegun 26.5.22 for a,b >= 1). */
function betaInitialGuess(p: number, a: number, b: number): number {
  let x: number;
  if (a >= 1 && b >= 1) {
    const z = -normInv(p); // upper-tail normal deviate, as in A&S 26.5.22
    const al = (z * z - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (z * sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    x = a / (a + b * exp(2 * w));
  } else {
    const lna = log(a / (a + b));
    const lnb = log(b / (a + b));
    const t = exp(a * lna) / a;
    const u = exp(b * lnb) / b;
    const w = t + u;
    x = p < t / w ? (a * w * p) ** (1 / a) : 1 - (b * w * (1 - p)) ** (1 / b);
  }
  return x > 0 && x < 1 ? x : 0.5;
}

// ---------------------------------------------------------------------------------------------
// Student t
// ---------------------------------------------------------------------------------------------

/** Cumulative distribution of Student's t with df > 0 degrees of freedom (df may be fractional). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0) || isNotANumber(t)) return NAN;
  if (t === POS_INF) return 1;
  if (t === NEG_INF) return 0;
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2); x and 1-x formed separately for precision
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const twoTail = incBeta(x, y, df / 2, 0.5, false);
  return t > 0 ? 1 - 0.5 * twoTail : 0.5 * twoTail;
}

/** Density of Student's t. */
export function studentTPdf(t: number, df: number): number {
  if (!(df > 0)) return NAN;
  return exp(-((df + 1) / 2) * log1p((t * t) / df) - 0.5 * log(df) - betaLn(df / 2, 0.5));
}

/** Inverse cdf of Student's t: the t with studentTCdf(t, df) = p. */
export function studentTInv(p: number, df: number): number {
  if (!(df > 0 && p >= 0 && p <= 1)) return NAN;
  if (p === 0) return NEG_INF;
  if (p === 1) return POS_INF;
  if (p === 0.5) return 0;
  const lower = min(p, 1 - p); // P(T < -|t|)
  if (df === 1) return (p < 0.5 ? -1 : 1) / tan(PI * lower); // Cauchy, no tan(pi/2) pole
  let magnitude: number;
  if (df >= 3 && lower > 1e-4) {
    // away from the far tails the Cornish–Fisher expansion in 1/df is already close
    const z = -normInv(lower);
    const z2 = z * z;
    magnitude = z + (z * (z2 + 1)) / (4 * df) + (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * df * df);
  } else if (lower < 0.25) {
    // 2*lower = I_x(df/2, 1/2) with x = df/(df+t^2); invert on the side where x or 1-x is small
    const x = betaInv(2 * lower, df / 2, 0.5);
    magnitude = sqrt((df * (1 - x)) / x);
  } else {
    const y = betaInv(1 - 2 * lower, 0.5, df / 2);
    magnitude = sqrt((df * y) / (1 - y));
  }
  // polish with Newton on the t scale, where the cdf is well conditioned
  magnitude = solveIncreasing(tResidual, tSlope, df, 0, lower, false, magnitude, 0, POS_INF);
  return p < 0.5 ? -magnitude : magnitude;
}

/** P(T < -m) falls as m grows, so target - P(T < -m) increases in m. */
function tResidual(m: number, df: number, _b: number, target: number): number {
  return target - studentTCdf(-m, df);
}

function tSlope(m: number, df: number): number {
  return studentTPdf(m, df);
}

// ---------------------------------------------------------------------------------------------
// Inverse Gaussian (Wald), standardised to mean 1: X/mu for X ~ IG(mu, lambda) has shape phi = lambda/mu
// ---------------------------------------------------------------------------------------------

/**
 * e^(2 phi) Phi(-z) with z = sqrt(phi/x) (x+1), the second term of the cdf. z >= 2 sqrt(phi), so below
 * z = 2.5 the factor e^(2 phi) < 23 is formed directly; beyond, e^(2 phi) times the normal density at z is
 * exp(-phi (x-1)^2 / 2x) (the exponents cancel), times the Mills ratio: no overflow for large phi.
 */
function inverseGaussianReflected(x: number, phi: number): number {
  const z = sqrt(phi / x) * (x + 1);
  if (z < 2.5) return exp(2 * phi) * normCdf(-z);
  return (exp((-phi * (x - 1) * (x - 1)) / (2 * x)) * millsFraction(z, 1)) / SQRT_2PI;
}

/**
 * P(X <= x) (or, upper, P(X > x)) for the inverse Gaussian of mean 1 and shape phi:
 * Phi(sqrt(phi/x)(x-1)) + e^(2 phi) Phi(-sqrt(phi/x)(x+1)). The upper tail is a difference of two
 * terms whose ratio tends to 1 as x grows: about log10(x) digits are lost there (~1e-14 relative at the
 * 1 - 1e-16 quantile of phi = 1).
 */
export function inverseGaussianCdf(x: number, phi: number, upper = false): number {
  if (!(phi > 0) || isNotANumber(x)) return NAN;
  if (x <= 0) return upper ? 1 : 0;
  if (x === POS_INF) return upper ? 0 : 1;
  const z = sqrt(phi / x) * (x - 1);
  const reflected = inverseGaussianReflected(x, phi);
  return upper ? max(0, normCdf(-z) - reflected) : min(1, normCdf(z) + reflected);
}

/** Density of the inverse Gaussian of mean 1 and shape phi. */
export function inverseGaussianDensity(x: number, phi: number): number {
  if (!(x > 0)) return 0;
  return sqrt(phi / (2 * PI * x * x * x)) * exp((-phi * (x - 1) * (x - 1)) / (2 * x));
}

function inverseGaussianResidual(x: number, phi: number, _b: number, target: number, upper: boolean): number {
  return upper ? target - inverseGaussianCdf(x, phi, true) : inverseGaussianCdf(x, phi) - target;
}

/**
 * Inverse of the inverse Gaussian cdf (mean 1, shape phi) at p in [0,1]: safeguarded Newton from the
 * lognormal of the same mean and variance, on the upper tail above p = 1/2.
 */
export function inverseGaussianInv(p: number, phi: number): number {
  if (!(phi > 0 && p >= 0 && p <= 1)) return NAN;
  if (p === 0) return 0;
  if (p === 1) return POS_INF;
  const upper = p > 0.5;
  const logVariance = log1p(1 / phi);
  const x0 = exp(-logVariance / 2 + sqrt(logVariance) * normInv(p));
  return solveIncreasing(
    inverseGaussianResidual,
    inverseGaussianDensity,
    phi,
    0,
    upper ? 1 - p : p,
    upper,
    x0,
    0,
    POS_INF,
  );
}

// ---------------------------------------------------------------------------------------------
// Discrete helpers
// ---------------------------------------------------------------------------------------------

/** P(X <= k) for X ~ Binomial(n, p); k is floored; n a non-negative integer, p in [0,1]. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!(n >= 0 && p >= 0 && p <= 1) || isNotANumber(k)) return NAN;
  k = floor(k);
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  // P(X <= k) = I_{1-p}(n-k, k+1)
  return incBeta(1 - p, p, n - k, k + 1, false);
}

/** P(X <= k) for X ~ Poisson(lambda); k is floored; lambda >= 0. */
export function poissonCdf(k: number, lambda: number): number {
  if (!(lambda >= 0) || isNotANumber(k)) return NAN;
  k = floor(k);
  if (k < 0) return 0;
  if (lambda === 0) return 1;
  return regIncGammaQ(k + 1, lambda);
}

/**
 * P(X = k) for X ~ Poisson(lambda), integer k >= 0, by Loader's saddle-point form (no
 * cancellation of large logarithms, accurate for huge lambda).
 */
export function poissonPmf(k: number, lambda: number): number {
  if (!(lambda >= 0) || k < 0 || !isInteger(k)) return NAN;
  if (lambda === 0) return k === 0 ? 1 : 0;
  if (k === 0) return exp(-lambda);
  return exp(-stirlingCorrection(k) - deviance(k, lambda)) / sqrt(2 * PI * k);
}

/** P(X = k) for X ~ Binomial(n, p), integers 0 <= k <= n, by Loader's saddle-point form. */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!(n >= 0 && p >= 0 && p <= 1) || !isInteger(k) || !isInteger(n)) return NAN;
  if (k < 0 || k > n) return 0;
  return saddlePointBinomial(k, n, p);
}

/**
 * P(X = k) for X ~ NegativeBinomial(size, p), the failures before the size-th success, for a real
 * size > 0 and integer k >= 0 (the gamma–Poisson mixture when size is fractional):
 * Γ(size+k)/(Γ(size) k!) p^size (1-p)^k = size/(size+k) · the binomial form at (size; size+k, p).
 */
export function negativeBinomialPmf(k: number, size: number, p: number): number {
  if (!(size > 0 && p > 0 && p <= 1) || !isInteger(k)) return NAN;
  if (k < 0) return 0;
  return (size / (size + k)) * saddlePointBinomial(size, size + k, p);
}

/** Loader's saddle-point binomial term, 0 <= k <= n, for real k and n too (their Γ forms). */
function saddlePointBinomial(k: number, n: number, p: number): number {
  const q = 1 - p;
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) return exp(n * log1p(-p));
  if (k === n) return exp(n * log(p));
  const lc =
    stirlingCorrection(n) -
    stirlingCorrection(k) -
    stirlingCorrection(n - k) -
    deviance(k, n * p) -
    deviance(n - k, n * q);
  return exp(lc) * sqrt(n / (2 * PI * k * (n - k)));
}
