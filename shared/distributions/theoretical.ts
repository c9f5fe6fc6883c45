/**
 * The theoretical statistics of a distribution as a model writes it (truncation and shift included):
 * what @RISK's RiskTheoMean, RiskTheoVariance, RiskTheoStdDev, RiskTheoSkewness, RiskTheoKurtosis,
 * RiskTheoMode, RiskTheoMin and RiskTheoMax report. Percentiles and P(X <= x) are the distribution's
 * own inverseCdf and cdf.
 *
 * Untruncated distributions with a closed form take it (location–scale families and the shape families
 * through their raw moments E[Z^k]). Truncated ones, and those without a closed form (RiskCumul,
 * RiskGeneral, RiskJohnsonSB, RiskDoubleTriang, table distributions), are integrated: continuous ones by
 * tanh-sinh quadrature of (quantile - mean)^k over the probability, discrete ones by summing over their
 * atoms. Where a moment diverges the tail that makes it diverge is known from the type (HEAVY_TAILS),
 * since no quadrature can tell a large moment from an infinite one.
 */

import {
  abs,
  ceil,
  exp,
  expm1,
  POS_INF as INF,
  isFiniteNumber,
  log,
  log1p,
  max as maxOf,
  min as minOf,
  NAN,
  NEG_INF,
  PI,
  sin,
  sqrt,
} from '../numeric/math';
import { betaLn, gammaFn, gammaLn } from '../numeric/special';
import { nextUp, ParamCheck } from './base';
import {
  createDistribution,
  type Distribution,
  type DistributionSpec,
  type DistributionType,
} from './distribution';
import { fitMetalog, metalogTailCoefficient } from './metalog';
import { integrateOverProbability } from './quantile-mean';

/**
 * The statistics of the final (truncated, then shifted) distribution. A statistic that does not exist
 * is NaN, one that diverges is +Infinity (-Infinity for a mean or skewness whose only heavy tail is the
 * lower one); formulas show NaN as #NUM! and ±Infinity as #DIV/0!, Excel's errors for a result that is
 * not a number and for an unbounded one. So:
 * - mean: NaN where both tails are too heavy (Cauchy, Student with nu ≤ 1), else ±Infinity when it
 *   diverges (Pareto with theta ≤ 1, Lévy);
 * - variance, stdDev: +Infinity when E[X²] diverges (NaN where the mean is NaN);
 * - skewness: NaN when the variance is infinite or the mean undefined, ±Infinity when only E|X|³ diverges
 *   on one side; NaN when it diverges on both (Student with 2 < nu ≤ 3);
 * - kurtosis (not excess: the normal's is 3): NaN when the variance is infinite or undefined, +Infinity
 *   when only E[X⁴] diverges;
 * - mode: the most likely value, the smallest of them on a tie (a Uniform's is its minimum, a
 *   Poisson's with an integer lambda is lambda - 1; a U-shaped Beta's, infinite at both ends, its
 *   minimum); for a continuous distribution without a closed form, the maximum of the density found
 *   numerically (relative accuracy about 1e-6; for RiskCumul, some point of its steepest segment);
 * - min, max: the support's ends, which may be infinite (for a truncated discrete distribution, its
 *   first and last possible values within the limits).
 * A point mass (a zero standard deviation, min = max) has variance 0 and NaN skewness and kurtosis.
 */
