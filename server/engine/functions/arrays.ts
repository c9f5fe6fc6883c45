/**
 * Dynamic-array functions: reshaping (TRANSPOSE, TOCOL, TOROW, WRAPCOLS, WRAPROWS, HSTACK, VSTACK, EXPAND),
 * slicing (TAKE, DROP, CHOOSECOLS, CHOOSEROWS), selecting (FILTER, UNIQUE), ordering (SORT, SORTBY),
 * SEQUENCE, and the LAMBDA helpers.
 */
import { arrayFits } from '../limits';
import { toNumber } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Scalar, type Value } from '../values/value';
import { lambdaHelperFunctions } from './arrays-lambda';
import { compareForSort, sameValue } from './arrays-order';
import { booleanArg, integerArg, numberArg, pickRows, scalarArg, toMatrix, transpose } from './arrays-values';
import { define, type FunctionContext, type FunctionDefinition } from './types';

type Result = Matrix | ExcelError;

/** Runs `fn` on the matrix of the first argument, propagating its error. */
function onMatrix(fn: (m: Matrix, args: Value[], ctx: FunctionContext) => Value) {
  return (args: Value[], ctx: FunctionContext): Value => {
    const m = toMatrix(args[0], ctx);
    return isError(m) ? m : fn(m, args, ctx);
  };
}

/** Works on columns by transposing around a function written for rows. */
function alongColumns(m: Matrix, fn: (rows: Matrix) => Result): Result {
  const result = fn(transpose(m));
  return isError(result) ? result : transpose(result);
}

/** An array with no element is Excel's #CALC! (an empty array cannot spill). */
function nonEmpty(rows: number, cols: number, data: Scalar[]): Result {
  return rows === 0 || cols === 0 ? Errors.CALC : new Matrix(rows, cols, data);
}

// --- Reshaping ----------------------------------------------------------------------------------------

function flatten(m: Matrix, args: Value[]): Result {
  const ignore = integerArg(args[1], 0);
  if (isError(ignore)) return ignore;
  const byColumn = booleanArg(args[2], false);
  if (isError(byColumn)) return byColumn;
  if (ignore < 0 || ignore > 3) return Errors.VALUE;
  const source = byColumn ? transpose(m) : m;
  const skipBlanks = ignore === 1 || ignore === 3;
  const skipErrors = ignore === 2 || ignore === 3;
  const kept = source.data.filter((v) => !(skipBlanks && v === null) && !(skipErrors && isError(v)));
  return nonEmpty(kept.length, 1, kept);
}

function wrap(m: Matrix, args: Value[], intoColumns: boolean): Result {
  const count = integerArg(args[1], 0);
  if (isError(count)) return count;
  const pad = args[2] === undefined ? Errors.NA : scalarArg(args[2]);
  if (m.rows !== 1 && m.cols !== 1) return Errors.VALUE;
  if (count < 1) return Errors.NUM;
  const lines = Math.ceil(m.data.length / count);
  const data = new Array<Scalar>(lines * count).fill(pad);
  for (let i = 0; i < m.data.length; i++) data[i] = m.data[i];
  const rows = new Matrix(lines, count, data);
  return intoColumns ? transpose(rows) : rows;
}

/** Stacks arrays vertically, padding narrower ones with #N/A. */
function stackRows(parts: Matrix[]): Matrix {
  const cols = Math.max(...parts.map((p) => p.cols));
  const data: Scalar[] = [];
  for (const p of parts)
    for (let r = 0; r < p.rows; r++)
      for (let c = 0; c < cols; c++) data.push(c < p.cols ? p.data[r * p.cols + c] : Errors.NA);
  return new Matrix(
    parts.reduce((n, p) => n + p.rows, 0),
    cols,
    data,
  );
}

function stack(args: Value[], ctx: FunctionContext, vertical: boolean): Value {
  const parts: Matrix[] = [];
  for (const arg of args) {
    const m = toMatrix(arg, ctx);
    if (isError(m)) return m;
    parts.push(vertical ? m : transpose(m));
  }
  const stacked = stackRows(parts);
  return vertical ? stacked : transpose(stacked);
}

