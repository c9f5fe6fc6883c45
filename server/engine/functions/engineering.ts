/** ENGINEERING: Bessel functions, bit operations, number bases, complex numbers, CONVERT, ERF, GESTEP, DELTA. */
import { numberToText, toNumber } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Scalar, type Value } from '../values/value';
import * as C from './engineering-complex';
import { convertUnits } from './engineering-convert';
import { besselI, besselJ, besselK, besselY, erf, erfc } from './engineering-special';
import { finite, type NumberOrError, numberArgs, scalarArg, textArg } from './math-args';
import { define, type FunctionDefinition } from './types';

/** Engineering functions refuse booleans, even from cells. */
function engineeringNumber(value: Value | undefined): NumberOrError {
  const s = scalarArg(value);
  return typeof s === 'boolean' ? Errors.VALUE : toNumber(s);
}

function numeric(
  name: string,
  minArgs: number,
  maxArgs: number,
  fn: (...xs: number[]) => NumberOrError,
  defaults: (number | undefined)[] = [],
): FunctionDefinition {
  return define(name, 'engineering', minArgs, maxArgs, ['scalar'], (args) => {
    const xs: number[] = [];
    for (let i = 0; i < maxArgs; i++) {
      if (i >= args.length) {
        if (defaults[i] === undefined) break;
        xs.push(defaults[i] as number);
        continue;
      }
      const n = engineeringNumber(args[i]);
      if (isError(n)) return n;
      xs.push(n);
    }
    return finite(fn(...xs));
  });
}

// ---------------------------------------------------------------------------------------------------
// Bessel

function bessel(
  name: string,
  fn: (x: number, n: number) => number,
  positiveOnly: boolean,
): FunctionDefinition {
  return numeric(name, 2, 2, (x, order) => {
    const n = Math.trunc(order);
    if (n < 0 || (positiveOnly && x <= 0)) return Errors.NUM;
    return fn(x, n);
  });
}

// ---------------------------------------------------------------------------------------------------
// Bits: non-negative integers below 2^48

const BIT_LIMIT = 2 ** 48;

function bitOperand(x: number): boolean {
  return x >= 0 && x < BIT_LIMIT && Number.isInteger(x);
}

/** Bit functions, unlike the rest of the category, accept booleans. */
function bitFunction(name: string, fn: (a: number, b: number) => NumberOrError): FunctionDefinition {
  return define(name, 'engineering', 2, 2, ['scalar'], (args) => {
    const xs = numberArgs(args);
    return isError(xs) ? xs : finite(fn(xs[0], xs[1]));
  });
}

function bitwise(name: string, op: (a: bigint, b: bigint) => bigint): FunctionDefinition {
  return bitFunction(name, (a, b) => {
    if (!bitOperand(a) || !bitOperand(b)) return Errors.NUM;
    return Number(op(BigInt(a), BigInt(b)));
  });
}

function shift(x: number, amount: number): NumberOrError {
  amount = Math.trunc(amount);
  if (!bitOperand(x) || Math.abs(amount) > 53) return Errors.NUM;
  const result = amount >= 0 ? BigInt(x) << BigInt(amount) : BigInt(x) >> BigInt(-amount);
  return result >= BigInt(BIT_LIMIT) ? Errors.NUM : Number(result);
}

// ---------------------------------------------------------------------------------------------------
// Number bases: 10 digits, negatives in two's complement

interface Base {
  radix: number;
  /** 10 digits in this base: values at or above half of it are negative. */
  span: number;
}

const BASES: Record<string, Base> = {
  BIN: { radix: 2, span: 2 ** 10 },
  OCT: { radix: 8, span: 8 ** 10 },
  HEX: { radix: 16, span: 16 ** 10 },
};

/** The digits argument: text, or a number written in that base; at most 10 valid digits. */
function parseBase(value: Scalar, base: Base): NumberOrError {
  if (isError(value)) return value;
  if (typeof value === 'boolean') return Errors.VALUE;
  const text = typeof value === 'number' ? numberToText(value) : (value ?? '').toString();
  if (text.length > 10) return Errors.NUM;
  if (text === '') return 0;
  const valid = base.radix === 16 ? /^[0-9a-f]+$/i : base.radix === 8 ? /^[0-7]+$/ : /^[01]+$/;
  if (!valid.test(text)) return Errors.NUM;
  const n = Number.parseInt(text, base.radix);
  return n >= base.span / 2 ? n - base.span : n;
}

