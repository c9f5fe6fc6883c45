/// <reference types="office-js" />
/**
 * "Write to sheet": a new worksheet with the statistics of every output and, beside them, the samples —
 * written in row blocks sized by their bytes, so each request stays below Excel on the web's 5 MB limit
 * whatever the number of outputs. A trial whose output was not a number is written as the error it was.
 */
import { ERROR_LITERALS } from '../../../shared/formula/lexer';
import { namedCell, type SimulationResults } from '../../../shared/model';
import { percentileRows, STATISTIC_ROWS } from '../service/results';

export interface ResultsToWrite {
  simulationId: string;
  results: SimulationResults;
  /** Samples per output (same keys as results.outputs), when downloaded. */
  samples: Record<string, ArrayLike<number>>;
}

/**
 * The most bytes of values one request carries: Excel on the web refuses a request over 5 MB
 * (RequestPayloadSizeLimitExceeded), and Office.js wraps the values in its own envelope.
 */
export const REQUEST_VALUES_BUDGET_BYTES = 3_500_000;
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
      sampled.map((o) => literalText(`Samples ${title(data, o)}`)),
    ];
    const columns = sampled.map((o) => ({
      values: data.samples[o],
      error: errorOfTrials(data.results.outputs[o].non_numeric),
    }));
    const rows = Math.max(...columns.map((c) => c.values.length));
    const row = (i: number) =>
      columns.map(({ values, error }) => {
        if (i >= values.length) return '';
        const value = values[i];
        return Number.isFinite(value) ? value : error;
      });
    for (const block of blocksByBytes(rows, row, REQUEST_VALUES_BUDGET_BYTES)) {
      sheet.getRangeByIndexes(1 + block.start, firstColumn, block.rows.length, sampled.length).values =
        block.rows;
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
    ['Statistic', ...outputs.map((o) => literalText(title(data, o)))],
    ...STATISTIC_ROWS.map((row) => [row.label, ...results.map((r) => cell(row.value(r)))]),
    ...percentiles.map((label) => [
      label,
      ...results.map((r) => cell(percentileRows(r).find((p) => p.label === label)?.value)),
    ]),
    ['Simulation', ...outputs.map(() => literalText(data.simulationId))],
  ];
}

/** An output's column header: its name with its cell, so the column can be traced back to the model. */
function title(data: ResultsToWrite, output: string): string {
  return namedCell(output, data.results.outputs[output].name);
}

/**
 * Consecutive rows in blocks whose values' JSON (as Office.js sends them) stays within `budget` bytes;
 * a single row over the budget still goes, alone.
 */
export function* blocksByBytes<T>(
  count: number,
  row: (i: number) => T[],
  budget: number,
): Generator<{ start: number; rows: T[][] }> {
  let start = 0;
  let rows: T[][] = [];
  let bytes = 2;
  for (let i = 0; i < count; i++) {
    const next = row(i);
    const size = JSON.stringify(next).length + 1;
    if (rows.length > 0 && bytes + size > budget) {
      yield { start, rows };
      start = i;
      rows = [];
      bytes = 2;
    }
    rows.push(next);
    bytes += size;
  }
  if (rows.length > 0) yield { start, rows };
}

/**
 * What an output's non-numeric trials are written as: the samples carry no kind per trial (they are NaN),
 * so the one error they all were, or #N/A ("no value") when they were of several kinds or not errors.
 * Excel takes an error's text written through Range.values as the error itself, as if typed.
 */
export function errorOfTrials(nonNumeric: Record<string, number>): string {
  const kinds = Object.keys(nonNumeric).filter((kind) => nonNumeric[kind] > 0);
  return kinds.length === 1 && (ERROR_LITERALS as readonly string[]).includes(kinds[0]) ? kinds[0] : '#N/A';
}

/**
 * Text Excel keeps as written: Range.values parses a string as if typed, so 'Sheet 2'!B2 would lose its
 * leading apostrophe (the text prefix), =… would become a formula, 12 or #N/A a number or an error. A
 * leading apostrophe makes Excel keep the rest as text, itself not shown.
 */
export function literalText(text: string): string {
  return /^['=+\-@#]|^\s*[\d.]|^(true|false)$/i.test(text) ? `'${text}` : text;
}

/** "Montecell results", then "Montecell results (2)", … — never overwrite an earlier run's sheet. */
export function freeName(existing: string[]): string {
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  if (!taken.has(BASE_NAME.toLowerCase())) return BASE_NAME;
  for (let i = 2; ; i++) if (!taken.has(`${BASE_NAME} (${i})`.toLowerCase())) return `${BASE_NAME} (${i})`;
}
