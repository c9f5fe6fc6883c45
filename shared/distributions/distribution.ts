/**
 * A distribution of the catalogue built from its spec. createDistribution validates a DistributionSpec
 * and returns a Distribution whose inverseCdf maps a uniform in (0,1) to a sample: that single entry
 * point serves plain Monte Carlo, Latin hypercube strata and Iman–Conover reordering alike, and its
 * static value and cdf serve the task pane (the MC.* functions' grid values, the density preview).
 */

import {
  isFiniteNumber,
  isNotANumber,
  max as maxOf,
  min as minOf,
  NAN,
  NEG_INF,
  POS_INF,
} from '../numeric/math';
import {
  type BaseDistribution,
  type DistributionOptions,
  type DistributionSpec,
  type DistributionType,
  nextUp,
  ParamCheck,
  SpecError,
} from './base';
import { riskFunctionName, scalarParamCount } from './catalogue';
import * as Q from './closed-form';
import { type CompoundParts, compoundParts, reducedSeverity } from './compound';
import * as C from './continuous';
import * as D from './discrete';
import { metalog } from './metalog';
import { quantileMean } from './quantile-mean';
import { splice } from './splice';

export type { DistributionOptions, DistributionSpec, DistributionType } from './base';

export interface Distribution {
  readonly type: DistributionType;
  /** Mean of the final (truncated, shifted) distribution. */
  readonly mean: number;
  /** Value shown when not simulating: the mean, or for discrete ones the support value nearest to it. */
  readonly staticValue: number;
  readonly discrete: boolean;
  /** Support bounds (may be infinite). */
  readonly min: number;
  readonly max: number;
  /** Sample for u in (0,1): the smallest x with cdf(x) >= u. Does not allocate. */
  inverseCdf(u: number): number;
  /** P(X <= x). */
  cdf(x: number): number;
  /**
   * RiskCompound's frequency and severity: it has no quantile function (inverseCdf and cdf give NaN),
   * and the sampler draws it with compoundSample.
   */
  readonly compound?: CompoundParts & { readonly shift: number };
}

