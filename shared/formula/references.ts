/** A1-notation helpers shared by the parser, the printer, the engine and the add-in. */

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

/** A single cell written in A1 notation, 1-based. */
export interface CellAddress {
  row: number;
  col: number;
  rowAbsolute: boolean;
  colAbsolute: boolean;
}

const CODE_A = 65;
const CODE_Z = 90;
const CODE_LOWER_A = 97;
const CODE_LOWER_Z = 122;
const CODE_0 = 48;
const CODE_9 = 57;
const DOLLAR = 36;

/** `A` → 1, `xfd` → 16384; `undefined` when not 1 to 3 letters or beyond column XFD. */
export function tryColumnToNumber(letters: string): number | undefined {
  if (letters.length === 0 || letters.length > 3) return undefined;
  let col = 0;
  for (let i = 0; i < letters.length; i++) {
    let code = letters.charCodeAt(i);
    if (code >= CODE_LOWER_A && code <= CODE_LOWER_Z) code -= 32;
    if (code < CODE_A || code > CODE_Z) return undefined;
    col = col * 26 + (code - CODE_A + 1);
  }
  return col <= MAX_COLUMNS ? col : undefined;
}

/** `A` → 1, `XFD` → 16384. Throws on anything that is not a column of the grid. */
export function columnToNumber(letters: string): number {
  const col = tryColumnToNumber(letters);
  if (col === undefined) throw new RangeError(`Not a column: "${letters}"`);
  return col;
}

/** 1 → `A`, 16384 → `XFD`. Throws outside the grid. */
export function numberToColumn(col: number): string {
  if (!Number.isInteger(col) || col < 1 || col > MAX_COLUMNS)
    throw new RangeError(`Column out of range: ${col}`);
  let letters = '';
  while (col > 0) {
    const digit = (col - 1) % 26;
    letters = String.fromCharCode(CODE_A + digit) + letters;
    col = (col - 1 - digit) / 26;
  }
  return letters;
}

function isDigit(code: number): boolean {
  return code >= CODE_0 && code <= CODE_9;
}

function isLetter(code: number): boolean {
  return (code >= CODE_A && code <= CODE_Z) || (code >= CODE_LOWER_A && code <= CODE_LOWER_Z);
}

/** Parses `digits` as a row number of the grid (no sign, no leading zero). */
function rowNumber(text: string, start: number, end: number): number | undefined {
  if (end <= start || end - start > 7 || text.charCodeAt(start) === CODE_0) return undefined;
  let row = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return undefined;
    row = row * 10 + (code - CODE_0);
  }
  return row <= MAX_ROWS ? row : undefined;
}

/** `$B$10` → row 10, col 2, both absolute; `undefined` for anything else (names such as `A1B`, `TAX.RATE`). */
export function tryParseCellAddress(text: string): CellAddress | undefined {
  let i = 0;
  const colAbsolute = text.charCodeAt(i) === DOLLAR;
  if (colAbsolute) i++;
  const lettersStart = i;
  while (i < text.length && isLetter(text.charCodeAt(i))) i++;
  const col = tryColumnToNumber(text.slice(lettersStart, i));
  if (col === undefined) return undefined;
  const rowAbsolute = text.charCodeAt(i) === DOLLAR;
  if (rowAbsolute) i++;
  const row = rowNumber(text, i, text.length);
  if (row === undefined) return undefined;
  return { row, col, rowAbsolute, colAbsolute };
}

/** `$B$10` → `{ row: 10, col: 2, rowAbsolute: true, colAbsolute: true }`. Throws on anything else. */
export function parseCellAddress(text: string): CellAddress {
  const address = tryParseCellAddress(text);
  if (address === undefined) throw new RangeError(`Not a cell address: "${text}"`);
  return address;
}

/** (10, 2, true, true) → `$B$10`. */
export function formatCellAddress(
  row: number,
  col: number,
  rowAbsolute = false,
  colAbsolute = false,
): string {
  if (!Number.isInteger(row) || row < 1 || row > MAX_ROWS) throw new RangeError(`Row out of range: ${row}`);
  return `${colAbsolute ? '$' : ''}${numberToColumn(col)}${rowAbsolute ? '$' : ''}${row}`;
}

/** The column end of a column range such as `$A` in `$A:$C`. */
export function tryParseColumnReference(text: string): { col: number; absolute: boolean } | undefined {
  const absolute = text.charCodeAt(0) === DOLLAR;
  const col = tryColumnToNumber(absolute ? text.slice(1) : text);
  return col === undefined ? undefined : { col, absolute };
}

/** The row end of a row range such as `$2` in `$2:$5`. */
export function tryParseRowReference(text: string): { row: number; absolute: boolean } | undefined {
  const absolute = text.charCodeAt(0) === DOLLAR;
  const row = rowNumber(text, absolute ? 1 : 0, text.length);
  return row === undefined ? undefined : { row, absolute };
}

/**
 * A sheet name as it must be written before `!`: plain when it is an identifier that cannot be read as a
 * cell (A1 or R1C1), quoted with doubled apostrophes otherwise.
 */
export function quoteSheet(sheet: string): string {
  const plain =
    /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) &&
    !/^[A-Za-z]{1,3}\d+$/.test(sheet) &&
    !/^[Rr]\d*[Cc]\d*$/.test(sheet);
  return plain ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}
