/**
 * What a generated CPU kernel calls: Excel's operators with a fast path for plain numbers, the
 * library functions, array building for ranges over random cells, and the random draws.
 */

import { ALT_FUNCTIONS } from '../../../../shared/distributions/alt-forms';
import { compoundSample } from '../../../../shared/distributions/compound';
import { createDistribution, type Distribution } from '../../../../shared/distributions/distribution';
import type { Program } from '../../compile/ir';
import { applyFunction } from '../../evaluate/apply';
import { lift1, lift2 } from '../../evaluate/broadcast';
import type { Interpreter } from '../../evaluate/interpreter';
import { binaryScalar, negate, percent } from '../../evaluate/operators';
import { lookupFunction } from '../../functions';
import { internalRate, netPresentValue } from '../../functions/financial-cashflow';
import { paymentType, presentValue } from '../../functions/financial-tvm';
import {
  awayFromZero,
  halfAwayFromZero,
  type IntegerStep,
  roundToDigits,
  towardZero,
} from '../../functions/math-rounding';
import type { FunctionContext, FunctionDefinition } from '../../functions/types';
import { numericPower, wholeNumberPower } from '../../numeric/power';
import { distributionFromCall } from '../../sampling/formula-distributions';
import { toBoolean, toNumber } from '../../values/coerce';
import { Errors, ExcelError, Lambda, Matrix, Reference, type Scalar, type Value } from '../../values/value';

type Operand = Scalar | Matrix;

const NUM = Errors.NUM;

function fin(n: number): number | ExcelError {
  return n - n === 0 ? n : NUM;
}

function slow(op: string, a: Operand, b: Operand): Operand {
  if (a instanceof Matrix || b instanceof Matrix) return lift2(a, b, (x, y) => binaryScalar(op, x, y));
  return binaryScalar(op, a, b);
}

/** Error codes stored per trial for outputs that are not numbers (0 means a number). */
export const OUTCOME_CODES: readonly string[] = [
  'number',
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#CALC!',
  '#SPILL!',
  'text',
  'boolean',
  'empty',
];

function outcomeCode(value: Value): number {
  if (value instanceof ExcelError) {
    const i = OUTCOME_CODES.indexOf(value.code);
    return i > 0 ? i : OUTCOME_CODES.indexOf('#VALUE!');
  }
  if (typeof value === 'string') return OUTCOME_CODES.indexOf('text');
  if (typeof value === 'boolean') return OUTCOME_CODES.indexOf('boolean');
  if (value === null) return OUTCOME_CODES.indexOf('empty');
  return OUTCOME_CODES.indexOf('#VALUE!');
}

/** RANDBETWEEN(bottom, top) from its uniform draw. */
const RANDBETWEEN_UNIFORM: FunctionDefinition = {
  name: 'RANDBETWEEN.UNIFORM',
  category: 'random',
  minArgs: 3,
  maxArgs: 3,
  params: ['scalar'],
  impl: ([u, bottom, top]) => {
    const lo = toNumber(bottom as Scalar);
    if (lo instanceof ExcelError) return lo;
    const hi = toNumber(top as Scalar);
    if (hi instanceof ExcelError) return hi;
    const a = Math.ceil(lo);
    const b = Math.floor(hi);
    if (a > b) return Errors.NUM;
    return a + Math.floor((u as number) * (b - a + 1));
  },
};

/**
 * SUM, MIN and MAX over plain numbers, the bulk of what models aggregate each trial. They answer
 * only when every argument and element is a number (where every Excel rule agrees), else undefined so the
 * library function decides.
 */
type FastAggregate = (args: Value[]) => number | undefined;

function numericFold(
  args: Value[],
  start: number,
  step: (acc: number, x: number) => number,
): [number, number] | undefined {
  let acc = start;
  let count = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'number') {
      acc = step(acc, a);
      count++;
    } else if (a instanceof Matrix) {
      const data = a.data;
      for (let j = 0; j < data.length; j++) {
        const x = data[j];
        if (typeof x !== 'number') return undefined;
        acc = step(acc, x);
      }
      count += data.length;
    } else return undefined;
  }
  return [acc, count];
}

const FAST_AGGREGATES: Record<string, FastAggregate> = {
  SUM: (args) => {
    const r = numericFold(args, 0, (acc, x) => acc + x);
    return r && Number.isFinite(r[0]) ? r[0] : undefined;
  },
  MIN: (args) => {
    const r = numericFold(args, Number.POSITIVE_INFINITY, (acc, x) => Math.min(x, acc));
    return r && r[1] > 0 ? r[0] : undefined;
  },
  MAX: (args) => {
    const r = numericFold(args, Number.NEGATIVE_INFINITY, (acc, x) => Math.max(x, acc));
    return r && r[1] > 0 ? r[0] : undefined;
  },
};