function expand(m: Matrix, args: Value[]): Result {
  const rows = integerArg(args[1], m.rows);
  if (isError(rows)) return rows;
  const cols = integerArg(args[2], m.cols);
  if (isError(cols)) return cols;
  const pad = args[3] === undefined ? Errors.NA : scalarArg(args[3]);
  if (rows < m.rows || cols < m.cols) return Errors.VALUE;
  const data = new Array<Scalar>(rows * cols).fill(pad);
  for (let r = 0; r < m.rows; r++)
    for (let c = 0; c < m.cols; c++) data[r * cols + c] = m.data[r * m.cols + c];
  return new Matrix(rows, cols, data);
}

// --- Slicing ------------------------------------------------------------------------------------------

/** Indices kept by TAKE, or left by DROP, of `count` items out of `size`; a negative count works from the end. */
function sliceIndices(size: number, count: number, take: boolean): number[] {
  const n = Math.min(Math.abs(count), size);
  let first: number;
  let end: number;
  if (take) [first, end] = count >= 0 ? [0, n] : [size - n, size];
  else [first, end] = count >= 0 ? [n, size] : [0, size - n];
  return Array.from({ length: end - first }, (_, i) => first + i);
}

function takeOrDrop(m: Matrix, args: Value[], take: boolean): Result {
  const rows = integerArg(args[1], take ? m.rows : 0);
  if (isError(rows)) return rows;
  const cols = integerArg(args[2], take ? m.cols : 0);
  if (isError(cols)) return cols;
  const byRows = pickRows(m, sliceIndices(m.rows, rows, take));
  if (byRows.rows === 0) return Errors.CALC;
  const result = alongColumns(byRows, (t) => pickRows(t, sliceIndices(t.rows, cols, take)));
  return isError(result) || result.cols > 0 ? result : Errors.CALC;
}

/** CHOOSEROWS's row numbers: 1-based, negative from the end, given as scalars or arrays. */
function chosenIndices(args: Value[], size: number, ctx: FunctionContext): number[] | ExcelError {
  const indices: number[] = [];
  for (const arg of args) {
    const m = toMatrix(arg, ctx);
    if (isError(m)) return m;
    for (const v of m.data) {
      const n = toNumber(v);
      if (isError(n)) return n;
      const k = Math.trunc(n);
      if (k === 0 || Math.abs(k) > size) return Errors.VALUE;
      indices.push(k > 0 ? k - 1 : size + k);
    }
  }
  return indices;
}

function chooseRows(m: Matrix, args: Value[], ctx: FunctionContext): Result {
  const indices = chosenIndices(args.slice(1), m.rows, ctx);
  return isError(indices) ? indices : pickRows(m, indices);
}

// --- FILTER, UNIQUE -----------------------------------------------------------------------------------

function includes(value: Scalar): boolean | ExcelError {
  if (isError(value)) return value;
  if (typeof value === 'string') return Errors.VALUE;
  return value === null ? false : value !== 0 && value !== false;
}

function filter(m: Matrix, args: Value[], ctx: FunctionContext): Value {
  const include = toMatrix(args[1], ctx);
  if (isError(include)) return include;
  const byRows = include.cols === 1 && include.rows === m.rows;
  if (!byRows && !(include.rows === 1 && include.cols === m.cols)) return Errors.VALUE;
  const kept: number[] = [];
  for (let i = 0; i < include.data.length; i++) {
    const keep = includes(include.data[i]);
    if (isError(keep)) return keep;
    if (keep) kept.push(i);
  }
  if (kept.length === 0) return args[2] === undefined || args[2] === null ? Errors.CALC : args[2];
  return byRows ? pickRows(m, kept) : alongColumns(m, (t) => pickRows(t, kept));
}