export interface TheoreticalStatistics {
  readonly mean: number;
  readonly variance: number;
  readonly stdDev: number;
  readonly skewness: number;
  readonly kurtosis: number;
  readonly mode: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The theoretical statistics of the distribution a spec describes (see TheoreticalStatistics for the
 * meaning of NaN and Infinity), or the spec's error as createDistribution words it (a formula shows
 * #VALUE!, as for the distribution function itself).
 */
export function theoreticalStatistics(spec: DistributionSpec): TheoreticalStatistics | { error: string } {
  if (spec.type === 'compound')
    return {
      error: 'RiskCompound: its theoretical statistics are not computed (it has no quantile function)',
    };
  const final = createDistribution(spec);
  if ('error' in final) return final;
  if (final.min === final.max) return pointStatistics(final.min);
  const whole = createDistribution({ ...spec, truncate: undefined });
  if ('error' in whole) return whole;
  const shift = spec.shift ?? 0;
  const truncated = final.min !== whole.min || final.max !== whole.max;
  const exact = closedForm(spec.type, spec.params);
  const tail = heavyTail(spec, final);
  if (final.discrete) {
    const [lower, upper] = discreteSupport(spec.type, spec.params) ?? [whole.min - shift, whole.max - shift];
    const atoms = truncated || !exact?.moments ? walkAtoms(final) : undefined;
    const moments = !truncated && exact?.moments ? shifted(exact.moments, shift) : atomMoments(final, atoms);
    const mode = !truncated && exact?.mode !== undefined ? exact.mode + shift : (atoms?.mode ?? NAN);
    const limits = spec.truncate ?? {};
    return {
      ...moments,
      stdDev: sqrt(moments.variance),
      mode,
      // within a truncation the ends are the first and last possible values inside its limits
      min: (limits.min ?? NEG_INF) > lower + shift ? (atoms?.first ?? final.min) : lower + shift,
      max: (limits.max ?? INF) < upper + shift ? (atoms?.last ?? final.max) : upper + shift,
    };
  }
  const kinks = densityJumps(spec).map((x) => final.cdf(x + shift));
  const moments =
    !truncated && exact?.moments ? shifted(exact.moments, shift) : integratedMoments(final, tail, kinks);
  // the densities with a closed-form mode are unimodal (but U-shaped ones): truncation clamps it
  const mode =
    exact?.mode !== undefined && (!truncated || exact.unimodal !== false)
      ? minOf(final.max, maxOf(final.min, exact.mode + shift))
      : densityMaximum(final);
  return { ...moments, stdDev: sqrt(moments.variance), mode, min: final.min, max: final.max };
}

function shifted(moments: Moments, shift: number): Moments {
  return { ...moments, mean: moments.mean + shift };
}

function pointStatistics(value: number): TheoreticalStatistics {
  return {
    mean: value,
    variance: 0,
    stdDev: 0,
    skewness: NAN,
    kurtosis: NAN,
    mode: value,
    min: value,
    max: value,
  };
}

interface Moments {
  mean: number;
  variance: number;
  skewness: number;
  kurtosis: number;
}

/** What is known in closed form of an untruncated, unshifted distribution; the rest is integrated. */
interface ClosedForm {
  moments?: Moments;
  mode?: number;
  /** False where the density has no single peak (a U-shaped Beta), so truncation cannot clamp the mode. */
  unimodal?: boolean;
}

/**
 * Moments of location + scale · Z from the raw moments E[Z^k], k = 1..4, Infinity where they diverge
 * (a heavy upper tail): the mean diverges first, then the variance (skewness and kurtosis undefined),
 * then the third and fourth moments.
 */
function fromRawMoments(location: number, scale: number, raw: (k: number) => number): Moments {
  const [m1, m2, m3, m4] = [1, 2, 3, 4].map(raw);
  if (!isFiniteNumber(m1)) return { mean: INF, variance: INF, skewness: NAN, kurtosis: NAN };
  const mean = location + scale * m1;
  if (!isFiniteNumber(m2)) return { mean, variance: INF, skewness: NAN, kurtosis: NAN };
  const v = m2 - m1 * m1;
  const mu3 = m3 - 3 * m1 * m2 + 2 * m1 ** 3;
  const mu4 = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
  return {
    mean,
    variance: scale * scale * v,
    skewness: isFiniteNumber(m3) ? mu3 / v ** 1.5 : INF,
    kurtosis: isFiniteNumber(m4) ? mu4 / (v * v) : INF,
  };
}

/** Raw moments of order k < index from a formula, Infinity from the tail index on. */
function below(index: number, moment: (k: number) => number): (k: number) => number {
  return (k) => (k < index ? moment(k) : INF);
}

function symmetric(mean: number, variance: number, kurtosis: number): Moments {
  return { mean, variance, skewness: 0, kurtosis };
}

/** Beta(a, b) on [min, min + width]: its moments and mode (the smallest end where the density is infinite or flat). */
function scaledBeta(a: number, b: number, min: number, width: number): ClosedForm {
  const s = a + b;
  const excess = (6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2))) / (a * b * (s + 2) * (s + 3));
  return {
    moments: {
      mean: min + (width * a) / s,
      variance: (width * width * a * b) / (s * s * (s + 1)),
      skewness: (2 * (b - a) * sqrt(s + 1)) / ((s + 2) * sqrt(a * b)),
      kurtosis: 3 + excess,
    },
    ...boundedShapeMode(a, b, min, width, () => (a - 1) / (s - 2)),
  };
}

