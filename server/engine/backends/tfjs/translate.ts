/**
 * The IR as TensorFlow.js operations over a batch of trials: every cell is a float32 tensor of shape
 * [batch] (or a scalar tensor when it is the same in every trial) with, beside it, the trial's outcome
 * code (OUTCOME_CODES: 0 a number, 1–9 an Excel error, 10 text, 11 a boolean, 12 empty). Codes travel
 * with the values, so #DIV/0!, #NUM!, #N/A… appear in the same trials as on the CPU backend; a value
 * whose code is not 0 is meaningless and never read as a number.
 *
 * Translation happens once, before any trial runs: whatever leaves the supported subset (the tfjs
 * column of compile/backend-support.ts) is reported then as a BackendUnsupported naming the construct
 * and the cell, never computed wrongly. Text is carried only as an opaque code (a text that no operator
 * could read as a number or a truth value), so comparing text where compile/value-kinds.ts says a value
 * may be text, or joining text, is refused.
 */
import type * as TfModule from '@tensorflow/tfjs';
import { argumentFormProblem, constructName, supports } from '../../compile/backend-support';
import { BackendUnsupported } from '../../compile/backend-unsupported';
import type { Expr, Program } from '../../compile/ir';
import { KIND, ValueKinds } from '../../compile/value-kinds';
import { lookupFunction } from '../../functions';
import type { FunctionContext } from '../../functions/types';
import { toBoolean, toNumber } from '../../values/coerce';
import { ExcelError, isError, Matrix, Reference, type Scalar, type Value } from '../../values/value';
import { OUTCOME_CODES } from '../cpu/runtime';
import type { Tf } from './loader';

type Tensor = TfModule.Tensor;

const code = (name: string): number => OUTCOME_CODES.indexOf(name);
const C = {
  DIV0: code('#DIV/0!'),
  VALUE: code('#VALUE!'),
  REF: code('#REF!'),
  NUM: code('#NUM!'),
  NA: code('#N/A'),
  TEXT: code('text'),
  BOOLEAN: code('boolean'),
  EMPTY: code('empty'),
  /** Codes 1..LAST_ERROR are Excel errors. */
  LAST_ERROR: code('#SPILL!'),
};

/** A value over the batch: `c` null means a number in every trial. */
export interface Batch {
  v: Tensor;
  c: Tensor | null;
}

/** What a translated expression reads while it runs. */
export interface Env {
  tf: Tf;
  batch: number;
  slots: (Batch | undefined)[];
  inputs: Tensor[];
  /** Per input, #NUM! where its sample overflows float32 (null when none does). */
  inputCodes: (Tensor | null)[];
  locals: (Batch | undefined)[];
}

interface Node {
  run: (env: Env) => Batch;
  /** A MATCH result: a whole number from 1 up, or an error. */
  position?: boolean;
}

export interface TranslatedProgram {
  cells: { slot: number; run: (env: Env) => Batch }[];
  outputs: ((env: Env) => Batch)[];
}

/** Refuses what the translation meets; translateProgram adds the cell. */
function unsupported(what: string): never {
  throw new BackendUnsupported('tfjs', what);
}

/** Translates a program, or throws the BackendUnsupported naming the first construct and cell it refuses. */
export function translateProgram(
  program: Program,
  referenceValues: (ref: Reference) => Matrix,
): TranslatedProgram {
  const t = new Translator(program, referenceValues);
  const at = (label: string, e: Expr) => {
    try {
      return t.expr(e);
    } catch (error) {
      if (error instanceof BackendUnsupported && error.cell === undefined)
        throw new BackendUnsupported('tfjs', error.construct, label);
      throw error;
    }
  };
  if (program.correlations.length > 0)
    throw new BackendUnsupported('tfjs', 'correlated inputs', program.correlations[0].label);
  if (program.copulas.length > 0)
    throw new BackendUnsupported('tfjs', 'RiskCopula', program.copulas[0].label);
  for (const input of program.inputs) {
    if (input.source.kind === 'dynamic')
      throw new BackendUnsupported('tfjs', 'distribution parameters computed each trial', input.label);
    // its severities are drawn per trial beside the frequency's one uniform, which this backend alone reads
    if (input.source.kind === 'distribution' && input.source.spec.type === 'compound')
      throw new BackendUnsupported('tfjs', 'the compound distribution', input.label);
  }
  const cells = program.cells.map((cell) => ({ slot: cell.slot, run: at(cell.label, cell.expr).run }));
  const outputs = program.outputs.map((o) => at(o.label, o.expr).run);
  return { cells, outputs };
}

