/** Continuous distributions of the catalogue, with @RISK parameter conventions. */

import { tabulateBetaQuantile } from '../numeric/beta-quantile';
import {
  exp,
  expm1,
  POS_INF as INF,
  isFiniteNumber,
  log,
  log1p,
  max as maxOf,
  min as minOf,
  sqrt,
} from '../numeric/math';
import {
  betaInv,
  gammaFn,
  gammaPInv,
  inverseGaussianCdf,
  inverseGaussianInv,
  normCdf,
  normInv,
  regIncBeta,
  regIncGammaP,
  regIncGammaQ,
  studentTCdf,
  studentTInv,
} from '../numeric/special';
import {
  type BaseDistribution,
  continuous,
  type DistributionOptions,
  lowerBound,
  type ParamCheck,
  pointMass,
  upperBound,
} from './base';

function clamp01(p: number): number {
  return minOf(1, maxOf(0, p));
}

/** RiskNormal(mean, sd). */
export function normal(check: ParamCheck, mean: number, sd: number): BaseDistribution {
  check.atLeast('standard deviation', sd, 0);
  if (sd === 0) return pointMass(mean);
  return continuous(
    mean,
    -INF,
    INF,
    (u) => mean + sd * normInv(u),
    (x) => normCdf((x - mean) / sd),
  );
}

/** Lognormal from the parameters of the underlying normal. */
function lognormalOfNormal(mu: number, sigma: number, mean: number): BaseDistribution {
  if (sigma === 0) return pointMass(exp(mu));
  return continuous(
    mean,
    0,
    INF,
    (u) => exp(mu + sigma * normInv(u)),
    (x) => (x <= 0 ? 0 : normCdf((log(x) - mu) / sigma)),
  );
}

/** RiskLognorm(mean, sd): mean and standard deviation of the lognormal variable itself. */
export function lognormal(check: ParamCheck, mean: number, sd: number): BaseDistribution {
  check.above('mean', mean, 0);
  check.atLeast('standard deviation', sd, 0);
  const ratio = sd / mean;
  const variance = log1p(ratio * ratio);
  return lognormalOfNormal(log(mean) - variance / 2, sqrt(variance), mean);
}

/** RiskLognorm2(mu, sigma): mean and standard deviation of the underlying normal. */
export function lognormal2(check: ParamCheck, mu: number, sigma: number): BaseDistribution {
  check.atLeast('sigma', sigma, 0);
  return lognormalOfNormal(mu, sigma, exp(mu + (sigma * sigma) / 2));
}

/** RiskUniform(min, max). */
export function uniform(check: ParamCheck, min: number, max: number): BaseDistribution {
  check.ordered('minimum', min, 'maximum', max);
  if (min === max) return pointMass(min);
  const width = max - min;
  return continuous(
    (min + max) / 2,
    min,
    max,
    (u) => min + width * u,
    (x) => clamp01((x - min) / width),
  );
}

function checkMinModeMax(check: ParamCheck, min: number, mode: number, max: number): void {
  check.ordered('minimum', min, 'most likely value', mode);
  check.ordered('most likely value', mode, 'maximum', max);
}

/** RiskTriang(min, mode, max). */
export function triangular(check: ParamCheck, min: number, mode: number, max: number): BaseDistribution {
  checkMinModeMax(check, min, mode, max);
  if (min === max) return pointMass(min);
  const width = max - min;
  const left = mode - min;
  const right = max - mode;
  const modeCdf = left / width;
  return continuous(
    (min + mode + max) / 3,
    min,
    max,
    (u) => (u < modeCdf ? min + sqrt(u * width * left) : max - sqrt((1 - u) * width * right)),
    (x) => {
      if (x <= min) return 0;
      if (x >= max) return 1;
      if (x <= mode) return ((x - min) * (x - min)) / (width * left);
      return 1 - ((max - x) * (max - x)) / (width * right);
    },
    [modeCdf],
  );
}

