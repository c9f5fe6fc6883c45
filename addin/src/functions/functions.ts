/**
 * The MC.* custom functions (namespace MC, set in manifest.xml). The distributions: in the grid each returns its
 * distribution's static value — the mean, or for discrete distributions the possible value nearest it —
 * so a workbook recalculates normally; in a simulation the service samples them.
 * The statistics (MC.MEAN, MC.PERCENTILE, …) are streaming functions: #N/A until a run completes, then
 * that run's value for the cell they name, updated by each later run. Excel's metadata
 * (functions.json) is generated from the JSDoc below at build time; the CustomFunctions.associate
 * calls are appended by custom-functions-metadata-plugin.
 */
import { metalogSpec } from '../../../shared/distributions/metalog';
import type { CellStatistic } from '../../../shared/functions/statistics';
import type { SimulationResults } from '../../../shared/model';
import { lastRunResults, onRunResults } from './results-store';
import { runStatistic } from './run-statistics';
import { staticValueOf, staticValueOfSpec } from './static-value';

/**
 * Normal distribution: static value is the mean.
 * @customfunction NORMAL
 * @param mean Mean of the distribution.
 * @param sd Standard deviation (≥ 0).
 * @returns The mean.
 */
export function normal(mean: number, sd: number): number {
  return staticValueOf('MC.NORMAL', [mean, sd]);
}

/**
 * Lognormal distribution given its own mean and standard deviation.
 * @customfunction LOGNORMAL
 * @param mean Mean of the distribution (> 0).
 * @param sd Standard deviation (> 0).
 * @returns The mean.
 */
export function lognormal(mean: number, sd: number): number {
  return staticValueOf('MC.LOGNORMAL', [mean, sd]);
}

/**
 * Lognormal distribution given the mean and standard deviation of its logarithm.
 * @customfunction LOGNORMAL2
 * @param mu Mean of ln(X).
 * @param sigma Standard deviation of ln(X) (> 0).
 * @returns The mean.
 */
export function lognormal2(mu: number, sigma: number): number {
  return staticValueOf('MC.LOGNORMAL2', [mu, sigma]);
}

/**
 * Continuous uniform distribution.
 * @customfunction UNIFORM
 * @param min Lower bound.
 * @param max Upper bound.
 * @returns The mean.
 */
export function uniform(min: number, max: number): number {
  return staticValueOf('MC.UNIFORM', [min, max]);
}

/**
 * Triangular distribution.
 * @customfunction TRIANG
 * @param min Minimum.
 * @param mode Most likely value.
 * @param max Maximum.
 * @returns The mean.
 */
export function triang(min: number, mode: number, max: number): number {
  return staticValueOf('MC.TRIANG', [min, mode, max]);
}

/**
 * PERT distribution.
 * @customfunction PERT
 * @param min Minimum.
 * @param mode Most likely value.
 * @param max Maximum.
 * @returns The mean.
 */
export function pert(min: number, mode: number, max: number): number {
  return staticValueOf('MC.PERT', [min, mode, max]);
}

/**
 * Discrete distribution over given values with given weights.
 * @customfunction DISCRETE
 * @param values Possible values.
 * @param weights Their weights (normalised).
 * @returns The possible value nearest the mean.
 */
export function discrete(values: number[][], weights: number[][]): number {
  return staticValueOf('MC.DISCRETE', [values.flat(), weights.flat()]);
}

/**
 * Binomial distribution.
 * @customfunction BINOMIAL
 * @param n Number of trials.
 * @param p Probability of success.
 * @returns The possible value nearest the mean.
 */
export function binomial(n: number, p: number): number {
  return staticValueOf('MC.BINOMIAL', [n, p]);
}

/**
 * Poisson distribution.
 * @customfunction POISSON
 * @param lambda Mean number of events.
 * @returns The possible value nearest the mean.
 */
export function poisson(lambda: number): number {
  return staticValueOf('MC.POISSON', [lambda]);
}

/**
 * Exponential distribution.
 * @customfunction EXPON
 * @param beta Mean.
 * @returns The mean.
 */
export function expon(beta: number): number {
  return staticValueOf('MC.EXPON', [beta]);
}

/**
 * Gamma distribution.
 * @customfunction GAMMA
 * @param alpha Shape.
 * @param beta Scale.
 * @returns The mean.
 */
export function gamma(alpha: number, beta: number): number {
  return staticValueOf('MC.GAMMA', [alpha, beta]);
}

