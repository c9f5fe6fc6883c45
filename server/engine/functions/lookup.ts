/**
 * Lookup and reference functions: the searches (VLOOKUP, HLOOKUP, LOOKUP, MATCH, XLOOKUP, XMATCH) and the
 * functions that compute or inspect references (INDEX, OFFSET, INDIRECT, ADDRESS, ROW, COLUMN, ROWS,
 * COLUMNS, AREAS, TRIMRANGE).
 */

import { MAX_COLUMNS, MAX_ROWS } from '../../../shared/formula/references';
import { toNumber, toText } from '../values/coerce';
import {
  Errors,
  type ExcelError,
  isError,
  Matrix,
  Reference,
  type Scalar,
  type Value,
} from '../values/value';
import { booleanArg, integerArg, isVector, scalarArg, simplify, toMatrix } from './arrays-values';
import { formatAddress, parseReferenceText, sheetPrefix } from './lookup-address';
import {
  approximateSearch,
  binarySearch,
  type Closeness,
  equalityMatcher,
  findFirst,
  findFirstExact,
  findLast,
  linearSearch,
  NOT_FOUND,
  regexMatcher,
  userRegex,
  type Vector,
} from './lookup-search';
import { define, type FunctionContext, type FunctionDefinition } from './types';

// --- Shared pieces ------------------------------------------------------------------------------------

/** A table argument of VLOOKUP/HLOOKUP: text typed in place of a table is #VALUE!, other scalars are 1×1. */
function tableArg(value: Value, ctx: FunctionContext): Matrix | ExcelError {
  return typeof value === 'string' ? Errors.VALUE : toMatrix(value, ctx);
}

/** The whole of a one-row or one-column matrix as a search vector. */
function wholeVector(m: Matrix): Vector {
  return { data: m.data, start: 0, stride: 1, length: m.data.length };
}

function columnVector(m: Matrix, col: number): Vector {
  return { data: m.data, start: col, stride: m.cols, length: m.rows };
}

function rowVector(m: Matrix, row: number): Vector {
  return { data: m.data, start: row * m.cols, stride: 1, length: m.cols };
}

/** VLOOKUP/HLOOKUP/MATCH search: exact with wildcards, or Excel's approximate binary search. */
function legacySearch(vector: Vector, value: Scalar, mode: 'exact' | 'ascending' | 'descending'): number {
  if (mode === 'exact') return findFirstExact(vector, value);
  const target = value === null ? 0 : (value as Exclude<Scalar, ExcelError | null>);
  return approximateSearch(vector, target, mode === 'descending');
}

// --- VLOOKUP, HLOOKUP, LOOKUP, MATCH ------------------------------------------------------------------

function tableLookup(args: Value[], ctx: FunctionContext, vertical: boolean): Value {
  const value = scalarArg(args[0]);
  if (isError(value)) return value;
  const table = tableArg(args[1], ctx);
  if (isError(table)) return table;
  const index = integerArg(args[2], 1);
  if (isError(index)) return index;
  const approximate = booleanArg(args[3], true);
  if (isError(approximate)) return approximate;
  if (index < 1) return Errors.VALUE;
  if (index > (vertical ? table.cols : table.rows)) return Errors.REF;
  const keys = vertical ? columnVector(table, 0) : rowVector(table, 0);
  const found = legacySearch(keys, value, approximate ? 'ascending' : 'exact');
  if (found === NOT_FOUND) return Errors.NA;
  return vertical ? table.data[found * table.cols + index - 1] : table.data[(index - 1) * table.cols + found];
}

function lookup(args: Value[], ctx: FunctionContext): Value {
  const value = scalarArg(args[0]);
  if (isError(value)) return value;
  const source = toMatrix(args[1], ctx);
  if (isError(source)) return source;
  // The array form searches the first row of a wide array (first column otherwise) and returns from the last.
  const wide = source.cols > source.rows;
  const keys = wide ? rowVector(source, 0) : columnVector(source, 0);
  const found = legacySearch(keys, value, 'ascending');
  if (found === NOT_FOUND) return Errors.NA;
  if (args[2] === undefined) {
    return wide
      ? source.data[(source.rows - 1) * source.cols + found]
      : source.data[found * source.cols + source.cols - 1];
  }
  const results = toMatrix(args[2], ctx);
  if (isError(results)) return results;
  return found < results.data.length ? results.data[found] : Errors.NA;
}