function buildBase(
  spec: DistributionSpec,
  check: ParamCheck,
  options: DistributionOptions,
): BaseDistribution {
  const p = spec.params;
  const points = spec.points ?? { x: [], y: [] };
  switch (spec.type) {
    case 'normal':
      return C.normal(check, p[0], p[1]);
    case 'lognormal':
      return C.lognormal(check, p[0], p[1]);
    case 'lognormal2':
      return C.lognormal2(check, p[0], p[1]);
    case 'uniform':
      return C.uniform(check, p[0], p[1]);
    case 'triangular':
      return C.triangular(check, p[0], p[1], p[2]);
    case 'pert':
      return C.pert(check, p[0], p[1], p[2], options);
    case 'discrete':
      return D.discrete(check, spec.values ?? [], spec.weights ?? []);
    case 'binomial':
      return D.binomial(check, p[0], p[1]);
    case 'poisson':
      return D.poisson(check, p[0]);
    case 'exponential':
      return C.exponential(check, p[0]);
    case 'gamma':
      return C.gamma(check, p[0], p[1]);
    case 'beta':
      return C.beta(check, p[0], p[1], options);
    case 'betageneral':
      return C.betaGeneral(check, p[0], p[1], p[2], p[3], options);
    case 'weibull':
      return C.weibull(check, p[0], p[1]);
    case 'student':
      return C.student(check, p[0]);
    case 'cumul':
      return C.cumul(check, p[0], p[1], points.x, points.y);
    case 'general':
      return C.general(check, p[0], p[1], points.x, points.y);
    case 'bernoulli':
      return D.bernoulli(check, p[0]);
    case 'integer-uniform':
      return D.integerUniform(check, p[0], p[1]);
    case 'logistic':
      return Q.logistic(check, p[0], p[1]);
    case 'laplace':
      return Q.laplace(check, p[0], p[1]);
    case 'cauchy':
      return Q.cauchy(check, p[0], p[1]);
    case 'rayleigh':
      return Q.rayleigh(check, p[0]);
    case 'pareto':
      return Q.pareto(check, p[0], p[1]);
    case 'pareto2':
      return Q.pareto2(check, p[0], p[1]);
    case 'extvalue':
      return Q.extValue(check, p[0], p[1]);
    case 'extvaluemin':
      return Q.extValueMin(check, p[0], p[1]);
    case 'loglogistic':
      return Q.logLogistic(check, p[0], p[1], p[2]);
    case 'reciprocal':
      return Q.reciprocal(check, p[0], p[1]);
    case 'kumaraswamy':
      return Q.kumaraswamy(check, p[0], p[1], p[2], p[3]);
    case 'duniform':
      return D.discreteUniform(check, spec.values ?? []);
    case 'geometric':
      return D.geometric(check, p[0]);
    case 'erlang':
      return C.erlang(check, p[0], p[1]);
    case 'chisq':
      return C.chiSquared(check, p[0]);
    case 'frechet':
      return Q.frechet(check, p[0], p[1], p[2]);
    case 'levy':
      return Q.levy(check, p[0], p[1]);
    case 'hypsecant':
      return Q.hypSecant(check, p[0], p[1]);
    case 'dagum':
      return Q.dagum(check, p[0], p[1], p[2], p[3]);
    case 'burr12':
      return Q.burr12(check, p[0], p[1], p[2], p[3]);
    case 'fatiguelife':
      return Q.fatigueLife(check, p[0], p[1], p[2]);
    case 'erf':
      return Q.erfDistribution(check, p[0]);
    case 'johnsonsu':
      return Q.johnsonSU(check, p[0], p[1], p[2], p[3]);
    case 'johnsonsb':
      return Q.johnsonSB(check, p[0], p[1], p[2], p[3]);
    case 'pearson5':
      return C.pearson5(check, p[0], p[1]);
    case 'pearson6':
      return C.pearson6(check, p[0], p[1], p[2]);
    case 'f':
      return C.fisherF(check, p[0], p[1]);
    case 'doubletriang':
      return Q.doubleTriang(check, p[0], p[1], p[2], p[3]);
    case 'negbin':
      return D.negativeBinomial(check, p[0], p[1]);
    case 'hypergeo':
      return D.hypergeometric(check, p[0], p[1], p[2]);
    case 'trigen':
      return C.trigen(check, p[0], p[1], p[2], p[3], p[4]);
    case 'invgauss':
      return C.inverseGaussian(check, p[0], p[1]);
    case 'betasubj':
      return C.betaSubj(check, p[0], p[1], p[2], p[3], options);
    case 'histogrm':
      return C.histogram(check, p[0], p[1], spec.weights ?? []);
    case 'cumuld':
      return C.cumulDescending(check, p[0], p[1], points.x, points.y);
    case 'polya':
      return D.polya(check, p[0], p[1]);
    case 'resample':
      return D.resample(check, p[0], spec.values ?? []);
    case 'metalog':
      return metalog(check, points.x, points.y, p[0], spec.bounds ?? {});
    case 'splice': {
      const [left, right] = componentDistributions(spec, check);
      return splice(check, left, right, p[0]);
    }
    case 'compound':
      return check.fail('internal: RiskCompound has no quantile function');
  }
}

/** RiskSplice's and RiskCompound's argument distributions, each with its own truncation and shift. */
function componentDistributions(spec: DistributionSpec, check: ParamCheck): [Distribution, Distribution] {
  const components = spec.components ?? [];
  if (components.length !== 2) check.fail('expects two distributions');
  const built = components.map((component) => {
    if (component.type === 'splice' || component.type === 'compound')
      check.fail(`a ${riskFunctionName(component.type)} cannot be an argument of another`);
    const d = createDistribution(component);
    if ('error' in d) check.fail(d.error, d.excelError);
    return d;
  });
  return [built[0], built[1]];
}

/**
 * RiskCompound: no quantile, so no truncation; a shift adds to every sum. Its static value is its mean
 * E[N]·E[X'] (X' the severity after the deductible and the limit).
 */
function compoundDistribution(spec: DistributionSpec, check: ParamCheck): Distribution {
  if (spec.truncate) check.fail('cannot be truncated: it has no quantile function');
  const [frequency, severity] = componentDistributions(spec, check);
  const [deductible, limit = POS_INF] = spec.params;
  const { parts, mean } = compoundParts(check, frequency, severity, deductible, limit);
  const shift = spec.shift ?? 0;
  const lowest = frequency.min === 0 ? 0 : frequency.min * reducedSeverity(parts, severity.min);
  const highest = frequency.max === 0 ? 0 : frequency.max * reducedSeverity(parts, severity.max);
  return {
    type: 'compound',
    mean: mean + shift,
    staticValue: mean + shift,
    discrete: false,
    min: lowest + shift,
    max: highest + shift,
    inverseCdf: () => NAN,
    cdf: () => NAN,
    compound: { ...parts, shift },
  };
}