/** Writes a decimal in a base; negatives take all 10 digits, `places` pads positives. */
function formatBase(n: number, base: Base, places: Value | undefined): Scalar {
  n = Math.trunc(n);
  if (n < -base.span / 2 || n >= base.span / 2) return Errors.NUM;
  let width: number | undefined;
  if (places !== undefined) {
    // An empty places cell counts as 0, which is invalid like any width outside 1–10.
    const p = engineeringNumber(places);
    if (isError(p)) return p;
    width = Math.trunc(p);
    if (width < 1 || width > 10) return Errors.NUM;
  }
  if (n < 0) return (n + base.span).toString(base.radix).toUpperCase();
  const digits = n.toString(base.radix).toUpperCase();
  if (width === undefined) return digits;
  return width < digits.length ? Errors.NUM : digits.padStart(width, '0');
}

function baseConversion(from: string, to: string): FunctionDefinition {
  return define(`${from}2${to}`, 'engineering', 1, 2, ['scalar'], (args) => {
    const value = scalarArg(args[0]);
    let n: NumberOrError;
    if (from === 'DEC') {
      n = engineeringNumber(value);
    } else n = parseBase(value, BASES[from]);
    if (isError(n)) return n;
    if (to === 'DEC') return n;
    return formatBase(n, BASES[to], args[1]);
  });
}

const BASE_FUNCTIONS: FunctionDefinition[] = [];
for (const from of ['BIN', 'OCT', 'DEC', 'HEX'])
  for (const to of ['BIN', 'OCT', 'DEC', 'HEX'])
    if (from !== to) BASE_FUNCTIONS.push(baseConversion(from, to));

// ---------------------------------------------------------------------------------------------------
// Complex numbers

type ComplexResult = C.Complex | number | ExcelError;

/** An IM* function of complex arguments; complex results are written back as text. */
function imaginary(
  name: string,
  arity: number,
  fn: (...zs: C.Complex[]) => ComplexResult,
): FunctionDefinition {
  return define(name, 'engineering', arity, arity, ['scalar'], (args) => {
    const zs: C.Complex[] = [];
    for (const arg of args) {
      const z = C.parseComplex(scalarArg(arg));
      if (isError(z)) return z;
      zs.push(z);
    }
    if (zs.length === 2 && zs[0].suffix !== zs[1].suffix && notReal(zs[0]) && notReal(zs[1]))
      return Errors.VALUE;
    return complexResult(fn(...zs));
  });
}

function notReal(z: C.Complex): boolean {
  return z.im !== 0;
}

function complexResult(result: ComplexResult): Scalar {
  if (isError(result)) return result;
  if (typeof result === 'number') return finite(result);
  return C.formatComplex(result);
}

/** IMSUM and IMPRODUCT take any number of complex values, ranges included (empty cells are 0). */
function imaginaryFold(name: string, combine: (a: C.Complex, b: C.Complex) => C.Complex): FunctionDefinition {
  return define(name, 'engineering', 1, 255, ['array'], (args) => {
    let acc: C.Complex | undefined;
    for (const arg of args) {
      const values = arg instanceof Matrix ? arg.data : [scalarArg(arg)];
      for (const v of values) {
        const z = C.parseComplex(v);
        if (isError(z)) return z;
        acc = acc ? combine(acc, z) : z;
      }
    }
    return acc ? C.formatComplex(acc) : '0';
  });
}

function complexFunction(args: Value[]): Scalar {
  const parts = numberArgs(args.slice(0, 2));
  if (isError(parts)) return parts;
  for (const a of args.slice(0, 2)) if (typeof scalarArg(a) === 'boolean') return Errors.VALUE;
  const suffix = args.length > 2 && args[2] !== null ? textArg(args[2]) : 'i';
  if (isError(suffix)) return suffix;
  if (suffix !== 'i' && suffix !== 'j' && suffix !== '') return Errors.VALUE;
  return C.formatComplex(C.complex(parts[0], parts[1], suffix === 'j' ? 'j' : 'i'));
}

