/// <reference types="office-js" />
/** Small Office.js actions of the pane: the selected cells, selecting a cell. */
import { cellsOf, qualify, splitAddress } from './addresses';

/** The selected cells, sheet-qualified ("Sheet1!B3", …), at most `limit` of them. */
export async function selectedCells(context: Excel.RequestContext, limit = 1_000): Promise<string[]> {
  const range = context.workbook.getSelectedRange();
  range.load('address');
  await context.sync();
  const parsed = splitAddress(range.address);
  return cellsOf(parsed)
    .slice(0, limit)
    .map((cell) => qualify(parsed.sheet, cell));
}

/** Selects (and scrolls to) a sheet-qualified cell such as "Sheet1!B3". */
export async function selectCell(context: Excel.RequestContext, address: string): Promise<void> {
  const { sheet, start, end } = splitAddress(address);
  const worksheet = context.workbook.worksheets.getItem(sheet);
  worksheet.activate();
  worksheet.getRange(start === end ? start : `${start}:${end}`).select();
  await context.sync();
}