function checkNumbers(check: ParamCheck, spec: DistributionSpec): void {
  const expected = scalarParamCount(spec.type);
  // RiskCompound's limit may be left out (no limit)
  const optional = spec.type === 'compound' ? 1 : 0;
  if (spec.params.length > expected || spec.params.length < expected - optional) {
    check.fail(`expects ${expected} numeric parameters, got ${spec.params.length}`);
  }
  const all = [
    ...spec.params,
    ...(spec.values ?? []),
    ...(spec.weights ?? []),
    ...(spec.points?.x ?? []),
    ...(spec.points?.y ?? []),
    ...Object.values(spec.bounds ?? {}),
  ];
  for (const v of all) if (!isFiniteNumber(v)) check.fail(`parameters must be finite numbers, got ${v}`);
  if (spec.shift !== undefined && !isFiniteNumber(spec.shift))
    check.fail(`shift must be a finite number, got ${spec.shift}`);
}

/** Validates a spec and builds its distribution, or explains what is wrong with it. */
export function createDistribution(
  spec: DistributionSpec,
  options: DistributionOptions = {},
): Distribution | { error: string; excelError?: '#NUM!' } {
  const check = new ParamCheck(spec.name ?? riskFunctionName(spec.type) ?? String(spec.type));
  try {
    if (riskFunctionName(spec.type) === undefined) check.fail(`unknown distribution type ${spec.type}`);
    checkNumbers(check, spec);
    if (spec.type === 'compound') return compoundDistribution(spec, check);
    const base = buildBase(spec, check, options);
    return finish(spec.type, base, spec.shift ?? 0, spec.truncate, check);
  } catch (e) {
    if (e instanceof SpecError)
      return { error: e.message, ...(e.excelError === '#NUM!' ? { excelError: e.excelError } : {}) };
    throw e;
  }
}

/** Applies RiskTruncate (limits on the final, shifted scale) and RiskShift, and derives the static value. */
function finish(
  type: DistributionType,
  base: BaseDistribution,
  shift: number,
  truncate: DistributionSpec['truncate'],
  check: ParamCheck,
): Distribution {
  const { lo, hi } = truncate?.percentiles
    ? percentileLimits(base, shift, truncate, check)
    : { lo: truncate?.min ?? NEG_INF, hi: truncate?.max ?? POS_INF };
  if (isNotANumber(lo) || isNotANumber(hi)) check.fail('truncation limits must be numbers');
  check.ordered('truncation minimum', lo, 'truncation maximum', hi);
  const sampled =
    truncate && (lo > base.lower + shift || hi < base.upper + shift)
      ? truncated(base, lo - shift, hi - shift, check)
      : base;
  const mean = sampled.mean + shift;
  const dist: Distribution = {
    type,
    mean,
    staticValue: mean,
    discrete: base.discrete,
    min: sampled.lower + shift,
    max: sampled.upper + shift,
    inverseCdf: shift === 0 ? sampled.inverseCdf : (u) => sampled.inverseCdf(u) + shift,
    cdf: shift === 0 ? sampled.cdf : (x) => sampled.cdf(x - shift),
  };
  return base.discrete
    ? { ...dist, staticValue: nearestSupportValue(base, sampled.mean, sampled.lower, sampled.upper) + shift }
    : dist;
}

/**
 * RiskTruncateP(perc. minimum, perc. maximum): the limits, on the final (shifted) scale, at those
 * cumulative probabilities (0 to 1) of the untruncated distribution; an omitted or extreme one (0, 1)
 * leaves that side open. Truncating there keeps exactly that probability range of a continuous base.
 */
