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

import { createDistribution } from '../../../../shared/distributions/distribution';
import { argumentFormProblem, argumentKind, supports } from '../../compile/backend-support';
import type { Expr, Program } from '../../compile/ir';
import { Matrix } from '../../values/value';
import { OUTCOME_CODES } from './runtime';

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const ARITHMETIC = new Set(['add', 'sub', 'mul', 'div', 'pow']);

/** Ranges of more constants than this stay in the general form (their numbers would be inlined). */
const MAX_INLINE_RANGE = 256;

const code = (name: string) => 1 << OUTCOME_CODES.indexOf(name);
const DIV0 = code('#DIV/0!');
const NUM = code('#NUM!');
const VALUE = code('#VALUE!');

/** One number of a range or array argument: a constant, or a numeric random cell. */
export type RangeItem = { constant: number } | { slot: number };

export class NumericTyping {
  private readonly numericSlots = new Set<number>();

  /** Bounds of each numeric cell's value, and of each input's samples (its support). */
  private readonly slotRanges = new Map<number, [number, number]>();
  private readonly inputRanges = new Map<number, [number, number]>();
  /** Per numeric cell, the Excel errors it can hold (a bit per OUTCOME_CODES index). */
  private readonly slotErrors = new Map<number, number>();

  constructor(private readonly program: Program) {
    // In evaluation order, so each cell's facts rest on those of the cells it reads (no recursion
    // through long chains of cells).
    for (const cell of program.cells)
      if (this.isNumber(cell.expr)) {
        this.numericSlots.add(cell.slot);
        this.slotRanges.set(cell.slot, this.range(cell.expr));
        this.slotErrors.set(cell.slot, this.errors(cell.expr));
      }
  }

  /**
   * The one Excel error a numeric expression can give, as an OUTCOME_CODES index, or undefined when it
   * could give several (or none is known): then a trial where it is not a number needs the general form
   * to say which. Lets the fast form record, say, IRR's #NUM! without recomputing the trial.
   */
  soleError(e: Expr): number | undefined {
    const bits = this.errors(e);
    return bits !== 0 && (bits & (bits - 1)) === 0 ? Math.log2(bits) : undefined;
  }

  /** The errors a numeric expression can give, a bit per OUTCOME_CODES index. */
  private errors(e: Expr): number {
    const all = (es: Expr[]) => es.reduce((bits, x) => bits | this.errors(x), 0);
    switch (e.op) {
      case 'num':
      case 'const':
      case 'input':
        return 0;
      case 'slot':
        return this.slotErrors.get(e.slot) ?? -1;
      case 'neg':
      case 'pct':
        return this.errors(e.arg);
      case 'add':
      case 'sub':
      case 'mul':
        return all([e.left, e.right]) | NUM; // overflow
      case 'div': {
        const [lo, hi] = this.range(e.right);
        const neverZero = lo > 0 || hi < 0;
        return all([e.left, e.right]) | NUM | (neverZero ? 0 : DIV0);
      }
      case 'pow': {
        // Overflow, 0^0 and a negative base give #NUM!; only 0 to a negative power gives #DIV/0!.
        const [lo, hi] = this.range(e.left);
        const zeroToNegative = lo <= 0 && hi >= 0 && this.range(e.right)[0] < 0;
        return all([e.left, e.right]) | NUM | (zeroToNegative ? DIV0 : 0);
      }
      case 'if':
        return this.conditionErrors(e.cond) | all([e.whenTrue, e.whenFalse]);
      case 'iferror':
        return this.errors(e.fallback);
      case 'choose':
        return all([e.index, ...e.choices]) | VALUE;
      case 'call':
        return this.callErrors(e.fn, e.args);
      default:
        return -1;
    }
  }

