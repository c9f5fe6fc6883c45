/**
 * Cell addresses as text: what ADDRESS writes and what INDIRECT reads, in A1 and R1C1 styles.
 */

import {
  MAX_COLUMNS,
  MAX_ROWS,
  numberToColumn,
  quoteSheet,
  tryColumnToNumber,
} from '../../../shared/formula/references';
import { Reference } from '../values/value';
import type { CellPosition } from './types';

/** Column letters as a number; letters beyond XFD give a column past the grid, which callers reject. */
function columnNumber(letters: string): number {
  return tryColumnToNumber(letters) ?? MAX_COLUMNS + 1;
}

/** A sheet name as a reference prefix: quoted unless it is a plain identifier that cannot read as a cell. */
export function sheetPrefix(sheet: string): string {
  return `${quoteSheet(sheet)}!`;
}

/** ADDRESS's abs_num: 1 absolute, 2 absolute row, 3 absolute column, 4 relative. */
export function formatAddress(row: number, col: number, absNum: number, a1: boolean): string {
  const absRow = absNum === 1 || absNum === 2;
  const absCol = absNum === 1 || absNum === 3;
  if (a1) return `${absCol ? '$' : ''}${numberToColumn(col)}${absRow ? '$' : ''}${row}`;
  return `R${absRow ? row : `[${row}]`}C${absCol ? col : `[${col}]`}`;
}

interface Area {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** `A1`, `$B$2`, `A1:C3`, `D:D`, `$5:7`: undefined when the text is none of these or leaves the sheet. */
function parseA1Area(text: string): Area | undefined {
  const cell = /^\$?([A-Za-z]{1,3})\$?(\d+)$/;
  const col = /^\$?([A-Za-z]{1,3})$/;
  const row = /^\$?(\d+)$/;
  const [first, second, ...rest] = text.split(':');
  if (rest.length > 0) return undefined;
  const end = second ?? first;
  let m1 = cell.exec(first);
  let m2 = cell.exec(end);
  if (m1 && m2) return area(Number(m1[2]), columnNumber(m1[1]), Number(m2[2]), columnNumber(m2[1]));
  if (second === undefined) return undefined;
  m1 = col.exec(first);
  m2 = col.exec(second);
  if (m1 && m2) return area(1, columnNumber(m1[1]), MAX_ROWS, columnNumber(m2[1]));
  m1 = row.exec(first);
  m2 = row.exec(second);
  if (m1 && m2) return area(Number(m1[1]), 1, Number(m2[1]), MAX_COLUMNS);
  return undefined;
}

/** `R1C1`, `R[-1]C`, `RC[2]`, `R1C1:R2C3`, relative parts counted from the calling cell. */
function parseR1C1Area(text: string, caller: CellPosition): Area | undefined {
  const part = (match: string | undefined, bracket: string | undefined, base: number) => {
    if (bracket !== undefined) return base + Number(bracket);
    if (match === undefined || match === '') return base;
    return Number(match);
  };
  const cell = /^[Rr](?:\[(-?\d+)\]|(\d*))[Cc](?:\[(-?\d+)\]|(\d*))$/;
  const [first, second, ...rest] = text.split(':');
  if (rest.length > 0) return undefined;
  const ends = [first, second ?? first].map((t) => cell.exec(t));
  if (!ends[0] || !ends[1]) return undefined;
  const [a, b] = ends.map((m) => m as RegExpExecArray);
  return area(
    part(a[2], a[1], caller.row),
    part(a[4], a[3], caller.col),
    part(b[2], b[1], caller.row),
    part(b[4], b[3], caller.col),
  );
}

function area(r1: number, c1: number, r2: number, c2: number): Area | undefined {
  const top = Math.min(r1, r2);
  const bottom = Math.max(r1, r2);
  const left = Math.min(c1, c2);
  const right = Math.max(c1, c2);
  if (top < 1 || left < 1 || bottom > MAX_ROWS || right > MAX_COLUMNS) return undefined;
  return { top, left, bottom, right };
}

/** Splits `Sheet!A1` / `'My sheet'!A1` into sheet and address; the sheet is undefined when not given. */
function splitSheet(text: string): { sheet?: string; address: string } | undefined {
  const bang = text.lastIndexOf('!');
  if (bang < 0) return { address: text };
  let sheet = text.slice(0, bang);
  if (sheet.startsWith("'")) {
    if (!sheet.endsWith("'") || sheet.length < 2) return undefined;
    sheet = sheet.slice(1, -1).replace(/''/g, "'");
  }
  return sheet === '' ? undefined : { sheet, address: text.slice(bang + 1) };
}

/** INDIRECT's reading of reference text; undefined for anything that is not a reference to an existing sheet. */
export function parseReferenceText(
  text: string,
  a1: boolean,
  caller: CellPosition,
  sheetNames: readonly string[],
): Reference | undefined {
  const parts = splitSheet(text.trim());
  if (!parts) return undefined;
  let sheet = caller.sheet;
  if (parts.sheet !== undefined) {
    const wanted = parts.sheet.toLowerCase();
    const found = sheetNames.find((name) => name.toLowerCase() === wanted);
    if (found === undefined) return undefined;
    sheet = found;
  }
  const found = a1 ? parseA1Area(parts.address) : parseR1C1Area(parts.address, caller);
  return found && new Reference(sheet, found.top, found.left, found.bottom, found.right);
}