/**
 * Beta distribution on [0, 1].
 * @customfunction BETA
 * @param alpha1 First shape.
 * @param alpha2 Second shape.
 * @returns The mean.
 */
export function beta(alpha1: number, alpha2: number): number {
  return staticValueOf('MC.BETA', [alpha1, alpha2]);
}

/**
 * Beta distribution rescaled to [min, max].
 * @customfunction BETAGENERAL
 * @param alpha1 First shape.
 * @param alpha2 Second shape.
 * @param min Minimum.
 * @param max Maximum.
 * @returns The mean.
 */
export function betaGeneral(alpha1: number, alpha2: number, min: number, max: number): number {
  return staticValueOf('MC.BETAGENERAL', [alpha1, alpha2, min, max]);
}

/**
 * Weibull distribution.
 * @customfunction WEIBULL
 * @param alpha Shape.
 * @param beta Scale.
 * @returns The mean.
 */
export function weibull(alpha: number, beta: number): number {
  return staticValueOf('MC.WEIBULL', [alpha, beta]);
}

/**
 * Student's t distribution.
 * @customfunction STUDENT
 * @param nu Degrees of freedom.
 * @returns The mean.
 */
export function student(nu: number): number {
  return staticValueOf('MC.STUDENT', [nu]);
}

/**
 * Bernoulli distribution (1 with probability p, else 0).
 * @customfunction BERNOULLI
 * @param p Probability of 1.
 * @returns The possible value nearest the mean.
 */
export function bernoulli(p: number): number {
  return staticValueOf('MC.BERNOULLI', [p]);
}

/**
 * Uniform distribution over the integers from min to max.
 * @customfunction INTUNIFORM
 * @param min Smallest integer.
 * @param max Largest integer.
 * @returns The possible value nearest the mean.
 */
export function intUniform(min: number, max: number): number {
  return staticValueOf('MC.INTUNIFORM', [min, max]);
}

/**
 * Logistic distribution.
 * @customfunction LOGISTIC
 * @param alpha Location (the mean).
 * @param beta Scale (≥ 0).
 * @returns The mean.
 */
export function logistic(alpha: number, beta: number): number {
  return staticValueOf('MC.LOGISTIC', [alpha, beta]);
}

/**
 * Laplace (double exponential) distribution.
 * @customfunction LAPLACE
 * @param mu Location (the mean).
 * @param sigma Standard deviation (≥ 0).
 * @returns The mean.
 */
export function laplace(mu: number, sigma: number): number {
  return staticValueOf('MC.LAPLACE', [mu, sigma]);
}

/**
 * Cauchy distribution.
 * @customfunction CAUCHY
 * @param gamma Location (the median).
 * @param beta Scale (≥ 0).
 * @returns The median (a Cauchy has no mean).
 */
export function cauchy(gamma: number, beta: number): number {
  return staticValueOf('MC.CAUCHY', [gamma, beta]);
}

/**
 * Rayleigh distribution.
 * @customfunction RAYLEIGH
 * @param b Scale (> 0).
 * @returns The mean.
 */
export function rayleigh(b: number): number {
  return staticValueOf('MC.RAYLEIGH', [b]);
}

/**
 * Pareto distribution (first kind).
 * @customfunction PARETO
 * @param theta Shape (> 0).
 * @param a Minimum (> 0).
 * @returns The mean, or the median where the mean is infinite (theta ≤ 1).
 */
export function pareto(theta: number, a: number): number {
  return staticValueOf('MC.PARETO', [theta, a]);
}

/**
 * Pareto distribution of the second kind (Lomax), from 0.
 * @customfunction PARETO2
 * @param b Scale (> 0).
 * @param q Shape (> 0).
 * @returns The mean, or the median where the mean is infinite (q ≤ 1).
 */
export function pareto2(b: number, q: number): number {
  return staticValueOf('MC.PARETO2', [b, q]);
}

/**
 * Extreme value (Gumbel) distribution for maxima.
 * @customfunction EXTVALUE
 * @param alpha Location.
 * @param beta Scale (≥ 0).
 * @returns The mean.
 */
export function extValue(alpha: number, beta: number): number {
  return staticValueOf('MC.EXTVALUE', [alpha, beta]);
}

/**
 * Extreme value (Gumbel) distribution for minima.
 * @customfunction EXTVALUEMIN
 * @param alpha Location.
 * @param beta Scale (≥ 0).
 * @returns The mean.
 */