// ---- Tensor helpers: each returns a new tensor; the caller's tidy disposes the intermediates ----

function codes(env: Env, x: Batch): Tensor {
  return x.c ?? env.tf.scalar(0);
}

function isErrorCode(tf: Tf, c: Tensor): Tensor {
  return tf.logicalAnd(tf.greaterEqual(c, 1), tf.lessEqual(c, C.LAST_ERROR));
}

/** Only the errors of a code tensor (0 elsewhere). */
function errorsOf(tf: Tf, c: Tensor): Tensor {
  return tf.where(isErrorCode(tf, c), c, tf.scalar(0));
}

/** toNumber's failures: an error stays, opaque text is #VALUE!; numbers, booleans and blanks pass. */
function numberErrors(tf: Tf, c: Tensor | null): Tensor | null {
  if (!c) return null;
  return tf.where(tf.equal(c, C.TEXT), tf.scalar(C.VALUE), errorsOf(tf, c));
}

/** The first non-zero code of a, then b (Excel reports the left operand's error first). */
function firstOf(tf: Tf, a: Tensor | null, b: Tensor | null): Tensor | null {
  if (!a) return b;
  if (!b) return a;
  return tf.where(tf.notEqual(a, 0), a, b);
}

/** Where `failed` (non-zero), that code; else `code` (or 0). */
function unless(tf: Tf, failed: Tensor | null, c: Tensor | null): Tensor | null {
  if (!failed) return c;
  return tf.where(tf.notEqual(failed, 0), failed, c ?? tf.scalar(0));
}

function finiteCheck(tf: Tf, r: Tensor): Tensor {
  return tf.where(tf.isFinite(r), tf.scalar(0), tf.scalar(C.NUM));
}

function full(env: Env, x: Tensor): Tensor {
  return x.shape.length === 0 ? env.tf.broadcastTo(x, [env.batch]) : x;
}

/** A constant scalar as a batch value; undefined for what the backend cannot carry. */
function scalarBatch(tf: Tf, value: Scalar): Batch {
  if (typeof value === 'number') return { v: tf.scalar(value), c: null };
  if (typeof value === 'boolean') return { v: tf.scalar(value ? 1 : 0), c: tf.scalar(C.BOOLEAN) };
  if (value === null) return { v: tf.scalar(0), c: tf.scalar(C.EMPTY) };
  if (value instanceof ExcelError) return { v: tf.scalar(0), c: tf.scalar(outcomeOf(value)) };
  return { v: tf.scalar(0), c: tf.scalar(C.TEXT) };
}

function outcomeOf(value: ExcelError): number {
  const i = OUTCOME_CODES.indexOf(value.code);
  return i > 0 && i <= C.LAST_ERROR ? i : C.VALUE;
}

/** Text the backend may carry without its characters: no operator reads it as a number or truth value. */
function opaqueText(text: string): boolean {
  return isError(toNumber(text)) && isError(toBoolean(text));
}

function checkScalar(value: Scalar, where: string): void {
  if (typeof value === 'string' && !opaqueText(value))
    unsupported(`text that reads as a number or TRUE/FALSE ${where}`);
}

/** One element of an aggregate or cash-flow list. */
interface Item {
  node: Node;
  /** From a range or array: only its numbers count, text/booleans/blanks are skipped. */
  inRange: boolean;
}

class Translator {
  private readonly kinds: ValueKinds;

  constructor(
    private readonly program: Program,
    /** The values of a constant reference (INDEX's range), read as the CPU backend reads them. */
    private readonly referenceValues: (ref: Reference) => Matrix,
  ) {
    this.kinds = new ValueKinds(program, referenceValues);
  }

  private mayBeText(e: Expr): boolean {
    return this.kinds.mayBe(e, KIND.text);
  }