function sameRow(m: Matrix, a: number, b: number): boolean {
  for (let c = 0; c < m.cols; c++)
    if (!sameValue(m.data[a * m.cols + c], m.data[b * m.cols + c])) return false;
  return true;
}

function uniqueRows(m: Matrix, exactlyOnce: boolean): Result {
  const firsts: number[] = [];
  const counts: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    const seen = firsts.findIndex((f) => sameRow(m, f, r));
    if (seen < 0) {
      firsts.push(r);
      counts.push(1);
    } else counts[seen]++;
  }
  const kept = exactlyOnce ? firsts.filter((_, i) => counts[i] === 1) : firsts;
  return kept.length === 0 ? Errors.CALC : pickRows(m, kept);
}

function unique(m: Matrix, args: Value[]): Result {
  const byColumn = booleanArg(args[1], false);
  if (isError(byColumn)) return byColumn;
  const exactlyOnce = booleanArg(args[2], false);
  if (isError(exactlyOnce)) return exactlyOnce;
  return byColumn ? alongColumns(m, (t) => uniqueRows(t, exactlyOnce)) : uniqueRows(m, exactlyOnce);
}

// --- SORT, SORTBY -------------------------------------------------------------------------------------

interface SortKey {
  values: (row: number) => Scalar;
  order: number;
}

/** Row order under the keys, stable for ties. */
function sortedRows(rows: number, keys: SortKey[]): number[] {
  const order = Array.from({ length: rows }, (_, i) => i);
  return order.sort((a, b) => {
    for (const key of keys) {
      const c = compareForSort(key.values(a), key.values(b), key.order);
      if (c !== 0) return c;
    }
    return a - b;
  });
}

function flatNumbers(
  value: Value | undefined,
  fallback: number,
  ctx: FunctionContext,
): number[] | ExcelError {
  if (value === undefined || value === null) return [fallback];
  const m = toMatrix(value, ctx);
  if (isError(m)) return m;
  const out: number[] = [];
  for (const v of m.data) {
    const n = toNumber(v);
    if (isError(n)) return n;
    out.push(Math.trunc(n));
  }
  return out;
}

function sortOrder(n: number): number | ExcelError {
  return n === 1 || n === -1 ? n : Errors.VALUE;
}

function sortRowsBy(m: Matrix, indices: number[], orders: number[]): Result {
  const keys: SortKey[] = [];
  for (let i = 0; i < Math.max(indices.length, orders.length); i++) {
    const col = indices[Math.min(i, indices.length - 1)];
    const order = sortOrder(orders[Math.min(i, orders.length - 1)]);
    if (isError(order)) return order;
    if (col < 1 || col > m.cols) return Errors.VALUE;
    keys.push({ values: (r) => m.data[r * m.cols + col - 1], order });
  }
  return pickRows(m, sortedRows(m.rows, keys));
}

function sort(m: Matrix, args: Value[], ctx: FunctionContext): Result {
  const indices = flatNumbers(args[1], 1, ctx);
  if (isError(indices)) return indices;
  const orders = flatNumbers(args[2], 1, ctx);
  if (isError(orders)) return orders;
  const byColumn = booleanArg(args[3], false);
  if (isError(byColumn)) return byColumn;
  const run = (rows: Matrix) => sortRowsBy(rows, indices, orders);
  return byColumn ? alongColumns(m, run) : run(m);
}

function sortby(m: Matrix, args: Value[], ctx: FunctionContext): Result {
  const keys: SortKey[] = [];
  let byColumns: boolean | undefined;
  for (let i = 1; i < args.length; i += 2) {
    const by = toMatrix(args[i], ctx);
    if (isError(by)) return by;
    const order = integerArg(args[i + 1], 1);
    if (isError(order)) return order;
    const checked = sortOrder(order);
    if (isError(checked)) return checked;
    const columns = by.rows === 1 && by.cols === m.cols && !(by.cols === 1 && m.rows === 1 && m.cols === 1);
    const rows = by.cols === 1 && by.rows === m.rows;
    const asColumns = rows ? false : columns ? true : undefined;
    if (asColumns === undefined || (byColumns !== undefined && byColumns !== asColumns)) return Errors.VALUE;
    byColumns = asColumns;
    keys.push({ values: (k) => by.data[k], order: checked });
  }
  if (byColumns) return alongColumns(m, (t) => pickRows(t, sortedRows(t.rows, keys)));
  return pickRows(m, sortedRows(m.rows, keys));
}