  /**
   * Bounds of a numeric expression's value over all trials, from the inputs' supports by interval
   * arithmetic (wide where unsure), so that a divisor that can never be zero gives no #DIV/0!.
   */
  private range(e: Expr): [number, number] {
    const unknown: [number, number] = [-Infinity, Infinity];
    switch (e.op) {
      case 'num':
        return [e.value, e.value];
      case 'const': {
        const value = this.program.constants[e.index];
        return typeof value === 'number' ? [value, value] : unknown;
      }
      case 'input': {
        const source = this.program.inputs[e.input].source;
        if (source.kind === 'uniform') return [0, 1];
        if (source.kind !== 'distribution') return unknown;
        let support = this.inputRanges.get(e.input);
        if (!support) {
          const d = createDistribution(source.spec);
          support = 'error' in d ? unknown : [d.min, d.max];
          this.inputRanges.set(e.input, support);
        }
        return support;
      }
      case 'slot':
        return this.slotRanges.get(e.slot) ?? unknown;
      case 'add':
      case 'sub': {
        const [a, b] = this.range(e.left);
        const [c, d] = this.range(e.right);
        return widen(e.op === 'add' ? [a + c, b + d] : [a - d, b - c]);
      }
      case 'mul': {
        const [a, b] = this.range(e.left);
        const [c, d] = this.range(e.right);
        return widen(extremes([a * c, a * d, b * c, b * d]));
      }
      case 'pow': {
        const [a, b] = this.range(e.left);
        // A positive base to a constant power: monotone in the base.
        if (e.right.op !== 'num' || !(a > 0)) return unknown;
        return widen(extremes([a ** e.right.value, b ** e.right.value]));
      }
      default:
        return unknown;
    }
  }

  private conditionErrors(e: Expr): number {
    if (this.constantCondition(e) !== undefined) return 0;
    if (COMPARISONS.has(e.op) && 'left' in e) return this.errors(e.left) | this.errors(e.right);
    return this.errors(e);
  }

  private callErrors(fn: string, args: Expr[]): number {
    const inputs = args.reduce((bits, a) => {
      const items = this.isNumber(a) ? undefined : this.rangeItems(a);
      if (!items) return bits | this.errors(a);
      return items.reduce((b, it) => b | ('slot' in it ? (this.slotErrors.get(it.slot) ?? -1) : 0), bits);
    }, 0);
    switch (fn) {
      case 'MIN':
      case 'MAX':
      case 'ABS':
        return inputs;
      case 'NPV':
        return inputs | NUM | DIV0; // a rate of -1
      case 'IRR': {
        // No rate found: #NUM!; a guess of -1 or less: #VALUE! (the default guess is 0.1).
        const guessAtMostMinusOne = args.length === 2 && this.range(args[1])[0] <= -1;
        return inputs | NUM | (guessAtMostMinusOne ? VALUE : 0);
      }
      default:
        return inputs | NUM; // overflow, or outside the function's domain
    }
  }

  isNumericSlot(slot: number): boolean {
    return this.numericSlots.has(slot);
  }

  /**
   * A number (or an error) in every trial, computable in the fast form: what compile/backend-support.ts
   * marks for cpu-fast, on numbers (a comparison's boolean is only read as an IF condition).
   */
  isNumber(e: Expr): boolean {
    if (!supports('cpu-fast', e)) return false;
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

  /** A call in the table's argument forms whose arguments the fast form holds as numbers. */
  private isNumericCall(fn: string, args: Expr[]): boolean {
    if (argumentFormProblem(this.program, fn, args) !== undefined) return false;
    return args.every((a, position) => {
      switch (argumentKind(fn, position)) {
        case 'number':
          return this.isNumber(a);
        case 'numbers':
          return this.isNumber(a) || this.rangeItems(a) !== undefined;
        case 'range':
          return this.rangeItems(a) !== undefined;
        default:
          return false;
      }
    });
  }
}

function extremes(values: number[]): [number, number] {
  // NaN (0 × ∞) means unknown.
  if (values.some(Number.isNaN)) return [-Infinity, Infinity];
  return [Math.min(...values), Math.max(...values)];
}

/** Outward by a relative 1e-12 (and 1e-300): covers the rounding of the bounds' own arithmetic. */
function widen([lo, hi]: [number, number]): [number, number] {
  if (Number.isNaN(lo) || Number.isNaN(hi)) return [-Infinity, Infinity];
  return [lo - Math.abs(lo) * 1e-12 - 1e-300, hi + Math.abs(hi) * 1e-12 + 1e-300];
}
