/**
 * Excel's element-wise evaluation of scalar operations over arrays: the result has the largest height
 * and width of the arguments; an argument one row high (or one column wide) is repeated, and positions
 * beyond an argument's size are #N/A.
 */
import { arrayFits } from '../limits';
import { Errors, Matrix, type Scalar } from '../values/value';

function elementAt(value: Scalar | Matrix, row: number, col: number): Scalar {
  if (!(value instanceof Matrix)) return value;
  const r = value.rows === 1 ? 0 : row;
  const c = value.cols === 1 ? 0 : col;
  if (r >= value.rows || c >= value.cols) return Errors.NA;
  return value.data[r * value.cols + c];
}

export function liftN(args: (Scalar | Matrix)[], fn: (values: Scalar[]) => Scalar): Scalar | Matrix {
  let rows = 0;
  let cols = 0;
  let anyMatrix = false;
  for (const a of args)
    if (a instanceof Matrix) {
      anyMatrix = true;
      rows = Math.max(rows, a.rows);
      cols = Math.max(cols, a.cols);
    }
  if (!anyMatrix) return fn(args as Scalar[]);
  // A row times a column makes rows × columns elements: two small arrays can ask for billions.
  if (!arrayFits(rows, cols)) return Errors.NUM;
  const data = new Array<Scalar>(rows * cols);
  const scratch = new Array<Scalar>(args.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < args.length; i++) scratch[i] = elementAt(args[i], r, c);
      data[r * cols + c] = fn(scratch);
    }
  return new Matrix(rows, cols, data);
}

export function lift2(
  left: Scalar | Matrix,
  right: Scalar | Matrix,
  fn: (a: Scalar, b: Scalar) => Scalar,
): Scalar | Matrix {
  if (!(left instanceof Matrix) && !(right instanceof Matrix)) return fn(left, right);
  return liftN([left, right], (v) => fn(v[0], v[1]));
}

export function lift1(value: Scalar | Matrix, fn: (a: Scalar) => Scalar): Scalar | Matrix {
  return value instanceof Matrix ? value.map((v) => fn(v)) : fn(value);
}