// --- SEQUENCE -----------------------------------------------------------------------------------------

function sequence(args: Value[]): Value {
  const rows = integerArg(args[0], 1);
  if (isError(rows)) return rows;
  const cols = integerArg(args[1], 1);
  if (isError(cols)) return cols;
  const start = numberArg(args[2], 1);
  if (isError(start)) return start;
  const step = numberArg(args[3], 1);
  if (isError(step)) return step;
  if (rows < 0 || cols < 0) return Errors.VALUE;
  if (!arrayFits(rows, cols)) return Errors.NUM;
  // Excel accumulates the step (10, 12.2, 14.399999999999999…) rather than multiplying it.
  const data: number[] = [];
  for (let i = 0, value = start; i < rows * cols; i++, value += step) data.push(value);
  return nonEmpty(rows, cols, data);
}

export const arraysFunctions: FunctionDefinition[] = [
  define('TRANSPOSE', 'lookup', 1, 1, ['array'], onMatrix(transpose)),
  define('TOCOL', 'lookup', 1, 3, ['array', 'scalar', 'scalar'], onMatrix(flatten)),
  define(
    'TOROW',
    'lookup',
    1,
    3,
    ['array', 'scalar', 'scalar'],
    onMatrix((m, a) => {
      const column = flatten(m, a);
      return isError(column) ? column : transpose(column);
    }),
  ),
  define(
    'WRAPCOLS',
    'lookup',
    2,
    3,
    ['array', 'scalar', 'scalar'],
    onMatrix((m, a) => wrap(m, a, true)),
  ),
  define(
    'WRAPROWS',
    'lookup',
    2,
    3,
    ['array', 'scalar', 'scalar'],
    onMatrix((m, a) => wrap(m, a, false)),
  ),
  define('HSTACK', 'lookup', 1, Infinity, ['array'], (a, ctx) => stack(a, ctx, false)),
  define('VSTACK', 'lookup', 1, Infinity, ['array'], (a, ctx) => stack(a, ctx, true)),
  define('EXPAND', 'lookup', 2, 4, ['array', 'scalar', 'scalar', 'scalar'], onMatrix(expand)),
  define(
    'TAKE',
    'lookup',
    2,
    3,
    ['array', 'scalar', 'scalar'],
    onMatrix((m, a) => takeOrDrop(m, a, true)),
  ),
  define(
    'DROP',
    'lookup',
    2,
    3,
    ['array', 'scalar', 'scalar'],
    onMatrix((m, a) => takeOrDrop(m, a, false)),
  ),
  define('CHOOSEROWS', 'lookup', 2, Infinity, ['array'], onMatrix(chooseRows)),
  define(
    'CHOOSECOLS',
    'lookup',
    2,
    Infinity,
    ['array'],
    onMatrix((m, a, ctx) => alongColumns(m, (t) => chooseRows(t, a, ctx))),
  ),
  define('FILTER', 'lookup', 2, 3, ['array', 'array', 'array'], onMatrix(filter)),
  define('UNIQUE', 'lookup', 1, 3, ['array', 'scalar', 'scalar'], onMatrix(unique)),
  define('SORT', 'lookup', 1, 4, ['array', 'array', 'array', 'scalar'], onMatrix(sort)),
  define('SORTBY', 'lookup', 2, Infinity, ['array'], onMatrix(sortby)),
  define('SEQUENCE', 'math', 0, 4, ['scalar'], sequence),
  ...lambdaHelperFunctions,
];