/**
 * The mode of a density on [min, min + width] with shapes a (at the lower end) and b (at the upper):
 * infinite or flat at the lower end when a ≤ 1 (the smallest most likely value is then min, also for
 * the U shape a, b < 1, which is not unimodal), at the upper end when b < 1, else interior.
 */
function boundedShapeMode(
  a: number,
  b: number,
  min: number,
  width: number,
  interior: () => number,
): Pick<ClosedForm, 'mode' | 'unimodal'> {
  if (a < 1 && b < 1) return { mode: min, unimodal: false };
  if (a < 1 || (a === 1 && b >= 1)) return { mode: min };
  if (b <= 1) return { mode: min + width };
  return { mode: min + width * interior() };
}

function gammaMoments(shape: number, scale: number): ClosedForm {
  return {
    moments: {
      mean: shape * scale,
      variance: shape * scale * scale,
      skewness: 2 / sqrt(shape),
      kurtosis: 3 + 6 / shape,
    },
    mode: shape >= 1 ? (shape - 1) * scale : 0,
  };
}

function lognormalMoments(mean: number, w: number, mu: number, sigma2: number): ClosedForm {
  // w = e^(sigma²), passed as 1 + (sd/mean)² where that is exact
  return {
    moments: {
      mean,
      variance: mean * mean * (w - 1),
      skewness: (w + 2) * sqrt(w - 1),
      kurtosis: w ** 4 + 2 * w ** 3 + 3 * w * w - 3,
    },
    mode: exp(mu - sigma2),
  };
}

/** The smallest most likely value of a discrete unimodal law whose modes are t - 1 and t when t is whole. */
function smallestMode(t: number): number {
  return maxOf(0, ceil(t) - 1);
}

const EULER_GAMMA = 0.5772156649015329;
/** 12√6 ζ(3) / π³: the Gumbel distribution's skewness. */
const GUMBEL_SKEWNESS = 1.1395470994046486;

/** scale · Y/(1-Y) with Y ~ Beta(a, b) (Pearson VI, F): E[(X/scale)^k] = B(a+k, b-k) / B(a, b) for k < b. */
function betaPrimeForm(a: number, b: number, scale: number): ClosedForm {
  return {
    moments: fromRawMoments(
      0,
      scale,
      below(b, (k) => exp(betaLn(a + k, b - k) - betaLn(a, b))),
    ),
    mode: a >= 1 ? (scale * (a - 1)) / (b + 1) : 0,
  };
}

