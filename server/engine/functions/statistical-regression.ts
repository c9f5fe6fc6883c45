/**
 * Paired-data statistics and least-squares regression: CORREL, COVARIANCE.*, SLOPE, INTERCEPT, RSQ,
 * STEYX, FORECAST, LINEST, LOGEST, TREND, GROWTH, and PROB (a weighted pairing).
 */
import { Errors, ExcelError, Matrix, type Scalar, type Value } from '../values/value';
import { collectPairs, finite, isScalar, numberArg, type Pairs } from './statistical-collect';
import { mean } from './statistical-descriptive';
import { define, type FunctionDefinition } from './types';

// ---- simple (one-variable) statistics of pairs ----

interface PairMoments {
  n: number;
  meanX: number;
  meanY: number;
  /** Sums of squared and cross deviations from the means (two-pass, for accuracy). */
  sxx: number;
  syy: number;
  sxy: number;
}

function moments({ x, y }: Pairs): PairMoments {
  const meanX = mean(x);
  const meanY = mean(y);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return { n: x.length, meanX, meanY, sxx, syy, sxy };
}

type PairStatistic = (m: PairMoments) => number | ExcelError;

/** A function of two data sets read pairwise; `yFirst` when Excel's argument order is (known_y, known_x). */
function pairFunction(name: string, statistic: PairStatistic, yFirst = false): FunctionDefinition {
  return define(name, 'statistical', 2, 2, ['array', 'array'], ([a, b]) => {
    const pairs = yFirst ? collectPairs(b, a) : collectPairs(a, b);
    if (pairs instanceof ExcelError) return pairs;
    if (pairs.x.length === 0) return Errors.DIV0;
    const result = statistic(moments(pairs));
    return typeof result === 'number' ? finite(result) : result;
  });
}

const correlation: PairStatistic = ({ sxx, syy, sxy }) =>
  sxx === 0 || syy === 0 ? Errors.DIV0 : sxy / Math.sqrt(sxx * syy);

const rSquared: PairStatistic = (m) => {
  const r = correlation(m);
  return r instanceof ExcelError ? r : r * r;
};

const slope: PairStatistic = ({ sxx, sxy }) => (sxx === 0 ? Errors.DIV0 : sxy / sxx);

const intercept: PairStatistic = (m) => {
  const b = slope(m);
  return b instanceof ExcelError ? b : m.meanY - b * m.meanX;
};

const standardErrorOfY: PairStatistic = ({ n, sxx, syy, sxy }) => {
  if (n < 3 || sxx === 0) return Errors.DIV0;
  return Math.sqrt(Math.max(0, syy - (sxy * sxy) / sxx) / (n - 2));
};

const covariance =
  (sample: boolean): PairStatistic =>
  ({ n, sxy }) => {
    const dof = sample ? n - 1 : n;
    return dof <= 0 ? Errors.DIV0 : sxy / dof;
  };

function forecast(name: string): FunctionDefinition {
  return define(name, 'statistical', 3, 3, ['scalar', 'array', 'array'], ([xArg, ys, xs]) => {
    const x = numberArg(xArg);
    if (x instanceof ExcelError) return x;
    const pairs = collectPairs(xs, ys);
    if (pairs instanceof ExcelError) return pairs;
    if (pairs.x.length === 0) return Errors.DIV0;
    const m = moments(pairs);
    const b = slope(m);
    if (b instanceof ExcelError) return b;
    return finite(m.meanY + b * (x - m.meanX));
  });
}

// ---- PROB ----

const probability = define(
  'PROB',
  'statistical',
  3,
  4,
  ['array', 'array', 'scalar'],
  ([xs, ps, lowArg, highArg]) => {
    const pairs = collectPairs(xs, ps);
    if (pairs instanceof ExcelError) return pairs;
    const low = numberArg(lowArg);
    if (low instanceof ExcelError) return low;
    const high = highArg === undefined || highArg === null ? low : numberArg(highArg);
    if (high instanceof ExcelError) return high;
    if (pairs.x.length === 0) return Errors.DIV0;
    let total = 0;
    let inside = 0;
    for (let i = 0; i < pairs.x.length; i++) {
      const p = pairs.y[i];
      if (p < 0 || p > 1) return Errors.NUM;
      total += p;
      if (pairs.x[i] >= low && pairs.x[i] <= high) inside += p;
    }
    if (Math.abs(total - 1) > 1e-7) return Errors.NUM;
    return inside;
  },
);

// ---- least squares (LINEST, LOGEST, TREND, GROWTH) ----

/** A regression problem: n observations of y and of k explanatory variables. */
interface Design {
  y: number[];
  /** x[j][i]: variable j, observation i. */
  x: number[][];
}

/** All cells of an argument as numbers; anything else (text, booleans, empty cells) is #VALUE!. */
function numericMatrix(value: Value): Matrix | ExcelError {
  const m = value instanceof Matrix ? value : isScalar(value) ? new Matrix(1, 1, [value]) : Errors.VALUE;
  if (m instanceof ExcelError) return m;
  for (const cell of m.data) {
    if (cell instanceof ExcelError) return cell;
    if (typeof cell !== 'number') return Errors.VALUE;
  }
  return m;
}