/**
 * RiskTrigen(bottom, m.likely, top, bottom perc., top perc.): the triangle whose bottom perc.-th and top
 * perc.-th percentiles are bottom and top (percentages 0 to 100, as @RISK's help page gives them:
 * RiskTrigen(0,1,2,10,90) is RiskTriangAlt(10%,0,"m. likely",1,90%,2)). Writing q = F(m.likely) and W the
 * width, the two percentile conditions give W = d1 / (q - √(pq)) with d1 = m.likely - bottom and
 * W = d2 / ((1-q) - √((1-q)(1-r))) with d2 = top - m.likely; their difference, scaled, is strictly
 * decreasing in q on [p, r] and changes sign there, so q is found by bisection to the last bit.
 */
export function trigen(
  check: ParamCheck,
  bottom: number,
  mode: number,
  top: number,
  bottomPercent: number,
  topPercent: number,
): BaseDistribution {
  checkMinModeMax(check, bottom, mode, top);
  check.within('bottom percentile', bottomPercent, 0, 100);
  check.within('top percentile', topPercent, 0, 100);
  if (!(bottomPercent < topPercent))
    check.fail(`bottom percentile (${bottomPercent}) must be < top percentile (${topPercent})`);
  const d1 = mode - bottom;
  const d2 = top - mode;
  if (d1 === 0 && d2 === 0) return pointMass(mode);
  if (bottomPercent === 0 && topPercent === 100) return triangular(check, bottom, mode, top);
  const p = bottomPercent / 100;
  const r = topPercent / 100;
  // q - √(pq) and (1-q) - √((1-q)(1-r)), written without cancellation near q = p and q = r
  const leftGap = (q: number) => (sqrt(q) * (q - p)) / (sqrt(q) + sqrt(p));
  const rightGap = (q: number) => (sqrt(1 - q) * (r - q)) / (sqrt(1 - q) + sqrt(1 - r));
  let lo = p;
  let hi = r;
  for (let mid = (lo + hi) / 2; mid > lo && mid < hi; mid = (lo + hi) / 2) {
    if (d1 * rightGap(mid) - d2 * leftGap(mid) > 0) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  // the width from the better conditioned of the two conditions (a gap is 0/0 where q reaches 0 or 1)
  const left = leftGap(q);
  const right = rightGap(q);
  const width = left >= right || !(right > 0) ? d1 / left : d2 / right;
  return triangular(check, mode - q * width, mode, mode + (1 - q) * width);
}

/** Beta(a, b) rescaled to [min, max]; `manyDraws` swaps the exact inverse for a verified table. */
function scaledBeta(
  a: number,
  b: number,
  min: number,
  max: number,
  options: DistributionOptions,
): BaseDistribution {
  const width = max - min;
  const quantile = (options.manyDraws && tabulateBetaQuantile(a, b)) || ((u: number) => betaInv(u, a, b));
  return continuous(
    min + (width * a) / (a + b),
    min,
    max,
    (u) => min + width * quantile(u),
    (x) => (x <= min ? 0 : x >= max ? 1 : regIncBeta((x - min) / width, a, b)),
  );
}

/** RiskPert(min, mode, max): Beta with alpha1 = 1 + 4(mode-min)/(max-min), alpha2 = 1 + 4(max-mode)/(max-min). */
export function pert(
  check: ParamCheck,
  min: number,
  mode: number,
  max: number,
  options: DistributionOptions = {},
): BaseDistribution {
  checkMinModeMax(check, min, mode, max);
  if (min === max) return pointMass(min);
  const width = max - min;
  return scaledBeta(1 + (4 * (mode - min)) / width, 1 + (4 * (max - mode)) / width, min, max, options);
}

/** RiskBeta(alpha1, alpha2) on [0, 1]. */
export function beta(
  check: ParamCheck,
  a: number,
  b: number,
  options: DistributionOptions = {},
): BaseDistribution {
  check.above('alpha1', a, 0);
  check.above('alpha2', b, 0);
  return scaledBeta(a, b, 0, 1, options);
}

/** RiskBetaGeneral(alpha1, alpha2, min, max). */
export function betaGeneral(
  check: ParamCheck,
  a: number,
  b: number,
  min: number,
  max: number,
  options: DistributionOptions = {},
): BaseDistribution {
  check.above('alpha1', a, 0);
  check.above('alpha2', b, 0);
  check.ordered('minimum', min, 'maximum', max);
  if (min === max) return pointMass(min);
  return scaledBeta(a, b, min, max, options);
}

/**
 * RiskBetaSubj(min, m.likely, mean, max): the BetaGeneral on [min, max] with that mode and mean. With
 * m = (m.likely-min)/(max-min) and μ = (mean-min)/(max-min), the Beta's mean a/(a+b) = μ and mode
 * (a-1)/(a+b-2) = m give alpha1 = μ(1-2m)/(μ-m) = 2(mean-min)(mid-m.likely)/((mean-m.likely)(max-min)),
 * mid = (min+max)/2, and alpha2 = alpha1 (max-mean)/(mean-min). @RISK's rule (its help page: mean > mid
 * if m.likely > mean, mean < mid if m.likely < mean) is exactly alpha1 > 1 and alpha2 > 1, a density
 * whose peak is m.likely. m.likely = mean = mid, which @RISK accepts, leaves the shape undetermined (any
 * symmetric Beta): what @RISK takes then could not be confirmed, so it is refused.
 */
export function betaSubj(
  check: ParamCheck,
  min: number,
  mode: number,
  mean: number,
  max: number,
  options: DistributionOptions = {},
): BaseDistribution {
  if (!(min < max)) check.fail(`minimum (${min}) must be < maximum (${max})`);
  if (!(min < mode && mode < max))
    check.fail(`most likely value (${mode}) must be strictly between minimum and maximum`);
  if (!(min < mean && mean < max)) check.fail(`mean (${mean}) must be strictly between minimum and maximum`);
  const mid = (min + max) / 2;
  if (mode === mean) check.fail('a most likely value equal to the mean leaves the shape undetermined');
  if (mode > mean ? !(mean > mid) : !(mean < mid))
    check.fail(
      `the mean (${mean}) must lie between the midpoint (${mid}) and the most likely value (${mode})`,
    );
  const a = (2 * (mean - min) * (mid - mode)) / ((mean - mode) * (max - min));
  return scaledBeta(a, (a * (max - mean)) / (mean - min), min, max, options);
}

/** RiskExpon(beta): beta is the mean. */
export function exponential(check: ParamCheck, scale: number): BaseDistribution {
  check.above('beta', scale, 0);
  return continuous(
    scale,
    0,
    INF,
    (u) => -scale * log1p(-u),
    (x) => (x <= 0 ? 0 : -expm1(-x / scale)),
  );
}

/** RiskGamma(alpha shape, beta scale). */
export function gamma(check: ParamCheck, shape: number, scale: number): BaseDistribution {
  check.above('alpha', shape, 0);
  check.above('beta', scale, 0);
  return continuous(
    shape * scale,
    0,
    INF,
    (u) => scale * gammaPInv(shape, u),
    (x) => (x <= 0 ? 0 : regIncGammaP(shape, x / scale)),
  );
}

/** RiskErlang(m, beta): the gamma with a whole shape m. */
export function erlang(check: ParamCheck, m: number, scale: number): BaseDistribution {
  check.integer('m', m);
  check.above('m', m, 0);
  return gamma(check, m, scale);
}

/**
 * RiskChiSq(nu): the gamma of shape nu/2 and scale 2. @RISK takes nu as a whole number of degrees of
 * freedom (its summary calls it a discrete parameter); not confirmed in the stored help pages.
 */
export function chiSquared(check: ParamCheck, df: number): BaseDistribution {
  check.integer('degrees of freedom', df);
  check.above('degrees of freedom', df, 0);
  return gamma(check, df / 2, 2);
}

/**
 * RiskPearson5(alpha shape, beta scale): the inverse gamma, beta / G with G ~ Gamma(alpha, 1); cdf
 * Q(alpha, beta/x); mean beta / (alpha - 1) for alpha > 1, else the median. Standard parameterisation
 * (@RISK's help page not found among the stored references).
 */
export function pearson5(check: ParamCheck, shape: number, scale: number): BaseDistribution {
  check.above('alpha', shape, 0);
  check.above('beta', scale, 0);
  const quantile = (u: number) => scale / gammaPInv(shape, 1 - u);
  return continuous(shape > 1 ? scale / (shape - 1) : quantile(0.5), 0, INF, quantile, (x) =>
    x <= 0 ? 0 : regIncGammaQ(shape, scale / x),
  );
}

/**
 * scale · Y/(1-Y) with Y ~ Beta(a, b): the beta prime, of which Pearson VI and F are scalings; mean
 * scale · a/(b-1) for b > 1, else the median. Always the exact Beta inverse, and in the upper half
 * 1 - Y = Beta(b, a)'s quantile at 1 - u: near Y = 1 an absolute error in Y (the table's 1e-13, or
 * rounding) would be magnified by 1/(1-Y).
 */
function betaPrime(a: number, b: number, scale: number): BaseDistribution {
  const quantile = (u: number) => {
    if (u <= 0.5) {
      const y = betaInv(u, a, b);
      return (scale * y) / (1 - y);
    }
    const rest = betaInv(1 - u, b, a);
    return (scale * (1 - rest)) / rest;
  };
  return continuous(b > 1 ? (scale * a) / (b - 1) : quantile(0.5), 0, INF, quantile, (x) =>
    x <= 0 ? 0 : regIncBeta(x / (x + scale), a, b),
  );
}

/**
 * RiskPearson6(beta scale, alpha1, alpha2): density (x/beta)^(alpha1-1) / (beta B(alpha1, alpha2)
 * (1 + x/beta)^(alpha1+alpha2)), the beta prime scaled by beta. Standard parameterisation (@RISK's help
 * page not found among the stored references).
 */
export function pearson6(check: ParamCheck, scale: number, a1: number, a2: number): BaseDistribution {
  check.above('beta', scale, 0);
  check.above('alpha1', a1, 0);
  check.above('alpha2', a2, 0);
  return betaPrime(a1, a2, scale);
}

/** RiskF(v1, v2): Fisher's F, (v2/v1) · Y/(1-Y) with Y ~ Beta(v1/2, v2/2); whole degrees of freedom. */
export function fisherF(check: ParamCheck, v1: number, v2: number): BaseDistribution {
  for (const [label, v] of [
    ['v1', v1],
    ['v2', v2],
  ] as const) {
    check.integer(label, v);
    check.above(label, v, 0);
  }
  return betaPrime(v1 / 2, v2 / 2, v2 / v1);
}

/**
 * RiskInvGauss(mu, lambda): the inverse Gaussian (Wald) of mean mu and shape lambda, cdf
 * Φ(√(lambda/x)(x/mu - 1)) + e^(2 lambda/mu) Φ(-√(lambda/x)(x/mu + 1)); mu times the one of mean 1 and
 * shape lambda/mu, whose quantile is the safeguarded Newton inverse of that cdf. Standard
 * parameterisation (@RISK's help page not found among the stored references).
 */
export function inverseGaussian(check: ParamCheck, mu: number, lambda: number): BaseDistribution {
  check.above('mu', mu, 0);
  check.above('lambda', lambda, 0);
  const shape = lambda / mu;
  return continuous(
    mu,
    0,
    INF,
    (u) => mu * inverseGaussianInv(u, shape),
    (x) => inverseGaussianCdf(x / mu, shape),
  );
}

/** RiskWeibull(alpha shape, beta scale). */
export function weibull(check: ParamCheck, shape: number, scale: number): BaseDistribution {
  check.above('alpha', shape, 0);
  check.above('beta', scale, 0);
  return continuous(
    scale * gammaFn(1 + 1 / shape),
    0,
    INF,
    (u) => scale * (-log1p(-u)) ** (1 / shape),
    (x) => (x <= 0 ? 0 : -expm1(-((x / scale) ** shape))),
  );
}

/** RiskStudent(nu). The mean is 0 (undefined for nu <= 1; 0 is the centre of symmetry). */
export function student(check: ParamCheck, df: number): BaseDistribution {
  check.above('degrees of freedom', df, 0);
  return continuous(
    0,
    -INF,
    INF,
    (u) => studentTInv(u, df),
    (x) => studentTCdf(x, df),
  );
}

/** Checks the {x} table of RiskCumul / RiskGeneral: strictly increasing inside [min, max]. */
function checkPointTable(
  check: ParamCheck,
  min: number,
  max: number,
  xs: number[],
  ys: number[],
  yLabel: string,
) {
  if (!(min < max)) check.fail(`minimum (${min}) must be < maximum (${max})`);
  if (xs.length !== ys.length) {
    check.fail(`the x values (${xs.length}) and ${yLabel} (${ys.length}) must have the same length`);
  }
  for (let i = 0; i < xs.length; i++) {
    check.within('x value', xs[i], min, max);
    if (i > 0 && !(xs[i] > xs[i - 1]))
      check.fail(`x values must be strictly increasing, got ${xs[i - 1]} then ${xs[i]}`);
  }
}

/** Appends the endpoints to a table: [min, ...xs, max] with [yMin, ...ys, yMax], dropping duplicated ends. */
function withEnds(min: number, max: number, xs: number[], ys: number[], yMin: number, yMax: number) {
  const px: number[] = [];
  const py: number[] = [];
  if (xs.length === 0 || xs[0] > min) {
    px.push(min);
    py.push(yMin);
  }
  for (const item of xs) px.push(item);
  for (const item of ys) py.push(item);
  if (xs.length === 0 || xs[xs.length - 1] < max) {
    px.push(max);
    py.push(yMax);
  }
  return { px: Float64Array.from(px), py: Float64Array.from(py) };
}

/** Probabilities (0 to 1) that never decrease (direction 1) or never increase (direction -1). */
function checkProbabilityRun(check: ParamCheck, ps: number[], kind: string, direction: 1 | -1): void {
  for (let i = 0; i < ps.length; i++) {
    check.within(`${kind} probability`, ps[i], 0, 1);
    if (i > 0 && direction * (ps[i] - ps[i - 1]) < 0)
      check.fail(
        `${kind} probabilities must not ${direction > 0 ? 'decrease' : 'increase'}, got ${ps[i - 1]} then ${ps[i]}`,
      );
  }
}

/** RiskCumul(min, max, {x}, {p}): piecewise linear cdf through (min,0), (x_i,p_i), (max,1). */
export function cumul(
  check: ParamCheck,
  min: number,
  max: number,
  xs: number[],
  ps: number[],
): BaseDistribution {
  checkPointTable(check, min, max, xs, ps, 'cumulative probabilities');
  checkProbabilityRun(check, ps, 'cumulative', 1);
  const { px, py } = withEnds(min, max, xs, ps, 0, 1);
  if (py[0] !== 0 || py[py.length - 1] !== 1)
    check.fail('cumulative probabilities must be 0 at the minimum and 1 at the maximum');
  let mean = 0;
  for (let i = 0; i + 1 < px.length; i++) mean += ((px[i] + px[i + 1]) / 2) * (py[i + 1] - py[i]);
  return continuous(
    mean,
    min,
    max,
    (u) => {
      const i = maxOf(1, lowerBound(py, u)); // py[i-1] < u <= py[i]
      return px[i - 1] + ((u - py[i - 1]) / (py[i] - py[i - 1])) * (px[i] - px[i - 1]);
    },
    (x) => {
      if (x <= min) return 0;
      if (x >= max) return 1;
      const i = upperBound(px, x); // px[i-1] <= x < px[i]
      return py[i - 1] + ((x - px[i - 1]) / (px[i] - px[i - 1])) * (py[i] - py[i - 1]);
    },
    Array.from(py.subarray(1, py.length - 1)),
  );
}

/**
 * RiskCumulD(min, max, {x}, {p}): RiskCumul given P(X > x_i) instead of P(X <= x_i), so the p values do
 * not increase (@RISK's help page: "cumulative descending probability").
 */
export function cumulDescending(
  check: ParamCheck,
  min: number,
  max: number,
  xs: number[],
  ps: number[],
): BaseDistribution {
  checkProbabilityRun(check, ps, 'cumulative descending', -1);
  return cumul(
    check,
    min,
    max,
    xs,
    ps.map((p) => 1 - p),
  );
}

/**
 * RiskHistogrm(min, max, {p}): n equal-width classes between min and max, each as likely as its weight
 * (normalised) and uniform within: RiskCumul through the class edges. min = max is its one value, as
 * @RISK's help page allows.
 */
export function histogram(check: ParamCheck, min: number, max: number, weights: number[]): BaseDistribution {
  check.ordered('minimum', min, 'maximum', max);
  if (weights.length === 0) check.fail('at least one weight is required');
  for (const w of weights) check.atLeast('weight', w, 0);
  if (!weights.some((w) => w > 0)) check.fail('at least one weight must be > 0');
  if (min === max) return pointMass(min);
  const n = weights.length;
  let total = 0;
  for (const w of weights) total += w;
  const edges: number[] = [];
  const below: number[] = [];
  let running = 0;
  for (let i = 1; i < n; i++) {
    running += weights[i - 1];
    edges.push(min + ((max - min) * i) / n);
    below.push(running / total);
  }
  return cumul(check, min, max, edges, below);
}

/** RiskGeneral(min, max, {x}, {density}): piecewise linear density through (min,0), (x_i,d_i), (max,0). */
export function general(
  check: ParamCheck,
  min: number,
  max: number,
  xs: number[],
  ds: number[],
): BaseDistribution {
  checkPointTable(check, min, max, xs, ds, 'densities');
  for (const d of ds) check.atLeast('density', d, 0);
  const { px, py: density } = withEnds(min, max, xs, ds, 0, 0);
  const segments = px.length - 1;
  const area = new Float64Array(px.length); // area[i] = mass left of px[i]
  let mean = 0;
  for (let i = 0; i < segments; i++) {
    const w = px[i + 1] - px[i];
    area[i + 1] = area[i] + ((density[i] + density[i + 1]) / 2) * w;
    mean += (w * (density[i] * (2 * px[i] + px[i + 1]) + density[i + 1] * (px[i] + 2 * px[i + 1]))) / 6;
  }
  const total = area[segments];
  if (!(total > 0)) check.fail('the densities must enclose a positive area');
  for (let i = 0; i < px.length; i++) {
    area[i] /= total;
    density[i] /= total;
  }
  area[segments] = 1;
  // mass within segment i up to offset t: d_i t + slope t^2 / 2
  return continuous(
    mean / total,
    min,
    max,
    (u) => {
      const i = minOf(segments, maxOf(1, lowerBound(area, u))) - 1;
      const w = px[i + 1] - px[i];
      const slope = (density[i + 1] - density[i]) / w;
      const r = u - area[i];
      // root of d t + slope t^2/2 = r in the cancellation-free form
      const t = (2 * r) / (density[i] + sqrt(maxOf(0, density[i] * density[i] + 2 * slope * r)));
      return minOf(px[i + 1], px[i] + (isFiniteNumber(t) ? t : 0));
    },
    (x) => {
      if (x <= min) return 0;
      if (x >= max) return 1;
      const i = upperBound(px, x) - 1;
      const t = x - px[i];
      const slope = (density[i + 1] - density[i]) / (px[i + 1] - px[i]);
      return clamp01(area[i] + density[i] * t + (slope * t * t) / 2);
    },
    Array.from(area.subarray(1, segments)),
  );
}
