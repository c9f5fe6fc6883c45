/**
 * The distribution functions of formulas (@RISK's Risk* and Montecell's MC.*): their names and the
 * order and meaning of their arguments, one definition read by the engine's sampling, the task pane's
 * "Add input" form and the MC.* custom functions.
 */

import type { DistributionSpec, DistributionType } from './base';

/** How a distribution function's arguments map onto a DistributionSpec. */
export interface DistributionFunctionInfo {
  readonly type: DistributionType;
  /** Argument names in order; those in ARRAY_PARAMS ('values', 'weights', 'xValues', ...) are arrays. */
  readonly params: readonly string[];
}

/**
 * Each function's @RISK name, its MC.* twin (none where an argument is a distribution: an MC.* custom
 * function receives its arguments' grid values, never the distributions behind them) and its arguments.
 */
const SIGNATURES: Record<DistributionType, { risk: string; mc?: string; params: readonly string[] }> = {
  normal: { risk: 'RiskNormal', mc: 'MC.NORMAL', params: ['mean', 'sd'] },
  lognormal: { risk: 'RiskLognorm', mc: 'MC.LOGNORMAL', params: ['mean', 'sd'] },
  lognormal2: { risk: 'RiskLognorm2', mc: 'MC.LOGNORMAL2', params: ['mu', 'sigma'] },
  uniform: { risk: 'RiskUniform', mc: 'MC.UNIFORM', params: ['min', 'max'] },
  triangular: { risk: 'RiskTriang', mc: 'MC.TRIANG', params: ['min', 'mode', 'max'] },
  pert: { risk: 'RiskPert', mc: 'MC.PERT', params: ['min', 'mode', 'max'] },
  discrete: { risk: 'RiskDiscrete', mc: 'MC.DISCRETE', params: ['values', 'weights'] },
  binomial: { risk: 'RiskBinomial', mc: 'MC.BINOMIAL', params: ['n', 'p'] },
  poisson: { risk: 'RiskPoisson', mc: 'MC.POISSON', params: ['lambda'] },
  exponential: { risk: 'RiskExpon', mc: 'MC.EXPON', params: ['beta'] },
  gamma: { risk: 'RiskGamma', mc: 'MC.GAMMA', params: ['alpha', 'beta'] },
  beta: { risk: 'RiskBeta', mc: 'MC.BETA', params: ['alpha1', 'alpha2'] },
  betageneral: { risk: 'RiskBetaGeneral', mc: 'MC.BETAGENERAL', params: ['alpha1', 'alpha2', 'min', 'max'] },
  weibull: { risk: 'RiskWeibull', mc: 'MC.WEIBULL', params: ['alpha', 'beta'] },
  student: { risk: 'RiskStudent', mc: 'MC.STUDENT', params: ['nu'] },
  cumul: { risk: 'RiskCumul', mc: 'MC.CUMUL', params: ['min', 'max', 'xValues', 'pValues'] },
  general: { risk: 'RiskGeneral', mc: 'MC.GENERAL', params: ['min', 'max', 'xValues', 'densities'] },
  bernoulli: { risk: 'RiskBernoulli', mc: 'MC.BERNOULLI', params: ['p'] },
  'integer-uniform': { risk: 'RiskIntUniform', mc: 'MC.INTUNIFORM', params: ['min', 'max'] },
  logistic: { risk: 'RiskLogistic', mc: 'MC.LOGISTIC', params: ['alpha', 'beta'] },
  laplace: { risk: 'RiskLaplace', mc: 'MC.LAPLACE', params: ['mu', 'sigma'] },
  cauchy: { risk: 'RiskCauchy', mc: 'MC.CAUCHY', params: ['gamma', 'beta'] },
  rayleigh: { risk: 'RiskRayleigh', mc: 'MC.RAYLEIGH', params: ['b'] },
  pareto: { risk: 'RiskPareto', mc: 'MC.PARETO', params: ['theta', 'a'] },
  pareto2: { risk: 'RiskPareto2', mc: 'MC.PARETO2', params: ['b', 'q'] },
  extvalue: { risk: 'RiskExtValue', mc: 'MC.EXTVALUE', params: ['alpha', 'beta'] },
  extvaluemin: { risk: 'RiskExtValueMin', mc: 'MC.EXTVALUEMIN', params: ['alpha', 'beta'] },
  loglogistic: { risk: 'RiskLogLogistic', mc: 'MC.LOGLOGISTIC', params: ['gamma', 'beta', 'alpha'] },
  reciprocal: { risk: 'RiskReciprocal', mc: 'MC.RECIPROCAL', params: ['min', 'max'] },
  kumaraswamy: { risk: 'RiskKumaraswamy', mc: 'MC.KUMARASWAMY', params: ['alpha1', 'alpha2', 'min', 'max'] },
  duniform: { risk: 'RiskDUniform', mc: 'MC.DUNIFORM', params: ['values'] },
  geometric: { risk: 'RiskGeomet', mc: 'MC.GEOMET', params: ['p'] },
  erlang: { risk: 'RiskErlang', mc: 'MC.ERLANG', params: ['m', 'beta'] },
  chisq: { risk: 'RiskChiSq', mc: 'MC.CHISQ', params: ['nu'] },
  frechet: { risk: 'RiskFrechet', mc: 'MC.FRECHET', params: ['gamma', 'beta', 'alpha'] },
  levy: { risk: 'RiskLevy', mc: 'MC.LEVY', params: ['a', 'c'] },
  hypsecant: { risk: 'RiskHypSecant', mc: 'MC.HYPSECANT', params: ['gamma', 'beta'] },
  dagum: { risk: 'RiskDagum', mc: 'MC.DAGUM', params: ['gamma', 'beta', 'alpha1', 'alpha2'] },
  burr12: { risk: 'RiskBurr12', mc: 'MC.BURR12', params: ['gamma', 'beta', 'alpha1', 'alpha2'] },
  fatiguelife: { risk: 'RiskFatigueLife', mc: 'MC.FATIGUELIFE', params: ['gamma', 'beta', 'alpha'] },
  erf: { risk: 'RiskErf', mc: 'MC.ERF', params: ['h'] },
  johnsonsu: { risk: 'RiskJohnsonSU', mc: 'MC.JOHNSONSU', params: ['alpha1', 'alpha2', 'gamma', 'beta'] },
  johnsonsb: { risk: 'RiskJohnsonSB', mc: 'MC.JOHNSONSB', params: ['alpha1', 'alpha2', 'a', 'b'] },
  pearson5: { risk: 'RiskPearson5', mc: 'MC.PEARSON5', params: ['alpha', 'beta'] },
  pearson6: { risk: 'RiskPearson6', mc: 'MC.PEARSON6', params: ['beta', 'alpha1', 'alpha2'] },
  f: { risk: 'RiskF', mc: 'MC.F', params: ['v1', 'v2'] },
  doubletriang: { risk: 'RiskDoubleTriang', mc: 'MC.DOUBLETRIANG', params: ['min', 'mode', 'max', 'p'] },
  negbin: { risk: 'RiskNegbin', mc: 'MC.NEGBIN', params: ['s', 'p'] },
  hypergeo: { risk: 'RiskHypergeo', mc: 'MC.HYPERGEO', params: ['n', 'D', 'M'] },
  trigen: {
    risk: 'RiskTrigen',
    mc: 'MC.TRIGEN',
    params: ['bottom', 'mode', 'top', 'bottomPercent', 'topPercent'],
  },
  invgauss: { risk: 'RiskInvGauss', mc: 'MC.INVGAUSS', params: ['mu', 'lambda'] },
  betasubj: { risk: 'RiskBetaSubj', mc: 'MC.BETASUBJ', params: ['min', 'mode', 'mean', 'max'] },
  histogrm: { risk: 'RiskHistogrm', mc: 'MC.HISTOGRM', params: ['min', 'max', 'weights'] },
  cumuld: { risk: 'RiskCumulD', mc: 'MC.CUMULD', params: ['min', 'max', 'xValues', 'pValues'] },
  polya: { risk: 'RiskPolya', mc: 'MC.POLYA', params: ['alpha', 'beta'] },
  resample: { risk: 'RiskResample', mc: 'MC.RESAMPLE', params: ['sampType', 'values'] },
  // not an @RISK function (the SIPmath standard's); bounds and optional terms: metalogSpec in metalog.ts
  metalog: { risk: 'MC.METALOG', mc: 'MC.METALOG', params: ['xValues', 'pValues', 'terms'] },
  // arguments that are distributions (or cells holding one): spliceSpec and compoundSpec in formula-distributions.ts
  splice: { risk: 'RiskSplice', params: ['dist1', 'dist2', 'splicePoint'] },
  compound: { risk: 'RiskCompound', params: ['frequency', 'severity', 'deductible', 'limit'] },
};

