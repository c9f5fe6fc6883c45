/**
 * Continuous distributions of the catalogue whose quantile function is a closed form, with @RISK's
 * parameter conventions. Where a mean is infinite or undefined (Cauchy; Pareto, Pareto2 and
 * LogLogistic with a heavy enough tail) the median stands in for it as the static value, as the centre
 * of symmetry does for Student's t: a finite value the grid can show.
 */

import {
  asinh,
  atan,
  exp,
  expm1,
  POS_INF as INF,
  log,
  log1p,
  max as maxOf,
  min as minOf,
  NEG_INF,
  PI,
  sin,
  sinh,
  sqrt,
  tan,
} from '../numeric/math';
import { betaLn, gammaFn, normCdf, normInv } from '../numeric/special';
import { type BaseDistribution, continuous, type ParamCheck, pointMass } from './base';
import { quantileMean } from './quantile-mean';

const EULER_GAMMA = 0.5772156649015329;
const SQRT2 = sqrt(2);

/**
 * location + scale · Z for a standard variable Z given by its quantile, cdf and mean. A zero scale is
 * the point mass at the location, as @RISK documents for its location–scale distributions.
 */
function locationScale(
  check: ParamCheck,
  location: number,
  scaleLabel: string,
  scale: number,
  standard: { mean: number; inverseCdf: (u: number) => number; cdf: (z: number) => number },
): BaseDistribution {
  check.atLeast(scaleLabel, scale, 0);
  if (scale === 0) return pointMass(location);
  return continuous(
    location + scale * standard.mean,
    NEG_INF,
    INF,
    (u) => location + scale * standard.inverseCdf(u),
    (x) => standard.cdf((x - location) / scale),
  );
}

/** RiskLogistic(alpha location, beta scale): cdf 1 / (1 + e^-(x-alpha)/beta). */
export function logistic(check: ParamCheck, location: number, scale: number): BaseDistribution {
  return locationScale(check, location, 'beta', scale, {
    mean: 0,
    inverseCdf: (u) => log(u) - log1p(-u),
    cdf: (z) => 1 / (1 + exp(-z)),
  });
}

/**
 * RiskLaplace(mu, sigma): sigma is the standard deviation, density e^(-√2|x-mu|/sigma) / (√2 sigma), as
 * @RISK's manual writes it (the textbook scale b is sigma / √2). Its stored help page confirms location,
 * scale and the degenerate sigma = 0, but shows the formulas only as images, so the √2 is not re-read there.
 */
export function laplace(check: ParamCheck, mu: number, sigma: number): BaseDistribution {
  return locationScale(check, mu, 'sigma', sigma, {
    mean: 0,
    inverseCdf: (u) => (u < 0.5 ? log(2 * u) : -log(2 * (1 - u))) / SQRT2,
    cdf: (z) => (z < 0 ? exp(SQRT2 * z) / 2 : 1 - exp(-SQRT2 * z) / 2),
  });
}

/** RiskCauchy(gamma location, beta scale); no mean: the static value is the median gamma. */
export function cauchy(check: ParamCheck, location: number, scale: number): BaseDistribution {
  return locationScale(check, location, 'beta', scale, {
    mean: 0,
    inverseCdf: (u) => tan(PI * (u - 0.5)),
    cdf: (z) => 0.5 + atan(z) / PI,
  });
}

/** RiskExtValue(alpha location, beta scale): Gumbel for maxima, cdf exp(-e^-(x-alpha)/beta). */
export function extValue(check: ParamCheck, location: number, scale: number): BaseDistribution {
  return locationScale(check, location, 'beta', scale, {
    mean: EULER_GAMMA,
    inverseCdf: (u) => -log(-log(u)),
    cdf: (z) => exp(-exp(-z)),
  });
}

/** RiskExtValueMin(alpha location, beta scale): Gumbel for minima, cdf 1 - exp(-e^(x-alpha)/beta). */
export function extValueMin(check: ParamCheck, location: number, scale: number): BaseDistribution {
  return locationScale(check, location, 'beta', scale, {
    mean: -EULER_GAMMA,
    inverseCdf: (u) => log(-log1p(-u)),
    cdf: (z) => -expm1(-exp(z)),
  });
}