  expr(e: Expr): Node {
    if (!supports('tfjs', e)) return unsupported(constructName(e));
    switch (e.op) {
      case 'num': {
        const value = e.value;
        return { run: (env) => ({ v: env.tf.scalar(value), c: null }) };
      }
      case 'const':
        return this.constant(e.index);
      case 'slot': {
        const slot = e.slot;
        return {
          run: (env) => {
            const x = env.slots[slot];
            if (!x) throw new Error('internal: slot disposed before its last reader');
            return x;
          },
        };
      }
      case 'input': {
        const k = e.input;
        return { run: (env) => ({ v: env.inputs[k], c: env.inputCodes[k] }) };
      }
      case 'neg':
      case 'pct':
        return this.unary(e.op, this.expr(e.arg));
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'pow':
        return this.arithmetic(e.op, this.expr(e.left), this.expr(e.right));
      case 'eq':
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
        if (this.mayBeText(e.left) || this.mayBeText(e.right))
          unsupported('a comparison that may involve text');
        return this.comparison(e.op, this.expr(e.left), this.expr(e.right));
      case 'if':
        return this.conditional(this.expr(e.cond), this.expr(e.whenTrue), this.expr(e.whenFalse));
      case 'iferror':
      case 'ifna':
        return this.fallback(e.op, this.expr(e.value), this.expr(e.fallback));
      case 'choose':
        return this.choose(
          this.expr(e.index),
          e.choices.map((c) => this.expr(c)),
        );
      case 'let': {
        const bindings = e.bindings.map((b) => ({ local: b.local, node: this.expr(b.value) }));
        const body = this.expr(e.body);
        return {
          run: (env) => {
            for (const b of bindings) env.locals[b.local] = b.node.run(env);
            return body.run(env);
          },
        };
      }
      case 'local': {
        const local = e.local;
        return {
          run: (env) => {
            const x = env.locals[local];
            if (!x) throw new Error('internal: local read before it is bound');
            return x;
          },
        };
      }
      case 'call':
        return this.call(e.fn, e.args);
      default:
        throw new Error(`internal: the backend table marks ${e.op} for tfjs without code for it`);
    }
  }

  private constant(index: number): Node {
    const value = this.program.constants[index];
    const scalar = value instanceof Matrix && value.rows === 1 && value.cols === 1 ? value.data[0] : value;
    if (
      scalar instanceof Matrix ||
      (scalar !== null && typeof scalar === 'object' && !(scalar instanceof ExcelError))
    )
      return unsupported('an array outside the functions that read ranges');
    checkScalar(scalar as Scalar, 'in a formula');
    return {
      run: (env) => scalarBatch(env.tf, scalar as Scalar),
    };
  }