export function extValueMin(alpha: number, beta: number): number {
  return staticValueOf('MC.EXTVALUEMIN', [alpha, beta]);
}

/**
 * Log-logistic distribution.
 * @customfunction LOGLOGISTIC
 * @param gamma Location (the minimum).
 * @param beta Scale (> 0).
 * @param alpha Shape (> 0).
 * @returns The mean, or the median where the mean is infinite (alpha ≤ 1).
 */
export function logLogistic(gamma: number, beta: number, alpha: number): number {
  return staticValueOf('MC.LOGLOGISTIC', [gamma, beta, alpha]);
}

/**
 * Reciprocal (log-uniform) distribution.
 * @customfunction RECIPROCAL
 * @param min Minimum (> 0).
 * @param max Maximum (> min).
 * @returns The mean.
 */
export function reciprocal(min: number, max: number): number {
  return staticValueOf('MC.RECIPROCAL', [min, max]);
}

/**
 * Kumaraswamy distribution rescaled to [min, max].
 * @customfunction KUMARASWAMY
 * @param alpha1 First shape (> 0).
 * @param alpha2 Second shape (> 0).
 * @param min Minimum.
 * @param max Maximum.
 * @returns The mean.
 */
export function kumaraswamy(alpha1: number, alpha2: number, min: number, max: number): number {
  return staticValueOf('MC.KUMARASWAMY', [alpha1, alpha2, min, max]);
}

/**
 * Geometric distribution: the number of failures before the first success.
 * @customfunction GEOMET
 * @param p Probability of success of each trial (0 < p ≤ 1).
 * @returns The possible value nearest the mean.
 */
export function geomet(p: number): number {
  return staticValueOf('MC.GEOMET', [p]);
}

/**
 * Erlang distribution: a gamma with a whole shape.
 * @customfunction ERLANG
 * @param m Shape (a whole number > 0).
 * @param beta Scale (> 0).
 * @returns The mean.
 */
export function erlang(m: number, beta: number): number {
  return staticValueOf('MC.ERLANG', [m, beta]);
}

/**
 * Chi-squared distribution.
 * @customfunction CHISQ
 * @param nu Degrees of freedom (a whole number > 0).
 * @returns The mean.
 */
export function chiSq(nu: number): number {
  return staticValueOf('MC.CHISQ', [nu]);
}

/**
 * Fréchet (inverse Weibull) distribution.
 * @customfunction FRECHET
 * @param gamma Location (the minimum).
 * @param beta Scale (> 0).
 * @param alpha Shape (> 0).
 * @returns The mean, or the median where the mean is infinite (alpha ≤ 1).
 */
export function frechet(gamma: number, beta: number, alpha: number): number {
  return staticValueOf('MC.FRECHET', [gamma, beta, alpha]);
}

/**
 * Lévy distribution.
 * @customfunction LEVY
 * @param a Location (the minimum).
 * @param c Scale (> 0).
 * @returns The median (a Lévy has an infinite mean).
 */
export function levy(a: number, c: number): number {
  return staticValueOf('MC.LEVY', [a, c]);
}

/**
 * Hyperbolic secant distribution.
 * @customfunction HYPSECANT
 * @param gamma Location (the mean).
 * @param beta Standard deviation (≥ 0).
 * @returns The mean.
 */
export function hypSecant(gamma: number, beta: number): number {
  return staticValueOf('MC.HYPSECANT', [gamma, beta]);
}

/**
 * Dagum distribution.
 * @customfunction DAGUM
 * @param gamma Location (the minimum).
 * @param beta Scale (> 0).
 * @param alpha1 First shape (> 0).
 * @param alpha2 Second shape (> 0).
 * @returns The mean, or the median where the mean is infinite (alpha1 ≤ 1).
 */
export function dagum(gamma: number, beta: number, alpha1: number, alpha2: number): number {
  return staticValueOf('MC.DAGUM', [gamma, beta, alpha1, alpha2]);
}

/**
 * Burr type XII distribution.
 * @customfunction BURR12
 * @param gamma Location (the minimum).
 * @param beta Scale (> 0).
 * @param alpha1 First shape (> 0).
 * @param alpha2 Second shape (> 0).
 * @returns The mean, or the median where the mean is infinite (alpha1 · alpha2 ≤ 1).
 */
export function burr12(gamma: number, beta: number, alpha1: number, alpha2: number): number {
  return staticValueOf('MC.BURR12', [gamma, beta, alpha1, alpha2]);
}