/** The untruncated, unshifted distribution's statistics in closed form, or undefined where it has none. */
function closedForm(type: DistributionType, p: number[]): ClosedForm | undefined {
  switch (type) {
    case 'normal':
      return { moments: symmetric(p[0], p[1] * p[1], 3), mode: p[0] };
    case 'erf':
      return { moments: symmetric(0, 1 / (2 * p[0] * p[0]), 3), mode: 0 };
    case 'lognormal': {
      const ratio2 = (p[1] / p[0]) ** 2;
      const sigma2 = log1p(ratio2);
      return lognormalMoments(p[0], 1 + ratio2, log(p[0]) - sigma2 / 2, sigma2);
    }
    case 'lognormal2': {
      const sigma2 = p[1] * p[1];
      return lognormalMoments(exp(p[0] + sigma2 / 2), 1 + expm1(sigma2), p[0], sigma2);
    }
    case 'uniform':
      return { moments: symmetric((p[0] + p[1]) / 2, (p[1] - p[0]) ** 2 / 12, 1.8), mode: p[0] };
    case 'triangular': {
      const [a, c, b] = p;
      const q = a * a + b * b + c * c - a * b - a * c - b * c;
      const skewness = (Math.SQRT2 * (a + b - 2 * c) * (2 * a - b - c) * (a - 2 * b + c)) / (5 * q ** 1.5);
      return { moments: { mean: (a + b + c) / 3, variance: q / 18, skewness, kurtosis: 2.4 }, mode: c };
    }
    case 'pert': {
      const [min, mode, max] = p;
      const width = max - min;
      const form = scaledBeta(1 + (4 * (mode - min)) / width, 1 + (4 * (max - mode)) / width, min, width);
      return { ...form, mode };
    }
    case 'beta':
      return scaledBeta(p[0], p[1], 0, 1);
    case 'betageneral':
      return scaledBeta(p[0], p[1], p[2], p[3] - p[2]);
    case 'exponential':
      return { moments: { mean: p[0], variance: p[0] * p[0], skewness: 2, kurtosis: 9 }, mode: 0 };
    case 'gamma':
    case 'erlang':
      return gammaMoments(p[0], p[1]);
    case 'chisq':
      return gammaMoments(p[0] / 2, 2);
    case 'weibull': {
      const [shape, scale] = p;
      return {
        moments: fromRawMoments(0, scale, (k) => gammaFn(1 + k / shape)),
        mode: shape > 1 ? scale * ((shape - 1) / shape) ** (1 / shape) : 0,
      };
    }
    case 'student': {
      const nu = p[0];
      return {
        moments: {
          mean: nu > 1 ? 0 : NAN,
          variance: nu > 2 ? nu / (nu - 2) : nu > 1 ? INF : NAN,
          skewness: nu > 3 ? 0 : NAN,
          kurtosis: nu > 4 ? 3 + 6 / (nu - 4) : nu > 2 ? INF : NAN,
        },
        mode: 0,
      };
    }
    case 'cauchy':
      return { moments: { mean: NAN, variance: NAN, skewness: NAN, kurtosis: NAN }, mode: p[0] };
    case 'logistic':
      return { moments: symmetric(p[0], (PI * PI * p[1] * p[1]) / 3, 4.2), mode: p[0] };
    case 'laplace':
      return { moments: symmetric(p[0], p[1] * p[1], 6), mode: p[0] };
    case 'hypsecant':
      return { moments: symmetric(p[0], p[1] * p[1], 5), mode: p[0] };
    case 'extvalue':
    case 'extvaluemin': {
      const sign = type === 'extvalue' ? 1 : -1;
      const [location, scale] = p;
      return {
        moments: {
          mean: location + sign * EULER_GAMMA * scale,
          variance: (PI * PI * scale * scale) / 6,
          skewness: sign * GUMBEL_SKEWNESS,
          kurtosis: 5.4,
        },
        mode: location,
      };
    }
    case 'rayleigh': {
      const b = p[0];
      const spread = 4 - PI;
      return {
        moments: {
          mean: b * sqrt(PI / 2),
          variance: (spread / 2) * b * b,
          skewness: (2 * sqrt(PI) * (PI - 3)) / spread ** 1.5,
          kurtosis: 3 + (-6 * PI * PI + 24 * PI - 16) / (spread * spread),
        },
        mode: b,
      };
    }
    case 'pareto': {
      const [theta, a] = p;
      return {
        moments: fromRawMoments(
          0,
          a,
          below(theta, (k) => theta / (theta - k)),
        ),
        mode: a,
      };
    }
    case 'pareto2': {
      const [b, q] = p;
      // E[(X/b)^k] = k! Γ(q-k) / Γ(q)
      return {
        moments: fromRawMoments(
          0,
          b,
          below(q, (k) => gammaFn(k + 1) * exp(gammaLn(q - k) - gammaLn(q))),
        ),
        mode: 0,
      };
    }
    case 'loglogistic': {
      const [location, scale, alpha] = p;
      return {
        moments: fromRawMoments(
          location,
          scale,
          below(alpha, (k) => (k * PI) / alpha / sin((k * PI) / alpha)),
        ),
        mode: location + (alpha > 1 ? scale * ((alpha - 1) / (alpha + 1)) ** (1 / alpha) : 0),
      };
    }
    case 'reciprocal': {
      const [min, max] = p;
      const span = log(max / min);
      return { moments: fromRawMoments(0, min, (k) => expm1(k * span) / (k * span)), mode: min };
    }
    case 'kumaraswamy': {
      const [a, b, min, max] = p;
      const width = max - min;
      return {
        moments: fromRawMoments(min, width, (k) => b * exp(betaLn(1 + k / a, b))),
        ...boundedShapeMode(a, b, min, width, () => ((a - 1) / (a * b - 1)) ** (1 / a)),
      };
    }
    case 'frechet': {
      const [location, scale, alpha] = p;
      return {
        moments: fromRawMoments(
          location,
          scale,
          below(alpha, (k) => gammaFn(1 - k / alpha)),
        ),
        mode: location + scale * (alpha / (1 + alpha)) ** (1 / alpha),
      };
    }
    case 'levy':
      return { moments: fromRawMoments(p[0], p[1], () => INF), mode: p[0] + p[1] / 3 };
    case 'dagum': {
      const [location, scale, a, q] = p;
      return {
        moments: fromRawMoments(
          location,
          scale,
          below(a, (k) => q * exp(betaLn(q + k / a, 1 - k / a))),
        ),
        mode: location + (a * q > 1 ? scale * ((a * q - 1) / (a + 1)) ** (1 / a) : 0),
      };
    }
    case 'burr12': {
      const [location, scale, c, k] = p;
      return {
        moments: fromRawMoments(
          location,
          scale,
          below(c * k, (r) => k * exp(betaLn(k - r / c, 1 + r / c))),
        ),
        mode: location + (c > 1 ? scale * ((c - 1) / (c * k + 1)) ** (1 / c) : 0),
      };
    }
    case 'fatiguelife': {
      const [location, scale, alpha] = p;
      const a2 = alpha * alpha;
      return {
        moments: {
          mean: location + scale * (1 + a2 / 2),
          variance: scale * scale * a2 * (1 + (5 * a2) / 4),
          skewness: (4 * alpha * (11 * a2 + 6)) / (5 * a2 + 4) ** 1.5,
          kurtosis: 3 + (6 * a2 * (93 * a2 + 40)) / (5 * a2 + 4) ** 2,
        },
      };
    }
    case 'johnsonsu': {
      const [a1, a2, location, scale] = p;
      // Z = sinh(Y), Y = (N - a1)/a2: sinh(Y)^k = 2^-k Σ_j C(k,j) (-1)^j e^((k-2j)Y), E[e^(mY)] = e^(-m a1/a2 + m²/2a2²)
      const raw = (k: number) => {
        let sum = 0;
        for (let j = 0, binomial = 1; j <= k; binomial = (binomial * (k - j)) / (j + 1), j++) {
          const m = k - 2 * j;
          sum += (j % 2 === 0 ? 1 : -1) * binomial * exp((-m * a1) / a2 + (m * m) / (2 * a2 * a2));
        }
        return sum / 2 ** k;
      };
      return { moments: fromRawMoments(location, scale, raw) };
    }
    case 'pearson5': {
      const [alpha, scale] = p;
      return {
        moments: fromRawMoments(
          0,
          scale,
          below(alpha, (k) => exp(gammaLn(alpha - k) - gammaLn(alpha))),
        ),
        mode: scale / (alpha + 1),
      };
    }
    case 'pearson6':
      return betaPrimeForm(p[1], p[2], p[0]);
    case 'f':
      return betaPrimeForm(p[0] / 2, p[1] / 2, p[1] / p[0]);
    case 'doubletriang': {
      return { mode: p[1] };
    }
    case 'geometric': {
      const q = p[0];
      return {
        moments: {
          mean: (1 - q) / q,
          variance: (1 - q) / (q * q),
          skewness: (2 - q) / sqrt(1 - q),
          kurtosis: 9 + (q * q) / (1 - q),
        },
        mode: 0,
      };
    }
    case 'bernoulli': {
      const q = p[0];
      const v = q * (1 - q);
      return {
        moments: { mean: q, variance: v, skewness: (1 - 2 * q) / sqrt(v), kurtosis: 3 + (1 - 6 * v) / v },
        mode: q > 0.5 ? 1 : 0,
      };
    }
    case 'binomial': {
      const [n, q] = p;
      const v = n * q * (1 - q);
      return {
        moments: {
          mean: n * q,
          variance: v,
          skewness: (1 - 2 * q) / sqrt(v),
          kurtosis: 3 + (1 - (6 * v) / n) / v,
        },
        mode: smallestMode((n + 1) * q),
      };
    }
    case 'poisson': {
      const lambda = p[0];
      return {
        moments: { mean: lambda, variance: lambda, skewness: 1 / sqrt(lambda), kurtosis: 3 + 1 / lambda },
        mode: smallestMode(lambda),
      };
    }
    case 'negbin': {
      const [s, q] = p;
      const failures = s * (1 - q);
      return {
        moments: {
          mean: failures / q,
          variance: failures / (q * q),
          skewness: (2 - q) / sqrt(failures),
          kurtosis: 3 + 6 / s + (q * q) / failures,
        },
        mode: smallestMode(((s - 1) * (1 - q)) / q),
      };
    }
    case 'integer-uniform': {
      const [min, max] = p;
      const n2 = (max - min + 1) ** 2;
      return {
        moments: symmetric((min + max) / 2, (n2 - 1) / 12, 3 - (6 * (n2 + 1)) / (5 * (n2 - 1))),
        mode: min,
      };
    }
    default:
      return undefined;
  }
}

