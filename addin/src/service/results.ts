/**
 * The results of a completed simulation as GET /api/simulations/:id returns them (issue 4): statistics,
 * percentiles, histogram and CDF per output, and rank-correlation sensitivities. Parsed leniently —
 * statistics the service cannot define are null — so a new field on the service side never breaks the pane.
 */
import { z } from 'zod';

const maybe = z.number().nullable().optional();

export const OutputResult = z.object({
  statistics: z
    .object({
      count: maybe,
      mean: maybe,
      std: maybe,
      min: maybe,
      max: maybe,
      skewness: maybe,
      kurtosis: maybe,
      std_error: maybe,
    })
    .passthrough(),
  percentiles: z.record(z.string(), z.number().nullable()),
  histogram: z.object({ edges: z.array(z.number().nullable()), counts: z.array(z.number()) }),
  cdf: z.array(z.object({ x: z.number().nullable(), p: z.number() })).default([]),
  errors: z.number().default(0),
});

export const Sensitivity = z.object({
  input: z.string(),
  name: z.string().optional(),
  rank_correlation: z.number().nullable(),
});

export const SimulationResults = z.object({
  outputs: z.record(z.string(), OutputResult),
  sensitivity: z.record(z.string(), z.array(Sensitivity)).default({}),
  elapsed_ms: z.number().optional(),
  engine_used: z.string().optional(),
  /** Why the GPU was not used, when the service says. */
  engine_note: z.string().optional(),
  iterations: z.number().optional(),
  seed: z.number().optional(),
});

export type OutputResult = z.infer<typeof OutputResult>;
export type Sensitivity = z.infer<typeof Sensitivity>;
export type SimulationResults = z.infer<typeof SimulationResults>;

/** Rows of the statistics table: label and value per output. */
export const STATISTIC_ROWS: { label: string; value: (r: OutputResult) => number | null | undefined }[] = [
  { label: 'Mean', value: (r) => r.statistics.mean },
  { label: 'Std deviation', value: (r) => r.statistics.std },
  { label: 'Minimum', value: (r) => r.statistics.min },
  { label: 'Maximum', value: (r) => r.statistics.max },
  { label: 'Skewness', value: (r) => r.statistics.skewness },
  { label: 'Kurtosis', value: (r) => r.statistics.kurtosis },
  { label: 'Trials', value: (r) => r.statistics.count },
  { label: 'Errors', value: (r) => r.errors },
];

export function percentileRows(result: OutputResult): { label: string; value: number | null }[] {
  return Object.entries(result.percentiles)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([p, value]) => ({ label: `P${p}`, value }));
}
