/**
 * Descriptive statistics over data sets: means, counts, extremes, spread, shape, order statistics,
 * percentiles and ranks.
 */
import { Errors, ExcelError, Matrix, type Scalar, type Value } from '../values/value';
import {
  type CellTextRule,
  cellsOf,
  collectNumbers,
  finite,
  isScalar,
  numberArg,
  numberArgs,
} from './statistical-collect';
import { define, type FunctionDefinition } from './types';

// ---- numeric kernels (exported for the regression and test functions) ----

export function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

export function mean(xs: number[]): number {
  return sum(xs) / xs.length;
}

/** Sum of squared deviations from the mean, by the stable two-pass method. */
export function sumSquaredDeviations(xs: number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s;
}

/** Sample (n-1) or population (n) variance; #DIV/0! when there are too few values. */
export function variance(xs: number[], sample: boolean): number | ExcelError {
  const dof = sample ? xs.length - 1 : xs.length;
  if (dof <= 0) return Errors.DIV0;
  return sumSquaredDeviations(xs) / dof;
}

export function sortedAscending(xs: number[]): number[] {
  return Array.from(Float64Array.from(xs).sort());
}

// ---- definitions ----

type Reducer = (xs: number[]) => number | ExcelError | Matrix;

/** A variadic function of all numbers in its arguments. */
function aggregate(
  name: string,
  reduce: Reducer,
  rule: CellTextRule = 'skip',
  minArgs = 1,
): FunctionDefinition {
  return define(name, 'statistical', minArgs, Number.POSITIVE_INFINITY, ['array'], (args) => {
    const xs = collectNumbers(args, rule);
    if (xs instanceof ExcelError) return xs;
    const result = reduce(xs);
    return typeof result === 'number' ? finite(result) : result;
  });
}

const average: Reducer = (xs) => (xs.length === 0 ? Errors.DIV0 : mean(xs));
const maximum: Reducer = (xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => Math.max(a, b)));
const minimum: Reducer = (xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => Math.min(a, b)));

/** Sample or population standard deviation; #DIV/0! when there are too few values. */
export function standardDeviation(xs: number[], sample: boolean): number | ExcelError {
  const v = variance(xs, sample);
  return v instanceof ExcelError ? v : Math.sqrt(v);
}

function standardDeviationOf(sample: boolean): Reducer {
  return (xs) => standardDeviation(xs, sample);
}

function varianceOf(sample: boolean): Reducer {
  return (xs) => variance(xs, sample);
}