function match(args: Value[], ctx: FunctionContext): Value {
  const value = scalarArg(args[0]);
  if (isError(value)) return value;
  const array = toMatrix(args[1], ctx);
  if (isError(array)) return array;
  const type = args[2] === undefined ? 1 : toNumber(scalarArg(args[2]));
  if (isError(type)) return type;
  if (!isVector(array)) return Errors.NA;
  const mode = type > 0 ? 'ascending' : type < 0 ? 'descending' : 'exact';
  const found = legacySearch(wholeVector(array), value, mode);
  return found === NOT_FOUND ? Errors.NA : found + 1;
}

// --- XLOOKUP, XMATCH ----------------------------------------------------------------------------------

/** Finds the lookup value under XLOOKUP/XMATCH's match mode (0, -1, 1, 2 wildcard, 3 regex) and search mode. */
function xFind(
  vector: Vector,
  value: Scalar,
  matchModeArg: Value,
  searchModeArg: Value,
): number | ExcelError {
  const matchMode = integerArg(matchModeArg, 0);
  if (isError(matchMode)) return matchMode;
  const searchMode = integerArg(searchModeArg, 1);
  if (isError(searchMode)) return searchMode;
  if (![0, -1, 1, 2, 3].includes(matchMode) || ![1, -1, 2, -2].includes(searchMode)) return Errors.VALUE;
  const binary = Math.abs(searchMode) === 2;
  if (matchMode >= 2) {
    if (binary) return Errors.VALUE;
    let matcher = equalityMatcher(value, true, true);
    if (matchMode === 3) {
      const regex = userRegex(toText(value) as string);
      if (!regex) return Errors.VALUE;
      matcher = regexMatcher(regex);
    }
    return searchMode === 1 ? findFirst(vector, matcher) : findLast(vector, matcher);
  }
  const closeness = matchMode as Closeness;
  if (binary) return binarySearch(vector, value, closeness, searchMode === -2);
  return linearSearch(vector, value, closeness, equalityMatcher(value, false, true), searchMode === -1);
}

function xlookup(args: Value[], ctx: FunctionContext): Value {
  const value = scalarArg(args[0]);
  if (isError(value)) return value;
  const keys = toMatrix(args[1], ctx);
  if (isError(keys)) return keys;
  const results = toMatrix(args[2], ctx);
  if (isError(results)) return results;
  if (!isVector(keys)) return Errors.VALUE;
  const byRows = keys.cols === 1 && results.rows === keys.rows;
  if (!byRows && !(keys.rows === 1 && results.cols === keys.cols)) return Errors.VALUE;
  const found = xFind(wholeVector(keys), value, args[4], args[5]);
  if (isError(found)) return found;
  if (found === NOT_FOUND) return args[3] === undefined || args[3] === null ? Errors.NA : args[3];
  if (byRows) {
    if (results.cols === 1) return results.data[found];
    return new Matrix(1, results.cols, results.data.slice(found * results.cols, (found + 1) * results.cols));
  }
  if (results.rows === 1) return results.data[found];
  const column: Scalar[] = [];
  for (let r = 0; r < results.rows; r++) column.push(results.data[r * results.cols + found]);
  return new Matrix(results.rows, 1, column);
}

function xmatch(args: Value[], ctx: FunctionContext): Value {
  const value = scalarArg(args[0]);
  if (isError(value)) return value;
  const keys = toMatrix(args[1], ctx);
  if (isError(keys)) return keys;
  if (!isVector(keys)) return Errors.VALUE;
  const found = xFind(wholeVector(keys), value, args[2], args[3]);
  if (isError(found)) return found;
  return found === NOT_FOUND ? Errors.NA : found + 1;
}

// --- INDEX, OFFSET, INDIRECT, ADDRESS -----------------------------------------------------------------

interface Span {
  first: number;
  count: number;
}

/** INDEX's row or column number within `size`: 0 means all of them. */
function span(index: number, size: number): Span | ExcelError {
  if (index < 0) return Errors.VALUE;
  if (index > size) return Errors.REF;
  return index === 0 ? { first: 0, count: size } : { first: index - 1, count: 1 };
}

