/** Reads the Excel calculation corpus (see its README.md): workbook paths and their formula cells. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readWorkbook } from '../../server/xlsx/read-workbook';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** `$MONTECELL_CORPUS`, or `../shared/corpora/excel-calc` beside the checkout. */
export function corpusDir(): string {
  return process.env.MONTECELL_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared/corpora/excel-calc');
}

/** Absolute paths of every `.xlsx` under the corpus, sorted. Throws (never skips) when the corpus is missing. */
export function listCorpusWorkbooks(): string[] {
  const dir = corpusDir();
  if (!existsSync(dir)) {
    throw new Error(
      `Excel corpus not found at ${dir}: set MONTECELL_CORPUS to the excel-calc corpus folder ` +
        '(e.g. MONTECELL_CORPUS=/work/shared/corpora/excel-calc)',
    );
  }
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder)) {
      const full = path.join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.xlsx') && !entry.startsWith('~$')) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

export function categoryOf(file: string): string {
  const rel = path.relative(corpusDir(), file);
  return rel.includes(path.sep) ? rel.split(path.sep)[0] : '(root)';
}

export interface FormulaCell {
  sheet: string;
  address: string;
  formula: string;
}

/** Every formula cell of a workbook, shared formulas expanded, as the service's .xlsx reader sees them. */
export function readFormulaCells(file: string): FormulaCell[] {
  const { model } = readWorkbook(readFileSync(file));
  const cells: FormulaCell[] = [];
  for (const sheet of model.sheets)
    for (const [address, cell] of Object.entries(sheet.cells))
      if ('formula' in cell) cells.push({ sheet: sheet.name, address, formula: cell.formula.slice(1) });
  return cells;
}