  private unary(op: 'neg' | 'pct', a: Node): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const x = a.run(env);
        const v = op === 'neg' ? tf.where(tf.equal(x.v, 0), tf.scalar(0), tf.neg(x.v)) : tf.div(x.v, 100);
        return { v, c: numberErrors(tf, x.c) };
      },
    };
  }

  private arithmetic(op: 'add' | 'sub' | 'mul' | 'div' | 'pow', a: Node, b: Node): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const x = a.run(env);
        const y = b.run(env);
        const before = firstOf(tf, numberErrors(tf, x.c), numberErrors(tf, y.c));
        let v: Tensor;
        let c: Tensor;
        switch (op) {
          case 'add':
            v = tf.add(x.v, y.v);
            c = finiteCheck(tf, v);
            break;
          case 'sub':
            v = tf.sub(x.v, y.v);
            c = finiteCheck(tf, v);
            break;
          case 'mul':
            v = tf.mul(x.v, y.v);
            c = finiteCheck(tf, v);
            break;
          case 'div':
            v = tf.div(x.v, y.v);
            c = tf.where(tf.equal(y.v, 0), tf.scalar(C.DIV0), finiteCheck(tf, v));
            break;
          case 'pow': {
            v = tf.pow(x.v, y.v);
            const zero = tf.equal(x.v, 0);
            c = tf.where(
              tf.logicalAnd(zero, tf.equal(y.v, 0)),
              tf.scalar(C.NUM),
              tf.where(tf.logicalAnd(zero, tf.less(y.v, 0)), tf.scalar(C.DIV0), finiteCheck(tf, v)),
            );
            break;
          }
        }
        return { v, c: unless(tf, before, c) };
      },
    };
  }

  private comparison(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', a: Node, b: Node): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const x = a.run(env);
        const y = b.run(env);
        let less: Tensor;
        let same: Tensor;
        if (!x.c && !y.c) {
          less = tf.less(x.v, y.v);
          same = tf.equal(x.v, y.v);
        } else {
          // Excel orders numbers before booleans; a blank takes the other side's type (0 or FALSE).
          const cx = codes(env, x);
          const cy = codes(env, y);
          const rawX = tf.where(tf.equal(cx, C.BOOLEAN), tf.scalar(1), tf.scalar(0));
          const rawY = tf.where(tf.equal(cy, C.BOOLEAN), tf.scalar(1), tf.scalar(0));
          const rx = tf.where(tf.equal(cx, C.EMPTY), rawY, rawX);
          const ry = tf.where(tf.equal(cy, C.EMPTY), rawX, rawY);
          const sameRank = tf.equal(rx, ry);
          less = tf.logicalOr(tf.less(rx, ry), tf.logicalAnd(sameRank, tf.less(x.v, y.v)));
          same = tf.logicalAnd(sameRank, tf.equal(x.v, y.v));
        }
        let truth: Tensor;
        switch (op) {
          case 'eq':
            truth = same;
            break;
          case 'ne':
            truth = tf.logicalNot(same);
            break;
          case 'lt':
            truth = less;
            break;
          case 'le':
            truth = tf.logicalOr(less, same);
            break;
          case 'gt':
            truth = tf.logicalNot(tf.logicalOr(less, same));
            break;
          case 'ge':
            truth = tf.logicalNot(less);
            break;
        }
        const failed = firstOf(tf, x.c && errorsOf(tf, x.c), y.c && errorsOf(tf, y.c));
        return { v: tf.cast(truth, 'float32'), c: unless(tf, failed, tf.scalar(C.BOOLEAN)) };
      },
    };
  }

  private conditional(cond: Node, whenTrue: Node, whenFalse: Node): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const t = cond.run(env);
        // IF evaluates one branch per trial; here both run on the whole batch and are then selected,
        // which is the same since nothing in the IR has side effects.
        const a = whenTrue.run(env);
        const b = whenFalse.run(env);
        const truth = tf.notEqual(t.v, 0);
        const v = tf.where(truth, a.v, b.v);
        const picked = a.c || b.c ? tf.where(truth, codes(env, a), codes(env, b)) : null;
        return { v, c: unless(tf, numberErrors(tf, t.c), picked) };
      },
    };
  }

  private fallback(op: 'iferror' | 'ifna', value: Node, fallback: Node): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const x = value.run(env);
        if (!x.c) return x;
        const f = fallback.run(env);
        const caught = op === 'iferror' ? isErrorCode(tf, x.c) : tf.equal(x.c, C.NA);
        // A blank fallback is 0, as the CPU backend's blankAsZero.
        const fc = f.c ? tf.where(tf.equal(f.c, C.EMPTY), tf.scalar(0), f.c) : tf.scalar(0);
        return { v: tf.where(caught, f.v, x.v), c: tf.where(caught, fc, x.c) };
      },
    };
  }

  private choose(index: Node, choices: Node[]): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const i = index.run(env);
        const k = tf.mul(tf.sign(i.v), tf.floor(tf.abs(i.v)));
        const branches = choices.map((c) => c.run(env));
        let v: Tensor = tf.scalar(0);
        let c: Tensor = tf.scalar(C.VALUE);
        for (let n = branches.length; n >= 1; n--) {
          const hit = tf.equal(k, n);
          v = tf.where(hit, branches[n - 1].v, v);
          c = tf.where(hit, codes(env, branches[n - 1]), c);
        }
        return { v, c: unless(tf, numberErrors(tf, i.c), c) };
      },
    };
  }

  // ---- Functions ------------------------------------------------------------------------------------

  /** A function the backend table marks for tfjs, in the argument forms of the table. */
  private call(fn: string, args: Expr[]): Node {
    const problem = argumentFormProblem(this.program, fn, args);
    if (problem) unsupported(problem);
    switch (fn) {
      case 'SUM':
      case 'MIN':
      case 'MAX':
        return this.aggregate(fn, this.items(args));
      case 'ABS':
      case 'SQRT':
      case 'EXP':
      case 'LN':
        return this.math(fn, this.expr(args[0]));
      case 'PV':
        return this.pv(args.map((a) => this.expr(a)));
      case 'NPV':
        return this.npv(this.expr(args[0]), this.items(args.slice(1)));
      case 'IRR':
        return this.irr(this.items([args[0]]), args[1] === undefined ? undefined : this.expr(args[1]));
      case 'VLOOKUP':
        return this.vlookup(args);
      case 'MATCH':
        return this.match(args);
      case 'INDEX':
        return this.index(args);
      default:
        throw new Error(`internal: the backend table marks ${fn} for tfjs without code for it`);
    }
  }

  /** The list an aggregate folds over, in argument order: ranges and arrays by element. */
  private items(args: Expr[]): Item[] {
    const items: Item[] = [];
    const element = (value: Value): void => {
      if (typeof value === 'number' || value instanceof ExcelError)
        items.push({ node: this.constantNode(value), inRange: true });
      // Text, booleans and blanks in a range never count, so they need no node.
    };
    for (const arg of args) {
      if (arg.op === 'area') {
        const template = this.program.constants[arg.template];
        if (!(template instanceof Matrix)) throw new Error('internal: area template is not a matrix');
        const filled = new Map(arg.fill.map((f) => [f.position, f.slot]));
        template.data.forEach((value, position) => {
          const slot = filled.get(position);
          if (slot === undefined) element(value);
          else items.push({ node: this.expr({ op: 'slot', slot }), inRange: true });
        });
      } else if (arg.op === 'const' && this.program.constants[arg.index] instanceof Matrix) {
        for (const value of (this.program.constants[arg.index] as Matrix).data) element(value);
      } else {
        // Opaque text given directly is #VALUE! for every aggregate and cash-flow function alike.
        items.push({ node: this.expr(arg), inRange: false });
      }
    }
    return items;
  }

  private constantNode(value: Scalar): Node {
    return { run: (env) => scalarBatch(env.tf, value) };
  }

  /**
   * The items of a batch stacked as [items, batch]: their numbers, whether each counts, and the first
   * error in argument order (per trial, 0 when none).
   */
  private stackItems(
    env: Env,
    items: Item[],
    blanksSkipped: boolean,
  ): { values: Tensor; counted: Tensor; error: Tensor } {
    const tf = env.tf;
    const values: Tensor[] = [];
    const counted: Tensor[] = [];
    const errors: Tensor[] = [];
    for (const item of items) {
      const x = item.node.run(env);
      values.push(full(env, x.v));
      const c = x.c ? full(env, x.c) : tf.zeros([env.batch]);
      if (item.inRange) {
        counted.push(tf.equal(c, 0));
        errors.push(errorsOf(tf, c));
      } else {
        const failed = numberErrors(tf, c) as Tensor;
        // SUM(blank) adds 0; the cash-flow functions skip a blank argument.
        counted.push(
          blanksSkipped ? tf.logicalAnd(tf.equal(failed, 0), tf.notEqual(c, C.EMPTY)) : tf.equal(failed, 0),
        );
        errors.push(failed);
      }
    }
    const n = items.length;
    // The first error by argument order: position * 16 + code, smallest wins (codes are below 16).
    const order = tf.reshape(tf.range(0, n), [n, 1]);
    const keyed = tf.where(
      tf.notEqual(tf.stack(errors), 0),
      tf.add(tf.mul(order, 16), tf.stack(errors)),
      tf.scalar(Number.MAX_SAFE_INTEGER),
    );
    const first = tf.min(keyed, 0);
    const error = tf.where(tf.less(first, n * 16), tf.mod(first, 16), tf.scalar(0));
    return { values: tf.stack(values), counted: tf.stack(counted), error };
  }

  private aggregate(fn: 'SUM' | 'MIN' | 'MAX', items: Item[]): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        if (items.length === 0) return { v: tf.scalar(0), c: null };
        const { values, counted, error } = this.stackItems(env, items, false);
        if (fn === 'SUM') {
          const v = tf.sum(tf.where(counted, values, tf.scalar(0)), 0);
          return { v, c: unless(tf, error, finiteCheck(tf, v)) };
        }
        const extreme = fn === 'MIN' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        const masked = tf.where(counted, values, tf.scalar(extreme));
        const folded = fn === 'MIN' ? tf.min(masked, 0) : tf.max(masked, 0);
        // No number at all gives 0, as Excel's MIN and MAX.
        const v = tf.where(tf.any(counted, 0), folded, tf.scalar(0));
        return { v, c: error };
      },
    };
  }

  private math(fn: 'ABS' | 'SQRT' | 'EXP' | 'LN', a: Node): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const x = a.run(env);
        const failed = numberErrors(tf, x.c);
        switch (fn) {
          case 'ABS':
            return { v: tf.abs(x.v), c: failed };
          case 'SQRT':
            return {
              v: tf.sqrt(x.v),
              c: unless(tf, failed, tf.where(tf.less(x.v, 0), tf.scalar(C.NUM), tf.scalar(0))),
            };
          case 'EXP': {
            const v = tf.exp(x.v);
            return { v, c: unless(tf, failed, finiteCheck(tf, v)) };
          }
          case 'LN':
            return {
              v: tf.log(x.v),
              c: unless(tf, failed, tf.where(tf.lessEqual(x.v, 0), tf.scalar(C.NUM), tf.scalar(0))),
            };
        }
      },
    };
  }

  /** PV(rate, nper, pmt, [fv], [type]) as financial-tvm.ts' presentValue. */
  private pv(args: Node[]): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const xs = args.map((a) => a.run(env));
        let failed: Tensor | null = null;
        for (const x of xs) failed = firstOf(tf, failed, numberErrors(tf, x.c));
        const [rate, nper, pmt] = xs.map((x) => x.v);
        const fv = xs[3]?.v ?? tf.scalar(0);
        const type = xs[4] ? tf.where(tf.notEqual(xs[4].v, 0), tf.scalar(1), tf.scalar(0)) : tf.scalar(0);
        const growth = tf.pow(tf.add(1, rate), nper);
        const annuity = tf.div(tf.mul(tf.mul(pmt, tf.add(1, tf.mul(rate, type))), tf.sub(growth, 1)), rate);
        const general = tf.div(tf.neg(tf.add(fv, annuity)), growth);
        const zeroRate = tf.neg(tf.add(fv, tf.mul(pmt, nper)));
        const v = tf.where(tf.equal(rate, 0), zeroRate, general);
        return { v, c: unless(tf, failed, finiteCheck(tf, v)) };
      },
    };
  }

  /** NPV(rate, flows…): the flows that count are discounted by their position among those that count. */
  private npv(rate: Node, items: Item[]): Node {
    return {
      run: (env) => {
        const tf = env.tf;
        const r = rate.run(env);
        const { values, counted, error } = this.stackItems(env, items, true);
        const periods = tf.cumsum(tf.cast(counted, 'float32'), 0);
        const factor = tf.div(1, tf.add(1, r.v));
        const discounted = tf.mul(values, tf.pow(factor, periods));
        const v = tf.sum(tf.where(counted, discounted, tf.scalar(0)), 0);
        const own = tf.where(tf.equal(r.v, -1), tf.scalar(C.DIV0), finiteCheck(tf, v));
        return { v, c: unless(tf, firstOf(tf, numberErrors(tf, r.c), error), own) };
      },
    };
  }

  /**
   * IRR has no closed form: its cash flows are computed as tensors, then read back and solved per trial
   * by the engine's own IRR (float64, the same iteration and the same #NUM! cases as the CPU backend).
   * Only the flows carry float32 error.
   */
  private irr(items: Item[], guess: Node | undefined): Node {
    const def = lookupFunction('IRR');
    if (!def) throw new Error('internal: IRR is missing from the library');
    const context = this.context();
    return {
      run: (env) => {
        const tf = env.tf;
        const { values, counted, error } = this.stackItems(env, items, true);
        const g = guess?.run(env);
        const n = items.length;
        const batch = env.batch;
        const flows = tf.broadcastTo(values, [n, batch]).dataSync();
        const counts = tf.broadcastTo(tf.cast(counted, 'float32'), [n, batch]).dataSync();
        const errors = tf.broadcastTo(error, [batch]).dataSync();
        const guesses = g ? tf.broadcastTo(g.v, [batch]).dataSync() : undefined;
        const guessErrors = g
          ? tf.broadcastTo(numberErrors(tf, g.c) ?? tf.scalar(0), [batch]).dataSync()
          : undefined;
        const v = new Float32Array(batch);
        const c = new Float32Array(batch);
        const data: Scalar[] = [];
        for (let t = 0; t < batch; t++) {
          if (errors[t] !== 0) {
            c[t] = errors[t];
            continue;
          }
          data.length = 0;
          for (let k = 0; k < n; k++) if (counts[k * batch + t] === 1) data.push(flows[k * batch + t]);
          const args: Value[] = [new Matrix(1, Math.max(1, data.length), data.length ? data : [null])];
          if (guesses && guessErrors) {
            if (guessErrors[t] !== 0) {
              c[t] = guessErrors[t];
              continue;
            }
            args.push(guesses[t]);
          }
          const result = def.impl(args, context);
          if (typeof result === 'number') v[t] = result;
          else c[t] = result instanceof ExcelError ? outcomeOf(result) : C.VALUE;
        }
        return { v: tf.tensor1d(v), c: tf.tensor1d(c) };
      },
    };
  }

  /** A context for library functions run on the host: they get numbers only, never references. */
  private context(): FunctionContext {
    return {
      caller: { sheet: '', row: 0, col: 0 },
      values: () => {
        throw new Error('internal: a host-run function read a reference');
      },
      formulaText: () => undefined,
      sheetNames: [],
      random: () => 0.5,
      now: () => Date.now() / 86_400_000 + 25569,
    };
  }

  // ---- Lookups on constant tables: the key per trial, the table constant ------------------------------

  /** A constant argument (a number, boolean or text typed in the formula), or undefined when it varies. */
  private staticArg(e: Expr | undefined): Scalar | undefined {
    if (!e) return undefined;
    if (e.op === 'num') return e.value;
    if (e.op === 'const') {
      const value = this.program.constants[e.index];
      if (value instanceof Matrix) return value.rows === 1 && value.cols === 1 ? value.data[0] : undefined;
      return value as Scalar;
    }
    return undefined;
  }

  private table(e: Expr, fn: string): Matrix {
    const value = e.op === 'const' ? this.program.constants[e.index] : undefined;
    if (value instanceof Matrix) return value;
    if (value instanceof Reference) return this.referenceValues(value);
    return unsupported(`${fn} on a table that is not constant`);
  }

  /**
   * The position of the key in a numeric key vector, per trial, by binary search (O(log n) per trial):
   * exact (the first equal key), or Excel's approximate match (the last key ≤ the value) on strictly
   * ascending keys, where Excel's binary search and a count agree. Keys are compared in float32, as the
   * values they meet. A key that is not a number matches nothing in an all-number vector (a blank is 0
   * when approximate), as lookup-search.ts decides.
   */
  private search(keys: Scalar[], exact: boolean, fn: string) {
    if (!keys.every((k) => typeof k === 'number')) unsupported(`${fn} on keys that are not all numbers`);
    const singles = (keys as number[]).map(Math.fround);
    let sorted: number[];
    let firstIndex: number[] = [];
    if (exact) {
      // Distinct keys ascending, each with the first position holding it.
      const order = singles.map((k, i) => [k, i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      const distinct = order.filter((entry, i) => i === 0 || entry[0] !== order[i - 1][0]);
      sorted = distinct.map((entry) => entry[0]);
      firstIndex = distinct.map((entry) => entry[1]);
    } else {
      if (singles.some((k, i) => i > 0 && !(k > singles[i - 1])))
        unsupported(`an approximate ${fn} on keys that are not strictly ascending`);
      sorted = singles;
    }
    const n = keys.length;
    const m = sorted.length;
    return (env: Env, key: Batch): { position: Tensor; failed: Tensor } => {
      const tf = env.tf;
      const sequence = tf.tensor2d(sorted, [1, m]);
      const value = tf.reshape(full(env, key.v), [1, env.batch]);
      const c = key.c ? full(env, key.c) : tf.zeros([env.batch]);
      let position: Tensor;
      let found: Tensor;
      if (exact) {
        const at = tf.reshape(tf.lowerBound(sequence, value), [env.batch]);
        const clipped = tf.minimum(at, tf.scalar(m - 1, 'int32'));
        const hit = tf.equal(tf.gather(tf.tensor1d(sorted), clipped), full(env, key.v));
        position = tf.gather(tf.tensor1d(firstIndex, 'int32'), clipped);
        found = tf.logicalAnd(tf.logicalAnd(tf.less(at, m), hit), tf.equal(c, 0));
      } else {
        const count = tf.reshape(tf.upperBound(sequence, value), [env.batch]);
        position = tf.sub(count, 1);
        found = tf.logicalAnd(tf.greater(count, 0), tf.logicalOr(tf.equal(c, 0), tf.equal(c, C.EMPTY)));
      }
      const failed = tf.where(isErrorCode(tf, c), c, tf.where(found, tf.scalar(0), tf.scalar(C.NA)));
      return { position: tf.clipByValue(tf.cast(position, 'float32'), 0, n - 1), failed };
    };
  }

  /** The cells of a constant vector picked per trial by position. */
  private pick(env: Env, cells: Scalar[], position: Tensor): Batch {
    const tf = env.tf;
    const values = cells.map((x) => (typeof x === 'number' ? x : x === true ? 1 : 0));
    const kinds = cells.map((x) =>
      typeof x === 'number'
        ? 0
        : typeof x === 'boolean'
          ? C.BOOLEAN
          : x === null
            ? C.EMPTY
            : x instanceof ExcelError
              ? outcomeOf(x)
              : C.TEXT,
    );
    const at = tf.cast(position, 'int32');
    return { v: tf.gather(tf.tensor1d(values), at), c: tf.gather(tf.tensor1d(kinds), at) };
  }

  private vlookup(args: Expr[]): Node {
    if (this.mayBeText(args[0])) unsupported('a VLOOKUP key that may be text');
    const key = this.expr(args[0]);
    const table = this.table(args[1], 'VLOOKUP');
    const col = this.staticArg(args[2]);
    const mode = args.length === 4 ? this.staticArg(args[3]) : true;
    if (typeof col !== 'number') unsupported('a VLOOKUP column computed each trial');
    if (mode === undefined) unsupported('a VLOOKUP match type computed each trial');
    const column = Math.trunc(col);
    if (column < 1 || column > table.cols) unsupported('a VLOOKUP column outside its table');
    const approximate = toBoolean(mode);
    if (isError(approximate)) unsupported('a VLOOKUP match type that is not TRUE or FALSE');
    const rows = Array.from({ length: table.rows }, (_, r) => r);
    const keys = rows.map((r) => table.data[r * table.cols]);
    const results = rows.map((r) => table.data[r * table.cols + column - 1]);
    for (const x of results) checkScalar(x, 'in a VLOOKUP result column');
    const search = this.search(keys, !approximate, 'VLOOKUP');
    return {
      run: (env) => {
        const { position, failed } = search(env, key.run(env));
        const picked = this.pick(env, results, position);
        return { v: picked.v, c: unless(env.tf, failed, picked.c) };
      },
    };
  }

  private match(args: Expr[]): Node {
    if (this.mayBeText(args[0])) unsupported('a MATCH key that may be text');
    const key = this.expr(args[0]);
    const vector = this.table(args[1], 'MATCH');
    if (vector.rows !== 1 && vector.cols !== 1)
      unsupported('MATCH over a range that is not one row or column');
    const type = args.length === 3 ? this.staticArg(args[2]) : 1;
    if (type === undefined) unsupported('a MATCH type computed each trial');
    const t = toNumber(type);
    if (isError(t)) unsupported('a MATCH type that is not a number');
    if (t < 0) unsupported('MATCH on descending keys (type -1)');
    const search = this.search(vector.data, t === 0, 'MATCH');
    return {
      run: (env) => {
        const { position, failed } = search(env, key.run(env));
        return { v: env.tf.add(position, 1), c: failed };
      },
      position: true,
    };
  }

  /** INDEX(vector, MATCH(…)): the element at the matched position (#REF! past the vector's end). */
  private index(args: Expr[]): Node {
    const source = this.table(args[0], 'INDEX');
    if (source.rows !== 1 && source.cols !== 1)
      unsupported('INDEX into a range that is not one row or column');
    const row = this.expr(args[1]);
    // Any other row number could be 0 (the whole column) or a fraction; a MATCH result never is.
    if (!row.position) unsupported('INDEX with a position that is not a MATCH result');
    const cells = source.data;
    for (const x of cells) checkScalar(x, 'in an INDEX range');
    return {
      run: (env) => {
        const tf = env.tf;
        const r = row.run(env);
        const position = tf.sub(r.v, 1);
        const beyond = tf.greaterEqual(position, cells.length);
        const picked = this.pick(env, cells, tf.clipByValue(position, 0, cells.length - 1));
        const c = tf.where(beyond, tf.scalar(C.REF), picked.c as Tensor);
        return { v: picked.v, c: unless(tf, r.c, c) };
      },
    };
  }
}