function impower(args: Value[]): Scalar {
  const z = C.parseComplex(scalarArg(args[0]));
  if (isError(z)) return z;
  const n = engineeringNumber(args[1]);
  if (isError(n)) return n;
  return complexResult(C.power(z, n));
}

const LN10 = Math.LN10;
const LN2 = Math.LN2;

function logBase(z: C.Complex, base: number): ComplexResult {
  const l = C.ln(z);
  return isError(l) ? l : C.scale(l, 1 / base);
}

function tan(z: C.Complex): ComplexResult {
  return C.div(C.sin(z), C.cos(z));
}

const COMPLEX_FUNCTIONS: FunctionDefinition[] = [
  define('COMPLEX', 'engineering', 2, 3, ['scalar'], complexFunction),
  imaginary('IMABS', 1, (z) => C.abs(z)),
  imaginary('IMAGINARY', 1, (z) => z.im),
  imaginary('IMREAL', 1, (z) => z.re),
  imaginary('IMARGUMENT', 1, (z) => C.arg(z)),
  imaginary('IMCONJUGATE', 1, (z) => C.complex(z.re, -z.im, z.suffix)),
  imaginary('IMEXP', 1, C.exp),
  imaginary('IMLN', 1, C.ln),
  imaginary('IMLOG10', 1, (z) => logBase(z, LN10)),
  imaginary('IMLOG2', 1, (z) => logBase(z, LN2)),
  imaginary('IMSQRT', 1, C.sqrt),
  imaginary('IMSIN', 1, C.sin),
  imaginary('IMCOS', 1, C.cos),
  imaginary('IMTAN', 1, tan),
  imaginary('IMCOT', 1, (z) => C.div(C.cos(z), C.sin(z))),
  imaginary('IMSEC', 1, (z) => C.reciprocal(C.cos(z))),
  imaginary('IMCSC', 1, (z) => C.reciprocal(C.sin(z))),
  imaginary('IMSINH', 1, C.sinh),
  imaginary('IMCOSH', 1, C.cosh),
  imaginary('IMSECH', 1, (z) => C.reciprocal(C.cosh(z))),
  imaginary('IMCSCH', 1, (z) => C.reciprocal(C.sinh(z))),
  imaginary('IMDIV', 2, C.div),
  imaginary('IMSUB', 2, C.sub),
  define('IMPOWER', 'engineering', 2, 2, ['scalar'], impower),
  imaginaryFold('IMSUM', C.add),
  imaginaryFold('IMPRODUCT', C.mul),
];

// ---------------------------------------------------------------------------------------------------

function convert(args: Value[]): Scalar {
  const x = engineeringNumber(args[0]);
  if (isError(x)) return x;
  const from = textArg(args[1]);
  if (isError(from)) return from;
  const to = textArg(args[2]);
  if (isError(to)) return to;
  return finite(convertUnits(x, from, to));
}

function erfFunction(lower: number, upper?: number): number {
  return upper === undefined ? erf(lower) : erf(upper) - erf(lower);
}

export const engineeringFunctions: FunctionDefinition[] = [
  bessel('BESSELJ', besselJ, false),
  bessel('BESSELI', besselI, false),
  bessel('BESSELK', besselK, true),
  bessel('BESSELY', besselY, true),
  bitwise('BITAND', (a, b) => a & b),
  bitwise('BITOR', (a, b) => a | b),
  bitwise('BITXOR', (a, b) => a ^ b),
  bitFunction('BITLSHIFT', (x, n) => shift(x, n)),
  bitFunction('BITRSHIFT', (x, n) => shift(x, -n)),
  ...BASE_FUNCTIONS,
  ...COMPLEX_FUNCTIONS,
  define('CONVERT', 'engineering', 3, 3, ['scalar'], convert),
  numeric('ERF', 1, 2, erfFunction),
  numeric('ERF.PRECISE', 1, 1, erf),
  numeric('ERFC', 1, 1, erfc),
  numeric('ERFC.PRECISE', 1, 1, erfc),
  numeric('GESTEP', 1, 2, (n, step) => (n >= step ? 1 : 0), [undefined, 0]),
  numeric('DELTA', 1, 2, (a, b) => (a === b ? 1 : 0), [undefined, 0]),
];