const median: Reducer = (xs) => {
  if (xs.length === 0) return Errors.NUM;
  const s = sortedAscending(xs);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** The values occurring most often (at least twice), in order of first occurrence. */
function modes(xs: number[]): number[] {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = 1;
  for (const c of counts.values()) best = Math.max(best, c);
  if (best < 2) return [];
  return [...counts.entries()].filter(([, c]) => c === best).map(([x]) => x);
}

const modeSingle: Reducer = (xs) => modes(xs)[0] ?? Errors.NA;

const modeMultiple: Reducer = (xs) => {
  const found = modes(xs);
  if (found.length === 0) return Errors.NA;
  return new Matrix(found.length, 1, found);
};

const averageDeviation: Reducer = (xs) => {
  if (xs.length === 0) return Errors.NUM;
  const m = mean(xs);
  return sum(xs.map((x) => Math.abs(x - m))) / xs.length;
};

const geometricMean: Reducer = (xs) => {
  if (xs.length === 0 || xs.some((x) => x <= 0)) return Errors.NUM;
  // The direct product is exact for small data sets (GEOMEAN(47) = 47); logarithms avoid overflow.
  const product = xs.reduce((a, b) => a * b, 1);
  if (product > 1e-300 && product < 1e300) return product ** (1 / xs.length);
  return Math.exp(sum(xs.map(Math.log)) / xs.length);
};

const harmonicMean: Reducer = (xs) => {
  if (xs.length === 0 || xs.some((x) => x <= 0)) return Errors.NUM;
  return xs.length / sum(xs.map((x) => 1 / x));
};

/** Sum of (x - mean)^power / sd^power, with the sample or population standard deviation. */
function standardizedMoment(xs: number[], power: number, sample: boolean): number | ExcelError {
  const v = variance(xs, sample);
  if (v instanceof ExcelError) return v;
  if (v === 0) return Errors.DIV0;
  const m = mean(xs);
  const sd = Math.sqrt(v);
  return sum(xs.map((x) => ((x - m) / sd) ** power));
}

const kurtosis: Reducer = (xs) => {
  const n = xs.length;
  if (n < 4) return Errors.DIV0;
  const s4 = standardizedMoment(xs, 4, true);
  if (s4 instanceof ExcelError) return s4;
  return (n * (n + 1) * s4) / ((n - 1) * (n - 2) * (n - 3)) - (3 * (n - 1) ** 2) / ((n - 2) * (n - 3));
};

const skewness: Reducer = (xs) => {
  const n = xs.length;
  if (n < 3) return Errors.DIV0;
  const s3 = standardizedMoment(xs, 3, true);
  if (s3 instanceof ExcelError) return s3;
  return (n * s3) / ((n - 1) * (n - 2));
};

const populationSkewness: Reducer = (xs) => {
  if (xs.length === 0) return Errors.DIV0;
  const s3 = standardizedMoment(xs, 3, false);
  if (s3 instanceof ExcelError) return s3;
  return s3 / xs.length;
};

// ---- functions of a data set and a parameter ----

/** A function of one data set (first argument) and further scalar arguments. */
function ofDataSet(
  name: string,
  minArgs: number,
  maxArgs: number,
  compute: (xs: number[], rest: Value[]) => Value,
): FunctionDefinition {
  const params: ('array' | 'scalar')[] = ['array', 'scalar'];
  return define(name, 'statistical', minArgs, maxArgs, params, (args) => {
    const xs = collectNumbers([args[0]]);
    if (xs instanceof ExcelError) return xs;
    const result = compute(xs, args.slice(1));
    return typeof result === 'number' ? finite(result) : result;
  });
}

function kthValue(largest: boolean) {
  return (xs: number[], [kArg]: Value[]): Value => {
    const k = numberArg(kArg);
    if (k instanceof ExcelError) return k;
    const index = Math.ceil(k);
    if (index < 1 || index > xs.length) return Errors.NUM;
    const s = sortedAscending(xs);
    return largest ? s[s.length - index] : s[index - 1];
  };
}

/** PERCENTILE.INC: interpolation at rank p·(n−1). */
export function percentileInclusive(sorted: number[], p: number): number | ExcelError {
  if (sorted.length === 0 || p < 0 || p > 1) return Errors.NUM;
  return interpolateAt(sorted, p * (sorted.length - 1));
}

/** PERCENTILE.EXC: interpolation at rank p·(n+1) − 1, which must fall within the data. */
export function percentileExclusive(sorted: number[], p: number): number | ExcelError {
  const n = sorted.length;
  if (n === 0 || p <= 0 || p >= 1) return Errors.NUM;
  const rank = p * (n + 1);
  if (rank < 1 || rank > n) return Errors.NUM;
  return interpolateAt(sorted, rank - 1);
}

function interpolateAt(sorted: number[], position: number): number {
  const lower = Math.floor(position);
  const fraction = position - lower;
  if (fraction === 0 || lower + 1 >= sorted.length) return sorted[lower];
  return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower]);
}

type Percentile = (sorted: number[], p: number) => number | ExcelError;

function percentile(method: Percentile) {
  return (xs: number[], [pArg]: Value[]): Value => {
    const p = numberArg(pArg);
    if (p instanceof ExcelError) return p;
    return method(sortedAscending(xs), p);
  };
}

function quartile(method: Percentile, exclusive: boolean) {
  return (xs: number[], [qArg]: Value[]): Value => {
    const q = numberArg(qArg);
    if (q instanceof ExcelError) return q;
    const quart = Math.trunc(q);
    const [lowest, highest] = exclusive ? [1, 3] : [0, 4];
    if (quart < lowest || quart > highest) return Errors.NUM;
    return method(sortedAscending(xs), quart / 4);
  };
}

