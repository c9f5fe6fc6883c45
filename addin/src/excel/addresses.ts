/** Sheet-qualified A1 addresses as Office.js writes them ("Sheet1!B3", "'My Sheet'!A1:C4") and back. */
import { numberToColumn, tryParseCellAddress } from '../../../shared/formula/references';

export interface QualifiedRange {
  sheet: string;
  /** Top-left and bottom-right cells without `$`, e.g. "B3" and "C4" (equal for one cell). */
  start: string;
  end: string;
}

/** "Sheet1!$B$3:$C$4" → { sheet: "Sheet1", start: "B3", end: "C4" }; "'It''s'!A1" → sheet "It's". */
export function splitAddress(address: string): QualifiedRange {
  const bang = address.lastIndexOf('!');
  if (bang < 0) throw new Error(`"${address}" has no sheet name`);
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  const [start, end = start] = address
    .slice(bang + 1)
    .replace(/\$/g, '')
    .split(':');
  return { sheet, start, end };
}

/** "Sheet1!B3", quoting the sheet name when Excel would. */
export function qualify(sheet: string, cell: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) && !tryParseCellAddress(sheet);
  return `${plain ? sheet : `'${sheet.replace(/'/g, "''")}'`}!${cell}`;
}

/** A1 address of the cell at 0-based (row, column). */
export function cellAt(row: number, column: number): string {
  return `${numberToColumn(column + 1)}${row + 1}`;
}

/** Every cell of a rectangular range, row by row: "A1:B2" → A1, B1, A2, B2. */
export function cellsOf(range: QualifiedRange): string[] {
  const a = tryParseCellAddress(range.start);
  const b = tryParseCellAddress(range.end);
  if (!a || !b) throw new Error(`"${range.start}:${range.end}" is not a range of cells`);
  const cells: string[] = [];
  for (let row = Math.min(a.row, b.row); row <= Math.max(a.row, b.row); row++)
    for (let col = Math.min(a.col, b.col); col <= Math.max(a.col, b.col); col++)
      cells.push(cellAt(row - 1, col - 1));
  return cells;
}
