/**
 * The results of a completed simulation: what the service stores and returns (GET /api/simulations/:id),
 * what `montecell simulate --json` prints and what the task pane reads. Per output, keyed by the target
 * as the client named it: statistics, percentiles, histogram, CDF and the trials that were not numbers;
 * per output, its sensitivity to each input (rank correlation, regression, contribution to variance,
 * change in mean), its scenario analysis and scatter-plot data.
 */
import { z } from 'zod';
import { Sampling } from './simulation';
import { CellValue } from './workbook';

/**
 * A number as JSON carries it: a statistic the sample cannot define (no numeric trial, one trial for a
 * deviation) is null, and so is a double JSON cannot write (a mean or a bin edge past the largest double).
 */
const Statistic = z.number().nullable();

export const OutputStatistics = z.object({
  /** Trials whose value was a number: the statistics are theirs. */
  count: z.number().int().min(0),
  mean: Statistic,
  /** Sample standard deviation and variance (n - 1), as Excel's STDEV.S / VAR.S. */
  std: Statistic,
  variance: Statistic,
  min: Statistic,
  max: Statistic,
  /** Excel's SKEW and KURT (excess kurtosis). */
  skewness: Statistic,
  kurtosis: Statistic,
  std_error: Statistic,
  /** The mean's 95 % confidence interval (Student t). */
  ci95: z.tuple([Statistic, Statistic]).nullable(),
});

export const OutputResults = z.object({
  /** Its RiskOutput name ("NPV" of RiskOutput("NPV")), or the row label @RISK would give it. */
  name: z.string().optional(),
  statistics: OutputStatistics,
  /** PERCENTILE.INC keyed by the percentage: "1", "5", …, "99". */
  percentiles: z.record(z.string(), Statistic),
  histogram: z.object({ edges: z.array(Statistic), counts: z.array(z.number().int().min(0)) }),
  /** (x, P(X ≤ x)) at about 100 evenly spaced quantiles. */
  cdf: z.array(z.object({ x: Statistic, p: z.number() })),
  /** Trials whose value was not a number. */
  errors: z.number().int().min(0),
  /** Those trials by kind: "#DIV/0!", "text"… */
  non_numeric: z.record(z.string(), z.number().int().min(0)),
});

/** What @RISK's descriptive property functions say of an input (RiskUnits, RiskCategory, …). */
export const InputMetadata = z.object({
  units: z.string().optional(),
  category: z.string().optional(),
  is_date: z.boolean().optional(),
  is_discrete: z.boolean().optional(),
});

export const InputSensitivity = z.object({
  /** The input's cell and function: "Model!B6 RISKUNIFORM". */
  input: z.string(),
  /** Its RiskName, or its row label. */
  name: z.string().optional(),
  /** Its RiskUnits, RiskCategory, RiskIsDate and RiskIsDiscrete, when it has any. */
  metadata: InputMetadata.optional(),
  /** Spearman's rank correlation of the input with the output (0 where undefined). */
  rank_correlation: z.number(),
  /** Its squared rank correlation as a share of all the inputs' (a ranking aid). */
  variance_share: z.number(),
  /**
   * Standardised regression coefficient: of a multiple linear regression of the output on every input,
   * both standardised (0 for an input constant over the trials or a linear combination of others).
   * Absent with more than 100 inputs, or no more numeric trials than inputs + 1.
   */
  regression: z.number().optional(),
  /**
   * Its share of the output's variance (≥ 0, the inputs' summing to 1): its first-order effect
   * Var(E[output | the percentile that drove its draw]) / Var(output), as a share of all the inputs'.
   * Right also when inputs depend on each other (an input whose parameters are other inputs).
   */
  contribution_to_variance: z.number().optional(),
  /**
   * The output's mean within each decile of the input (10 equal-count groups by the input's value, lowest
   * first): the data of the "change in output mean" tornado and the spider plot; `spread` (largest minus
   * smallest of them) is the tornado bar's length. Absent with fewer than 20 numeric trials.
   */
  change_in_mean: z.object({ decile_means: z.array(z.number()), spread: z.number() }).optional(),
});

/** An input significant in a tail of the output: its median there is far from its overall median. */
export const ScenarioInput = z.object({
  input: z.string(),
  name: z.string().optional(),
  /** Its median over the tail's trials, and over all the output's numeric trials. */
  median: z.number(),
  overall_median: z.number(),
  /** (median − overall median) / its standard deviation: beyond ±0.5 it is listed (@RISK's rule). */
  shift: z.number(),
});