/** The uniform draws of a run: one at a time, or a whole slice of trials of one stream at once. */
export interface UniformSource {
  one(stream: number, trial: number): number;
  fill(out: Float64Array, stream: number, start: number, end: number): void;
  /**
   * A trial's further plain (never stratified) uniforms on a stream, draw 1, 2, …: RiskCompound's
   * severities. Keyed by (seed, stream, trial, draw) like every draw, so they do not depend on how a
   * run is cut into ranges.
   */
  extra(stream: number, trial: number, draw: number): number;
  /** The same kind of draws (plain or Latin hypercube, as many trials) keyed by another seed. */
  keyedBy(seed: number): UniformSource;
}

/**
 * The stream of every input with its own seed (RiskSeed), keyed by that seed: its draws are the same
 * whatever the simulation's seed and wherever the input sits in the workbook, as @RISK's generator of
 * its own. (Other inputs' streams count up from 1, correlation groups' down from 2^32 - 1.)
 */
export const OWN_SEED_STREAM = 0;

/** Where an input's uniforms come from: a source and the stream to read in it. */
export interface InputDraws {
  source: UniformSource;
  stream: number;
}

/**
 * Each input's draws: the run's source on the input's stream, or for an input with its own seed the
 * same kind of draws keyed by that seed. A pure function of (seed, stream, trial) either way, so
 * threads and chunks agree.
 */
export function inputDraws(
  program: { inputs: readonly Pick<Program['inputs'][number], 'stream' | 'properties'>[] },
  uniform: UniformSource,
): InputDraws[] {
  return program.inputs.map((input) => {
    const seed = input.properties?.seed;
    return seed === undefined
      ? { source: uniform, stream: input.stream }
      : { source: uniform.keyedBy(seed), stream: OWN_SEED_STREAM };
  });
}

export class KernelRuntime {
  /** The error met by the last failed `test` or `chooseIndex`. */
  err: Value = Errors.VALUE;
  /** First trial of the buffers being filled (samples are stored at trial - recordBase). */
  recordBase = 0;
  readonly functions: FunctionDefinition[];
  private readonly fastAggregates: (FastAggregate | undefined)[];
  readonly contexts: FunctionContext[];
  readonly distributions: (Distribution | undefined)[];
  private readonly draws: InputDraws[];

  constructor(
    private readonly program: Program,
    functionNames: string[],
    private readonly interpreter: Interpreter,
    uniform: UniformSource,
    private readonly buffers: { inputSamples: Float64Array[]; recordLimit: number },
  ) {
    this.functions = functionNames.map((name) => {
      const def = name === RANDBETWEEN_UNIFORM.name ? RANDBETWEEN_UNIFORM : lookupFunction(name);
      if (!def) throw new Error(`internal: the kernel calls unknown function ${name}`);
      return def;
    });
    this.fastAggregates = functionNames.map((name) => FAST_AGGREGATES[name]);
    this.contexts = program.contexts.map((caller) => ({
      caller,
      sheetNames: interpreter.book.sheets.map((s) => s.name),
      values: (ref) => interpreter.referenceValuesComputed(ref),
      formulaText: () => undefined,
      random: () => 0.5,
      now: () => Date.now() / 86_400_000 + 25569,
    }));
    this.draws = inputDraws(program, uniform);
    this.distributions = program.inputs.map((input) => {
      if (input.source.kind !== 'distribution') return undefined;
      const d = createDistribution(input.source.spec, { manyDraws: true });
      if ('error' in d) throw new Error(`internal: invalid distribution reached the kernel: ${d.error}`);
      return d;
    });
  }

  /** Each input's uniforms for the current block of trials (index: trial - block start), then its samples. */
  readonly uniforms: Float64Array[] = [];

  u(input: number, trial: number): number {
    const { source, stream } = this.draws[input];
    return source.one(stream, trial);
  }

