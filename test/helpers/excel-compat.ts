/**
 * Recalculates every workbook of the Excel corpus and compares each formula cell with the value Excel
 * cached for it. Used by the compatibility test (floors per category) and by `npm run compat`, which
 * writes docs/excel-compatibility.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { recalculate } from '../../server/engine/recalc';
import { readWorkbook } from '../../server/xlsx/read-workbook';
import type { CellValue } from '../../shared/model';

export interface FileResult {
  file: string;
  category: string;
  cells: number;
  matched: number;
  mismatches: { cell: string; expected: CellValue; actual: CellValue | undefined }[];
  error?: string;
}

/** Where the corpus is: $MONTECELL_CORPUS, or ../shared/corpora/excel-calc beside the checkout. */
export function corpusDirectory(): string {
  return process.env.MONTECELL_CORPUS ?? resolve(__dirname, '../../..', 'shared/corpora/excel-calc');
}

export function requireCorpus(): string {
  const dir = corpusDirectory();
  if (!existsSync(dir))
    throw new Error(
      `The Excel corpus is missing: expected it at ${dir}. Set MONTECELL_CORPUS to its folder (the reference kit's shared/corpora/excel-calc).`,
    );
  return dir;
}

export function corpusWorkbooks(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith('.xlsx')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function categoryOf(dir: string, file: string): string {
  const rel = relative(dir, file);
  return rel.includes('/') ? rel.split('/')[0] : '(root)';
}

/** Same value as Excel stored it: numbers to 1e-9 relative (Excel keeps 15–17 digits), the rest exactly. */
export function sameValue(expected: CellValue, actual: CellValue | undefined): boolean {
  if (actual === undefined) return false;
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (expected !== null && typeof expected === 'object')
    return actual !== null && typeof actual === 'object' && actual.error === expected.error;
  if (expected === null) return actual === null || actual === '' || actual === 0;
  return expected === actual;
}

/** A fixed "now" so TODAY()/NOW() cells are comparable: they never match Excel's save time anyway. */
const FIXED_NOW = () => 45_000;

export function checkWorkbook(dir: string, file: string): FileResult {
  const result: FileResult = {
    file: relative(dir, file),
    category: categoryOf(dir, file),
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
