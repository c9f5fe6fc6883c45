/** The results of a completed simulation (shared/model/results.ts) as the pane's tables show them. */
import type { OutputResults } from '../../../shared/model';

/** Rows of the statistics table: label and value per output. */
export const STATISTIC_ROWS: { label: string; value: (r: OutputResults) => number | null | undefined }[] = [
  { label: 'Mean', value: (r) => r.statistics.mean },
  { label: 'Std deviation', value: (r) => r.statistics.std },
  { label: 'Minimum', value: (r) => r.statistics.min },
  { label: 'Maximum', value: (r) => r.statistics.max },
  { label: 'Skewness', value: (r) => r.statistics.skewness },
  { label: 'Kurtosis', value: (r) => r.statistics.kurtosis },
  { label: 'Numeric trials', value: (r) => r.statistics.count },
  { label: 'Error trials', value: (r) => r.errors },
];

export function percentileRows(result: OutputResults): { label: string; value: number | null }[] {
  return Object.entries(result.percentiles)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([p, value]) => ({ label: `P${p}`, value }));
}

/** An input's cell: the engine labels inputs "Sheet!B4 FUNCTION", and the cell is what the user can find. */
export function inputCell(s: { input: string }): string {
  return s.input.split(' ')[0];
}

/** An input as the analyst knows it: its name (RiskName, row label), else its cell. */
export function inputName(s: { input: string; name?: string }): string {
  return s.name ?? inputCell(s);
}
