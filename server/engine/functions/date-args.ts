/**
 * Argument conversions shared by the date and financial functions: numbers with defaults for omitted
 * arguments, serial dates validated and truncated as Excel does, and results that never leak NaN.
 */
import { toNumber } from '../values/coerce';
import { MAX_SERIAL } from '../values/dates';
import { Errors, type ExcelError, isError, Matrix, type Value } from '../values/value';
import type { FunctionImpl } from './types';

/**
 * The number a scalar argument stands for, `fallback` when it is omitted at the end of the call. An empty
 * argument or empty cell is 0, as in Excel (DDB(…, C1) with C1 empty uses factor 0, not 2).
 */
export function numberArg(value: Value | undefined, fallback = 0): number | ExcelError {
  if (value === undefined) return fallback;
  if (value === null) return 0;
  if (value instanceof Matrix) return value.rows * value.cols === 1 ? toNumber(value.data[0]) : Errors.VALUE;
  if (typeof value === 'object' && !isError(value)) return Errors.VALUE;
  return toNumber(value);
}

/**
 * Numbers of all arguments in order; `defaults[i]` stands in for argument i when the call has fewer.
 * Returns the first error met instead.
 */
export function numberArgs(
  args: Value[],
  defaults: readonly number[],
  rejectBooleans = false,
): number[] | ExcelError {
  const out = new Array<number>(defaults.length);
  for (let i = 0; i < defaults.length; i++) {
    if (rejectBooleans && typeof args[i] === 'boolean') return Errors.VALUE;
    const n = numberArg(args[i], defaults[i]);
    if (typeof n !== 'number') return n;
    out[i] = n;
  }
  return out;
}

/** #NUM! instead of NaN or ±Infinity. */
export function finite(result: number | ExcelError): number | ExcelError {
  return typeof result === 'number' && !Number.isFinite(result) ? Errors.NUM : result;
}

/** An implementation over numeric arguments (omitted ones replaced by `defaults`), with a finite result. */
export function numeric(defaults: readonly number[], fn: (x: number[]) => number | ExcelError): FunctionImpl {
  return (args) => {
    const x = numberArgs(args, defaults);
    return isError(x) ? x : finite(fn(x));
  };
}

/**
 * Like `numeric`, for the functions that came from the Analysis ToolPak (EDATE, COUPNUM, PRICE…): they
 * reject booleans with #VALUE! instead of reading them as 1 and 0.
 */
export function numericStrict(
  defaults: readonly number[],
  fn: (x: number[]) => number | ExcelError,
): FunctionImpl {
  return (args) => {
    const x = numberArgs(args, defaults, true);
    return isError(x) ? x : finite(fn(x));
  };
}

/** A date argument: a serial day in Excel's range, its time of day dropped; #NUM! outside the range. */
export function serialDay(serial: number): number | ExcelError {
  if (serial < 0 || serial >= MAX_SERIAL + 1) return Errors.NUM;
  return Math.floor(serial);
}

/** Several date arguments as serial days; the first error otherwise. */
export function serialDays(values: readonly number[]): number[] | ExcelError {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const d = serialDay(values[i]);
    if (typeof d !== 'number') return d;
    out[i] = d;
  }
  return out;
}