/** RiskRayleigh(b): cdf 1 - e^(-x²/2b²), mean b √(π/2). */
export function rayleigh(check: ParamCheck, b: number): BaseDistribution {
  check.above('b', b, 0);
  return continuous(
    b * sqrt(PI / 2),
    0,
    INF,
    (u) => b * sqrt(-2 * log1p(-u)),
    (x) => (x <= 0 ? 0 : -expm1(-(x * x) / (2 * b * b))),
  );
}

/** RiskPareto(theta shape, a minimum): cdf 1 - (a/x)^theta for x ≥ a. */
export function pareto(check: ParamCheck, theta: number, a: number): BaseDistribution {
  check.above('theta', theta, 0);
  check.above('a', a, 0);
  const quantile = (u: number) => a * exp(-log1p(-u) / theta);
  return continuous(theta > 1 ? (a * theta) / (theta - 1) : quantile(0.5), a, INF, quantile, (x) =>
    x <= a ? 0 : -expm1(theta * log(a / x)),
  );
}

/** RiskPareto2(b scale, q shape): Pareto of the second kind (Lomax), cdf 1 - (b/(x+b))^q for x ≥ 0. */
export function pareto2(check: ParamCheck, b: number, q: number): BaseDistribution {
  check.above('b', b, 0);
  check.above('q', q, 0);
  const quantile = (u: number) => b * expm1(-log1p(-u) / q);
  return continuous(q > 1 ? b / (q - 1) : quantile(0.5), 0, INF, quantile, (x) =>
    x <= 0 ? 0 : -expm1(-q * log1p(x / b)),
  );
}

/** RiskLogLogistic(gamma location, beta scale, alpha shape): cdf 1 / (1 + ((x-gamma)/beta)^-alpha) for x ≥ gamma. */
export function logLogistic(
  check: ParamCheck,
  location: number,
  scale: number,
  shape: number,
): BaseDistribution {
  check.above('beta', scale, 0);
  check.above('alpha', shape, 0);
  const theta = PI / shape;
  return continuous(
    shape > 1 ? location + (scale * theta) / sin(theta) : location + scale,
    location,
    INF,
    (u) => location + scale * exp((log(u) - log1p(-u)) / shape),
    (x) => (x <= location ? 0 : 1 / (1 + ((x - location) / scale) ** -shape)),
  );
}

/** RiskReciprocal(min, max): density 1 / (x ln(max/min)) on [min, max], 0 < min < max. */
export function reciprocal(check: ParamCheck, min: number, max: number): BaseDistribution {
  check.above('minimum', min, 0);
  check.above('maximum', max, min);
  const span = log(max / min);
  return continuous(
    (max - min) / span,
    min,
    max,
    (u) => minOf(max, maxOf(min, min * exp(u * span))),
    (x) => (x <= min ? 0 : x >= max ? 1 : log(x / min) / span),
  );
}

/**
 * RiskKumaraswamy(alpha1, alpha2, min, max): on [min, max], z = (x-min)/(max-min) has cdf
 * 1 - (1 - z^alpha1)^alpha2; mean min + (max-min) alpha2 B(1 + 1/alpha1, alpha2).
 */
export function kumaraswamy(
  check: ParamCheck,
  a: number,
  b: number,
  min: number,
  max: number,
): BaseDistribution {
  check.above('alpha1', a, 0);
  check.above('alpha2', b, 0);
  check.ordered('minimum', min, 'maximum', max);
  if (min === max) return pointMass(min);
  const width = max - min;
  return continuous(
    min + width * b * exp(betaLn(1 + 1 / a, b)),
    min,
    max,
    (u) => min + width * (-expm1(log1p(-u) / b)) ** (1 / a),
    (x) => (x <= min ? 0 : x >= max ? 1 : -expm1(b * log1p(-(((x - min) / width) ** a)))),
  );
}

/*
 * From here on @RISK's help pages were not among the stored references: each distribution takes the
 * standard textbook parameterisation in @RISK's argument order (location gamma, scale beta, shapes
 * alpha…), and its row in docs/risk-functions.md says so.
 */

/** The static value: the mean where it is finite, else the median (as for Cauchy above). */
function meanOrMedian(finiteMean: boolean, mean: () => number, quantile: (u: number) => number): number {
  return finiteMean ? mean() : quantile(0.5);
}

/**
 * location + scale · Z for a standard variable Z > 0 given by its quantile, cdf and mean (where that is
 * infinite, its median: the static value's rule).
 */
