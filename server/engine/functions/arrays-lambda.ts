/**
 * The LAMBDA helpers: MAP, REDUCE, SCAN, BYROW, BYCOL and MAKEARRAY call a Lambda per element, row or
 * column and gather the results.
 */

import { arrayFits } from '../limits';
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
import { integerArg, toMatrix } from './arrays-values';
import { define, type FunctionContext, type FunctionDefinition } from './types';

function lambdaArg(value: Value | undefined, arity: number): Lambda | ExcelError {
  if (isError(value)) return value;
  if (!(value instanceof Lambda) || value.arity !== arity) return Errors.VALUE;
  return value;
}

/** One cell of a helper's result: a lambda that answers an array where a single value belongs is #CALC!. */
function cellOf(result: Value, ctx: FunctionContext): Scalar {
  const values = result instanceof Reference ? ctx.values(result) : result;
  if (values instanceof Matrix) return values.rows === 1 && values.cols === 1 ? values.data[0] : Errors.CALC;
  return values instanceof Lambda ? Errors.CALC : values;
}

function map(args: Value[], ctx: FunctionContext): Value {
  const fn = lambdaArg(args[args.length - 1], args.length - 1);
  if (isError(fn)) return fn;
  const arrays: Matrix[] = [];
  for (const arg of args.slice(0, -1)) {
    const m = toMatrix(arg, ctx);
    if (isError(m)) return m;
    arrays.push(m);
  }
  const rows = Math.max(...arrays.map((m) => m.rows));
  const cols = Math.max(...arrays.map((m) => m.cols));
  // A 1×1 argument is repeated; a smaller one leaves #N/A where it has no element.
  const element = (m: Matrix, r: number, c: number): Scalar => {
    if (m.rows === 1 && m.cols === 1) return m.data[0];
    return r < m.rows && c < m.cols ? m.data[r * m.cols + c] : Errors.NA;
  };
  const data: Scalar[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) data.push(cellOf(fn.call(arrays.map((m) => element(m, r, c))), ctx));
  return new Matrix(rows, cols, data);
}

/** REDUCE/SCAN's starting value: an omitted one is blank, a single cell its value. */
function initialValue(value: Value | undefined): Value {
  if (value === undefined) return null;
  return value instanceof Matrix && value.rows === 1 && value.cols === 1 ? value.data[0] : value;
}

function accumulate(args: Value[], ctx: FunctionContext, keepSteps: boolean): Value {
  const fn = lambdaArg(args[2], 2);
  if (isError(fn)) return fn;
  const array = toMatrix(args[1], ctx);
  if (isError(array)) return array;
  let acc = initialValue(args[0]);
  const steps: Scalar[] = [];
  for (const value of array.data) {
    acc = fn.call([acc, value]);
    if (keepSteps) steps.push(cellOf(acc, ctx));
  }
  return keepSteps ? new Matrix(array.rows, array.cols, steps) : acc;
}

function byLine(args: Value[], ctx: FunctionContext, byRows: boolean): Value {
  const fn = lambdaArg(args[1], 1);
  if (isError(fn)) return fn;
  const array = toMatrix(args[0], ctx);
  if (isError(array)) return array;
  const results: Scalar[] = [];
  if (byRows) {
    for (let r = 0; r < array.rows; r++) {
      const row = new Matrix(1, array.cols, array.data.slice(r * array.cols, (r + 1) * array.cols));
      results.push(cellOf(fn.call([row]), ctx));
    }
    return new Matrix(array.rows, 1, results);
  }
  for (let c = 0; c < array.cols; c++) {
    const column: Scalar[] = [];
    for (let r = 0; r < array.rows; r++) column.push(array.data[r * array.cols + c]);
    results.push(cellOf(fn.call([new Matrix(array.rows, 1, column)]), ctx));
  }
  return new Matrix(1, array.cols, results);
}

function makearray(args: Value[], ctx: FunctionContext): Value {
  const rows = integerArg(args[0], 0);
  if (isError(rows)) return rows;
  const cols = integerArg(args[1], 0);
  if (isError(cols)) return cols;
  const fn = lambdaArg(args[2], 2);
  if (isError(fn)) return fn;
  if (rows < 1 || cols < 1) return Errors.VALUE;
  if (!arrayFits(rows, cols)) return Errors.NUM;
  const data: Scalar[] = [];
  for (let r = 1; r <= rows; r++) for (let c = 1; c <= cols; c++) data.push(cellOf(fn.call([r, c]), ctx));
  return new Matrix(rows, cols, data);
}

export const lambdaHelperFunctions: FunctionDefinition[] = [
  define('MAP', 'logical', 2, Infinity, ['array', 'lambda'], map),
  define('REDUCE', 'logical', 3, 3, ['array', 'array', 'lambda'], (a, ctx) => accumulate(a, ctx, false)),
  define('SCAN', 'logical', 3, 3, ['array', 'array', 'lambda'], (a, ctx) => accumulate(a, ctx, true)),
  define('BYROW', 'logical', 2, 2, ['array', 'lambda'], (a, ctx) => byLine(a, ctx, true)),
  define('BYCOL', 'logical', 2, 2, ['array', 'lambda'], (a, ctx) => byLine(a, ctx, false)),
  define('MAKEARRAY', 'logical', 3, 3, ['scalar', 'scalar', 'lambda'], makearray),
];