  dynamic(input: number, params: Operand[], trial: number): Value {
    const source = this.program.inputs[input].source;
    if (source.kind !== 'dynamic') return Errors.VALUE;
    if (ALT_FUNCTIONS.has(source.functionName)) {
      // an Alt form's argument types are text: solved for its parameters in every trial, as @RISK does
      const result = distributionFromCall({ name: source.functionName, params, properties: [] });
      return 'error' in result ? Errors.NUM : this.record(input, trial, result.distribution);
    }
    const numbers: number[] = [];
    for (const p of params) {
      const n = toNumber(p instanceof Matrix ? p.data[0] : p);
      if (n instanceof ExcelError) return n;
      numbers.push(n);
    }
    const distribution = createDistribution({
      type: source.type,
      params: numbers,
      name: source.functionName,
    });
    if ('error' in distribution) return Errors.NUM;
    return this.record(input, trial, distribution);
  }

  /**
   * RiskCompound's value in a trial from its frequency's uniform u (plain or Latin hypercube): that many
   * severities from the input's further draws of the trial.
   */
  compound(input: number, u: number, trial: number): number {
    const parts = this.distributions[input]?.compound;
    if (!parts) throw new Error('internal: not a RiskCompound input');
    const { source, stream } = this.draws[input];
    return compoundSample(parts, u, (draw) => source.extra(stream, trial, draw)) + parts.shift;
  }

  /** The trial's draw from a distribution built in that trial, kept among the input's samples. */
  private record(input: number, trial: number, distribution: Distribution): number {
    const value = distribution.inverseCdf(this.u(input, trial));
    if (trial < this.buffers.recordLimit) this.buffers.inputSamples[input][trial - this.recordBase] = value;
    return value;
  }

  /** Fills the random positions of a range's matrix in place: each range site owns one matrix, rewritten every trial. */
  area(matrix: Matrix, positions: number[], values: Value[]): Matrix {
    const data = matrix.data;
    for (let i = 0; i < positions.length; i++) {
      const v = values[i];
      data[positions[i]] = v instanceof Matrix ? v.data[0] : (v as Scalar);
    }
    return matrix;
  }

  add = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? fin(a + b) : slow('+', a, b);
  sub = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? fin(a - b) : slow('-', a, b);
  mul = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? fin(a * b) : slow('*', a, b);
  div = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? (b === 0 ? Errors.DIV0 : fin(a / b)) : slow('/', a, b);
  pow = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' && a !== 0 ? fin(numericPower(a, b)) : slow('^', a, b);
  cat = (a: Operand, b: Operand): Operand => slow('&', a, b);
  eq = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? a === b : slow('=', a, b);
  ne = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? a !== b : slow('<>', a, b);
  lt = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? a < b : slow('<', a, b);
  le = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? a <= b : slow('<=', a, b);
  gt = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? a > b : slow('>', a, b);
  ge = (a: Operand, b: Operand): Operand =>
    typeof a === 'number' && typeof b === 'number' ? a >= b : slow('>=', a, b);
  neg = (a: Operand): Operand => (typeof a === 'number' ? (a === 0 ? 0 : -a) : lift1(a, negate));
  pct = (a: Operand): Operand => (typeof a === 'number' ? a / 100 : lift1(a, percent));