/** The support of the untruncated discrete distributions whose tables stop where the mass is negligible. */
function discreteSupport(type: DistributionType, p: number[]): [number, number] | undefined {
  switch (type) {
    case 'binomial':
      return [0, p[0]];
    case 'poisson':
    case 'negbin':
    case 'geometric':
      return [0, INF];
    case 'hypergeo':
      return [maxOf(0, p[0] - (p[2] - p[1])), minOf(p[0], p[1])];
    default:
      return undefined;
  }
}

/**
 * Moments of order `index` and above diverge. side: +1 where only the upper tail is heavy, -1 only the
 * lower one (a truncation kept it), 0 both (then odd moments do not exist rather than diverge).
 */
interface HeavyTail {
  index: number;
  side: 1 | -1 | 0;
}

/**
 * The distributions with power-law tails: the order from which their moments diverge, and which tails
 * (the upper one unless said otherwise).
 */
type TailOf = (
  p: number[],
  spec: DistributionSpec,
) => { index: number; twoSided?: boolean; lower?: boolean } | undefined;

const HEAVY_TAILS: Partial<Record<DistributionType, TailOf>> = {
  student: (p) => ({ index: p[0], twoSided: true }),
  cauchy: () => ({ index: 1, twoSided: true }),
  pareto: (p) => ({ index: p[0] }),
  pareto2: (p) => ({ index: p[1] }),
  loglogistic: (p) => ({ index: p[2] }),
  frechet: (p) => ({ index: p[2] }),
  levy: () => ({ index: 0.5 }),
  dagum: (p) => ({ index: p[2] }),
  burr12: (p) => ({ index: p[2] * p[3] }),
  pearson5: (p) => ({ index: p[0] }),
  pearson6: (p) => ({ index: p[2] }),
  f: (p) => ({ index: p[1] / 2 }),
  metalog: (p, spec) => metalogTail(p, spec),
};

