/**
 * The results of a completed simulation: what the service stores and returns (GET /api/simulations/:id),
 * what `montecell simulate --json` prints and what the task pane reads. Per output, keyed by the target
 * as the client named it: statistics, percentiles, histogram, CDF and the trials that were not numbers;
 * per output, the rank-correlation sensitivity to each input.
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
});

export const SimulationResults = z.object({
  outputs: z.record(z.string(), OutputResults),
  /** Per output, the inputs by decreasing |rank correlation| (a tornado chart's bars). */
  sensitivity: z.record(z.string(), z.array(InputSensitivity)),
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
        cells: z.record(z.string(), CellValue).optional(),
      }),
    )
    .optional(),
});

export type OutputStatistics = z.infer<typeof OutputStatistics>;
export type OutputResults = z.infer<typeof OutputResults>;
export type InputSensitivity = z.infer<typeof InputSensitivity>;
export type InputMetadata = z.infer<typeof InputMetadata>;
export type SimulationResults = z.infer<typeof SimulationResults>;
