/** Cell identity inside the engine: a sheet index and a packed (row, col) key. */
import { formatCellAddress, quoteSheet } from '../../../shared/formula/references';

/** Packs a 1-based (row, col) into one number; rows vary slowest so keys sort in row-major order. */
export function cellKey(row: number, col: number): number {
  return row * 16_384 + (col - 1);
}

export function keyRow(key: number): number {
  return Math.floor(key / 16_384);
}

export function keyCol(key: number): number {
  return (key % 16_384) + 1;
}

/** "Sheet1!B2", quoting the sheet name when Excel would. */
export function qualifiedAddress(sheet: string, row: number, col: number): string {
  return `${quoteSheet(sheet)}!${formatCellAddress(row, col)}`;
}