function index(args: Value[], ctx: FunctionContext): Value {
  const source = args[0];
  if (isError(source)) return source;
  const area = integerArg(args[3], 1);
  if (isError(area)) return area;
  if (area < 1) return Errors.VALUE;
  if (area > 1) return Errors.REF;
  const size = source instanceof Reference ? source : toMatrix(source, ctx);
  if (isError(size)) return size;
  let row = integerArg(args[1], 0);
  if (isError(row)) return row;
  let col = integerArg(args[2], 0);
  if (isError(col)) return col;
  // A single index into a one-row area counts columns.
  if (size.rows === 1 && size.cols > 1 && args.length < 3) {
    col = row;
    row = 0;
  }
  const rows = span(row, size.rows);
  if (isError(rows)) return rows;
  const cols = span(col, size.cols);
  if (isError(cols)) return cols;
  if (size instanceof Reference) {
    const top = size.top + rows.first;
    const left = size.left + cols.first;
    return new Reference(size.sheet, top, left, top + rows.count - 1, left + cols.count - 1, size.sheetEnd);
  }
  const data: Scalar[] = [];
  for (let r = rows.first; r < rows.first + rows.count; r++)
    for (let c = cols.first; c < cols.first + cols.count; c++) data.push(size.data[r * size.cols + c]);
  return simplify(new Matrix(rows.count, cols.count, data));
}

/** OFFSET's height or width: truncated, except that a fraction below 1 still means one cell. */
function extent(value: Value | undefined, fallback: number): number | ExcelError {
  const scalar = scalarArg(value);
  if (scalar === null) return fallback;
  const n = toNumber(scalar);
  if (isError(n)) return n;
  const whole = Math.trunc(n);
  return whole === 0 && n !== 0 ? Math.sign(n) : whole;
}

/** The first and last row (or column) of `size` cells from `start`, a negative size counting backwards. */
function stretch(start: number, size: number): [number, number] {
  return size > 0 ? [start, start + size - 1] : [start + size + 1, start];
}

function offset(args: Value[]): Value {
  const base = args[0];
  if (isError(base)) return base;
  if (!(base instanceof Reference)) return Errors.VALUE;
  const rows = integerArg(args[1], 0);
  if (isError(rows)) return rows;
  const cols = integerArg(args[2], 0);
  if (isError(cols)) return cols;
  const height = extent(args[3], base.rows);
  if (isError(height)) return height;
  const width = extent(args[4], base.cols);
  if (isError(width)) return width;
  if (height === 0 || width === 0) return Errors.REF;
  const [top, bottom] = stretch(base.top + rows, height);
  const [left, right] = stretch(base.left + cols, width);
  if (top < 1 || left < 1 || bottom > MAX_ROWS || right > MAX_COLUMNS) return Errors.REF;
  return new Reference(base.sheet, top, left, bottom, right, base.sheetEnd);
}

function indirect(args: Value[], ctx: FunctionContext): Value {
  const text = scalarArg(args[0]);
  if (isError(text)) return text;
  const a1 = booleanArg(args[1], true);
  if (isError(a1)) return a1;
  if (typeof text !== 'string') return Errors.REF;
  return parseReferenceText(text, a1, ctx.caller, ctx.sheetNames) ?? Errors.REF;
}

function address(args: Value[]): Value {
  const row = integerArg(args[0], 0);
  if (isError(row)) return row;
  const col = integerArg(args[1], 0);
  if (isError(col)) return col;
  const absNum = integerArg(args[2], 1);
  if (isError(absNum)) return absNum;
  const a1 = booleanArg(args[3], true);
  if (isError(a1)) return a1;
  const sheet = args[4] === undefined || args[4] === null ? '' : toText(scalarArg(args[4]));
  if (isError(sheet)) return sheet;
  if (row < 1 || row > MAX_ROWS || col < 1 || col > MAX_COLUMNS || absNum < 1 || absNum > 4)
    return Errors.VALUE;
  return (sheet === '' ? '' : sheetPrefix(sheet)) + formatAddress(row, col, absNum, a1);
}

// --- ROW, COLUMN, ROWS, COLUMNS, AREAS, TRIMRANGE -----------------------------------------------------

/** ROW/COLUMN: the calling cell's number without argument, a vector of numbers for a multi-cell reference. */
function position(args: Value[], ctx: FunctionContext, ofRows: boolean): Value {
  const ref = args[0];
  if (ref === undefined || ref === null) return ofRows ? ctx.caller.row : ctx.caller.col;
  if (isError(ref)) return ref;
  if (!(ref instanceof Reference)) return Errors.VALUE;
  const first = ofRows ? ref.top : ref.left;
  const count = ofRows ? ref.rows : ref.cols;
  if (count === 1) return first;
  const numbers = Array.from({ length: count }, (_, i) => first + i);
  return ofRows ? new Matrix(count, 1, numbers) : new Matrix(1, count, numbers);
}

