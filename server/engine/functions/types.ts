/**
 * The contract between the function library and the evaluators (the scalar interpreter and the compiled
 * kernel). Functions are pure: everything they need from outside comes through `FunctionContext`.
 */
import type { Matrix, Reference, Scalar, Value } from '../values/value';

export type FunctionCategory =
  | 'math'
  | 'statistical'
  | 'lookup'
  | 'logical'
  | 'text'
  | 'information'
  | 'engineering'
  | 'financial'
  | 'date'
  | 'database'
  | 'random';

/**
 * How an argument reaches the implementation.
 * - `scalar`: a Scalar. When the formula passes an array the evaluator calls the function once per element
 *   and builds an array of the results, so the implementation never sees a Matrix here.
 * - `array`: a Scalar when the argument was a scalar written in the formula, otherwise a Matrix (an array,
 *   or the values of a reference with `fromReference` set, a single cell included).
 * - `reference`: a Reference when the argument is one; otherwise whatever it evaluated to.
 * - `lambda`: a Lambda (or whatever the argument evaluated to, to be rejected by the function).
 */
export type ParamKind = 'scalar' | 'array' | 'reference' | 'lambda';

export interface CellPosition {
  sheet: string;
  row: number;
  col: number;
}

export interface FunctionContext {
  /** The cell whose formula is being evaluated. */
  readonly caller: CellPosition;
  /** The values of a reference (empty cells are null). */
  values(ref: Reference): Matrix;
  /** True when the referenced cell holds a formula (ISFORMULA), and its text (FORMULATEXT). */
  formulaText(ref: Reference): string | undefined;
  /** Sheet names in workbook order (SHEET, SHEETS). */
  readonly sheetNames: readonly string[];
  /** A uniform draw in [0, 1) for RAND and friends; deterministic per trial in a simulation. */
  random(): number;
  /** Excel serial date-time of "now" (NOW, TODAY). */
  now(): number;
}

export interface FunctionDefinition {
  /** Upper-case Excel name without prefixes: `SUM`, `NORM.INV`. */
  name: string;
  category: FunctionCategory;
  minArgs: number;
  /** `Infinity` for variadic functions. */
  maxArgs: number;
  /** Kind of each parameter; the last entry applies to any further arguments. */
  params: ParamKind[];
  /** Recomputed every trial even without random precedents (RAND, NOW). */
  volatile?: boolean;
  impl: (args: Value[], ctx: FunctionContext) => Value;
}

export type FunctionImpl = FunctionDefinition['impl'];

/** Shorthand used by the category modules. */
export function define(
  name: string,
  category: FunctionCategory,
  minArgs: number,
  maxArgs: number,
  params: ParamKind[],
  impl: FunctionImpl,
  options: { volatile?: boolean } = {},
): FunctionDefinition {
  return { name, category, minArgs, maxArgs, params, impl, ...options };
}

export type { Scalar };
