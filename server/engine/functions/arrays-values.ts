/**
 * Argument helpers shared by the lookup and array functions.
 */
import { toBoolean, toNumber } from '../values/coerce';
import {
  Errors,
  type ExcelError,
  isError,
  Lambda,
  Matrix,
  Reference,
  type Scalar,
  type Value,
} from '../values/value';
import type { FunctionContext } from './types';

/** An `array`-kind argument (or a reference) as a matrix; a scalar becomes a 1×1 matrix. */
export function toMatrix(value: Value, ctx: FunctionContext): Matrix | ExcelError {
  if (value instanceof Matrix) return value;
  if (value instanceof Reference) return ctx.values(value);
  if (value instanceof Lambda) return Errors.VALUE;
  if (isError(value)) return value;
  return new Matrix(1, 1, [value]);
}

/** A scalar argument; an array reaching a scalar slot contributes its first element. */
export function scalarArg(value: Value | undefined): Scalar {
  if (value === undefined) return null;
  if (value instanceof Matrix) return value.rows > 0 && value.cols > 0 ? value.data[0] : Errors.VALUE;
  if (value instanceof Reference || value instanceof Lambda) return Errors.VALUE;
  return value;
}

/** A truncated integer argument; `fallback` when the argument is omitted. */
export function integerArg(value: Value | undefined, fallback: number): number | ExcelError {
  const scalar = scalarArg(value);
  if (scalar === null) return fallback;
  const n = toNumber(scalar);
  return isError(n) ? n : Math.trunc(n);
}

/** A number argument; `fallback` when omitted. */
export function numberArg(value: Value | undefined, fallback: number): number | ExcelError {
  const scalar = scalarArg(value);
  return scalar === null ? fallback : toNumber(scalar);
}

export function booleanArg(value: Value | undefined, fallback: boolean): boolean | ExcelError {
  const scalar = scalarArg(value);
  return scalar === null ? fallback : toBoolean(scalar);
}

/** A result matrix, or its only element when it is 1×1. */
export function simplify(matrix: Matrix): Matrix | Scalar {
  return matrix.rows === 1 && matrix.cols === 1 ? matrix.data[0] : matrix;
}

/** The matrix of the given rows (by index) and all columns. */
export function pickRows(source: Matrix, rows: readonly number[]): Matrix {
  const data: Scalar[] = [];
  for (const r of rows) for (let c = 0; c < source.cols; c++) data.push(source.data[r * source.cols + c]);
  return new Matrix(rows.length, source.cols, data);
}

export function transpose(source: Matrix): Matrix {
  const data = new Array<Scalar>(source.data.length);
  for (let r = 0; r < source.rows; r++)
    for (let c = 0; c < source.cols; c++) data[c * source.rows + r] = source.data[r * source.cols + c];
  return new Matrix(source.cols, source.rows, data);
}

export function isVector(matrix: Matrix): boolean {
  return matrix.rows === 1 || matrix.cols === 1;
}