/**
 * PERCENTRANK: the position of x among the data as a fraction, interpolating between neighbours, truncated
 * (not rounded) to `significance` digits. Inclusive: position/(n−1); exclusive: (position+1)/(n+1).
 */
function percentRank(exclusive: boolean) {
  return (xs: number[], [xArg, sigArg]: Value[]): Value => {
    const x = numberArg(xArg);
    if (x instanceof ExcelError) return x;
    const significance = sigArg === undefined || sigArg === null ? 3 : numberArg(sigArg);
    if (significance instanceof ExcelError) return significance;
    const digits = Math.trunc(significance);
    if (digits < 1 || xs.length === 0) return Errors.NUM;
    const s = sortedAscending(xs);
    const n = s.length;
    if (x < s[0] || x > s[n - 1]) return Errors.NA;
    const position = rankPosition(s, x);
    const fraction = exclusive ? (position + 1) / (n + 1) : n === 1 ? 1 : position / (n - 1);
    return truncateDigits(fraction, digits);
  };
}

/** Number of values below x, plus the interpolated fraction towards the next value when x is absent. */
function rankPosition(sorted: number[], x: number): number {
  let below = 0;
  while (below < sorted.length && sorted[below] < x) below++;
  if (sorted[below] === x) return below;
  const lo = sorted[below - 1];
  const hi = sorted[below];
  return below - 1 + (x - lo) / (hi - lo);
}

function truncateDigits(x: number, digits: number): number {
  const scale = 10 ** digits;
  // Round away binary noise first so that 0.81 does not truncate to 0.809.
  return Math.floor(Number((x * scale).toPrecision(15))) / scale;
}

function trimmedMean(xs: number[], [pArg]: Value[]): Value {
  const p = numberArg(pArg);
  if (p instanceof ExcelError) return p;
  if (p < 0 || p >= 1) return Errors.NUM;
  if (xs.length === 0) return Errors.NUM;
  const trim = Math.floor((xs.length * p) / 2);
  const kept = sortedAscending(xs).slice(trim, xs.length - trim);
  return mean(kept);
}

// ---- RANK ----

function rank(averageTies: boolean) {
  return define(
    averageTies ? 'RANK.AVG' : 'RANK.EQ',
    'statistical',
    2,
    3,
    ['scalar', 'array', 'scalar'],
    (args) => rankOf(args, averageTies),
  );
}

function rankOf([numberValue, refArg, orderArg]: Value[], averageTies: boolean): Value {
  const x = numberArg(numberValue);
  if (x instanceof ExcelError) return x;
  const xs = collectNumbers([refArg]);
  if (xs instanceof ExcelError) return xs;
  const order = orderArg === undefined || orderArg === null ? 0 : numberArg(orderArg);
  if (order instanceof ExcelError) return order;
  const ascending = order !== 0;
  let before = 0;
  let ties = 0;
  for (const v of xs) {
    if (v === x) ties++;
    else if (ascending ? v < x : v > x) before++;
  }
  if (ties === 0) return Errors.NA;
  return averageTies ? before + (ties + 1) / 2 : before + 1;
}

// ---- FREQUENCY ----

const frequency = define('FREQUENCY', 'statistical', 2, 2, ['array', 'array'], ([dataArg, binsArg]) => {
  const data = collectNumbers([dataArg]);
  if (data instanceof ExcelError) return data;
  const bins = collectNumbers([binsArg]);
  if (bins instanceof ExcelError) return bins;
  const order = bins.map((_, i) => i).sort((a, b) => bins[a] - bins[b]);
  const counts = new Array<number>(bins.length + 1).fill(0);
  for (const x of data) {
    const slot = order.find((i) => x <= bins[i]);
    counts[slot ?? bins.length]++;
  }
  return new Matrix(counts.length, 1, counts);
});

// ---- COUNT, COUNTA ----

