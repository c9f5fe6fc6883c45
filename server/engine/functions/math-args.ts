/**
 * Argument handling shared by the math, text, logical, information and engineering functions: turning
 * scalar arguments into numbers, and walking the values of aggregate (`array`) arguments with Excel's rules.
 */
import { toNumber, toText } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Scalar, type Value } from '../values/value';

/** A number, or the error to return instead. */
export type NumberOrError = number | ExcelError;

/** The error Excel gives for NaN or an infinity; finite numbers pass through. */
export function finite(x: NumberOrError): Scalar {
  if (typeof x === 'number' && !Number.isFinite(x)) return Errors.NUM;
  return x;
}

/** A scalar argument as a Scalar (scalar params never see a Matrix, but be defensive). */
export function scalarArg(value: Value | undefined): Scalar {
  if (value === undefined) return null;
  if (value instanceof Matrix) return value.rows > 0 && value.cols > 0 ? value.data[0] : Errors.VALUE;
  if (typeof value === 'object' && value !== null && !isError(value)) return Errors.VALUE;
  return value as Scalar;
}

export function numberArg(value: Value | undefined): NumberOrError {
  return toNumber(scalarArg(value));
}

export function textArg(value: Value | undefined): string | ExcelError {
  return toText(scalarArg(value));
}

/**
 * All arguments as numbers, or the first error. Arguments beyond those given take `defaults[i]`; an empty
 * argument (null) is 0 as in Excel.
 */
export function numberArgs(args: Value[], defaults: (number | undefined)[] = []): number[] | ExcelError {
  const out: number[] = [];
  const count = Math.max(args.length, defaults.length);
  for (let i = 0; i < count; i++) {
    const raw = args[i];
    if (raw === undefined && defaults[i] !== undefined) {
      out.push(defaults[i] as number);
      continue;
    }
    const n = numberArg(raw);
    if (isError(n)) return n;
    out.push(n);
  }
  return out;
}

/**
 * Visits every number an aggregate function (SUM, PRODUCT, GCD…) sees: written scalars are converted
 * (text that is not a number is #VALUE!), while text, booleans and empty cells inside arrays and ranges are
 * skipped. Returns the first error met, in argument order.
 */
export function forEachNumber(args: Value[], visit: (n: number) => void): ExcelError | undefined {
  for (const arg of args) {
    if (arg instanceof Matrix) {
      for (const v of arg.data) {
        if (typeof v === 'number') visit(v);
        else if (isError(v)) return v;
      }
      continue;
    }
    const n = numberArg(arg);
    if (isError(n)) return n;
    visit(n);
  }
  return undefined;
}

/** A number for functions that refuse booleans even from cells (MROUND, QUOTIENT, GCD…). */
export function strictNumber(value: Scalar): NumberOrError {
  return typeof value === 'boolean' ? Errors.VALUE : toNumber(value);
}

/**
 * The operands of GCD, LCM and MULTINOMIAL: every value is converted, text included, and booleans are
 * #VALUE!. An empty single cell is skipped but an empty cell inside a range counts as 0; an omitted
 * argument is #N/A, and nothing at all to work on is #VALUE!.
 */
export function strictOperands(args: Value[]): number[] | ExcelError {
  const out: number[] = [];
  for (const arg of args) {
    if (arg instanceof Matrix) {
      const single = arg.data.length === 1;
      for (const v of arg.data) {
        if (v === null && single) continue;
        const n = strictNumber(v);
        if (isError(n)) return n;
        out.push(n);
      }
      continue;
    }
    const s = scalarArg(arg);
    if (s === null) return Errors.NA;
    const n = strictNumber(s);
    if (isError(n)) return n;
    out.push(n);
  }
  return out.length ? out : Errors.VALUE;
}

/** The numbers of aggregate arguments, or the first error. */
export function collectNumbers(args: Value[]): number[] | ExcelError {
  const out: number[] = [];
  const error = forEachNumber(args, (n) => out.push(n));
  return error ?? out;
}

/** An `array` argument as a Matrix (a written scalar becomes 1×1). */
export function asMatrix(value: Value): Matrix | ExcelError {
  if (value instanceof Matrix) return value;
  const s = scalarArg(value);
  return new Matrix(1, 1, [s]);
}

/** Rounds away binary noise so that 0.1*3 compares as 0.3: Excel works to 15 significant digits. */
export function round15(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(15));
}
