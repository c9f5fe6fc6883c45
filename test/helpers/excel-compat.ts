/**
 * Recalculates every workbook of the Excel corpus and compares each formula cell with the value Excel
 * cached for it. Used by the compatibility test (floors per category) and by `npm run compat`, which
 * writes docs/excel-compatibility.md.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { recalculate } from '../../server/engine/recalc';
import { readWorkbook } from '../../server/xlsx/read-workbook';
import type { CellValue } from '../../shared/model';
import { categoryOf } from './corpus';

export interface FileResult {
  file: string;
  category: string;
  cells: number;
  matched: number;
  mismatches: { cell: string; expected: CellValue; actual: CellValue | undefined }[];
  error?: string;
}

/** Same value as Excel stored it: numbers to 1e-9 relative (Excel keeps 15–17 digits), the rest exactly. */
export function sameValue(expected: CellValue, actual: CellValue | undefined): boolean {
  if (actual === undefined) return false;
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    // Excel writes the newer errors (#CALC!, #SPILL!) into .xlsx files as #VALUE! for older readers.
    const newer = actual.error === '#CALC!' || actual.error === '#SPILL!';
    return actual.error === expected.error || (newer && expected.error === '#VALUE!');
  }
  if (expected === null) return actual === null || actual === '' || actual === 0;
  // Tools other than Excel write a formula's cached error as text (t="str", "#NUM!"); Excel writes t="e".
  if (actual !== null && typeof actual === 'object') return fromOtherWriter(expected, actual.error);
  return expected === actual;
}

const ERROR_TEXTS = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A']);

function fromOtherWriter(expected: CellValue, error: string): boolean {
  return typeof expected === 'string' && ERROR_TEXTS.has(expected) && expected === error;
}

/** A fixed "now" so TODAY()/NOW() cells are comparable: they never match Excel's save time anyway. */
const FIXED_NOW = () => 45_000;

export function checkWorkbook(dir: string, file: string): FileResult {
  const result: FileResult = {
    file: relative(dir, file),
    category: categoryOf(file),
    cells: 0,
    matched: 0,
    mismatches: [],
  };
  let workbook: ReturnType<typeof readWorkbook>;
  try {
    workbook = readWorkbook(readFileSync(file));
  } catch (error) {
    result.error = (error as Error).message;
    return result;
  }
  result.cells = workbook.cachedValues.size;
  try {
    const recalc = recalculate(workbook.model, { now: FIXED_NOW });
    for (const [cell, expected] of workbook.cachedValues) {
      const actual = recalc.cells.get(cell);
      if (sameValue(expected, actual)) result.matched++;
      else result.mismatches.push({ cell, expected, actual });
    }
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
  }
  return result;
}

export interface CategorySummary {
  category: string;
  files: number;
  cells: number;
  /** Mean over files of the share of each file's formula cells that match, in percent. */
  fileMeanPercent: number;
}

export function summarize(results: FileResult[]): {
  categories: CategorySummary[];
  overall: CategorySummary;
} {
  const share = (r: FileResult) => (r.cells === 0 ? 1 : r.matched / r.cells);
  const summary = (category: string, rs: FileResult[]): CategorySummary => ({
    category,
    files: rs.length,
    cells: rs.reduce((n, r) => n + r.cells, 0),
    fileMeanPercent: (100 * rs.reduce((s, r) => s + share(r), 0)) / Math.max(1, rs.length),
  });
  const byCategory = new Map<string, FileResult[]>();
  for (const r of results) byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, rs]) => summary(c, rs));
  return { categories, overall: summary('all files', results) };
}
