/** Discrete distributions of the catalogue, sampled by searching their cumulative table. */

import { ceil, expm1, floor, log1p, max as maxOf, min as minOf, POS_INF, sqrt } from '../numeric/math';
import { binomialPmf, negativeBinomialPmf, normCdf, normInv, poissonPmf } from '../numeric/special';
import { type BaseDistribution, lowerBound, type ParamCheck, pointMass, upperBound } from './base';

/** ln(2^-54): a tail probability below it leaves a cdf that rounds to 1. */
const LOG_HALF_ULP_OF_ONE = -54 * Math.LN2;

/** Largest table built for binomial / Poisson; beyond it the cdf is searched by bisection. */
const MAX_TABLE_SIZE = 1 << 20;

/** Support values (ascending) with their cumulative probabilities (last one exactly 1). */
function table(values: Float64Array, cumulative: Float64Array, mean: number): BaseDistribution {
  const last = values.length - 1;
  return {
    mean,
    discrete: true,
    lower: values[0],
    upper: values[last],
    inverseCdf: (u) => values[minOf(last, lowerBound(cumulative, u))],
    cdf: (x) => {
      const i = upperBound(values, x); // values[i-1] <= x
      return i === 0 ? 0 : cumulative[i - 1];
    },
    cdfBelow: (x) => {
      const i = lowerBound(values, x); // values[i-1] < x
      return i === 0 ? 0 : cumulative[i - 1];
    },
  };
}

/** Builds the table from unnormalised (value, weight) pairs: sorted, merged, zero weights dropped. */
function tableFromWeights(values: ArrayLike<number>, weights: ArrayLike<number>): BaseDistribution {
  const order = Array.from({ length: values.length }, (_, i) => i)
    .filter((i) => weights[i] > 0)
    .sort((a, b) => values[a] - values[b]);
  const merged: number[] = [];
  const mass: number[] = [];
  for (const i of order) {
    if (merged.length > 0 && merged[merged.length - 1] === values[i]) mass[mass.length - 1] += weights[i];
    else {
      merged.push(values[i]);
      mass.push(weights[i]);
    }
  }
  let total = 0;
  for (const m of mass) total += m;
  const cumulative = new Float64Array(mass.length);
  let running = 0;
  let mean = 0;
  for (let i = 0; i < mass.length; i++) {
    running += mass[i];
    cumulative[i] = running / total;
    mean += (merged[i] * mass[i]) / total;
  }
  cumulative[mass.length - 1] = 1;
  return table(Float64Array.from(merged), cumulative, mean);
}

/** RiskDiscrete({values}, {weights}): weights are normalised to sum to 1. */
export function discrete(check: ParamCheck, values: number[], weights: number[]): BaseDistribution {
  if (values.length === 0) check.fail('at least one value is required');
  if (values.length !== weights.length) {
    check.fail(`values (${values.length}) and weights (${weights.length}) must have the same length`);
  }
  for (const w of weights) check.atLeast('weight', w, 0);
  if (!weights.some((w) => w > 0)) check.fail('at least one weight must be > 0');
  return tableFromWeights(values, weights);
}

/** RiskBernoulli(p): 1 with probability p, else 0. */
export function bernoulli(check: ParamCheck, p: number): BaseDistribution {
  check.within('probability', p, 0, 1);
  return tableFromWeights([0, 1], [1 - p, p]);
}

/** RiskDUniform({values}): each listed value equally likely (a value listed twice counts twice). */
export function discreteUniform(check: ParamCheck, values: number[]): BaseDistribution {
  if (values.length === 0) check.fail('at least one value is required');
  return tableFromWeights(values, new Float64Array(values.length).fill(1));
}

/**
 * RiskResample(sampType, {data}): sampling type 2 draws the data at random with replacement, each listed
 * value equally likely: the DUniform over the data, exact under Latin hypercube. Types 1 (in order) and 3
 * (at random without replacement) make each trial's value depend on the trials before it, which a
 * per-trial inverse cdf cannot give: they are refused by name. The meaning of 1, 2 and 3 is the brief's
 * (@RISK's help page was not found among the stored references).
 */
export function resample(check: ParamCheck, samplingType: number, data: number[]): BaseDistribution {
  check.integer('sampling type', samplingType);
  check.within('sampling type', samplingType, 1, 3);
  if (samplingType !== 2)
    check.fail(
      `sampling type ${samplingType} (${samplingType === 1 ? 'in order' : 'random without replacement'}) is not supported; only 2 (random with replacement)`,
    );
  return discreteUniform(check, data);
}

