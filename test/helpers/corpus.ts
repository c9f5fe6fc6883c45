/** Reads the Excel calculation corpus (see its README.md): workbook paths and their formula cells. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';

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

export interface FormulaCell {
  sheet: string;
  address: string;
  formula: string;
}

/**
 * Every formula cell of a workbook. `cell.formula` gives the text of plain formulas and, translated
 * from the master cell, of shared-formula followers; array formulas carry theirs in `cell.value.formula`.
 */
export async function readFormulaCells(file: string): Promise<FormulaCell[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const cells: FormulaCell[] = [];
  for (const worksheet of workbook.worksheets) {
    worksheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const formula = cell.formula || arrayFormula(cell.value);
        if (formula) cells.push({ sheet: worksheet.name, address: cell.address, formula });
      });
    });
  }
  return cells;
}

function arrayFormula(value: ExcelJS.CellValue): string | undefined {
  if (value && typeof value === 'object' && 'formula' in value && typeof value.formula === 'string') {
    return value.formula;
  }
  return undefined;
}
