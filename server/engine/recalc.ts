/**
 * Recalculation: every formula of a workbook evaluated once with Excel's semantics, distributions at
 * their static values. What `montecell recalc` prints and what the Excel-compatibility corpus checks.
 */

import { formatCellAddress } from '../../shared/formula/references';
import type { CellValue, WorkbookModel } from '../../shared/model';
import { Interpreter, type UnsupportedUse } from './evaluate/interpreter';
import { keyCol, keyRow, qualifiedAddress } from './graph/addresses';
import { parseModel } from './parse/parse-model';
import { ExcelError, Matrix, type Scalar } from './values/value';

export interface RecalcResult {
  /** Every formula cell, keyed "Sheet1!B2", with its value as Excel would store it. */
  cells: Map<string, CellValue>;
  /** Functions the engine does not implement, with the cells that use them (those cells are #NAME?). */
  unsupported: UnsupportedUse[];
  /** Formula cells that failed to parse, with the reason. */
  parseErrors: { cell: string; message: string }[];
}

export interface RecalcOptions {
  now?: () => number;
}

export function toCellValue(value: Scalar): CellValue {
  if (value instanceof ExcelError) return { error: value.code };
  return value;
}

export function recalculate(model: WorkbookModel, options: RecalcOptions = {}): RecalcResult {
  const book = parseModel(model);
  const interpreter = new Interpreter(book, { now: options.now, random: () => 0.5 });
  const cells = new Map<string, CellValue>();
  const parseErrors: RecalcResult['parseErrors'] = [];
  for (const sheet of book.sheets)
    for (const key of sheet.formulaKeys) {
      const row = keyRow(key);
      const col = keyCol(key);
      const cell = sheet.cells.get(key)!;
      if (cell.parseError)
        parseErrors.push({ cell: qualifiedAddress(sheet.name, row, col), message: cell.parseError });
      interpreter.compute(sheet.index, key);
      const result = interpreter.result(sheet.index, key);
      const value = result instanceof Matrix ? result.data[0] : (result ?? null);
      cells.set(`${sheet.name}!${formatCellAddress(row, col)}`, toCellValue(value));
    }
  const unsupported = [...interpreter.unsupported.values()].flat();
  return { cells, unsupported, parseErrors };
}
