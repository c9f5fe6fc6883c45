/**
 * Continuous distributions of the catalogue whose quantile function is a closed form, with @RISK's
 * parameter conventions. Where a mean is infinite or undefined (Cauchy; Pareto, Pareto2 and
 * LogLogistic with a heavy enough tail) the median stands in for it as the static value, as the centre
 * of symmetry does for Student's t: a finite value the grid can show.
 */

import {
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
  sqrt,
  tan,
} from '../numeric/math';
import { betaLn } from '../numeric/special';
import { type BaseDistribution, continuous, type ParamCheck, pointMass } from './base';

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
