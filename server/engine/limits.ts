/**
 * Bounds on what one model may ask of the engine. A workbook of a few kilobytes can describe billions of
 * cells (SEQUENCE(1E9), A1:XFD1048576) or exponential work (names that use the next name twice); these
 * limits make such a model fail fast with one `model-too-complex` error (or the error value Excel
 * itself gives) instead of exhausting memory or time.
 */
import { MAX_COLUMNS, MAX_ROWS } from '../../shared/formula/references';
import { EngineError } from './errors';

export { MAX_COLUMNS, MAX_ROWS };

/**
 * Elements one array may hold (a function's result or the values of a range): 10 million scalars are
 * about 80 MB, so a few of them alive at once stay well inside a worker's heap.
 */
export const MAX_ARRAY_CELLS = 10_000_000;

/**
 * Cells all array formulas of a workbook may fill together. Lower than MAX_ARRAY_CELLS because every
 * filled cell is indexed on its own (a map entry costs about ten times an array element).
 */
export const MAX_ARRAY_FORMULA_CELLS = 1_000_000;

/** Defined names that refer to names, deepest chain (Excel itself has no such chains in real models). */
export const MAX_NAME_DEPTH = 64;

/** Nested LAMBDA calls (recursive names) before the formula is refused, well inside the JavaScript stack. */
export const MAX_CALL_DEPTH = 500;

/** Whether an array of this shape fits Excel's grid and the memory budget. */
export function arrayFits(rows: number, cols: number): boolean {
  return rows <= MAX_ROWS && cols <= MAX_COLUMNS && rows * cols <= MAX_ARRAY_CELLS;
}

export function tooComplex(message: string, details?: Record<string, unknown>): EngineError {
  return new EngineError('model-too-complex', message, details);
}