/**
 * Fatigue life (Birnbaum–Saunders) distribution.
 * @customfunction FATIGUELIFE
 * @param gamma Location (the minimum).
 * @param beta Scale (> 0).
 * @param alpha Shape (> 0).
 * @returns The mean.
 */
export function fatigueLife(gamma: number, beta: number, alpha: number): number {
  return staticValueOf('MC.FATIGUELIFE', [gamma, beta, alpha]);
}

/**
 * Error function distribution: a normal of mean 0 and variance 1/(2h²).
 * @customfunction ERF
 * @param h Inverse scale (> 0).
 * @returns The mean, 0.
 */
export function erf(h: number): number {
  return staticValueOf('MC.ERF', [h]);
}

/**
 * Johnson SU distribution.
 * @customfunction JOHNSONSU
 * @param alpha1 First shape.
 * @param alpha2 Second shape (> 0).
 * @param gamma Location.
 * @param beta Scale (> 0).
 * @returns The mean.
 */
export function johnsonSU(alpha1: number, alpha2: number, gamma: number, beta: number): number {
  return staticValueOf('MC.JOHNSONSU', [alpha1, alpha2, gamma, beta]);
}

/**
 * Johnson SB distribution, bounded by a and b.
 * @customfunction JOHNSONSB
 * @param alpha1 First shape.
 * @param alpha2 Second shape (> 0).
 * @param a Minimum.
 * @param b Maximum.
 * @returns The mean.
 */
export function johnsonSB(alpha1: number, alpha2: number, a: number, b: number): number {
  return staticValueOf('MC.JOHNSONSB', [alpha1, alpha2, a, b]);
}

/**
 * Pearson type V (inverse gamma) distribution.
 * @customfunction PEARSON5
 * @param alpha Shape (> 0).
 * @param beta Scale (> 0).
 * @returns The mean, or the median where the mean is infinite (alpha ≤ 1).
 */
export function pearson5(alpha: number, beta: number): number {
  return staticValueOf('MC.PEARSON5', [alpha, beta]);
}

/**
 * Pearson type VI (scaled beta prime) distribution.
 * @customfunction PEARSON6
 * @param beta Scale (> 0).
 * @param alpha1 First shape (> 0).
 * @param alpha2 Second shape (> 0).
 * @returns The mean, or the median where the mean is infinite (alpha2 ≤ 1).
 */
export function pearson6(beta: number, alpha1: number, alpha2: number): number {
  return staticValueOf('MC.PEARSON6', [beta, alpha1, alpha2]);
}

/**
 * Fisher's F distribution.
 * @customfunction F
 * @param v1 Numerator degrees of freedom (a whole number > 0).
 * @param v2 Denominator degrees of freedom (a whole number > 0).
 * @returns The mean, or the median where the mean is infinite (v2 ≤ 2).
 */
export function fDist(v1: number, v2: number): number {
  return staticValueOf('MC.F', [v1, v2]);
}

/**
 * Double triangular distribution: two right triangles meeting at the most likely value.
 * @customfunction DOUBLETRIANG
 * @param min Minimum.
 * @param mostLikely Most likely value.
 * @param max Maximum.
 * @param p Probability of a value below the most likely one.
 * @returns The mean.
 */
export function doubleTriang(min: number, mostLikely: number, max: number, p: number): number {
  return staticValueOf('MC.DOUBLETRIANG', [min, mostLikely, max, p]);
}

/**
 * Negative binomial distribution: the number of failures before the s-th success.
 * @customfunction NEGBIN
 * @param s Number of successes (a whole number > 0).
 * @param p Probability of success of each trial (0 < p ≤ 1).
 * @returns The possible value nearest the mean.
 */
export function negbin(s: number, p: number): number {
  return staticValueOf('MC.NEGBIN', [s, p]);
}

/**
 * Hypergeometric distribution: successes in a sample drawn without replacement.
 * @customfunction HYPERGEO
 * @param n Sample size.
 * @param successes Successes in the population (D).
 * @param population Population size (M).
 * @returns The possible value nearest the mean.
 */
export function hypergeo(n: number, successes: number, population: number): number {
  return staticValueOf('MC.HYPERGEO', [n, successes, population]);
}

/**
 * Triangular distribution given two percentiles and the most likely value.
 * @customfunction TRIGEN
 * @param bottom Value at the bottom percentile.
 * @param mostLikely Most likely value.
 * @param top Value at the top percentile.
 * @param bottomPercent Bottom percentile, a percentage (0 to 100).
 * @param topPercent Top percentile, a percentage (0 to 100).
 * @returns The mean.
 */
