/**
 * SUBTOTAL and AGGREGATE: the small statistics they dispatch to, over the cells of their references.
 * Cells whose own formula is a SUBTOTAL or AGGREGATE are skipped, so nested subtotals are not counted twice.
 * Hidden rows are not known to the engine, so 101–111 behave as 1–11.
 */
import {
  Errors,
  type ExcelError,
  isError,
  Matrix,
  Reference,
  type Scalar,
  type Value,
} from '../values/value';
import { numberArg } from './math-args';
import type { FunctionContext } from './types';

type Statistic = (numbers: number[], nonEmpty: number) => number | ExcelError;

function mean(xs: number[]): number | ExcelError {
  return xs.length === 0 ? Errors.DIV0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: number[], sample: boolean): number | ExcelError {
  const n = xs.length;
  if (n === 0 || (sample && n === 1)) return Errors.DIV0;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const ss = xs.reduce((a, x) => a + (x - m) ** 2, 0);
  return ss / (sample ? n - 1 : n);
}

function sqrtOf(v: number | ExcelError): number | ExcelError {
  return isError(v) ? v : Math.sqrt(v);
}

function median(xs: number[]): number | ExcelError {
  if (xs.length === 0) return Errors.NUM;
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function mode(xs: number[]): number | ExcelError {
  const counts = new Map<number, number>();
  let best: number | undefined;
  let bestCount = 1;
  for (const x of xs) {
    const c = (counts.get(x) ?? 0) + 1;
    counts.set(x, c);
    if (c > bestCount) {
      best = x;
      bestCount = c;
    }
  }
  return best ?? Errors.NA;
}

/** Statistics by SUBTOTAL/AGGREGATE function number (1–13 shared by both). */
const STATISTICS: Record<number, Statistic> = {
  1: mean,
  2: (xs) => xs.length,
  3: (_, nonEmpty) => nonEmpty,
  // reduce, not Math.max(...xs): a spread of a large range overflows the stack.
  4: (xs) => (xs.length ? xs.reduce((a, b) => Math.max(a, b)) : 0),
  5: (xs) => (xs.length ? xs.reduce((a, b) => Math.min(a, b)) : 0),
  6: (xs) => xs.reduce((a, b) => a * b, 1),
  7: (xs) => sqrtOf(variance(xs, true)),
  8: (xs) => sqrtOf(variance(xs, false)),
  9: (xs) => xs.reduce((a, b) => a + b, 0),
  10: (xs) => variance(xs, true),
  11: (xs) => variance(xs, false),
  12: median,
  13: mode,
};

function isNestedSubtotal(ctx: FunctionContext, ref: Reference, row: number, col: number): boolean {
  const text = ctx.formulaText(new Reference(ref.sheet, row, col, row, col));
  return text !== undefined && /\b(SUBTOTAL|AGGREGATE)\s*\(/i.test(text);
}

interface Gathered {
  numbers: number[];
  nonEmpty: number;
  error?: ExcelError;
}

function gather(args: Value[], ctx: FunctionContext, ignoreErrors: boolean): Gathered {
  const out: Gathered = { numbers: [], nonEmpty: 0 };
  const take = (v: Scalar): boolean => {
    if (isError(v)) {
      if (ignoreErrors) return true;
      out.error = v;
      return false;
    }
    if (v !== null) out.nonEmpty++;
    if (typeof v === 'number') out.numbers.push(v);
    return true;
  };
  for (const arg of args) {
    if (arg instanceof Reference) {
      const values = ctx.values(arg);
      for (let r = 0; r < values.rows; r++)
        for (let c = 0; c < values.cols; c++) {
          if (isNestedSubtotal(ctx, arg, arg.top + r, arg.left + c)) continue;
          if (!take(values.get(r, c))) return out;
        }
    } else if (arg instanceof Matrix) {
      for (const v of arg.data) if (!take(v)) return out;
    } else if (!take(arg as Scalar)) return out;
  }
  return out;
}

export function subtotal(args: Value[], ctx: FunctionContext): Value {
  const code = numberArg(args[0]);
  if (isError(code)) return code;
  const n = Math.trunc(code);
  const statistic = STATISTICS[n > 100 ? n - 100 : n];
  if (!statistic || n === 12 || n === 13 || n === 112 || n === 113) return Errors.VALUE;
  const g = gather(args.slice(1), ctx, false);
  return g.error ?? statistic(g.numbers, g.nonEmpty);
}

function kth(xs: number[], k: number, largest: boolean): number | ExcelError {
  const i = Math.ceil(k);
  if (i < 1 || i > xs.length) return Errors.NUM;
  const s = xs.slice().sort((a, b) => (largest ? b - a : a - b));
  return s[i - 1];
}

function percentile(xs: number[], p: number, exclusive: boolean): number | ExcelError {
  const n = xs.length;
  if (n === 0) return Errors.NUM;
  const s = xs.slice().sort((a, b) => a - b);
  const rank = exclusive ? p * (n + 1) - 1 : p * (n - 1);
  if (p < 0 || p > 1 || rank < 0 || rank > n - 1) return Errors.NUM;
  const lo = Math.floor(rank);
  return lo + 1 < n ? s[lo] + (rank - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

/** AGGREGATE(function_num, options, ref1, …) or AGGREGATE(14–19, options, array, k). */
export function aggregate(args: Value[], ctx: FunctionContext): Value {
  const code = numberArg(args[0]);
  const options = numberArg(args[1] ?? 0);
  if (isError(code)) return code;
  if (isError(options)) return options;
  const n = Math.trunc(code);
  const opt = Math.trunc(options);
  if (opt < 0 || opt > 7) return Errors.VALUE;
  const ignoreErrors = opt === 2 || opt === 3 || opt === 6 || opt === 7;
  if (n >= 1 && n <= 13) {
    const g = gather(args.slice(2), ctx, ignoreErrors);
    return g.error ?? STATISTICS[n](g.numbers, g.nonEmpty);
  }
  if (n < 14 || n > 19 || args.length < 4) return Errors.VALUE;
  const k = numberArg(args[3]);
  if (isError(k)) return k;
  const g = gather([args[2]], ctx, ignoreErrors);
  if (g.error) return g.error;
  switch (n) {
    case 14:
      return kth(g.numbers, k, true);
    case 15:
      return kth(g.numbers, k, false);
    case 16:
      return percentile(g.numbers, k, false);
    case 17:
      return percentile(g.numbers, Math.trunc(k) / 4, false);
    case 18:
      return percentile(g.numbers, k, true);
    default:
      return percentile(g.numbers, Math.trunc(k) / 4, true);
  }
}