/**
 * A metalog bounded on one side only: the log transform makes its other tail a power law of index 1/c
 * (metalogTailCoefficient).
 */
function metalogTail(p: number[], spec: DistributionSpec): { index: number; lower?: boolean } | undefined {
  const { lower, upper } = spec.bounds ?? {};
  if ((lower === undefined) === (upper === undefined)) return undefined;
  const points = spec.points ?? { x: [], y: [] };
  const a = fitMetalog(new ParamCheck('MC.METALOG'), points.x, points.y, p[0], spec.bounds ?? {});
  const c = metalogTailCoefficient(a, lower !== undefined ? 'upper' : 'lower');
  return { index: c > 0 ? 1 / c : INF, lower: upper !== undefined };
}

/** The heavy tail left after truncation, undefined where every moment exists. */
function heavyTail(spec: DistributionSpec, d: Distribution): HeavyTail | undefined {
  if (isFiniteNumber(d.min) && isFiniteNumber(d.max)) return undefined;
  const tail = HEAVY_TAILS[spec.type]?.(spec.params, spec);
  if (!tail) return undefined;
  if (!tail.twoSided) return { index: tail.index, side: tail.lower ? -1 : 1 };
  const side = isFiniteNumber(d.min) ? 1 : isFiniteNumber(d.max) ? -1 : 0;
  return { index: tail.index, side };
}