export function trigen(
  bottom: number,
  mostLikely: number,
  top: number,
  bottomPercent: number,
  topPercent: number,
): number {
  return staticValueOf('MC.TRIGEN', [bottom, mostLikely, top, bottomPercent, topPercent]);
}

/**
 * Inverse Gaussian (Wald) distribution.
 * @customfunction INVGAUSS
 * @param mu Mean (> 0).
 * @param lambda Shape (> 0).
 * @returns The mean.
 */
export function invGauss(mu: number, lambda: number): number {
  return staticValueOf('MC.INVGAUSS', [mu, lambda]);
}

/**
 * Beta distribution on [min, max] given its most likely value and mean.
 * @customfunction BETASUBJ
 * @param min Minimum.
 * @param mostLikely Most likely value.
 * @param mean Mean.
 * @param max Maximum.
 * @returns The mean.
 */
export function betaSubj(min: number, mostLikely: number, mean: number, max: number): number {
  return staticValueOf('MC.BETASUBJ', [min, mostLikely, mean, max]);
}

/**
 * Histogram: equal-width classes between min and max, each as likely as its weight.
 * @customfunction HISTOGRM
 * @param min Minimum.
 * @param max Maximum.
 * @param weights The classes' weights (normalised).
 * @returns The mean.
 */
export function histogrm(min: number, max: number, weights: number[][]): number {
  return staticValueOf('MC.HISTOGRM', [min, max, weights.flat()]);
}

/**
 * Cumulative distribution given points of its descending cdf, P(X > x).
 * @customfunction CUMULD
 * @param min Minimum.
 * @param max Maximum.
 * @param xValues Points between min and max.
 * @param pValues Probabilities of a value greater than each point (not increasing).
 * @returns The mean.
 */
export function cumulD(min: number, max: number, xValues: number[][], pValues: number[][]): number {
  return staticValueOf('MC.CUMULD', [min, max, xValues.flat(), pValues.flat()]);
}

/**
 * Pólya distribution: a Poisson whose mean is Gamma(alpha, beta) (a negative binomial of real size).
 * @customfunction POLYA
 * @param alpha Shape (> 0).
 * @param beta Scale (> 0).
 * @returns The possible value nearest the mean.
 */
export function polya(alpha: number, beta: number): number {
  return staticValueOf('MC.POLYA', [alpha, beta]);
}

/**
 * Resampling of data: type 2 draws the data at random with replacement (types 1 and 3 are not supported).
 * @customfunction RESAMPLE
 * @param sampType Sampling type (2: random with replacement).
 * @param data The data.
 * @returns The data value nearest their mean.
 */
export function resample(sampType: number, data: number[][]): number {
  return staticValueOf('MC.RESAMPLE', [sampType, data.flat()]);
}

/**
 * Discrete uniform distribution: each listed value equally likely.
 * @customfunction DUNIFORM
 * @param values The possible values.
 * @returns The possible value nearest the mean.
 */
export function dUniform(values: number[][]): number {
  return staticValueOf('MC.DUNIFORM', [values.flat()]);
}

/**
 * Cumulative distribution given points of its cdf.
 * @customfunction CUMUL
 * @param min Minimum.
 * @param max Maximum.
 * @param xValues Points between min and max.
 * @param pValues Cumulative probabilities at those points.
 * @returns The mean.
 */
export function cumul(min: number, max: number, xValues: number[][], pValues: number[][]): number {
  return staticValueOf('MC.CUMUL', [min, max, xValues.flat(), pValues.flat()]);
}

/**
 * General density given by points.
 * @customfunction GENERAL
 * @param min Minimum.
 * @param max Maximum.
 * @param xValues Points between min and max.
 * @param densities Relative densities at those points.
 * @returns The mean.
 */
export function general(min: number, max: number, xValues: number[][], densities: number[][]): number {
  return staticValueOf('MC.GENERAL', [min, max, xValues.flat(), densities.flat()]);
}

/**
 * Metalog distribution (Keelin; the SIPmath standard's) through quantile points: not an @RISK function.
 * @customfunction METALOG
 * @param xValues Values.
 * @param pValues Their cumulative probabilities, strictly between 0 and 1.
 * @param [terms] Number of terms, 2 to 30 (default: one per point, at most 16).
 * @param [lowerBound] Lower bound (omitted: unbounded below).
 * @param [upperBound] Upper bound (omitted: unbounded above).
 * @returns The mean (the median where the mean is infinite).
 */
