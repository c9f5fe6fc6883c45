/**
 * The typing of the IR shared by the compiled backends: for every expression, the kinds of value it can
 * hold in some trial (a number, a boolean, text, an error, a blank), known before any trial runs. A
 * backend reads what its representation needs: CUDA whether a value is a number or a boolean, tfjs
 * whether it may be text (which it carries only as an opaque code).
 */
import { ExcelError, Matrix, Reference, type Value } from '../values/value';
import { FUNCTION_SUPPORT } from './backend-support';
import type { Expr, Program } from './ir';

/** A bit per kind of value; an expression's kinds are their union. */
export const KIND = { number: 1, boolean: 2, text: 4, error: 8, blank: 16 } as const;
const ANY = KIND.number | KIND.boolean | KIND.text | KIND.error | KIND.blank;

export class ValueKinds {
  private readonly slots = new Map<number, number>();
  private readonly locals = new Map<number, number>();
  private readonly known = new WeakMap<Expr, number>();

  constructor(
    private readonly program: Program,
    /** The values of a constant reference (a lookup's table); without it such a lookup may give anything. */
    private readonly referenceValues?: (ref: Reference) => Matrix,
  ) {
    // In evaluation order, so a cell's kinds rest on those of the cells it reads.
    for (const cell of program.cells) this.slots.set(cell.slot, this.of(cell.expr));
  }

  of(e: Expr): number {
    let kinds = this.known.get(e);
    if (kinds === undefined) {
      kinds = this.compute(e);
      this.known.set(e, kinds);
    }
    return kinds;
  }

  mayBe(e: Expr, kind: number): boolean {
    return (this.of(e) & kind) !== 0;
  }

  private compute(e: Expr): number {
    switch (e.op) {
      case 'num':
      case 'input':
        return KIND.number;
      case 'const':
        return valueKinds(this.program.constants[e.index]);
      case 'slot':
        return this.slots.get(e.slot) ?? ANY;
      case 'local':
        return this.locals.get(e.local) ?? ANY;
      case 'area': {
        const template = this.program.constants[e.template];
        const slots = e.fill.reduce((kinds, f) => kinds | (this.slots.get(f.slot) ?? ANY), 0);
        return valueKinds(template) | slots;
      }
      case 'neg':
      case 'pct':
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow':
        return KIND.number | KIND.error;
      case 'cat':
        return KIND.text | KIND.error;
      case 'if':
        return KIND.error | this.of(e.whenTrue) | this.of(e.whenFalse);
      case 'iferror':
        return (this.of(e.value) & ~KIND.error) | this.of(e.fallback);
      case 'ifna':
        return this.of(e.value) | this.of(e.fallback);
      case 'choose':
        return e.choices.reduce((kinds: number, c) => kinds | this.of(c), KIND.error);
      case 'let':
        for (const b of e.bindings) this.locals.set(b.local, this.of(b.value));
        return this.of(e.body);
      case 'call':
        return this.callKinds(e.fn, e.args);
      default:
        // The comparisons.
        return KIND.boolean | KIND.error;
    }
  }

  private callKinds(fn: string, args: Expr[]): number {
    const result = FUNCTION_SUPPORT[fn]?.result;
    if (result === 'number') return KIND.number | KIND.error;
    if (result !== 'table cell') return ANY;
    if (fn !== 'VLOOKUP') {
      const table = this.table(args[0]);
      return table ? KIND.error | valueKinds(table) : ANY;
    }
    // VLOOKUP gives a cell of its table's column written as its third argument.
    const table = this.table(args[1]);
    const column = this.writtenNumber(args[2]);
    if (!table || column === undefined || column < 1 || column > table.cols) return ANY;
    const cells = Array.from({ length: table.rows }, (_, r) => table.data[r * table.cols + column - 1]);
    return cells.reduce((kinds: number, x) => kinds | valueKinds(x), KIND.error);
  }

  private writtenNumber(e: Expr | undefined): number | undefined {
    const value = e?.op === 'num' ? e.value : e?.op === 'const' ? this.program.constants[e.index] : undefined;
    return typeof value === 'number' ? Math.trunc(value) : undefined;
  }

  private table(e: Expr | undefined): Matrix | undefined {
    const value = e?.op === 'const' ? this.program.constants[e.index] : undefined;
    if (value instanceof Matrix) return value;
    if (value instanceof Reference && this.referenceValues) return this.referenceValues(value);
    return undefined;
  }
}

/** The kinds of a constant: a range's or array's are those of its elements. */
function valueKinds(value: Value): number {
  if (value instanceof Matrix) return value.data.reduce((kinds: number, x) => kinds | valueKinds(x), 0);
  if (typeof value === 'number') return KIND.number;
  if (typeof value === 'boolean') return KIND.boolean;
  if (typeof value === 'string') return KIND.text;
  if (value === null) return KIND.blank;
  if (value instanceof ExcelError) return KIND.error;
  return ANY;
}
