/// <reference types="office-js" />
/**
 * "Write to sheet": a new worksheet with the statistics of every output and, beside them, the samples —
 * written in row blocks so each request stays far below the 5 MB limit.
 */
import { namedCell, type SimulationResults } from '../../../shared/model';
import { percentileRows, STATISTIC_ROWS } from '../service/results';

export interface ResultsToWrite {
  simulationId: string;
  results: SimulationResults;
  /** Samples per output (same keys as results.outputs), when downloaded. */
  samples: Record<string, ArrayLike<number>>;
}

const SAMPLE_ROWS_PER_REQUEST = 50_000;
const BASE_NAME = 'Montecell results';

/** Writes the results; returns the new sheet's name. */
export async function writeResultsSheet(
  context: Excel.RequestContext,
  data: ResultsToWrite,
): Promise<string> {
  const worksheets = context.workbook.worksheets;
  worksheets.load('items');
  await context.sync();
  const name = freeName(worksheets.items.map((s) => s.name));
  const sheet = worksheets.add(name);

  const outputs = Object.keys(data.results.outputs);
  const table = statisticsTable(data, outputs);
  sheet.getRangeByIndexes(0, 0, table.length, table[0].length).values = table;

  const sampled = outputs.filter((o) => data.samples[o] !== undefined);
  const firstColumn = outputs.length + 2;
  if (sampled.length > 0) {
    sheet.getRangeByIndexes(0, firstColumn, 1, sampled.length).values = [
      sampled.map((o) => `Samples ${title(data, o)}`),
    ];
    const rows = Math.max(...sampled.map((o) => data.samples[o].length));
    for (let start = 0; start < rows; start += SAMPLE_ROWS_PER_REQUEST) {
      const count = Math.min(SAMPLE_ROWS_PER_REQUEST, rows - start);
      const block = Array.from({ length: count }, (_, i) =>
        sampled.map((o) => (start + i < data.samples[o].length ? data.samples[o][start + i] : '')),
      );
      sheet.getRangeByIndexes(1 + start, firstColumn, count, sampled.length).values = block;
      await context.sync();
    }
  }
  sheet.getRangeByIndexes(0, 0, 1, outputs.length + 1).format.font.bold = true;
  sheet.activate();
  await context.sync();
  return name;
}

function statisticsTable(data: ResultsToWrite, outputs: string[]): (string | number)[][] {
  const results = outputs.map((o) => data.results.outputs[o]);
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : v);
  const percentiles = results.length > 0 ? percentileRows(results[0]).map((r) => r.label) : [];
  return [
    ['Statistic', ...outputs.map((o) => title(data, o))],
    ...STATISTIC_ROWS.map((row) => [row.label, ...results.map((r) => cell(row.value(r)))]),
    ...percentiles.map((label) => [
      label,
      ...results.map((r) => cell(percentileRows(r).find((p) => p.label === label)?.value)),
    ]),
    ['Simulation', ...outputs.map(() => data.simulationId)],
  ];
}

/** An output's column header: its name with its cell, so the column can be traced back to the model. */
function title(data: ResultsToWrite, output: string): string {
  return namedCell(output, data.results.outputs[output].name);
}

/** "Montecell results", then "Montecell results (2)", … — never overwrite an earlier run's sheet. */
export function freeName(existing: string[]): string {
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  if (!taken.has(BASE_NAME.toLowerCase())) return BASE_NAME;
  for (let i = 2; ; i++) if (!taken.has(`${BASE_NAME} (${i})`.toLowerCase())) return `${BASE_NAME} (${i})`;
}