function aboveLocation(
  check: ParamCheck,
  location: number,
  scaleLabel: string,
  scale: number,
  standard: { mean: number; inverseCdf: (u: number) => number; cdf: (z: number) => number },
): BaseDistribution {
  check.above(scaleLabel, scale, 0);
  return continuous(
    location + scale * standard.mean,
    location,
    INF,
    (u) => location + scale * standard.inverseCdf(u),
    (x) => (x <= location ? 0 : standard.cdf((x - location) / scale)),
  );
}

/**
 * RiskFrechet(gamma location, beta scale, alpha shape): cdf exp(-((x-gamma)/beta)^-alpha) for x > gamma;
 * mean gamma + beta Γ(1 - 1/alpha) for alpha > 1, else the median.
 */
export function frechet(check: ParamCheck, location: number, scale: number, shape: number): BaseDistribution {
  check.above('alpha', shape, 0);
  const inverseCdf = (u: number) => (-log(u)) ** (-1 / shape);
  return aboveLocation(check, location, 'beta', scale, {
    mean: meanOrMedian(shape > 1, () => gammaFn(1 - 1 / shape), inverseCdf),
    inverseCdf,
    cdf: (z) => exp(-(z ** -shape)),
  });
}

/**
 * RiskLevy(a location, c scale): cdf erfc(√(c / 2(x-a))) = 2(1 - Φ(√(c/(x-a)))) for x > a, so the
 * quantile is a + c / Φ⁻¹(1 - u/2)². Its mean is infinite: the static value is the median.
 */
export function levy(check: ParamCheck, location: number, scale: number): BaseDistribution {
  const inverseCdf = (u: number) => 1 / normInv(1 - u / 2) ** 2;
  return aboveLocation(check, location, 'c', scale, {
    mean: inverseCdf(0.5),
    inverseCdf,
    cdf: (z) => 2 * normCdf(-1 / sqrt(z)),
  });
}

/**
 * RiskHypSecant(gamma location, beta): beta is the standard deviation, density
 * sech(π(x-gamma)/2beta) / 2beta, cdf (2/π) atan(e^(πz/2)) with z = (x-gamma)/beta.
 */
export function hypSecant(check: ParamCheck, location: number, sd: number): BaseDistribution {
  return locationScale(check, location, 'beta', sd, {
    mean: 0,
    inverseCdf: (u) => (2 / PI) * log(tan((PI * u) / 2)),
    cdf: (z) => (2 / PI) * atan(exp((PI * z) / 2)),
  });
}

/**
 * RiskDagum(gamma location, beta scale, alpha1 shape a, alpha2 shape p): cdf (1 + ((x-gamma)/beta)^-a)^-p
 * for x > gamma; mean gamma + beta Γ(p + 1/a) Γ(1 - 1/a) / Γ(p) for a > 1, else the median.
 */
export function dagum(
  check: ParamCheck,
  location: number,
  scale: number,
  a: number,
  p: number,
): BaseDistribution {
  check.above('alpha1', a, 0);
  check.above('alpha2', p, 0);
  const inverseCdf = (u: number) => expm1(-log(u) / p) ** (-1 / a);
  return aboveLocation(check, location, 'beta', scale, {
    mean: meanOrMedian(a > 1, () => p * exp(betaLn(p + 1 / a, 1 - 1 / a)), inverseCdf),
    inverseCdf,
    cdf: (z) => exp(-p * log1p(z ** -a)),
  });
}

/**
 * RiskBurr12(gamma location, beta scale, alpha1 shape c, alpha2 shape k): cdf 1 - (1 + ((x-gamma)/beta)^c)^-k
 * for x > gamma; mean gamma + beta k B(k - 1/c, 1 + 1/c) for ck > 1, else the median.
 */
export function burr12(
  check: ParamCheck,
  location: number,
  scale: number,
  c: number,
  k: number,
): BaseDistribution {
  check.above('alpha1', c, 0);
  check.above('alpha2', k, 0);
  const inverseCdf = (u: number) => expm1(-log1p(-u) / k) ** (1 / c);
  return aboveLocation(check, location, 'beta', scale, {
    mean: meanOrMedian(c * k > 1, () => k * exp(betaLn(k - 1 / c, 1 + 1 / c)), inverseCdf),
    inverseCdf,
    cdf: (z) => -expm1(-k * log1p(z ** c)),
  });
}

