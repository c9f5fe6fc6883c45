/**
 * Which parts of a program are plain numbers in every trial, so the CPU backend can compute them with
 * JavaScript arithmetic instead of Excel's general value operators.
 *
 * The convention of that fast form: a cell known to be a number is a double, and a non-finite double
 * (NaN, ±Infinity) stands for "some Excel error". Excel has no infinities or NaNs, and every way a
 * formula on numbers can fail (÷0, overflow, a domain error) gives one in IEEE arithmetic, so "is an
 * error" is exact; which error it was is not kept, and a trial whose output (or a general-form cell)
 * meets one is recomputed by the general form. Operations that could turn a non-finite operand back
 * into a finite result (x / ∞, comparisons, MIN) are generated so they give NaN instead.
 */
import type { Expr, Program } from '../../compile/ir';
import { Matrix } from '../../values/value';

/** Functions the fast form computes itself, with Excel's semantics on numbers. */
export const NUMERIC_FUNCTIONS = new Set([
  'SUM',
  'MIN',
  'MAX',
  'ABS',
  'SQRT',
  'EXP',
  'LN',
  'NPV',
  'IRR',
  'PV',
  'ROUND',
  'ROUNDUP',
  'ROUNDDOWN',
]);

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const ARITHMETIC = new Set(['add', 'sub', 'mul', 'div', 'pow']);

/** Ranges of more constants than this stay in the general form (their numbers would be inlined). */
const MAX_INLINE_RANGE = 256;

/** One number of a range or array argument: a constant, or a numeric random cell. */
export type RangeItem = { constant: number } | { slot: number };

export class NumericTyping {
  private readonly numericSlots = new Set<number>();

  constructor(private readonly program: Program) {
    for (const cell of program.cells) if (this.isNumber(cell.expr)) this.numericSlots.add(cell.slot);
  }

  isNumericSlot(slot: number): boolean {
    return this.numericSlots.has(slot);
  }

  /** A number (or an error) in every trial, computable in the fast form. */
  isNumber(e: Expr): boolean {
    switch (e.op) {
      case 'num':
        return true;
      case 'const':
        return typeof this.program.constants[e.index] === 'number';
      case 'slot':
        return this.numericSlots.has(e.slot);
      case 'input':
        return this.program.inputs[e.input].source.kind !== 'dynamic';
      case 'neg':
      case 'pct':
        return this.isNumber(e.arg);
      case 'if':
        return this.isCondition(e.cond) && this.isNumber(e.whenTrue) && this.isNumber(e.whenFalse);
      case 'iferror':
        return this.isNumber(e.value) && this.isNumber(e.fallback);
      case 'choose':
        return this.isNumber(e.index) && e.choices.every((c) => this.isNumber(c));
      case 'call':
        return this.isNumericCall(e.fn, e.args);
      default:
        return ARITHMETIC.has(e.op) && 'left' in e && this.isNumber(e.left) && this.isNumber(e.right);
    }
  }

  /**
   * An IF condition the fast form can test: a comparison of numbers, a number (non-zero is TRUE), or
   * TRUE/FALSE computed before the run (a deterministic cell).
   */
  isCondition(e: Expr): boolean {
    if (COMPARISONS.has(e.op) && 'left' in e) return this.isNumber(e.left) && this.isNumber(e.right);
    return this.constantCondition(e) !== undefined || this.isNumber(e);
  }

  constantCondition(e: Expr): boolean | undefined {
    const value = e.op === 'const' ? this.program.constants[e.index] : undefined;
    return typeof value === 'boolean' ? value : undefined;
  }

  /**
   * The numbers of a range or array argument, as SUM, MIN, MAX, NPV and IRR read them: text, booleans and
   * blanks in it are skipped; undefined when it holds an error or a non-numeric random cell, or is large.
   */
  rangeItems(e: Expr): RangeItem[] | undefined {
    if (e.op !== 'area' && e.op !== 'const') return undefined;
    const matrix = this.program.constants[e.op === 'area' ? e.template : e.index];
    if (!(matrix instanceof Matrix)) return undefined;
    const filled = new Map(e.op === 'area' ? e.fill.map((f) => [f.position, f.slot]) : []);
    if (matrix.data.length - filled.size > MAX_INLINE_RANGE) return undefined;
    const items: RangeItem[] = [];
    for (let position = 0; position < matrix.data.length; position++) {
      const slot = filled.get(position);
      if (slot !== undefined) {
        if (!this.numericSlots.has(slot)) return undefined;
        items.push({ slot });
        continue;
      }
      const value = matrix.data[position];
      if (typeof value === 'number') items.push({ constant: value });
      else if (value !== null && typeof value === 'object') return undefined; // an error (or a nested array)
    }
    return items;
  }

  private isNumericCall(fn: string, args: Expr[]): boolean {
    if (!NUMERIC_FUNCTIONS.has(fn)) return false;
    const scalarOrRange = (a: Expr) => this.isNumber(a) || this.rangeItems(a) !== undefined;
    switch (fn) {
      case 'SUM':
      case 'MIN':
      case 'MAX':
        return args.length > 0 && args.every(scalarOrRange);
      case 'NPV':
        return args.length >= 2 && this.isNumber(args[0]) && args.slice(1).every(scalarOrRange);
      case 'IRR':
        return (
          (args.length === 1 || (args.length === 2 && this.isNumber(args[1]))) &&
          this.rangeItems(args[0]) !== undefined
        );
      case 'PV':
        return args.length >= 3 && args.length <= 5 && args.every((a) => this.isNumber(a));
      case 'ROUND':
      case 'ROUNDUP':
      case 'ROUNDDOWN':
        return args.length === 2 && args.every((a) => this.isNumber(a));
      default:
        return args.length === 1 && this.isNumber(args[0]);
    }
  }
}