function dimension(args: Value[], ofRows: boolean): Value {
  const value = args[0];
  if (isError(value)) return value;
  if (value instanceof Reference || value instanceof Matrix) return ofRows ? value.rows : value.cols;
  return value === null || value === undefined ? Errors.VALUE : 1;
}

function areas(args: Value[]): Value {
  const value = args[0];
  if (isError(value)) return value;
  return value instanceof Reference ? 1 : Errors.VALUE;
}

/** The rows (or columns) of `values` left after trimming blank ones at the start and/or end. */
function trimmedSpan(values: Matrix, byRows: boolean, mode: number): Span | undefined {
  const count = byRows ? values.rows : values.cols;
  const blank = (i: number) => {
    const other = byRows ? values.cols : values.rows;
    for (let j = 0; j < other; j++) {
      const cell = byRows ? values.data[i * values.cols + j] : values.data[j * values.cols + i];
      if (cell !== null) return false;
    }
    return true;
  };
  let first = 0;
  let last = count - 1;
  if (mode === 1 || mode === 3) while (first <= last && blank(first)) first++;
  if (mode === 2 || mode === 3) while (last >= first && blank(last)) last--;
  return first > last ? undefined : { first, count: last - first + 1 };
}

function trimrange(args: Value[], ctx: FunctionContext): Value {
  const source = args[0];
  if (isError(source)) return source;
  const rowMode = integerArg(args[1], 3);
  if (isError(rowMode)) return rowMode;
  const colMode = integerArg(args[2], 3);
  if (isError(colMode)) return colMode;
  if (rowMode < 0 || rowMode > 3 || colMode < 0 || colMode > 3) return Errors.VALUE;
  const values = toMatrix(source, ctx);
  if (isError(values)) return values;
  const rows = trimmedSpan(values, true, rowMode);
  const cols = trimmedSpan(values, false, colMode);
  if (!rows || !cols) return Errors.REF;
  if (source instanceof Reference) {
    const top = source.top + rows.first;
    const left = source.left + cols.first;
    return new Reference(
      source.sheet,
      top,
      left,
      top + rows.count - 1,
      left + cols.count - 1,
      source.sheetEnd,
    );
  }
  const data: Scalar[] = [];
  for (let r = rows.first; r < rows.first + rows.count; r++)
    for (let c = cols.first; c < cols.first + cols.count; c++) data.push(values.data[r * values.cols + c]);
  return new Matrix(rows.count, cols.count, data);
}

export const lookupFunctions: FunctionDefinition[] = [
  define('VLOOKUP', 'lookup', 3, 4, ['scalar', 'array', 'scalar', 'scalar'], (a, ctx) =>
    tableLookup(a, ctx, true),
  ),
  define('HLOOKUP', 'lookup', 3, 4, ['scalar', 'array', 'scalar', 'scalar'], (a, ctx) =>
    tableLookup(a, ctx, false),
  ),
  define('LOOKUP', 'lookup', 2, 3, ['scalar', 'array', 'array'], lookup),
  define('MATCH', 'lookup', 2, 3, ['scalar', 'array', 'scalar'], match),
  define('XLOOKUP', 'lookup', 3, 6, ['scalar', 'array', 'array', 'array', 'scalar', 'scalar'], xlookup),
  define('XMATCH', 'lookup', 2, 4, ['scalar', 'array', 'scalar', 'scalar'], xmatch),
  define('INDEX', 'lookup', 1, 4, ['reference', 'scalar', 'scalar', 'scalar'], index),
  define('OFFSET', 'lookup', 3, 5, ['reference', 'scalar', 'scalar', 'scalar', 'scalar'], offset, {
    volatile: true,
  }),
  define('INDIRECT', 'lookup', 1, 2, ['scalar', 'scalar'], indirect, { volatile: true }),
  define('ADDRESS', 'lookup', 2, 5, ['scalar'], address),
  define('ROW', 'lookup', 0, 1, ['reference'], (a, ctx) => position(a, ctx, true)),
  define('COLUMN', 'lookup', 0, 1, ['reference'], (a, ctx) => position(a, ctx, false)),
  define('ROWS', 'lookup', 1, 1, ['reference'], (a) => dimension(a, true)),
  define('COLUMNS', 'lookup', 1, 1, ['reference'], (a) => dimension(a, false)),
  define('AREAS', 'lookup', 1, 1, ['reference'], areas),
  define('TRIMRANGE', 'lookup', 1, 3, ['reference', 'scalar', 'scalar'], trimrange),
];
