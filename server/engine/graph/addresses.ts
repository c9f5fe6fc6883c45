/** Cell identity inside the engine: a sheet index and a packed (row, col) key. */

export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;

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

export function columnLetters(col: number): string {
  let s = '';
  while (col > 0) {
    const r = (col - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    col = Math.floor((col - 1) / 26);
  }
  return s;
}

export function parseA1(address: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(address);
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]);
  if (row < 1 || row > MAX_ROWS || col < 1 || col > MAX_COLS) return undefined;
  return { row, col };
}

export function formatA1(row: number, col: number): string {
  return `${columnLetters(col)}${row}`;
}

/** "Sheet1!B2", quoting the sheet name when Excel would. */
export function qualifiedAddress(sheet: string, row: number, col: number): string {
  return `${quoteSheet(sheet)}!${formatA1(row, col)}`;
}

export function quoteSheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) && !/^[A-Za-z]{1,3}\d+$/.test(sheet)
    ? sheet
    : `'${sheet.replace(/'/g, "''")}'`;
}