function percentileLimits(
  base: BaseDistribution,
  shift: number,
  percentiles: { min?: number; max?: number },
  check: ParamCheck,
): { lo: number; hi: number } {
  const pLo = percentiles.min ?? 0;
  const pHi = percentiles.max ?? 1;
  check.within('truncation percentile minimum', pLo, 0, 1);
  check.within('truncation percentile maximum', pHi, 0, 1);
  check.ordered('truncation percentile minimum', pLo, 'truncation percentile maximum', pHi);
  return {
    lo: pLo > 0 ? base.inverseCdf(pLo) + shift : NEG_INF,
    hi: pHi < 1 ? base.inverseCdf(pHi) + shift : POS_INF,
  };
}

/**
 * The support value of a discrete distribution within [lower, upper] nearest to x (the lower one on a
 * tie). Searched on the untruncated base: a truncation's rescaled cdf, mapped back, can round past an
 * atom (5 + Negbin(1, 0.25)'s static value came out one value low).
 */
function nearestSupportValue(d: BaseDistribution, x: number, lower: number, upper: number): number {
  const at = d.cdf(x);
  const below = at > 0 ? d.inverseCdf(at) : NAN; // largest support value <= x
  const above = at < 1 ? d.inverseCdf(nextUp(at)) : NAN; // smallest support value > x
  if (!(below >= lower)) return above;
  if (!(above <= upper)) return below;
  return x - below <= above - x ? below : above;
}

/**
 * The base distribution restricted to [lo, hi], sampled by inverse cdf on [P(X < lo), P(X <= hi)]
 * so that Latin hypercube strata and correlations carry over to the truncated variable.
 */
function truncated(base: BaseDistribution, lo: number, hi: number, check: ParamCheck): BaseDistribution {
  const fLo = base.cdfBelow(lo);
  const fHi = base.cdf(hi);
  const mass = fHi - fLo;
  if (!(mass > 0)) check.fail(`the truncation range [${lo}, ${hi}] has zero probability`);
  // for discrete bases, targets must stay strictly above fLo or they would pick the atom below lo
  const floor = nextUp(fLo);
  const ceiling = fHi < 1 ? fHi : 1 - 2 ** -53; // u = 1 would be the infinite end of the support
  const inverseCdf = (u: number) => {
    let target = fLo + u * mass;
    if (target < floor) target = floor;
    else if (target > ceiling) target = ceiling;
    const x = base.inverseCdf(target);
    return minOf(hi, maxOf(lo, x));
  };
  const cdf = (x: number) => (x < lo ? 0 : x >= hi ? 1 : minOf(1, maxOf(0, (base.cdf(x) - fLo) / mass)));
  const cdfBelow = (x: number) =>
    x <= lo ? 0 : x > hi ? 1 : minOf(1, maxOf(0, (base.cdfBelow(x) - fLo) / mass));
  const lower = maxOf(lo, base.lower);
  const upper = minOf(hi, base.upper);
  const mean = base.discrete
    ? discreteMean(base, fLo, fHi)
    : piecewiseQuantileMean(
        inverseCdf,
        (base.kinks ?? []).filter((k) => k > fLo && k < fHi).map((k) => (k - fLo) / mass),
      );
  return { mean, discrete: base.discrete, lower, upper, inverseCdf, cdf, cdfBelow };
}

/**
 * The mean as the quantile's integral over (0,1), taken piece by piece between its kinks (ascending, in
 * (0,1)): the quadrature converges fast only where the integrand is smooth (a RiskHistogrm truncated
 * across a class edge had its mean to 6 digits only).
 */
function piecewiseQuantileMean(inverseCdf: (u: number) => number, kinks: number[]): number {
  let sum = 0;
  let from = 0;
  for (const to of [...kinks, 1]) {
    const start = from;
    const width = to - start;
    sum += width * quantileMean((u) => inverseCdf(start + u * width));
    from = to;
  }
  return sum;
}

/**
 * Mean of a discrete distribution restricted to the cdf range (fLo, fHi], walking its atoms
 * (by quadrature beyond a million of them).
 */
function discreteMean(base: BaseDistribution, fLo: number, fHi: number): number {
  let sum = 0;
  let previous = fLo;
  let x = base.inverseCdf(nextUp(fLo));
  for (let steps = 0; steps < 1_000_000; steps++) {
    const f = minOf(base.cdf(x), fHi);
    sum += x * (f - previous);
    if (f >= fHi) return sum / (fHi - fLo);
    previous = f;
    x = base.inverseCdf(nextUp(f));
  }
  return quantileMean((u) => base.inverseCdf(fLo + u * (fHi - fLo)));
}
