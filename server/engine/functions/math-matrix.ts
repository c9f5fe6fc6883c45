/** Matrix algebra for MMULT, MDETERM, MINVERSE and MUNIT. Any non-number cell is #VALUE!, as in Excel. */
import { Errors, type ExcelError, isError, Matrix, type Value } from '../values/value';
import { asMatrix, round15 } from './math-args';

type Grid = number[][];

/** The argument as rows of numbers; text, booleans, blanks and errors make it #VALUE!. */
export function numericGrid(value: Value): Grid | ExcelError {
  const matrix = asMatrix(value);
  if (isError(matrix)) return matrix;
  const error = matrix.data.find(isError);
  if (error) return error;
  const rows: Grid = [];
  for (let r = 0; r < matrix.rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < matrix.cols; c++) {
      const v = matrix.get(r, c);
      if (typeof v !== 'number') return Errors.VALUE;
      row.push(v);
    }
    rows.push(row);
  }
  return rows;
}

export function toMatrix(grid: Grid): Matrix {
  return Matrix.of(grid);
}

export function multiply(a: Grid, b: Grid): Grid | ExcelError {
  if (a[0].length !== b.length) return Errors.VALUE;
  return a.map((row) => b[0].map((_, c) => row.reduce((sum, x, k) => sum + x * b[k][c], 0)));
}

/** LU decomposition with partial pivoting; undefined when singular. */
function decompose(grid: Grid): { lu: Grid; perm: number[]; sign: number } | undefined {
  const n = grid.length;
  const lu = grid.map((row) => row.slice());
  const perm = lu.map((_, i) => i);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i][k]) > Math.abs(lu[pivot][k])) pivot = i;
    if (lu[pivot][k] === 0) return undefined;
    if (pivot !== k) {
      [lu[k], lu[pivot]] = [lu[pivot], lu[k]];
      [perm[k], perm[pivot]] = [perm[pivot], perm[k]];
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i][k] /= lu[k][k]);
      for (let j = k + 1; j < n; j++) lu[i][j] -= f * lu[k][j];
    }
  }
  return { lu, perm, sign };
}

export function determinant(grid: Grid): number | ExcelError {
  if (grid.length === 0 || grid.length !== grid[0].length) return Errors.VALUE;
  const d = decompose(grid);
  if (!d) return 0;
  let det = d.sign;
  for (let i = 0; i < grid.length; i++) det *= d.lu[i][i];
  return round15(det);
}

export function inverse(grid: Grid): Grid | ExcelError {
  const n = grid.length;
  if (n === 0 || n !== grid[0].length) return Errors.VALUE;
  const d = decompose(grid);
  if (!d) return Errors.NUM;
  const { lu, perm } = d;
  const result: Grid = grid.map(() => new Array<number>(n).fill(0));
  for (let col = 0; col < n; col++) {
    // Solve L·U·x = P·e_col by forward then back substitution.
    const x = perm.map((p) => (p === col ? 1 : 0));
    for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) x[i] -= lu[i][k] * x[k];
    for (let i = n - 1; i >= 0; i--) {
      for (let k = i + 1; k < n; k++) x[i] -= lu[i][k] * x[k];
      x[i] /= lu[i][i];
    }
    for (let i = 0; i < n; i++) result[i][col] = x[i];
  }
  return result;
}

export function identity(size: number): Matrix | ExcelError {
  size = Math.trunc(size);
  if (size < 1) return Errors.VALUE;
  const data = new Array<number>(size * size).fill(0);
  for (let i = 0; i < size; i++) data[i * size + i] = 1;
  return new Matrix(size, size, data);
}
