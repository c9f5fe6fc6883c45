/**
 * Hypothesis tests on data sets: CHISQ.TEST, F.TEST, T.TEST, Z.TEST (and their legacy names). Each
 * answers the p-value Excel reports.
 */
import { normCdf, studentTCdf } from '../../../shared/numeric/special';
import { Errors, ExcelError, Matrix, type Value } from '../values/value';
import { collectNumbers, collectPairs, finite, numberArg } from './statistical-collect';
import { mean, standardDeviation, variance } from './statistical-descriptive';
import { chiSquaredRightTail, fRightTail } from './statistical-distributions';
import { define, type FunctionDefinition } from './types';

type Numeric = number | ExcelError;

function chiSquaredTest([actualArg, expectedArg]: Value[]): Numeric {
  const pairs = collectPairs(actualArg, expectedArg);
  if (pairs instanceof ExcelError) return pairs;
  const shape = actualArg instanceof Matrix ? actualArg : undefined;
  const expectedShape = expectedArg instanceof Matrix ? expectedArg : undefined;
  if (shape && expectedShape && (shape.rows !== expectedShape.rows || shape.cols !== expectedShape.cols))
    return Errors.NA;
  let statistic = 0;
  for (let i = 0; i < pairs.x.length; i++) {
    const e = pairs.y[i];
    if (e <= 0) return Errors.DIV0;
    statistic += (pairs.x[i] - e) ** 2 / e;
  }
  const rows = shape?.rows ?? 1;
  const cols = shape?.cols ?? 1;
  const dof = rows > 1 && cols > 1 ? (rows - 1) * (cols - 1) : rows * cols - 1;
  if (dof < 1) return Errors.NA;
  return chiSquaredRightTail(statistic, dof);
}

/** Two-tailed F test of equal variances. */
function fTest([a, b]: Value[]): Numeric {
  const xs = collectNumbers([a]);
  if (xs instanceof ExcelError) return xs;
  const ys = collectNumbers([b]);
  if (ys instanceof ExcelError) return ys;
  const vx = variance(xs, true);
  const vy = variance(ys, true);
  if (vx instanceof ExcelError || vy instanceof ExcelError || vx === 0 || vy === 0) return Errors.DIV0;
  const right = fRightTail(vx / vy, xs.length - 1, ys.length - 1);
  if (right instanceof ExcelError) return right;
  return 2 * Math.min(right, 1 - right);
}

function tTest([a, b, tailsArg, typeArg]: Value[]): Numeric {
  const tailsNumber = numberArg(tailsArg);
  if (tailsNumber instanceof ExcelError) return tailsNumber;
  const typeNumber = numberArg(typeArg);
  if (typeNumber instanceof ExcelError) return typeNumber;
  const tails = Math.trunc(tailsNumber);
  const type = Math.trunc(typeNumber);
  if ((tails !== 1 && tails !== 2) || type < 1 || type > 3) return Errors.NUM;
  const statistic = type === 1 ? pairedT(a, b) : twoSampleT(a, b, type === 2);
  if (statistic instanceof ExcelError) return statistic;
  // studentTCdf accepts the fractional degrees of freedom of Welch's test
  return tails * studentTCdf(-Math.abs(statistic.t), statistic.dof);
}

interface TStatistic {
  t: number;
  dof: number;
}

function pairedT(a: Value, b: Value): TStatistic | ExcelError {
  const pairs = collectPairs(a, b);
  if (pairs instanceof ExcelError) return pairs;
  const d = pairs.x.map((x, i) => x - pairs.y[i]);
  const v = variance(d, true);
  if (v instanceof ExcelError || v === 0) return Errors.DIV0;
  return { t: mean(d) / Math.sqrt(v / d.length), dof: d.length - 1 };
}

function twoSampleT(a: Value, b: Value, equalVariances: boolean): TStatistic | ExcelError {
  const xs = collectNumbers([a]);
  if (xs instanceof ExcelError) return xs;
  const ys = collectNumbers([b]);
  if (ys instanceof ExcelError) return ys;
  const vx = variance(xs, true);
  const vy = variance(ys, true);
  if (vx instanceof ExcelError || vy instanceof ExcelError) return Errors.DIV0;
  const nx = xs.length;
  const ny = ys.length;
  const difference = mean(xs) - mean(ys);
  if (equalVariances) {
    const pooled = ((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2);
    const se = Math.sqrt(pooled * (1 / nx + 1 / ny));
    if (se === 0) return Errors.DIV0;
    return { t: difference / se, dof: nx + ny - 2 };
  }
  const sx = vx / nx;
  const sy = vy / ny;
  if (sx + sy === 0) return Errors.DIV0;
  // Welch–Satterthwaite degrees of freedom; Excel keeps them fractional.
  const dof = (sx + sy) ** 2 / (sx ** 2 / (nx - 1) + sy ** 2 / (ny - 1));
  return { t: difference / Math.sqrt(sx + sy), dof };
}

function zTest([dataArg, xArg, sigmaArg]: Value[]): Numeric {
  const xs = collectNumbers([dataArg]);
  if (xs instanceof ExcelError) return xs;
  const x = numberArg(xArg);
  if (x instanceof ExcelError) return x;
  if (xs.length === 0) return Errors.NA;
  let sigma: Numeric;
  if (sigmaArg === undefined || sigmaArg === null) sigma = standardDeviation(xs, true);
  else sigma = numberArg(sigmaArg);
  if (sigma instanceof ExcelError) return sigma;
  if (sigma <= 0) return sigma === 0 ? Errors.DIV0 : Errors.NUM;
  return 1 - normCdf((mean(xs) - x) / (sigma / Math.sqrt(xs.length)));
}

function test(
  name: string,
  arity: [number, number],
  params: ('array' | 'scalar')[],
  compute: (args: Value[]) => Numeric,
): FunctionDefinition {
  return define(name, 'statistical', arity[0], arity[1], params, (args) => {
    const result = compute(args);
    return typeof result === 'number' ? finite(result) : result;
  });
}

const TWO_ARRAYS: ('array' | 'scalar')[] = ['array', 'array', 'scalar'];

export const testFunctions: FunctionDefinition[] = [
  test('CHISQ.TEST', [2, 2], TWO_ARRAYS, chiSquaredTest),
  test('CHITEST', [2, 2], TWO_ARRAYS, chiSquaredTest),
  test('F.TEST', [2, 2], TWO_ARRAYS, fTest),
  test('FTEST', [2, 2], TWO_ARRAYS, fTest),
  test('T.TEST', [4, 4], TWO_ARRAYS, tTest),
  test('TTEST', [4, 4], TWO_ARRAYS, tTest),
  test('Z.TEST', [2, 3], ['array', 'scalar'], zTest),
  test('ZTEST', [2, 3], ['array', 'scalar'], zTest),
];