  /** 1 for TRUE, 0 for FALSE, -1 (with `err` set) when the condition is an error or not a truth value. */
  test = (v: Operand): number => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number') return v !== 0 ? 1 : 0;
    if (v instanceof Matrix) {
      this.err = Errors.VALUE;
      return -1;
    }
    const b = toBoolean(v);
    if (b instanceof ExcelError) {
      this.err = b;
      return -1;
    }
    return b ? 1 : 0;
  };

  chooseIndex = (v: Operand, count: number): number => {
    const n = toNumber(v instanceof Matrix ? v.data[0] : v);
    if (n instanceof ExcelError) {
      this.err = n;
      return -1;
    }
    const k = Math.trunc(n);
    if (k < 1 || k > count) {
      this.err = Errors.VALUE;
      return -1;
    }
    return k;
  };

  isError = (v: Value): boolean => v instanceof ExcelError;
  isNA = (v: Value): boolean => v === Errors.NA;
  blankAsZero = (v: Value): Value => (v === null ? 0 : v);

  call = (fn: number, args: Value[], context: number): Value => {
    const fast = this.fastAggregates[fn];
    if (fast) {
      const value = fast(args);
      if (value !== undefined) return value;
    }
    const ctx = this.contexts[context];
    const at = ctx.caller;
    const result = applyFunction(this.functions[fn], args, ctx, (ref) =>
      this.interpreter.intersectAt(ref, at),
    );
    if (result instanceof Reference)
      return result.isSingleCell
        ? this.interpreter.intersectAt(result, at)
        : this.interpreter.referenceValuesComputed(result);
    if (result instanceof Lambda) return Errors.CALC;
    return result;
  };

  errorCode = (v: Value): number => outcomeCode(v instanceof Matrix ? v.data[0] : v);

  // The fast form's helpers (codegen.ts): numbers only, a non-finite number standing for an error.

  /** Thrown to recompute a trial in the general form. */
  readonly BAIL = BAIL;
  bail = (): never => {
    throw BAIL;
  };
  /** A numeric cell entering the general form: only a finite number may. */
  chk = (x: number): number => {
    if (x - x === 0) return x;
    throw BAIL;
  };
  fdiv = (a: number, b: number): number => (b - b === 0 && b !== 0 ? a / b : Number.NaN);
  fpow = (a: number, b: number): number => {
    if (!(a - a === 0 && b - b === 0)) return Number.NaN;
    // 0^b has its own rules (0^0 is #NUM!, 0^-1 is #DIV/0!): the general operator decides.
    const r = a !== 0 ? numericPower(a, b) : this.pow(a, b);
    return typeof r === 'number' ? r : Number.NaN;
  };
  /** a^n for a whole n that isWholePowerExponent accepts, known when the kernel was written. */
  fpowWhole = (a: number, n: number): number =>
    a - a === 0 && a !== 0 ? wholeNumberPower(a, n) : this.fpow(a, n);
  fpow0 = (a: number): number => (a - a === 0 && a !== 0 ? 1 : this.fpow(a, 0));
  fpow1 = (a: number): number => (a - a === 0 && a !== 0 ? a : this.fpow(a, 1));
  fpow2 = (a: number): number => (a - a === 0 && a !== 0 ? a * a : this.fpow(a, 2));
  feq = (a: number, b: number): number => (a - a === 0 && b - b === 0 ? (a === b ? 1 : 0) : -1);
  fne = (a: number, b: number): number => (a - a === 0 && b - b === 0 ? (a !== b ? 1 : 0) : -1);
  flt = (a: number, b: number): number => (a - a === 0 && b - b === 0 ? (a < b ? 1 : 0) : -1);
  fle = (a: number, b: number): number => (a - a === 0 && b - b === 0 ? (a <= b ? 1 : 0) : -1);
  fgt = (a: number, b: number): number => (a - a === 0 && b - b === 0 ? (a > b ? 1 : 0) : -1);
  fge = (a: number, b: number): number => (a - a === 0 && b - b === 0 ? (a >= b ? 1 : 0) : -1);
  ftruth = (a: number): number => (a - a === 0 ? (a !== 0 ? 1 : 0) : -1);
  /** CHOOSE's index: 1..count, or -1 (#VALUE!, or an error index). */
  fchoose = (a: number, count: number): number => {
    const k = Math.trunc(a);
    return k >= 1 && k <= count ? k : -1;
  };
  fabs = (a: number): number => Math.abs(a);
  fsqrt = (a: number): number => Math.sqrt(a);
  // exp(-∞) is 0: an error must stay an error.
  fexp = (a: number): number => (a - a === 0 ? Math.exp(a) : Number.NaN);
  fln = (a: number): number => Math.log(a);
  fnpv = (rate: number, flows: number[]): number => {
    if (!(rate - rate === 0 && allFinite(flows)) || rate === -1) return Number.NaN;
    return netPresentValue(rate, flows);
  };
  fround = (x: number, digits: number): number => rounded(x, digits, halfAwayFromZero);
  froundup = (x: number, digits: number): number => rounded(x, digits, awayFromZero);
  frounddown = (x: number, digits: number): number => rounded(x, digits, towardZero);
  fpv = (rate: number, nper: number, pmt: number, fv: number, type: number): number =>
    rate - rate === 0 && nper - nper === 0 && pmt - pmt === 0 && fv - fv === 0 && type - type === 0
      ? presentValue(rate, nper, pmt, fv, paymentType(type))
      : Number.NaN;
  firr = (flows: number[], guess: number): number => {
    if (!(guess - guess === 0 && allFinite(flows))) return Number.NaN;
    const r = internalRate(flows, guess);
    return typeof r === 'number' ? r : Number.NaN;
  };
}

const BAIL = { bail: true };

function rounded(x: number, digits: number, step: IntegerStep): number {
  return x - x === 0 && digits - digits === 0 ? roundToDigits(x, digits, step) : Number.NaN;
}

function allFinite(values: number[]): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i] - values[i] === 0)) return false;
  return true;
}
