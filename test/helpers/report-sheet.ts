/**
 * What a report sheet must hold, written out here rather than read from shared/model/report.ts, so the
 * tests of both writers (CLI --write, the pane's Write report) check the definition as well as its use.
 */
import type { OutputResults } from '../../shared/model';

export const REPORT_HEADER = [
  'Output',
  'Cell',
  'Mean',
  'Std dev',
  'Min',
  'Max',
  'P5',
  'P50',
  'P95',
  'Error trials',
];

/** The table's columns, A to J. */
export const REPORT_COLUMN_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];

/** The row an output must have: its name, its cell, then its statistics as the run's JSON gives them. */
export function expectedReportRow(name: string, cell: string, output: OutputResults): unknown[] {
  const s = output.statistics;
  const p = output.percentiles;
  return [name, cell, s.mean, s.std, s.min, s.max, p['5'], p['50'], p['95'], output.errors];
}
