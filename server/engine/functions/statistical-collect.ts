/**
 * Gathering the numbers of `array` arguments the way Excel's aggregation functions do.
 * - Cells (a Matrix from a reference) and array constants: numbers count; text, booleans and empty cells
 *   are skipped, except that the *A variants (AVERAGEA, MAXA…) count text as 0 and booleans as 1/0.
 * - A scalar typed in the formula is converted: "3" → 3, TRUE → 1, other text → #VALUE!.
 * - The first error met propagates.
 */
import { parseNumber, toNumber } from '../values/coerce';
import { Errors, ExcelError, Matrix, type Scalar, type Value } from '../values/value';

export type NumbersOrError = number[] | ExcelError;

/** Text and booleans in cells: skipped ('skip'), or counted as 0 and 1/0 ('countAll', the *A functions). */
export type CellTextRule = 'skip' | 'countAll';

export function collectNumbers(args: Value[], rule: CellTextRule = 'skip'): NumbersOrError {
  const out: number[] = [];
  for (const arg of args) {
    const error = addArgument(arg, rule, out);
    if (error) return error;
  }
  return out;
}

function addArgument(arg: Value, rule: CellTextRule, out: number[]): ExcelError | undefined {
  if (arg instanceof Matrix) {
    for (const cell of arg.data) {
      if (typeof cell === 'number') out.push(cell);
      else if (cell instanceof ExcelError) return cell;
      else if (rule === 'countAll' && cell !== null) out.push(typeof cell === 'boolean' ? Number(cell) : 0);
    }
    return undefined;
  }
  if (!isScalar(arg)) return Errors.VALUE;
  const n = toNumber(arg);
  if (n instanceof ExcelError) return n;
  out.push(n);
  return undefined;
}

export function isScalar(value: Value): value is Scalar {
  return value === null || typeof value !== 'object' || value instanceof ExcelError;
}

/**
 * The cells of an array argument as a flat list, keeping their types (for paired data, RANK, FREQUENCY):
 * a scalar typed in the formula becomes a one-element list, converted to a number when it reads as one.
 */
export function cellsOf(arg: Value): Scalar[] | ExcelError {
  if (arg instanceof Matrix) return arg.data;
  if (!isScalar(arg)) return Errors.VALUE;
  if (typeof arg === 'string') return [parseNumber(arg) ?? Errors.VALUE];
  if (typeof arg === 'boolean') return [Number(arg)];
  return [arg];
}

/** Shape of an array argument: rows × cols (1 × 1 for a scalar). */
export function shapeOf(arg: Value): { rows: number; cols: number } {
  return arg instanceof Matrix ? { rows: arg.rows, cols: arg.cols } : { rows: 1, cols: 1 };
}

export interface Pairs {
  x: number[];
  y: number[];
}

/**
 * Two same-sized data sets read pairwise, keeping the pairs where both values are numbers (CORREL, SLOPE,
 * COVARIANCE…). Different sizes give #N/A; an error in either propagates.
 */
export function collectPairs(xArg: Value, yArg: Value): Pairs | ExcelError {
  const xs = cellsOf(xArg);
  if (xs instanceof ExcelError) return xs;
  const ys = cellsOf(yArg);
  if (ys instanceof ExcelError) return ys;
  if (xs.length !== ys.length) return Errors.NA;
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const a = xs[i];
    const b = ys[i];
    if (a instanceof ExcelError) return a;
    if (b instanceof ExcelError) return b;
    if (typeof a === 'number' && typeof b === 'number') {
      x.push(a);
      y.push(b);
    }
  }
  return { x, y };
}

/** A scalar argument as a number, or the error. */
export function numberArg(value: Value): number | ExcelError {
  if (!isScalar(value)) return Errors.VALUE;
  return toNumber(value);
}

/** Several scalar arguments as numbers, or the first error among them. */
export function numberArgs(values: Value[]): number[] | ExcelError {
  const out: number[] = [];
  for (const value of values) {
    const n = numberArg(value);
    if (n instanceof ExcelError) return n;
    out.push(n);
  }
  return out;
}

/** A finite number, or #NUM! for NaN and infinities (functions never return those). */
export function finite(n: number): number | ExcelError {
  return Number.isFinite(n) ? n : Errors.NUM;
}