function countOf(
  args: Value[],
  counts: (cell: Scalar) => boolean,
  countsTyped: (v: Scalar) => boolean,
): number {
  let n = 0;
  for (const arg of args) {
    if (arg instanceof Matrix) {
      for (const cell of arg.data) if (counts(cell)) n++;
    } else if (isScalar(arg) && countsTyped(arg)) n++;
  }
  return n;
}

const count = define('COUNT', 'statistical', 1, Number.POSITIVE_INFINITY, ['array'], (args) =>
  countOf(
    args,
    (cell) => typeof cell === 'number',
    (v) => {
      const cells = cellsOf(v);
      return !(cells instanceof ExcelError) && typeof cells[0] === 'number';
    },
  ),
);

const countA = define('COUNTA', 'statistical', 1, Number.POSITIVE_INFINITY, ['array'], (args) =>
  countOf(
    args,
    (cell) => cell !== null,
    () => true,
  ),
);

// ---- STANDARDIZE ----

const standardize = define('STANDARDIZE', 'statistical', 3, 3, ['scalar'], (args) => {
  const xs = numberArgs(args);
  if (xs instanceof ExcelError) return xs;
  const [x, m, sd] = xs;
  if (sd <= 0) return Errors.NUM;
  return (x - m) / sd;
});

export const descriptiveFunctions: FunctionDefinition[] = [
  aggregate('AVERAGE', average),
  aggregate('AVERAGEA', average, 'countAll'),
  count,
  countA,
  aggregate('MAX', maximum),
  aggregate('MIN', minimum),
  aggregate('MAXA', maximum, 'countAll'),
  aggregate('MINA', minimum, 'countAll'),
  aggregate('MEDIAN', median),
  aggregate('MODE', modeSingle),
  aggregate('MODE.SNGL', modeSingle),
  aggregate('MODE.MULT', modeMultiple),
  aggregate('STDEV', standardDeviationOf(true)),
  aggregate('STDEV.S', standardDeviationOf(true)),
  aggregate('STDEVA', standardDeviationOf(true), 'countAll'),
  aggregate('STDEVP', standardDeviationOf(false)),
  aggregate('STDEV.P', standardDeviationOf(false)),
  aggregate('STDEVPA', standardDeviationOf(false), 'countAll'),
  aggregate('VAR', varianceOf(true)),
  aggregate('VAR.S', varianceOf(true)),
  aggregate('VARA', varianceOf(true), 'countAll'),
  aggregate('VARP', varianceOf(false)),
  aggregate('VAR.P', varianceOf(false)),
  aggregate('VARPA', varianceOf(false), 'countAll'),
  aggregate('DEVSQ', (xs) => (xs.length === 0 ? Errors.NUM : sumSquaredDeviations(xs))),
  aggregate('AVEDEV', averageDeviation),
  aggregate('GEOMEAN', geometricMean),
  aggregate('HARMEAN', harmonicMean),
  aggregate('KURT', kurtosis),
  aggregate('SKEW', skewness),
  aggregate('SKEW.P', populationSkewness),
  ofDataSet('LARGE', 2, 2, kthValue(true)),
  ofDataSet('SMALL', 2, 2, kthValue(false)),
  ofDataSet('PERCENTILE', 2, 2, percentile(percentileInclusive)),
  ofDataSet('PERCENTILE.INC', 2, 2, percentile(percentileInclusive)),
  ofDataSet('PERCENTILE.EXC', 2, 2, percentile(percentileExclusive)),
  ofDataSet('QUARTILE', 2, 2, quartile(percentileInclusive, false)),
  ofDataSet('QUARTILE.INC', 2, 2, quartile(percentileInclusive, false)),
  ofDataSet('QUARTILE.EXC', 2, 2, quartile(percentileExclusive, true)),
  ofDataSet('PERCENTRANK', 2, 3, percentRank(false)),
  ofDataSet('PERCENTRANK.INC', 2, 3, percentRank(false)),
  ofDataSet('PERCENTRANK.EXC', 2, 3, percentRank(true)),
  ofDataSet('TRIMMEAN', 2, 2, trimmedMean),
  { ...rank(false), name: 'RANK' },
  rank(false),
  rank(true),
  frequency,
  standardize,
];