/**
 * Mean, variance, skewness and kurtosis from the mean and the central moments, or their divergence
 * where the tail makes the moment of that order infinite (see TheoreticalStatistics).
 */
function standardised(
  mean: () => number,
  central: (k: number, mean: number) => number,
  tail?: HeavyTail,
): Moments {
  const index = tail?.index ?? INF;
  const side = tail?.side ?? 1;
  if (index <= 1) {
    return side === 0
      ? { mean: NAN, variance: NAN, skewness: NAN, kurtosis: NAN }
      : { mean: side * INF, variance: INF, skewness: NAN, kurtosis: NAN };
  }
  const m = mean();
  if (index <= 2) return { mean: m, variance: INF, skewness: NAN, kurtosis: NAN };
  const variance = central(2, m);
  return {
    mean: m,
    variance,
    skewness: index <= 3 ? (side === 0 ? NAN : side * INF) : central(3, m) / variance ** 1.5,
    kurtosis: index <= 4 ? INF : central(4, m) / (variance * variance),
  };
}

/**
 * Where a density jumps (or its slope does), on the unshifted scale: the quantile has a kink there,
 * which the quadrature must not straddle.
 */
function densityJumps(spec: DistributionSpec): number[] {
  switch (spec.type) {
    case 'triangular':
    case 'doubletriang':
      return [spec.params[1]];
    case 'cumul':
    case 'general':
      return spec.points?.x ?? [];
    case 'splice':
      return [spec.params[0]];
    default:
      return [];
  }
}

/**
 * A continuous distribution's moments by quadrature of its quantile function, split at the
 * probabilities `breaks` where the quantile has a kink. Without kinks the mean is the distribution's own
 * (the same quadrature, or better: MC.METALOG's over the logit).
 */