function isColumnVector(m: Matrix): boolean {
  return m.cols === 1;
}

/**
 * The explanatory variables of an x matrix for n observations laid out like y: a y column takes x
 * columns as variables, a y row takes x rows; an x of y's own shape is one variable.
 */
function variablesOf(xm: Matrix, ym: Matrix): number[][] | ExcelError {
  const n = ym.data.length;
  if (xm.rows === ym.rows && xm.cols === ym.cols) return [xm.data as number[]];
  const byColumns = isColumnVector(ym) && ym.rows > 1;
  if (byColumns && xm.rows === n) {
    return Array.from({ length: xm.cols }, (_, j) =>
      Array.from({ length: n }, (_, i) => xm.get(i, j) as number),
    );
  }
  if (!byColumns && xm.cols === n) {
    return Array.from({ length: xm.rows }, (_, j) =>
      Array.from({ length: n }, (_, i) => xm.get(j, i) as number),
    );
  }
  return Errors.REF;
}

function readDesign(
  yArg: Value,
  xArg: Value | undefined,
  logY: boolean,
): { design: Design; shape: Matrix } | ExcelError {
  const ym = numericMatrix(yArg);
  if (ym instanceof ExcelError) return ym;
  let y = ym.data as number[];
  if (logY) {
    if (y.some((v) => v <= 0)) return Errors.NUM;
    y = y.map(Math.log);
  }
  if (xArg === undefined || xArg === null) return { design: { y, x: [y.map((_, i) => i + 1)] }, shape: ym };
  const xm = numericMatrix(xArg);
  if (xm instanceof ExcelError) return xm;
  const x = variablesOf(xm, ym);
  if (x instanceof ExcelError) return x;
  return { design: { y, x }, shape: ym };
}

interface Fit {
  /** Coefficient of each variable, in variable order. */
  slopes: number[];
  intercept: number;
  /** (X'X)⁻¹ of the (centred when there is a constant) design, for standard errors. */
  inverse: number[][];
  ssResidual: number;
  ssRegression: number;
  dof: number;
  withConstant: boolean;
  /** Σx̄ᵀ(X'X)⁻¹x̄ term for the intercept's standard error. */
  interceptVariance: number;
}

/** Ordinary least squares, centring the data when there is a constant term. */
function leastSquares({ y, x }: Design, withConstant: boolean): Fit | ExcelError {
  const n = y.length;
  const k = x.length;
  const meanY = withConstant ? mean(y) : 0;
  const means = x.map((v) => (withConstant ? mean(v) : 0));
  const xc = x.map((v, j) => v.map((e) => e - means[j]));
  const yc = y.map((e) => e - meanY);
  const gram = xc.map((a) => xc.map((b) => dot(a, b)));
  const inverse = invert(gram);
  if (inverse instanceof ExcelError) return inverse;
  const xty = xc.map((a) => dot(a, yc));
  const slopes = inverse.map((row) => dot(row, xty));
  const interceptValue = withConstant ? meanY - dot(slopes, means) : 0;
  let ssResidual = 0;
  for (let i = 0; i < n; i++) {
    let predicted = interceptValue;
    for (let j = 0; j < k; j++) predicted += slopes[j] * x[j][i];
    ssResidual += (y[i] - predicted) ** 2;
  }
  const ssTotal = dot(yc, yc);
  const dof = n - k - (withConstant ? 1 : 0);
  const interceptVariance = withConstant
    ? 1 / n +
      dot(
        means,
        inverse.map((row) => dot(row, means)),
      )
    : 0;
  return {
    slopes,
    intercept: interceptValue,
    inverse,
    ssResidual,
    ssRegression: ssTotal - ssResidual,
    dof,
    withConstant,
    interceptVariance,
  };
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Inverse of a symmetric positive definite matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(a: number[][]): number[][] | ExcelError {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-300) return Errors.NUM;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const p = m[col][col];
    for (let c = 0; c < 2 * n; c++) m[col][c] /= p;
    for (let r = 0; r < n; r++) {
      if (r === col || m[r][col] === 0) continue;
      const f = m[r][col];
      for (let c = 0; c < 2 * n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row) => row.slice(n));
}

