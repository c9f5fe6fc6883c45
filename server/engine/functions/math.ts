/** MATH_AND_TRIGONOMETRY: arithmetic, rounding, trigonometry, combinatorics, matrices and sums. */
import { power } from '../evaluate/operators';
import { Errors, type ExcelError, isError, type Matrix, type Scalar, type Value } from '../values/value';
import {
  asMatrix,
  collectNumbers,
  finite,
  forEachNumber,
  type NumberOrError,
  numberArg,
  numberArgs,
  round15,
  scalarArg,
  strictNumber,
  strictOperands,
  textArg,
} from './math-args';
import { determinant, identity, inverse, multiply, numericGrid, toMatrix } from './math-matrix';
import { fromBase, fromRoman, toBase, toRoman } from './math-numerals';
import {
  awayFromZero,
  ceiling,
  ceilingMath,
  even,
  floorMath,
  floorTo,
  halfAwayFromZero,
  mround,
  odd,
  roundToDigits,
  toMultiple,
  towardZero,
} from './math-rounding';
import { aggregate, subtotal } from './math-subtotal';
import { define, type FunctionDefinition } from './types';

/** A function of numeric scalar arguments; omitted optional arguments take `defaults`. */
function numeric(
  name: string,
  minArgs: number,
  maxArgs: number,
  fn: (...xs: number[]) => NumberOrError,
  defaults: (number | undefined)[] = [],
): FunctionDefinition {
  return define(name, 'math', minArgs, maxArgs, ['scalar'], (args) => {
    const xs = numberArgs(args, defaults);
    return isError(xs) ? xs : finite(fn(...xs));
  });
}

/** Sine-like functions are only defined by Excel below 2^27 in magnitude. */
const TRIG_LIMIT = 2 ** 27;
function periodic(name: string, fn: (x: number) => NumberOrError): FunctionDefinition {
  return numeric(name, 1, 1, (x) => (Math.abs(x) >= TRIG_LIMIT ? Errors.NUM : fn(x)));
}

function reciprocal(x: number): NumberOrError {
  return x === 0 ? Errors.DIV0 : 1 / x;
}

/** Aggregates whose arguments are walked with SUM's rules. */
function aggregateOfNumbers(
  name: string,
  fn: (xs: number[]) => NumberOrError,
  minArgs = 1,
): FunctionDefinition {
  return define(name, 'math', minArgs, 255, ['array'], (args) => {
    const xs = collectNumbers(args);
    return isError(xs) ? xs : finite(fn(xs));
  });
}

/** GCD, LCM and MULTINOMIAL convert text even inside ranges and refuse booleans. */
function strictAggregate(name: string, fn: (xs: number[]) => NumberOrError): FunctionDefinition {
  return define(name, 'math', 1, 255, ['array'], (args) => {
    const xs = strictOperands(args);
    return isError(xs) ? xs : finite(fn(xs));
  });
}

