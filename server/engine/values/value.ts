/**
 * Excel values as the engine computes them. Scalars use plain JavaScript values so that the compiled
 * kernel works on numbers without boxing: number, string, boolean, `ExcelError`, and `null` for an empty
 * cell or an omitted argument.
 */
import type { ErrorLiteral } from '../../../shared/formula/ast';

export type ErrorCode = ErrorLiteral;

export class ExcelError {
  private static readonly byCode = new Map<ErrorCode, ExcelError>();

  private constructor(readonly code: ErrorCode) {}

  /** Errors are interned, so `a === b` compares them. */
  static of(code: ErrorCode): ExcelError {
    let error = ExcelError.byCode.get(code);
    if (!error) {
      error = new ExcelError(code);
      ExcelError.byCode.set(code, error);
    }
    return error;
  }

  toString(): string {
    return this.code;
  }
}

export const Errors = {
  NULL: ExcelError.of('#NULL!'),
  DIV0: ExcelError.of('#DIV/0!'),
  VALUE: ExcelError.of('#VALUE!'),
  REF: ExcelError.of('#REF!'),
  NAME: ExcelError.of('#NAME?'),
  NUM: ExcelError.of('#NUM!'),
  NA: ExcelError.of('#N/A'),
  SPILL: ExcelError.of('#SPILL!'),
  CALC: ExcelError.of('#CALC!'),
} as const;

export type Scalar = number | string | boolean | ExcelError | null;

/**
 * A rectangular block of scalars: an array constant, a function's array result, or the values read from
 * a range. `fromReference` tells aggregation functions that the values came from cells (SUM ignores text
 * in cells but converts a text argument written directly).
 */
export class Matrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** Row-major, length rows × cols. */
    readonly data: Scalar[],
    readonly fromReference = false,
    /**
     * Empty cells of the reference left out of `data`: whole rows and columns are cut to the sheet's used
     * area, and functions that count blanks (COUNTBLANK, COUNTIF(x, "")) add these back.
     */
    readonly omittedBlanks = 0,
  ) {}

  static of(rows: Scalar[][], fromReference = false): Matrix {
    const cols = rows.reduce((max, row) => Math.max(max, row.length), 0);
    const data: Scalar[] = [];
    for (const row of rows) for (let c = 0; c < cols; c++) data.push(c < row.length ? row[c] : Errors.NA);
    return new Matrix(rows.length, cols, data, fromReference);
  }

  static filled(rows: number, cols: number, value: Scalar): Matrix {
    return new Matrix(rows, cols, new Array<Scalar>(rows * cols).fill(value));
  }

  get(row: number, col: number): Scalar {
    return this.data[row * this.cols + col];
  }

  /** Rows as nested arrays, for tests and printing. */
  toRows(): Scalar[][] {
    const out: Scalar[][] = [];
    for (let r = 0; r < this.rows; r++) out.push(this.data.slice(r * this.cols, (r + 1) * this.cols));
    return out;
  }

  map(fn: (value: Scalar, row: number, col: number) => Scalar): Matrix {
    const data = new Array<Scalar>(this.data.length);
    for (let r = 0; r < this.rows; r++)
      for (let c = 0; c < this.cols; c++) data[r * this.cols + c] = fn(this.data[r * this.cols + c], r, c);
    return new Matrix(this.rows, this.cols, data);
  }
}

/**
 * Data arrays that their owner rewrites in place (the compiled kernel refills a range's matrix every
 * trial). Caches keyed on a matrix's data (lookup indexes) must skip these.
 */
export const rewrittenMatrixData = new WeakSet<Scalar[]>();

/**
 * A reference to cells, kept unevaluated for functions that need the address itself (ROW, COLUMN,
 * OFFSET, INDEX, ISREF, SHEET…). Rows and columns are 1-based and inclusive.
 */
export class Reference {
  constructor(
    readonly sheet: string,
    readonly top: number,
    readonly left: number,
    readonly bottom: number,
    readonly right: number,
    /** Last sheet of a 3-D reference. */
    readonly sheetEnd?: string,
  ) {}

  get rows(): number {
    return this.bottom - this.top + 1;
  }

  get cols(): number {
    return this.right - this.left + 1;
  }

  get isSingleCell(): boolean {
    return this.top === this.bottom && this.left === this.right && this.sheetEnd === undefined;
  }
}

/** A LAMBDA value: callable with already evaluated arguments. */
export class Lambda {
  constructor(
    readonly arity: number,
    readonly call: (args: Value[]) => Value,
  ) {}
}

export type Value = Scalar | Matrix | Reference | Lambda;

export function isError(value: unknown): value is ExcelError {
  return value instanceof ExcelError;
}