function integratedMoments(d: Distribution, tail?: HeavyTail, breaks: number[] = []): Moments {
  return standardised(
    () => (breaks.length > 0 ? integrateOverProbability(d.inverseCdf, breaks) : d.mean),
    (k, m) => integrateOverProbability((u) => (d.inverseCdf(u) - m) ** k, breaks),
    tail,
  );
}

/** Beyond this many possible values, a discrete distribution's moments are integrated instead. */
const MAX_ATOMS = 1_000_000;

interface Atoms {
  values: number[];
  masses: number[];
  /** The smallest most likely value. */
  mode: number;
  first: number;
  last: number;
}

/** The possible values of a discrete distribution and their probabilities, undefined beyond MAX_ATOMS. */
function walkAtoms(d: Distribution): Atoms | undefined {
  const values: number[] = [];
  const masses: number[] = [];
  let previous = 0;
  let x = d.inverseCdf(nextUp(0));
  let mode = x;
  let modeMass = 0;
  while (values.length < MAX_ATOMS) {
    const f = d.cdf(x);
    const mass = f - previous;
    values.push(x);
    masses.push(mass);
    if (mass > modeMass) {
      mode = x;
      modeMass = mass;
    }
    if (f >= 1) return { values, masses, mode, first: values[0], last: x };
    previous = f;
    let next = d.inverseCdf(nextUp(f));
    // a truncation's rescaled cdf can map nextUp(f) back onto x: step past it
    if (!(next > x)) next = d.inverseCdf(minOf(1, f + 1e-12));
    if (!(next > x)) return { values, masses, mode, first: values[0], last: x };
    x = next;
  }
  return undefined;
}

function atomMoments(d: Distribution, atoms: Atoms | undefined): Moments {
  if (!atoms) return integratedMoments(d);
  const { values, masses } = atoms;
  const sum = (f: (x: number) => number) => {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += masses[i] * f(values[i]);
    return s;
  };
  return standardised(
    () => sum((x) => x),
    (k, m) => sum((x) => (x - m) ** k),
  );
}

/**
 * The mode of a continuous distribution without a closed form: the steepest step of its quantile on
 * a grid of probabilities, refined by golden-section search on the density (the cdf's central
 * difference); an end of the support where the density is highest there.
 */
function densityMaximum(d: Distribution): number {
  const n = 4096;
  const u = (i: number) => 1e-9 + ((1 - 2e-9) * i) / n;
  const xs = Array.from({ length: n + 1 }, (_, i) => d.inverseCdf(u(i)));
  let best = 0;
  let bestDensity = 0;
  for (let i = 0; i < n; i++) {
    const density = (u(i + 1) - u(i)) / (xs[i + 1] - xs[i]);
    if (density > bestDensity) {
      best = i;
      bestDensity = density;
    }
  }
  if (best === 0 && isFiniteNumber(d.min)) return d.min;
  if (best === n - 1 && isFiniteNumber(d.max)) return d.max;
  let a = xs[maxOf(0, best - 1)];
  let b = xs[minOf(n, best + 2)];
  const h = (b - a) / 100;
  const density = (x: number) => d.cdf(x + h) - d.cdf(x - h);
  const ratio = (sqrt(5) - 1) / 2;
  let c = b - ratio * (b - a);
  let e = a + ratio * (b - a);
  let fc = density(c);
  let fe = density(e);
  while (abs(b - a) > 1e-9 * maxOf(abs(a), abs(b), h)) {
    if (fc >= fe) {
      b = e;
      e = c;
      fe = fc;
      c = b - ratio * (b - a);
      fc = density(c);
    } else {
      a = c;
      c = e;
      fc = fe;
      e = a + ratio * (b - a);
      fe = density(e);
    }
  }
  return (a + b) / 2;
}