function sum(xs: number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

function factorial(n: number): number {
  let result = 1;
  for (let i = 2; i <= n; i++) result *= i;
  return result;
}

function doubleFactorial(n: number): NumberOrError {
  n = Math.trunc(n);
  if (n < -1) return Errors.NUM;
  let result = 1;
  for (let i = n; i > 1; i -= 2) result *= i;
  return result;
}

function combin(n: number, k: number): NumberOrError {
  n = Math.trunc(n);
  k = Math.trunc(k);
  if (n < 0 || k < 0 || n < k) return Errors.NUM;
  k = Math.min(k, n - k);
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result < 2 ** 53 ? Math.round(result) : result;
}

function combina(n: number, k: number): NumberOrError {
  n = Math.trunc(n);
  k = Math.trunc(k);
  if (n < 0 || k < 0) return Errors.NUM;
  if (n === 0 && k === 0) return 1;
  return combin(n + k - 1, k);
}

function multinomial(xs: number[]): NumberOrError {
  let total = 0;
  let result = 1;
  for (const raw of xs) {
    const x = Math.trunc(raw);
    if (x < 0) return Errors.NUM;
    total += x;
    const c = combin(total, x);
    if (isError(c)) return c;
    result *= c;
  }
  return result;
}

/** GCD/LCM operands: truncated, non-negative and below 2^53. */
function integerOperands(xs: number[]): number[] | ExcelError {
  const out: number[] = [];
  for (const x of xs) {
    if (x < 0 || x >= 2 ** 53) return Errors.NUM;
    out.push(Math.trunc(x));
  }
  return out;
}

function gcd2(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function gcd(xs: number[]): NumberOrError {
  const ints = integerOperands(xs);
  return isError(ints) ? ints : ints.reduce(gcd2, 0);
}

function lcm(xs: number[]): NumberOrError {
  const ints = integerOperands(xs);
  if (isError(ints)) return ints;
  let result = 1;
  for (const x of ints) {
    if (x === 0) return 0;
    result = (result / gcd2(result, x)) * x;
  }
  return result >= 2 ** 53 ? Errors.NUM : result;
}

function log(x: number, base: number): NumberOrError {
  if (x <= 0 || base <= 0) return Errors.NUM;
  if (base === 1) return Errors.DIV0;
  if (base === 10) return Math.log10(x);
  // Exact powers (LOG(125, 5)) come out as integers in Excel, not 3.0000000000000004.
  const result = Math.log(x) / Math.log(base);
  const nearest = Math.round(result);
  return Math.abs(result - nearest) <= 4e-15 * Math.abs(result) ? nearest : result;
}

function mod(n: number, d: number): NumberOrError {
  if (d === 0) return Errors.DIV0;
  const result = n - d * Math.floor(n / d);
  return result === 0 ? 0 : result;
}

function quotient(n: number, d: number): NumberOrError {
  if (d === 0) return Errors.DIV0;
  return Math.trunc(round15(n / d));
}

/** Like `numeric`, for functions that refuse booleans even from cells (QUOTIENT, MROUND), unlike MOD. */
function strictNumeric(name: string, fn: (x: number, y: number) => NumberOrError): FunctionDefinition {
  return define(name, 'math', 2, 2, ['scalar'], (args) => {
    const x = strictNumber(scalarArg(args[0]));
    if (isError(x)) return x;
    const y = strictNumber(scalarArg(args[1]));
    return isError(y) ? y : finite(fn(x, y));
  });
}

/** Walks arrays of the same shape pairwise, for the SUMX… family. */
function pairwiseSum(fn: (x: number, y: number) => number): FunctionDefinition['impl'] {
  return (args) => {
    const a = asMatrix(args[0]);
    const b = asMatrix(args[1]);
    if (isError(a)) return a;
    if (isError(b)) return b;
    if (a.data.length !== b.data.length) return Errors.NA;
    let total = 0;
    for (let i = 0; i < a.data.length; i++) {
      const x = a.data[i];
      const y = b.data[i];
      if (isError(x)) return x;
      if (isError(y)) return y;
      if (typeof x === 'number' && typeof y === 'number') total += fn(x, y);
    }
    return finite(total);
  };
}

function sumProduct(args: Value[]): Scalar {
  const arrays: Matrix[] = [];
  for (const arg of args) {
    const m = asMatrix(arg);
    if (isError(m)) return m;
    arrays.push(m);
  }
  const { rows, cols } = arrays[0];
  if (arrays.some((m) => m.rows !== rows || m.cols !== cols)) return Errors.VALUE;
  let total = 0;
  for (let i = 0; i < rows * cols; i++) {
    let product = 1;
    for (const m of arrays) {
      const v = m.data[i];
      if (isError(v)) return v;
      product *= typeof v === 'number' ? v : 0;
    }
    total += product;
  }
  return finite(total);
}

function seriesSum(args: Value[]): Scalar {
  const xs: number[] = [];
  for (const arg of args.slice(0, 3)) {
    const v = strictNumber(scalarArg(arg));
    if (isError(v)) return v;
    xs.push(v);
  }
  const [x, n, m] = xs;
  const coefficients = asMatrix(args[3]);
  if (isError(coefficients)) return coefficients;
  let total = 0;
  for (let i = 0; i < coefficients.data.length; i++) {
    const a = coefficients.data[i];
    if (isError(a)) return a;
    if (typeof a !== 'number') return Errors.VALUE;
    const term = power(x, n + i * m);
    if (isError(term)) return term;
    total += a * term;
  }
  return finite(total);
}

function product(args: Value[]): Scalar {
  let result = 1;
  let seen = false;
  const error = forEachNumber(args, (x) => {
    result *= x;
    seen = true;
  });
  return error ?? finite(seen ? result : 0);
}

function matrixFunction(name: string, fn: (grids: number[][][]) => Value, arity: number): FunctionDefinition {
  return define(name, 'math', arity, arity, ['array'], (args) => {
    const grids: number[][][] = [];
    for (const arg of args) {
      const g = numericGrid(arg);
      if (isError(g)) return g;
      grids.push(g);
    }
    return fn(grids);
  });
}

function gridResult(result: number[][] | ExcelError): Value {
  if (isError(result)) return result;
  if (result.some((row) => row.some((x) => !Number.isFinite(x)))) return Errors.NUM;
  return toMatrix(result);
}

function roman(args: Value[]): Scalar {
  const value = numberArg(args[0]);
  if (isError(value)) return value;
  const formArg = args[1] ?? 0;
  const form = typeof formArg === 'boolean' ? (formArg ? 0 : 4) : numberArg(formArg);
  return isError(form) ? form : toRoman(value, form);
}

function textNumeral(name: string, fn: (text: string, ...rest: number[]) => Scalar): FunctionDefinition {
  return define(name, 'math', 1, 2, ['scalar'], (args) => {
    const text = textArg(args[0]);
    if (isError(text)) return text;
    const rest = numberArgs(args.slice(1));
    return isError(rest) ? rest : fn(text, ...rest);
  });
}

export const mathFunctions: FunctionDefinition[] = [
  // Arithmetic
  numeric('ABS', 1, 1, Math.abs),
  numeric('SIGN', 1, 1, Math.sign),
  numeric('SQRT', 1, 1, (x) => (x < 0 ? Errors.NUM : Math.sqrt(x))),
  numeric('SQRTPI', 1, 1, (x) => (x < 0 ? Errors.NUM : Math.sqrt(x * Math.PI))),
  numeric('EXP', 1, 1, Math.exp),
  numeric('LN', 1, 1, (x) => (x <= 0 ? Errors.NUM : Math.log(x))),
  numeric('LOG10', 1, 1, (x) => (x <= 0 ? Errors.NUM : Math.log10(x))),
  numeric('LOG', 1, 2, log, [undefined, 10]),
  numeric('POWER', 2, 2, power),
  numeric('MOD', 2, 2, mod),
  strictNumeric('QUOTIENT', quotient),
  numeric('PI', 0, 0, () => Math.PI),
  numeric('FACT', 1, 1, (x) => (x < 0 ? Errors.NUM : factorial(Math.trunc(x)))),
  numeric('FACTDOUBLE', 1, 1, doubleFactorial),
  numeric('COMBIN', 2, 2, combin),
  numeric('COMBINA', 2, 2, combina),
  strictAggregate('MULTINOMIAL', multinomial),
  strictAggregate('GCD', gcd),
  strictAggregate('LCM', lcm),
  // Rounding
  numeric('ROUND', 2, 2, (x, d) => roundToDigits(x, d, halfAwayFromZero)),
  numeric('ROUNDUP', 2, 2, (x, d) => roundToDigits(x, d, awayFromZero)),
  numeric('ROUNDDOWN', 2, 2, (x, d) => roundToDigits(x, d, towardZero)),
  numeric('TRUNC', 1, 2, (x, d) => roundToDigits(x, d, towardZero), [undefined, 0]),
  numeric('INT', 1, 1, Math.floor),
  numeric('EVEN', 1, 1, even),
  numeric('ODD', 1, 1, odd),
  strictNumeric('MROUND', mround),
  numeric('CEILING', 2, 2, ceiling),
  numeric('FLOOR', 2, 2, floorTo),
  numeric('CEILING.MATH', 1, 3, ceilingMath, [undefined, 1, 0]),
  numeric('FLOOR.MATH', 1, 3, floorMath, [undefined, 1, 0]),
  numeric('CEILING.PRECISE', 1, 2, (x, s) => toMultiple(x, Math.abs(s), Math.ceil), [undefined, 1]),
  numeric('ISO.CEILING', 1, 2, (x, s) => toMultiple(x, Math.abs(s), Math.ceil), [undefined, 1]),
  numeric('FLOOR.PRECISE', 1, 2, (x, s) => toMultiple(x, Math.abs(s), Math.floor), [undefined, 1]),
  // Trigonometry
  numeric('DEGREES', 1, 1, (x) => (x * 180) / Math.PI),
  numeric('RADIANS', 1, 1, (x) => (x * Math.PI) / 180),
  periodic('SIN', Math.sin),
  periodic('COS', Math.cos),
  periodic('TAN', Math.tan),
  periodic('COT', (x) => (x === 0 ? Errors.DIV0 : Math.cos(x) / Math.sin(x))),
  periodic('CSC', (x) => (x === 0 ? Errors.DIV0 : 1 / Math.sin(x))),
  periodic('SEC', (x) => 1 / Math.cos(x)),
  numeric('SINH', 1, 1, Math.sinh),
  numeric('COSH', 1, 1, Math.cosh),
  numeric('TANH', 1, 1, Math.tanh),
  numeric('COTH', 1, 1, (x) => reciprocal(Math.tanh(x))),
  numeric('CSCH', 1, 1, (x) => reciprocal(Math.sinh(x))),
  numeric('SECH', 1, 1, (x) => 1 / Math.cosh(x)),
  numeric('ASIN', 1, 1, (x) => (Math.abs(x) > 1 ? Errors.NUM : Math.asin(x))),
  numeric('ACOS', 1, 1, (x) => (Math.abs(x) > 1 ? Errors.NUM : Math.acos(x))),
  numeric('ATAN', 1, 1, Math.atan),
  numeric('ATAN2', 2, 2, (x, y) => (x === 0 && y === 0 ? Errors.DIV0 : Math.atan2(y, x))),
  numeric('ACOT', 1, 1, (x) => Math.PI / 2 - Math.atan(x)),
  numeric('ASINH', 1, 1, Math.asinh),
  numeric('ACOSH', 1, 1, (x) => (x < 1 ? Errors.NUM : Math.acosh(x))),
  numeric('ATANH', 1, 1, (x) => (Math.abs(x) >= 1 ? Errors.NUM : Math.atanh(x))),
  numeric('ACOTH', 1, 1, (x) => (Math.abs(x) <= 1 ? Errors.NUM : 0.5 * Math.log((x + 1) / (x - 1)))),
  // Numerals
  define('ROMAN', 'math', 1, 2, ['scalar'], roman),
  textNumeral('ARABIC', (text) => fromRoman(text)),
  define('BASE', 'math', 2, 3, ['scalar'], (args) => {
    const xs = numberArgs(args, [undefined, undefined, 0]);
    return isError(xs) ? xs : toBase(xs[0], xs[1], xs[2]);
  }),
  textNumeral('DECIMAL', (text, radix) => fromBase(text, radix)),
  // Sums and products
  aggregateOfNumbers('SUM', sum),
  aggregateOfNumbers('SUMSQ', (xs) => sum(xs.map((x) => x * x))),
  define('PRODUCT', 'math', 1, 255, ['array'], product),
  define('SUMPRODUCT', 'math', 1, 255, ['array'], sumProduct),
  define(
    'SUMX2MY2',
    'math',
    2,
    2,
    ['array'],
    pairwiseSum((x, y) => x * x - y * y),
  ),
  define(
    'SUMX2PY2',
    'math',
    2,
    2,
    ['array'],
    pairwiseSum((x, y) => x * x + y * y),
  ),
  define(
    'SUMXMY2',
    'math',
    2,
    2,
    ['array'],
    pairwiseSum((x, y) => (x - y) ** 2),
  ),
  define('SERIESSUM', 'math', 4, 4, ['scalar', 'scalar', 'scalar', 'array'], seriesSum),
  define('SUBTOTAL', 'math', 2, 255, ['scalar', 'reference'], subtotal),
  define('AGGREGATE', 'math', 3, 255, ['scalar', 'scalar', 'reference'], aggregate),
  // Matrices
  matrixFunction('MMULT', ([a, b]) => gridResult(multiply(a, b)), 2),
  matrixFunction('MDETERM', ([a]) => finite(determinant(a)), 1),
  matrixFunction('MINVERSE', ([a]) => gridResult(inverse(a)), 1),
  define('MUNIT', 'math', 1, 1, ['scalar'], (args) => {
    const n = numberArg(args[0]);
    return isError(n) ? n : identity(n);
  }),
];