const ARRAY_PARAMS = new Set(['values', 'weights', 'xValues', 'pValues', 'densities']);
/** RiskSplice's and RiskCompound's arguments that are distributions, kept as components of the spec. */
const DISTRIBUTION_PARAMS = new Set(['dist1', 'dist2', 'frequency', 'severity']);

/** Upper-case function name (RISKNORMAL, MC.NORMAL, ...) to its distribution type and arguments. */
export const DISTRIBUTION_FUNCTIONS: ReadonlyMap<string, DistributionFunctionInfo> = new Map(
  (Object.keys(SIGNATURES) as DistributionType[]).flatMap((type) => {
    const { risk, mc, params } = SIGNATURES[type];
    const info = { type, params };
    return [[risk.toUpperCase(), info] as const, ...(mc ? [[mc, info] as const] : [])];
  }),
);

/** The @RISK distribution functions with an MC.* custom-function twin, and how many arguments it takes. */
export const DISTRIBUTION_TWINS: readonly { risk: string; mc: string; arity: number }[] = Object.values(
  SIGNATURES,
).flatMap(({ risk, mc, params }) => (mc && mc !== risk ? [{ risk, mc, arity: params.length }] : []));

/** The @RISK name of a distribution type ("RiskNormal"), undefined for a type not in the catalogue. */
export function riskFunctionName(type: DistributionType): string | undefined {
  return SIGNATURES[type]?.risk;
}