/**
 * RiskGeomet(p): the number of failures before the first success, P(X = k) = p (1-p)^k for k ≥ 0
 * (@RISK's domain starts at 0; the stored help pages did not show it, this is the standard convention).
 * The closed-form quantile is corrected where rounding puts it beside the smallest k with cdf(k) ≥ u
 * (a step at most), so sampling and the cdf agree exactly.
 */
export function geometric(check: ParamCheck, p: number): BaseDistribution {
  check.within('probability', p, 0, 1);
  check.above('probability', p, 0);
  if (p === 1) return pointMass(0);
  const logFailure = log1p(-p);
  const cdf = (x: number) => (x < 0 ? 0 : -expm1((floor(x) + 1) * logFailure));
  return {
    mean: (1 - p) / p,
    discrete: true,
    lower: 0,
    upper: POS_INF,
    inverseCdf: (u) => {
      // u = 1 (a truncation walking the atoms reaches it) is the first k whose cdf rounds to 1
      let k = maxOf(0, ceil(maxOf(log1p(-u), LOG_HALF_ULP_OF_ONE) / logFailure - 1));
      while (k > 0 && cdf(k - 1) >= u) k--;
      while (cdf(k) < u) k++;
      return k;
    },
    cdf,
    cdfBelow: (x) => cdf(ceil(x) - 1),
  };
}

/** RiskIntUniform(min, max): each integer of [min, max] equally likely. */
export function integerUniform(check: ParamCheck, min: number, max: number): BaseDistribution {
  check.integer('minimum', min);
  check.integer('maximum', max);
  check.ordered('minimum', min, 'maximum', max);
  const count = max - min + 1;
  const cdf = (x: number) => {
    const k = floor(x);
    return k < min ? 0 : k >= max ? 1 : (k - min + 1) / count;
  };
  return {
    mean: (min + max) / 2,
    discrete: true,
    lower: min,
    upper: max,
    inverseCdf: (u) => minOf(max, min + ceil(u * count) - 1),
    cdf,
    cdfBelow: (x) => cdf(ceil(x) - 1),
  };
}

/**
 * A distribution on the integers [0, limit] with the given pmf, mean, sd and skewness: a
 * table over the window of non-negligible mass (mean ± reach sd + 20; 12 sd for tails as light as
 * the binomial's and Poisson's) while that has at most MAX_TABLE_SIZE values (sd up to ~43,000 at
 * 12), else its skewness-corrected normal (Cornish–Fisher) approximation, whose cdf error is then of
 * order skew^2 / 36 < 1e-9.
 */
function integerDistribution(
  mean: number,
  sd: number,
  skew: number,
  limit: number,
  pmf: (k: number) => number,
  reach = 12,
): BaseDistribution {
  const lo = maxOf(0, floor(mean - reach * sd - 20));
  const hi = minOf(limit, ceil(mean + reach * sd + 20));
  if (hi - lo + 1 > MAX_TABLE_SIZE) return cornishFisher(mean, sd, skew, limit);
  const values = new Float64Array(hi - lo + 1);
  const weights = new Float64Array(hi - lo + 1);
  for (let k = lo; k <= hi; k++) {
    values[k - lo] = k;
    weights[k - lo] = pmf(k);
  }
  return { ...tableFromWeights(values, weights), mean };
}

/** Integer distribution from the normal approximation with continuity and skewness corrections. */
function cornishFisher(mean: number, sd: number, skew: number, limit: number): BaseDistribution {
  const cdf = (x: number) => {
    if (x < 0) return 0;
    const k = floor(x);
    if (k >= limit) return 1;
    const w = (k + 0.5 - mean) / sd;
    return normCdf(w - (skew * (w * w - 1)) / 6);
  };
  return {
    mean,
    discrete: true,
    lower: 0,
    upper: limit,
    inverseCdf: (u) => {
      const z = normInv(u);
      return minOf(limit, maxOf(0, ceil(mean + sd * (z + (skew * (z * z - 1)) / 6) - 0.5)));
    },
    cdf,
    cdfBelow: (x) => cdf(ceil(x) - 1),
  };
}

