/** Inputs defined outside formulas: a cell whose value is replaced by draws from a distribution. */
import { z } from 'zod';

export const DistributionType = z.enum([
  'normal',
  'lognormal',
  'lognormal2',
  'uniform',
  'triangular',
  'pert',
  'discrete',
  'binomial',
  'poisson',
  'exponential',
  'gamma',
  'beta',
  'betageneral',
  'weibull',
  'student',
  'cumul',
  'general',
  'bernoulli',
  'integer-uniform',
  'logistic',
  'laplace',
  'cauchy',
  'rayleigh',
  'pareto',
  'pareto2',
  'extvalue',
  'extvaluemin',
  'loglogistic',
  'reciprocal',
  'kumaraswamy',
  'duniform',
  'geometric',
  'erlang',
  'chisq',
  'frechet',
  'levy',
  'hypsecant',
  'dagum',
  'burr12',
  'fatiguelife',
  'erf',
  'johnsonsu',
  'johnsonsb',
  'pearson5',
  'pearson6',
  'f',
  'doubletriang',
  'negbin',
  'hypergeo',
  'trigen',
  'invgauss',
  'betasubj',
  'histogrm',
  'cumuld',
  'polya',
  'resample',
  'metalog',
  'splice',
  'compound',
]);

const specShape = {
  type: DistributionType,
  /** Parameters in the order of the matching @RISK function, e.g. normal: [mean, sd]; triangular: [min, mode, max]. */
  params: z.array(z.number().finite()).max(16).default([]),
  /** RiskDiscrete's values and their weights (normalised). */
  values: z.array(z.number().finite()).max(100_000).optional(),
  weights: z.array(z.number().finite()).max(100_000).optional(),
  /** RiskCumul's x values and cumulative probabilities, or RiskGeneral's x values and densities. */
  points: z
    .object({ x: z.array(z.number().finite()).max(100_000), y: z.array(z.number().finite()).max(100_000) })
    .optional(),
  /**
   * RiskTruncate's limits on the final (shifted) values; with `percentiles`, RiskTruncateP's: cumulative
   * probabilities (0 to 1) of the untruncated distribution.
   */
  truncate: z
    .object({
      min: z.number().finite().optional(),
      max: z.number().finite().optional(),
      percentiles: z.boolean().optional(),
    })
    .optional(),
  shift: z.number().finite().optional(),
  /** MC.METALOG's bounds: either, both or none (unbounded). */
  bounds: z
    .object({ lower: z.number().finite().optional(), upper: z.number().finite().optional() })
    .optional(),
};

/** A distribution given as an argument of RiskSplice or RiskCompound (one level: they do not nest). */
export const ComponentSpec = z.object(specShape);
export type ComponentSpec = z.infer<typeof ComponentSpec>;

export const DistributionSpec = z.object({
  ...specShape,
  /**
   * The distributions RiskSplice joins (left of the splice point, right of it) and RiskCompound sums
   * (frequency, severity).
   */
  components: z.array(ComponentSpec).length(2).optional(),
});

export type DistributionSpec = z.infer<typeof DistributionSpec>;