/** The trials in which the output was among its lowest or highest `percent` %, and what drove them. */
export const Scenario = z.object({
  tail: z.enum(['low', 'high']),
  percent: z.number(),
  /** How many of the recorded trials the tail holds. */
  trials: z.number().int().min(0),
  /** The significant inputs, by decreasing |shift|. */
  inputs: z.array(ScenarioInput),
});

/**
 * (input, output) pairs for a scatter plot: the same evenly spaced subsample of the recorded trials for
 * every input shown (the output's most rank-correlated, at most 6), at most 1,000 trials, fewer when
 * there are more than 20 outputs (20,000 trials in all across the outputs of a simulation: with 7 numbers
 * a trial, about 3 MB of JSON at most).
 */
export const Scatter = z.object({
  /** The output's value in each trial shown. */
  output: z.array(z.number()),
  inputs: z.array(z.object({ input: z.string(), name: z.string().optional(), values: z.array(z.number()) })),
});

/**
 * One distinct statistics call of the model (RiskTarget(B22, 0), MC.PERCENTILE(NPV, 0.975)…) with its value
 * once the run ended: the statistic, the simulated cell it reads, and its arguments after that cell (the
 * simulation number left out). An MC.* function inside a larger formula (=MC.TARGET(B22,0)*100) shows its
 * own call's value from here; its cell's value is the whole formula's.
 */
export const StatisticCall = z.object({
  statistic: z.string(),
  /** The simulated cell, as the results key it ("Model!B22"), a name given as text resolved. */
  cell: z.string(),
  args: z.array(z.number()),
  value: CellValue,
});

export const SimulationResults = z.object({
  outputs: z.record(z.string(), OutputResults),
  /** Per output, the inputs by decreasing |rank correlation| (a tornado chart's bars). */
  sensitivity: z.record(z.string(), z.array(InputSensitivity)),
  /** Per output, its scenario analysis: low and high tails at 10 % and 25 %. */
  scenarios: z.record(z.string(), z.array(Scenario)).optional(),
  /** Per output, scatter-plot data for its most influential inputs. */
  scatter: z.record(z.string(), Scatter).optional(),
  elapsed_ms: z.number().int().min(0),
  /** The backend that computed the trials: "cpu", "cuda", "tfjs", or "cuda+cpu" when chunks ran on both. */
  engine_used: z.string(),
  /** Why the GPU was not used (for some or all of the trials), when it was not. */
  engine_note: z.string().optional(),
  seed: z.number().int().min(0),
  iterations: z.number().int().min(0),
  sampling: Sampling,
  /** What the run was told but did not stop it, e.g. a correlation matrix adjusted to be consistent. */
  warnings: z.array(z.string()).optional(),
  /**
   * The cells that call a statistics function (RiskMean, RiskPercentile…), and every cell depending on
   * them, with their values once the run ended, keyed "Sheet1!D5"; absent when the model has none.
   */
  cells: z.record(z.string(), CellValue).optional(),
  /** Each distinct statistics call of those cells, with its own value; absent when the model has none. */
  statistic_calls: z.array(StatisticCall).optional(),
  /**
   * A run of several simulations (RiskSimtable): each one's outputs, sensitivity and cells, the first's
   * also at the top level; absent for a run of one.
   */
  simulations: z
    .array(
      z.object({
        index: z.number().int().min(1),
        outputs: z.record(z.string(), OutputResults),
        sensitivity: z.record(z.string(), z.array(InputSensitivity)),
        scenarios: z.record(z.string(), z.array(Scenario)).optional(),
        scatter: z.record(z.string(), Scatter).optional(),
        cells: z.record(z.string(), CellValue).optional(),
        statistic_calls: z.array(StatisticCall).optional(),
      }),
    )
    .optional(),
});

export type OutputStatistics = z.infer<typeof OutputStatistics>;
export type OutputResults = z.infer<typeof OutputResults>;
export type InputSensitivity = z.infer<typeof InputSensitivity>;
export type InputMetadata = z.infer<typeof InputMetadata>;
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.infer<typeof ScenarioInput>;
export type Scatter = z.infer<typeof Scatter>;
export type StatisticCall = z.infer<typeof StatisticCall>;
export type SimulationResults = z.infer<typeof SimulationResults>;
