/// <reference types="office-js" />
/**
 * The swap of Risk* functions for their MC.* twins and back (shared/functions/twins.ts) on the open
 * workbook: every sheet's formulas are read to plan it, and only the cells the plan rewrites are written.
 */
import {
  type FormulaCell,
  planSwap,
  type SwapDirection,
  type SwapPlan,
} from '../../../shared/functions/twins';
import { cellAt, qualify, splitAddress } from './addresses';

/** Formula cells read per request: a few MB of formulas at most, below Excel on the web's 5 MB. */
const CELLS_PER_READ = 100_000;
/** Formulas written per request. */
const CELLS_PER_WRITE = 2_000;

export async function planWorkbookSwap(
  context: Excel.RequestContext,
  direction: SwapDirection,
): Promise<SwapPlan> {
  return planSwap(await formulaCells(context), direction);
}

async function formulaCells(context: Excel.RequestContext): Promise<FormulaCell[]> {
  const worksheets = context.workbook.worksheets;
  worksheets.load('items/name');
  await context.sync();
  const cells: FormulaCell[] = [];
  for (const sheet of worksheets.items) {
    const used = sheet.getUsedRangeOrNullObject();
    used.load(['isNullObject', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount']);
    await context.sync();
    if (used.isNullObject) continue;
    const rowsPerRead = Math.max(1, Math.floor(CELLS_PER_READ / used.columnCount));
    for (let first = 0; first < used.rowCount; first += rowsPerRead) {
      const rows = Math.min(rowsPerRead, used.rowCount - first);
      const block = sheet.getRangeByIndexes(used.rowIndex + first, used.columnIndex, rows, used.columnCount);
      block.load('formulas');
      await context.sync();
      block.formulas.forEach((row, r) => {
        row.forEach((formula, c) => {
          if (typeof formula === 'string' && formula.startsWith('='))
            cells.push({
              address: qualify(sheet.name, cellAt(used.rowIndex + first + r, used.columnIndex + c)),
              formula,
            });
        });
      });
    }
  }
  return cells;
}

/** Writes the plan's formulas; returns how many cells were rewritten. */
export async function applySwap(context: Excel.RequestContext, plan: SwapPlan): Promise<number> {
  for (let start = 0; start < plan.changes.length; start += CELLS_PER_WRITE) {
    for (const change of plan.changes.slice(start, start + CELLS_PER_WRITE)) {
      const { sheet, start: cell } = splitAddress(change.address);
      context.workbook.worksheets.getItem(sheet).getRange(cell).formulas = [[change.formula]];
    }
    await context.sync();
  }
  return plan.changes.length;
}