export function metalog(
  xValues: number[][],
  pValues: number[][],
  terms?: number,
  lowerBound?: number,
  upperBound?: number,
): number {
  // Excel passes an omitted optional argument as null
  const given = (n: number | undefined) => (n === null ? undefined : n);
  return staticValueOfSpec(
    metalogSpec(xValues.flat(), pValues.flat(), given(terms), given(lowerBound), given(upperBound)),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Statistics of the last run: streaming functions, updated each time a run completes
// ---------------------------------------------------------------------------------------------------------

/**
 * Shows the statistic of the cell named by the first argument, now and after each run. Excel passes that
 * cell's grid value; its address (parameterAddresses[0]) names the cell, or text an output's name, as in
 * RiskMean("NPV"). The argument is `unknown`, Excel's any, so an error value there is no #VALUE!.
 */
function streamStatistic(
  invocation: CustomFunctions.StreamingInvocation<number>,
  cell: unknown,
  statistic: CellStatistic,
  arg?: number,
): void {
  const show = (results: SimulationResults | undefined) => {
    const subject = {
      address: invocation.parameterAddresses?.[0],
      name: typeof cell === 'string' ? cell : undefined,
    };
    const found = runStatistic(results, statistic, subject, arg);
    invocation.setResult(
      'value' in found
        ? found.value
        : new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable, found.missing),
    );
  };
  show(lastRunResults());
  invocation.onCanceled = onRunResults(show);
}

/**
 * Mean of a cell's simulated values in the last run (#N/A until a run completes).
 * @customfunction MEAN
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function mean(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'mean');
}

/**
 * Standard deviation (sample, as STDEV.S) of a cell's simulated values in the last run.
 * @customfunction STDDEV
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function stdDev(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'stddev');
}

/**
 * Variance (sample, as VAR.S) of a cell's simulated values in the last run.
 * @customfunction VARIANCE
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function variance(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'variance');
}

/**
 * Smallest simulated value of a cell in the last run.
 * @customfunction MIN
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function min(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'min');
}

/**
 * Largest simulated value of a cell in the last run.
 * @customfunction MAX
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function max(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'max');
}

/**
 * Range (largest minus smallest) of a cell's simulated values in the last run.
 * @customfunction RANGE
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function range(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'range');
}

/**
 * Skewness (as SKEW) of a cell's simulated values in the last run.
 * @customfunction SKEWNESS
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function skewness(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'skewness');
}

/**
 * Kurtosis of a cell's simulated values in the last run, as @RISK gives it (a normal's is 3).
 * @customfunction KURTOSIS
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function kurtosis(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'kurtosis');
}

/**
 * Mode of a cell's simulated values in the last run.
 * @customfunction MODE
 * @param cell The simulated cell.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function mode(cell: unknown, invocation: CustomFunctions.StreamingInvocation<number>): void {
  streamStatistic(invocation, cell, 'mode');
}

/**
 * Percentile of a cell's simulated values in the last run (as PERCENTILE.INC).
 * @customfunction PERCENTILE
 * @param cell The simulated cell.
 * @param percentile Probability, from 0 to 1.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function percentile(
  cell: unknown,
  percentile: number,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamStatistic(invocation, cell, 'percentile', percentile);
}

/**
 * Percentile of a cell's simulated values in the last run, counted from the top.
 * @customfunction PERCENTILED
 * @param cell The simulated cell.
 * @param percentile Probability of a greater value, from 0 to 1.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function percentileD(
  cell: unknown,
  percentile: number,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamStatistic(invocation, cell, 'percentile-descending', percentile);
}

/**
 * Probability that a cell's simulated value is at most a target, in the last run.
 * @customfunction TARGET
 * @param cell The simulated cell.
 * @param targetValue The target.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function target(
  cell: unknown,
  targetValue: number,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamStatistic(invocation, cell, 'target', targetValue);
}

/**
 * Probability that a cell's simulated value is above a target, in the last run.
 * @customfunction TARGETD
 * @param cell The simulated cell.
 * @param targetValue The target.
 * @param invocation Streaming invocation.
 * @requiresParameterAddresses
 */
export function targetD(
  cell: unknown,
  targetValue: number,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  streamStatistic(invocation, cell, 'target-descending', targetValue);
}
