/**
 * The report sheet's statistics table: one definition of its title, columns and rows, written by the
 * task pane's "Write report" (with Excel charts beside it) and by `montecell simulate --write` (the
 * table alone), so a workbook reads the same whichever wrote it.
 */
import type { OutputResults, SimulationResults } from './results';

/** The sheet's name; a newer report replaces the sheet of that name. */
export const REPORT_SHEET_NAME = 'Montecell Report';

/** A table cell: a number, a label, or nothing (a statistic the sample cannot define). */
export type ReportCell = string | number | null;

interface ReportColumn {
  readonly label: string;
  /** Excel number format of the column's values. */
  readonly numberFormat: string;
  /** Column width in characters, wide enough for the label and a printed value. */
  readonly width: number;
  readonly value: (output: OutputResults, cell: string) => ReportCell;
}

const STATISTIC_FORMAT = '#,##0.00';

const percentile = (key: string) => (output: OutputResults) => output.percentiles[key] ?? null;

export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { label: 'Output', numberFormat: '@', width: 24, value: (o, cell) => o.name ?? cell },
  { label: 'Cell', numberFormat: '@', width: 14, value: (_, cell) => cell },
  { label: 'Mean', numberFormat: STATISTIC_FORMAT, width: 14, value: (o) => o.statistics.mean },
  { label: 'Std dev', numberFormat: STATISTIC_FORMAT, width: 14, value: (o) => o.statistics.std },
  { label: 'Min', numberFormat: STATISTIC_FORMAT, width: 14, value: (o) => o.statistics.min },
  { label: 'Max', numberFormat: STATISTIC_FORMAT, width: 14, value: (o) => o.statistics.max },
  { label: 'P5', numberFormat: STATISTIC_FORMAT, width: 14, value: percentile('5') },
  { label: 'P50', numberFormat: STATISTIC_FORMAT, width: 14, value: percentile('50') },
  { label: 'P95', numberFormat: STATISTIC_FORMAT, width: 14, value: percentile('95') },
  { label: 'Error trials', numberFormat: '#,##0', width: 12, value: (o) => o.errors },
];

/** Where the parts of the report stand on its sheet (0-based rows). */
export const REPORT_LAYOUT = { titleRow: 0, runRow: 1, headerRow: 3, firstOutputRow: 4 } as const;

export interface ReportTable {
  title: string;
  /** One line on the run: iterations, seed, engine. */
  run: string;
  header: string[];
  /** One row per output, in the results' order; `outputs` gives each row's results key. */
  rows: ReportCell[][];
  outputs: string[];
}

export function reportTable(results: SimulationResults, finishedAt?: Date): ReportTable {
  const outputs = Object.keys(results.outputs);
  const when = finishedAt ? ` · ${finishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return {
    title: REPORT_SHEET_NAME,
    run: `${results.iterations.toLocaleString('en-US')} iterations · seed ${results.seed} · ${results.sampling === 'latin_hypercube' ? 'Latin hypercube' : 'Monte Carlo'} sampling · engine ${results.engine_used}${when}`,
    header: REPORT_COLUMNS.map((c) => c.label),
    rows: outputs.map((key) => REPORT_COLUMNS.map((c) => c.value(results.outputs[key], key))),
    outputs,
  };
}