/** RiskBinomial(n, p). */
export function binomial(check: ParamCheck, n: number, p: number): BaseDistribution {
  check.atLeast('number of trials', n, 0);
  check.integer('number of trials', n);
  check.within('probability', p, 0, 1);
  if (p === 0 || n === 0) return pointMass(0);
  if (p === 1) return pointMass(n);
  const sd = sqrt(n * p * (1 - p));
  return integerDistribution(n * p, sd, (1 - 2 * p) / sd, n, (k) => binomialPmf(k, n, p));
}

/** RiskPoisson(lambda). */
export function poisson(check: ParamCheck, lambda: number): BaseDistribution {
  check.atLeast('lambda', lambda, 0);
  if (lambda === 0) return pointMass(0);
  return integerDistribution(lambda, sqrt(lambda), 1 / sqrt(lambda), Number.MAX_SAFE_INTEGER, (k) =>
    poissonPmf(k, lambda),
  );
}

/**
 * RiskNegbin(s, p): failures before the s-th success, P(X = k) = C(s+k-1, k) p^s (1-p)^k for k ≥ 0,
 * s a whole number (standard convention; @RISK's help page not found among the stored references).
 */
export function negativeBinomial(check: ParamCheck, s: number, p: number): BaseDistribution {
  check.integer('number of successes', s);
  check.above('number of successes', s, 0);
  check.within('probability', p, 0, 1);
  check.above('probability', p, 0);
  return negativeBinomialOf(s, p);
}

/**
 * RiskPolya(alpha, beta): the gamma–Poisson mixture, Poisson with a Gamma(alpha, beta) mean: the negative
 * binomial of real size alpha and p = 1/(1+beta), mean alpha·beta, variance alpha·beta(1+beta) (the
 * insurance convention, Poisson(Gamma(alpha, beta)); @RISK's help page not found among the stored references).
 */
export function polya(check: ParamCheck, alpha: number, beta: number): BaseDistribution {
  check.above('alpha', alpha, 0);
  check.above('beta', beta, 0);
  return negativeBinomialOf(alpha, 1 / (1 + beta));
}

/**
 * The negative binomial of real size s > 0 and success probability p in (0, 1], a table of its pmf
 * (Loader's saddle-point form, negativeBinomialPmf). Its tail decays like (1-p)^k, slower than the sd
 * suggests for a small s·(1-p): the window reaches 40 sd and at least 40/p values beyond the mean
 * ((1-p)^(40/p) < e^-40).
 */
function negativeBinomialOf(s: number, p: number): BaseDistribution {
  if (p === 1) return pointMass(0);
  const q = 1 - p;
  const sd = sqrt(s * q) / p;
  return integerDistribution(
    (s * q) / p,
    sd,
    (2 - p) / (p * sd),
    Number.MAX_SAFE_INTEGER,
    (k) => negativeBinomialPmf(k, s, p),
    maxOf(40, 40 / sqrt(s * q)),
  );
}

/**
 * RiskHypergeo(n, D, M): successes in a sample of n drawn without replacement from a population of M
 * holding D successes (standard convention; @RISK's help page not found among the stored references).
 * P(X = k) = P(Bin(D, q) = k) P(Bin(M-D, q) = n-k) / P(Bin(M, q) = n) for any q, here q = n/M.
 */
export function hypergeometric(
  check: ParamCheck,
  n: number,
  successes: number,
  total: number,
): BaseDistribution {
  for (const [label, v] of [
    ['sample size', n],
    ['number of successes', successes],
    ['population size', total],
  ] as const) {
    check.integer(label, v);
    check.atLeast(label, v, 0);
  }
  check.ordered('sample size', n, 'population size', total);
  check.ordered('number of successes', successes, 'population size', total);
  const failures = total - successes;
  if (n === 0 || successes === 0) return pointMass(0);
  if (failures === 0) return pointMass(n);
  if (n === total) return pointMass(successes);
  const q = n / total;
  const mean = n * (successes / total);
  const sd = sqrt((mean * (failures / total) * (total - n)) / (total - 1));
  const skew =
    total > 2
      ? ((total - 2 * successes) * sqrt(total - 1) * (total - 2 * n)) /
        (sqrt(n * successes * failures * (total - n)) * (total - 2))
      : 0;
  const sampleMass = binomialPmf(n, total, q);
  return integerDistribution(mean, sd, skew, minOf(n, successes), (k) =>
    n - k > failures ? 0 : (binomialPmf(k, successes, q) * binomialPmf(n - k, failures, q)) / sampleMass,
  );
}