/** How many of a distribution type's arguments are numbers (the rest are arrays). */
export function scalarParamCount(type: DistributionType): number {
  return SIGNATURES[type].params.filter((p) => !ARRAY_PARAMS.has(p) && !DISTRIBUTION_PARAMS.has(p)).length;
}

/** Whether the argument of that name is a distribution (RiskSplice's pieces, RiskCompound's frequency and severity). */
export function isDistributionParam(name: string): boolean {
  return DISTRIBUTION_PARAMS.has(name);
}

/** A property function modifying the distribution it is passed to (as @RISK's RiskTruncate, RiskShift). */
export interface DistributionPropertyInfo {
  readonly property: 'truncate' | 'shift';
  readonly params: readonly string[];
}

const TRUNCATE: DistributionPropertyInfo = { property: 'truncate', params: ['min', 'max'] };
const SHIFT: DistributionPropertyInfo = { property: 'shift', params: ['shift'] };

/**
 * Upper-case property function names: RiskTruncate(min, max) limits the final (shifted)
 * values, sampling by inverse cdf on the restricted range; RiskShift(shift) adds a constant.
 */
export const DISTRIBUTION_PROPERTY_FUNCTIONS: ReadonlyMap<string, DistributionPropertyInfo> = new Map([
  ['RISKTRUNCATE', TRUNCATE],
  ['MC.TRUNCATE', TRUNCATE],
  ['RISKSHIFT', SHIFT],
  ['MC.SHIFT', SHIFT],
]);

/**
 * Property functions only qualify the distribution they are passed to (RiskTruncate, RiskName…): outside
 * it they stand for nothing (0 in a grid), and they draw nothing.
 */
export const PROPERTY_FUNCTIONS: ReadonlySet<string> = new Set([
  'RISKNAME',
  'RISKTRUNCATE',
  'RISKTRUNCATEP',
  'RISKSHIFT',
  'RISKSTATIC',
  'RISKUNITS',
  'RISKCORRMAT',
  'RISKCOPULA',
  'RISKSEED',
  'RISKCATEGORY',
  'RISKISDATE',
  'RISKISDISCRETE',
  'RISKCOLLECT',
  'RISKLOCK',
]);

/** Whether the argument of that name is an array (RiskDiscrete's values/weights, RiskCumul/RiskGeneral tables). */
export function isArrayParam(name: string): boolean {
  return ARRAY_PARAMS.has(name);
}

/**
 * Builds a spec from a distribution function's evaluated arguments (numbers and, for the
 * array parameters, number arrays), in the order of DISTRIBUTION_FUNCTIONS' params.
 */
export function specFromArguments(
  functionName: string,
  args: ReadonlyArray<number | readonly number[]>,
): DistributionSpec | { error: string } {
  const info = DISTRIBUTION_FUNCTIONS.get(functionName.toUpperCase());
  if (!info) return { error: `${functionName}: not a distribution function` };
  if (args.length !== info.params.length) {
    return { error: `${functionName}: expects ${info.params.length} arguments, got ${args.length}` };
  }
  const spec: DistributionSpec = { type: info.type, params: [], name: functionName };
  for (let i = 0; i < args.length; i++) {
    const name = info.params[i];
    const arg = args[i];
    if (ARRAY_PARAMS.has(name) !== Array.isArray(arg)) {
      return {
        error: `${functionName}: argument ${name} must be ${ARRAY_PARAMS.has(name) ? 'an array' : 'a number'}`,
      };
    }
    if (name === 'values') spec.values = [...(arg as number[])];
    else if (name === 'weights') spec.weights = [...(arg as number[])];
    else if (name === 'xValues') spec.points = { x: [...(arg as number[])], y: spec.points?.y ?? [] };
    else if (name === 'pValues' || name === 'densities')
      spec.points = { x: spec.points?.x ?? [], y: [...(arg as number[])] };
    else spec.params.push(arg as number);
  }
  return spec;
}