/** LINEST's result block: coefficients last variable first, then the intercept; optional statistics rows. */
function linestBlock(f: Fit, stats: boolean, transform: (v: number) => number): Matrix {
  const k = f.slopes.length;
  const cols = k + 1;
  const first = [...f.slopes.slice().reverse().map(transform), transform(f.intercept)];
  if (!stats) return new Matrix(1, cols, first.map(safe));
  const sigma2 = f.dof > 0 ? f.ssResidual / f.dof : Number.NaN;
  const seSlopes = f.slopes.map((_, j) => Math.sqrt(sigma2 * f.inverse[j][j])).reverse();
  const seIntercept: Scalar = f.withConstant ? Math.sqrt(sigma2 * f.interceptVariance) : Errors.NA;
  const ssTotal = f.ssRegression + f.ssResidual;
  const r2 = ssTotal === 0 ? Number.NaN : f.ssRegression / ssTotal;
  const fStat = f.ssRegression / k / (f.ssResidual / f.dof);
  const pad = (values: Scalar[]) => [...values, ...new Array<Scalar>(cols - values.length).fill(Errors.NA)];
  const rows: Scalar[] = [
    ...first,
    ...seSlopes,
    seIntercept,
    ...pad([r2, Math.sqrt(sigma2)]),
    ...pad([fStat, f.dof]),
    ...pad([f.ssRegression, f.ssResidual]),
  ];
  return new Matrix(5, cols, rows.map(safe));
}

function safe(value: Scalar): Scalar {
  return typeof value === 'number' && !Number.isFinite(value) ? Errors.NUM : value;
}

function flag(value: Value | undefined, otherwise: boolean): boolean | ExcelError {
  if (value === undefined || value === null) return otherwise;
  const n = numberArg(value);
  return n instanceof ExcelError ? n : n !== 0;
}

function estimation(name: string, logY: boolean): FunctionDefinition {
  return define(
    name,
    'statistical',
    1,
    4,
    ['array', 'array', 'scalar'],
    ([yArg, xArg, constArg, statsArg]) => {
      const withConstant = flag(constArg, true);
      if (withConstant instanceof ExcelError) return withConstant;
      const stats = flag(statsArg, false);
      if (stats instanceof ExcelError) return stats;
      const read = readDesign(yArg, xArg, logY);
      if (read instanceof ExcelError) return read;
      const f = leastSquares(read.design, withConstant);
      if (f instanceof ExcelError) return f;
      return linestBlock(f, stats, logY ? Math.exp : (v) => v);
    },
  );
}

/** TREND and GROWTH: the fitted values at new x (by default the known x). */
function projection(name: string, logY: boolean): FunctionDefinition {
  return define(
    name,
    'statistical',
    1,
    4,
    ['array', 'array', 'array', 'scalar'],
    ([yArg, xArg, newArg, constArg]) => {
      const withConstant = flag(constArg, true);
      if (withConstant instanceof ExcelError) return withConstant;
      const read = readDesign(yArg, xArg, logY);
      if (read instanceof ExcelError) return read;
      const f = leastSquares(read.design, withConstant);
      if (f instanceof ExcelError) return f;
      const newX = newPoints(newArg, read.design, read.shape);
      if (newX instanceof ExcelError) return newX;
      const values = newX.points.map((point) => {
        const v = f.intercept + dot(f.slopes, point);
        return safe(logY ? Math.exp(v) : v);
      });
      return new Matrix(newX.rows, newX.cols, values);
    },
  );
}

/** New observations as points (one value per variable) and the shape of the answer. */
function newPoints(
  newArg: Value | undefined,
  design: Design,
  yShape: Matrix,
): { points: number[][]; rows: number; cols: number } | ExcelError {
  const k = design.x.length;
  if (newArg === undefined || newArg === null) {
    const points = design.y.map((_, i) => design.x.map((v) => v[i]));
    return { points, rows: yShape.rows, cols: yShape.cols };
  }
  const nm = numericMatrix(newArg);
  if (nm instanceof ExcelError) return nm;
  const values = nm.data as number[];
  if (k === 1) return { points: values.map((v) => [v]), rows: nm.rows, cols: nm.cols };
  const byColumns = isColumnVector(yShape) && yShape.rows > 1;
  if (byColumns) {
    if (nm.cols !== k) return Errors.REF;
    return {
      points: Array.from({ length: nm.rows }, (_, i) => design.x.map((_, j) => nm.get(i, j) as number)),
      rows: nm.rows,
      cols: 1,
    };
  }
  if (nm.rows !== k) return Errors.REF;
  return {
    points: Array.from({ length: nm.cols }, (_, i) => design.x.map((_, j) => nm.get(j, i) as number)),
    rows: 1,
    cols: nm.cols,
  };
}

export const regressionFunctions: FunctionDefinition[] = [
  pairFunction('CORREL', correlation),
  pairFunction('PEARSON', correlation),
  pairFunction('RSQ', rSquared, true),
  pairFunction('SLOPE', slope, true),
  pairFunction('INTERCEPT', intercept, true),
  pairFunction('STEYX', standardErrorOfY, true),
  pairFunction('COVAR', covariance(false)),
  pairFunction('COVARIANCE.P', covariance(false)),
  pairFunction('COVARIANCE.S', covariance(true)),
  forecast('FORECAST'),
  forecast('FORECAST.LINEAR'),
  probability,
  estimation('LINEST', false),
  estimation('LOGEST', true),
  projection('TREND', false),
  projection('GROWTH', true),
];