/**
 * RiskFatigueLife(gamma location, beta scale, alpha shape): Birnbaum–Saunders, cdf Φ((√t - 1/√t)/alpha)
 * with t = (x-gamma)/beta; mean gamma + beta (1 + alpha²/2).
 */
export function fatigueLife(
  check: ParamCheck,
  location: number,
  scale: number,
  shape: number,
): BaseDistribution {
  check.above('alpha', shape, 0);
  return aboveLocation(check, location, 'beta', scale, {
    mean: 1 + (shape * shape) / 2,
    inverseCdf: (u) => {
      const w = shape * normInv(u);
      return (w + sqrt(w * w + 4)) ** 2 / 4;
    },
    cdf: (t) => normCdf((sqrt(t) - 1 / sqrt(t)) / shape),
  });
}

/** RiskErf(h): the normal of mean 0 and variance 1 / (2h²) (density h/√π e^(-(hx)²)). */
export function erfDistribution(check: ParamCheck, h: number): BaseDistribution {
  check.above('h', h, 0);
  const sd = 1 / (h * SQRT2);
  return continuous(
    0,
    NEG_INF,
    INF,
    (u) => sd * normInv(u),
    (x) => normCdf(x / sd),
  );
}

/**
 * RiskJohnsonSU(alpha1, alpha2, gamma location, beta scale): alpha1 + alpha2 asinh((x-gamma)/beta) is
 * standard normal; mean gamma - beta e^(1/2alpha2²) sinh(alpha1/alpha2).
 */
export function johnsonSU(
  check: ParamCheck,
  a1: number,
  a2: number,
  location: number,
  scale: number,
): BaseDistribution {
  check.above('alpha2', a2, 0);
  check.above('beta', scale, 0);
  const standard = (x: number) => a1 + a2 * asinh((x - location) / scale);
  return continuous(
    location - scale * exp(1 / (2 * a2 * a2)) * sinh(a1 / a2),
    NEG_INF,
    INF,
    (u) => location + scale * sinh((normInv(u) - a1) / a2),
    (x) => normCdf(standard(x)),
  );
}

/**
 * RiskJohnsonSB(alpha1, alpha2, a, b): alpha1 + alpha2 ln((x-a)/(b-x)) is standard normal on (a, b).
 * The mean has no closed form: it is the quantile function's integral.
 */
export function johnsonSB(
  check: ParamCheck,
  a1: number,
  a2: number,
  min: number,
  max: number,
): BaseDistribution {
  check.above('alpha2', a2, 0);
  check.ordered('a', min, 'b', max);
  if (min === max) return pointMass(min);
  const width = max - min;
  const quantile = (u: number) => min + width / (1 + exp(-(normInv(u) - a1) / a2));
  return continuous(quantileMean(quantile), min, max, quantile, (x) =>
    x <= min ? 0 : x >= max ? 1 : normCdf(a1 + a2 * log((x - min) / (max - x))),
  );
}

/**
 * RiskDoubleTriang(min, m.likely, max, p): a right triangle of mass p on [min, m.likely] rising to
 * m.likely and one of mass 1-p on [m.likely, max] falling from it (cdf p((x-min)/(ml-min))² below ml),
 * as @RISK's help page and its knowledge base (the equivalent RiskGeneral) describe it; p strictly
 * between 0 and 1 there, min = max the degenerate case.
 */
export function doubleTriang(
  check: ParamCheck,
  min: number,
  mode: number,
  max: number,
  p: number,
): BaseDistribution {
  check.ordered('minimum', min, 'most likely value', mode);
  check.ordered('most likely value', mode, 'maximum', max);
  if (!(p > 0 && p < 1)) check.fail(`lower probability must be strictly between 0 and 1, got ${p}`);
  if (min === max) return pointMass(min);
  const left = mode - min;
  const right = max - mode;
  return continuous(
    (p * (min + 2 * mode) + (1 - p) * (2 * mode + max)) / 3,
    min,
    max,
    (u) => (u <= p ? min + left * sqrt(u / p) : max - right * sqrt((1 - u) / (1 - p))),
    (x) => {
      if (x <= min) return 0;
      if (x >= max) return 1;
      if (x <= mode) return p * ((x - min) / left) ** 2;
      return 1 - (1 - p) * ((max - x) / right) ** 2;
    },
    [p],
  );
}
