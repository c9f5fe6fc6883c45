import { statisticalFunctions } from '../../../server/engine/functions/statistical';
import {
  type ErrorCode,
  ExcelError,
  Matrix,
  type Scalar,
  type Value,
} from '../../../server/engine/values/value';
import { call, m, range } from '../../helpers/function-context';

const fn = (name: string) => {
  const def = statisticalFunctions.find((d) => d.name === name);
  if (!def) throw new Error(`${name} is not defined`);
  return def;
};
const E = (code: ErrorCode) => ExcelError.of(code);
const column = (values: Scalar[]) => range(values.map((v) => [v]));
const run = (name: string, ...args: Value[]) => call(fn(name), args);

/** Excel's number to about 13 significant digits (the last bits depend on summation order). */
function expectClose(actual: Value, expected: number, digits = 13) {
  if (typeof actual !== 'number') throw new Error(`expected a number, got ${String(actual)}`);
  const scale = Math.max(Math.abs(expected), 1e-300);
  expect(Math.abs(actual - expected) / scale).toBeLessThan(10 ** -digits);
}

function expectRows(actual: Value, expected: Scalar[][], digits = 13) {
  expect(actual).toBeInstanceOf(Matrix);
  const rows = (actual as Matrix).toRows();
  expect(rows.length).toBe(expected.length);
  expected.forEach((row, r) => {
    row.forEach((e, c) => {
      if (typeof e === 'number') expectClose(rows[r][c], e, digits);
      else expect(rows[r][c]).toBe(e);
    });
  });
}

// STATISTICAL/AVERAGE.xlsx, COUNT.xlsx, MINA_MAXA.xlsx, MIN_MAX.xlsx
describe('averages, counts and extremes', () => {
  it('skip text and booleans in cells but convert typed arguments', () => {
    const cells = column([1, 'a', true, null, 3, '4']);
    expect(run('AVERAGE', cells)).toBe(2);
    expect(run('AVERAGEA', cells)).toBe(1);
    expect(run('AVERAGE', 21)).toBe(21);
    expect(run('AVERAGE', '3', true)).toBe(2);
    expect(run('AVERAGE', 'x')).toBe(E('#VALUE!'));
    expect(run('AVERAGE', column([null, 'a']))).toBe(E('#DIV/0!'));
    expect(run('AVERAGEA', column([null, 'a']))).toBe(0);
    expect(run('AVERAGE', column([1, E('#N/A')]))).toBe(E('#N/A'));
  });
  it('count numbers, or non-empty values', () => {
    expect(run('COUNT', 1, 3, 'Hola', true, '23', E('#N/A'))).toBe(4);
    expect(run('COUNT', column([1, 'a', true, null, E('#DIV/0!'), 2]))).toBe(2);
    expect(run('COUNTA', column([1, 'a', true, null, E('#DIV/0!'), '']))).toBe(5);
    expect(run('COUNTA', 1, null)).toBe(2);
  });
  it('find extremes, 0 when there are no numbers', () => {
    expect(run('MIN', column([null, 'x']))).toBe(0);
    expect(run('MAX', column([1, 3, 2]))).toBe(3);
    expect(run('MIN', column([3, 1, 2]), '13')).toBe(1);
    expect(run('MINA', column([3, 1, 2]), '-1')).toBe(-1);
    expect(run('MINA', 4, '-1', true)).toBe(-1);
    expect(run('MINA', 1, 'Hola')).toBe(E('#VALUE!'));
    expect(run('MINA', column([1, 'x', true]))).toBe(0);
    expect(run('MAXA', column([-1, false]))).toBe(0);
    expect(run('MIN', column([1, E('#N/A')]))).toBe(E('#N/A'));
  });
});

// STATISTICAL/STDEV.xlsx, VARIANCE.xlsx, DEVSQ.xlsx, AVEDEV.xlsx, MEADIAN_KURT_SKEW_HARMEAN.xlsx
describe('spread and shape', () => {
  it('standard deviations', () => {
    expectClose(run('STDEV.P', 1, 1.2, 1.3, 0.7), 0.22912878474779197);
    expectClose(run('STDEV.S', range([[1, 1.2, 1.3]]), column([0.7])), 0.26457513110645903);
    const mixed = column([1, true, 'Hola', 12, 5, null, null]);
    expectClose(run('STDEVA', mixed), 4.9699094559156709);
    expectClose(run('STDEVPA', mixed), 4.4452221541785741);
    expect(run('STDEV', 1)).toBe(E('#DIV/0!'));
  });
  it('variances', () => {
    const cells = column([1, 2, true, 'Hola', 5, null, null]);
    expectClose(run('VAR.P', column([1, 2, true]), column(['Hola']), column([5])), 2.8888888888888888);
    expectClose(run('VAR.P', m([[1, 2, 3]])), 0.66666666666666663);
    expectClose(run('VAR.S', column([1, 2, true, 'Hola', 5])), 4.3333333333333339);
    expectClose(run('VAR.S', 1, m([[1, 2, 3]]), column([5])), 2.8);
    expectClose(run('VARA', cells), 3.7);
    expectClose(run('VARPA', cells), 2.96);
  });
  it('deviations', () => {
    expect(
      run(
        'DEVSQ',
        range([
          [1, 2],
          [2, 3],
          [3, 2],
          [4, 3],
          [4, 1],
        ]),
      ),
    ).toBe(10.5);
    expectClose(run('AVEDEV', column([1, 2, 3, 4]), column([2, 3]), column([1.4])), 0.84897959183673477);
  });
  it('median, harmonic mean, kurtosis and skewness', () => {
    const data = column([1, 2, 3, '6/6/2018', '13', true, false, 'hello', null, 0.12]);
    const args: Value[] = [data, m([[1, 2, 3]]), column([3])];
    expectClose(run('AVERAGE', ...args), 1.89);
    expect(run('MEDIAN', ...args)).toBe(2);
    expectClose(run('HARMEAN', ...args), 0.64864864864864857);
    expectClose(run('KURT', ...args), -1.2129835263391704);
    expectClose(run('SKEW', ...args), -0.41015281605980153);
    expectClose(run('SKEW.P', ...args), -0.32885385298206216);
    expect(run('MEDIAN', 1, 2, 3, 4)).toBe(2.5);
  });
  it('geometric mean', () => {
    expect(run('GEOMEAN', '47')).toBe(47);
    expectClose(run('GEOMEAN', 1, 2, '5', true), 1.77827941, 8);
    expect(run('GEOMEAN', 1, 2, true, '5', 'CASE')).toBe(E('#VALUE!'));
    expect(run('GEOMEAN', column([1, 0]))).toBe(E('#NUM!'));
    expect(run('GEOMEAN', column([null]))).toBe(E('#NUM!'));
  });
});

// STATISTICAL/MODE.xlsx
describe('MODE', () => {
  it('returns the first most frequent value, #N/A when none repeats', () => {
    expect(run('MODE.SNGL', m([[1, 2, 3, 2, 2, 3]]))).toBe(2);
    expect(run('MODE.SNGL', m([[3, 1, 1, 3]]))).toBe(3);
    expect(run('MODE', m([[1, 2, 3]]))).toBe(E('#N/A'));
    expect(run('MODE.MULT', m([[1, 2, 3, 4]]))).toBe(E('#N/A'));
    expect(run('MODE.MULT', m([[1, 2, 3, 4, 1, 2, 3, 4]]))).toEqual(new Matrix(4, 1, [1, 2, 3, 4]));
  });
});

// STATISTICAL/SMALL_LARGE.xlsx, PERCENTIL_QUARTIL.xlsx, TRIMMEAN.xlsx, RANK_EQ_RANK_AVG.xlsx
describe('order statistics', () => {
  const six = column([3, 4, 2, 4, -5, 3]);
  it.each([
    [1, -5, 4],
    [2, 2, 4],
    [3, 3, 3],
    [3.4, 3, 3],
    [0, E('#NUM!'), E('#NUM!')],
    [10, E('#NUM!'), E('#NUM!')],
  ] as [number, Scalar, Scalar][])('SMALL and LARGE k=%p', (k, small, large) => {
    expect(run('SMALL', six, k)).toBe(small);
    expect(run('LARGE', six, k)).toBe(large);
  });
  it('SMALL of typed and cell values', () => {
    expect(run('SMALL', m([[1, 2, 3, -8]]), 1)).toBe(-8);
    expect(run('SMALL', '3.4', 1)).toBe(3.4);
    expect(run('SMALL', true, 1)).toBe(1);
    expect(run('SMALL', 'Hello', 1)).toBe(E('#VALUE!'));
    expect(run('SMALL', m([[1, '-1']]), 1)).toBe(1);
    expect(run('SMALL', column(['13']), 1)).toBe(E('#NUM!'));
  });

  const ten = column([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  it.each([
    [1, 10, E('#NUM!')],
    [2, E('#NUM!'), E('#NUM!')],
    [-1, E('#NUM!'), E('#NUM!')],
    [0.4, 4.6, 4.4],
    [0.7, 7.3, 7.7],
    [0.11, 1.99, 1.21],
    [0.912, 9.208, E('#NUM!')],
    [0.8, 8.2, 8.8],
    [12, E('#NUM!'), E('#NUM!')],
  ] as [number, Scalar, Scalar][])('PERCENTILE p=%p', (p, inc, exc) => {
    const a = run('PERCENTILE.INC', ten, p);
    const b = run('PERCENTILE.EXC', ten, p);
    if (typeof inc === 'number') expectClose(a, inc, 14);
    else expect(a).toBe(inc);
    if (typeof exc === 'number') expectClose(b, exc, 14);
    else expect(b).toBe(exc);
  });
  it('QUARTILE', () => {
    expect(run('QUARTILE.INC', ten, 0)).toBe(1);
    expect(run('QUARTILE.INC', ten, 1)).toBe(3.25);
    expect(run('QUARTILE.INC', ten, 2)).toBe(5.5);
    expect(run('QUARTILE.INC', ten, 3)).toBe(7.75);
    expect(run('QUARTILE.INC', ten, 4)).toBe(10);
    expect(run('QUARTILE.INC', ten, 5)).toBe(E('#NUM!'));
    expect(run('QUARTILE.EXC', ten, 1)).toBe(2.75);
    expect(run('QUARTILE.EXC', ten, 3)).toBe(8.25);
    expect(run('QUARTILE.EXC', ten, 0)).toBe(E('#NUM!'));
    expect(run('QUARTILE.EXC', ten, 4)).toBe(E('#NUM!'));
  });
  it('PERCENTRANK truncates to the significance', () => {
    expect(run('PERCENTRANK.INC', ten, 7)).toBe(0.666);
    expect(run('PERCENTRANK.INC', ten, 5.12, 6)).toBe(0.457777);
    expect(run('PERCENTRANK.EXC', ten, 9, 2)).toBe(0.81);
    expect(run('PERCENTRANK.EXC', ten, 2.5, 7)).toBe(0.2272727);
    expect(run('PERCENTRANK.INC', ten, 11)).toBe(E('#N/A'));
  });
  it('TRIMMEAN', () => {
    const data = column([12.4, 5, 7.3, -4, 0, 2.3, 4.3, 7, -2]);
    expectClose(run('TRIMMEAN', data, 0.2), 3.5888888888888886, 14);
    expectClose(run('TRIMMEAN', data, 0.9), 4.3, 14);
    expectClose(run('TRIMMEAN', data, 0.5), 3.72, 14);
    expectClose(run('TRIMMEAN', data, 0.4), 3.4142857142857146, 14);
    expect(run('TRIMMEAN', data, 1)).toBe(E('#NUM!'));
    expect(run('TRIMMEAN', data, -1)).toBe(E('#NUM!'));
  });
  it('RANK.EQ and RANK.AVG', () => {
    const scores = column([65, 70, 66, 70, 80, 90, 50, 60]);
    expect(run('RANK.EQ', 70, scores, 0)).toBe(3);
    expect(run('RANK.EQ', 70, scores, 1)).toBe(5);
    expect(run('RANK.AVG', 70, scores, 0)).toBe(3.5);
    expect(run('RANK.AVG', 70, scores, 1)).toBe(5.5);
    expect(run('RANK', 90, scores)).toBe(1);
    expect(run('RANK.EQ', 70.5, scores)).toBe(E('#N/A'));
  });
});

// STATISTICAL/FREQUENCY.xlsx, PROB.xlsx, STANDARIZE.xlsx
describe('FREQUENCY, PROB, STANDARDIZE', () => {
  it('counts data per bin, with one more bin for the rest', () => {
    const data = column([1, 7, 23, 12, 13, 90, 5, 10, 2, 3]);
    const result = run('FREQUENCY', data, column([5, 10, 15, 20]));
    expect(result).toEqual(new Matrix(5, 1, [4, 2, 2, 0, 2]));
    expect(run('FREQUENCY', column([1, E('#DIV/0!')]), column([5]))).toBe(E('#DIV/0!'));
  });
  it('PROB', () => {
    const xs = column([1, 2, 3, 4, 5, 6]);
    const ps = column([0.2, 0.111, 0.05, 0.07, 0.5, 0.069]);
    expect(run('PROB', xs, ps, 1)).toBe(0.2);
    expectClose(run('PROB', xs, ps, 1, 3), 0.361);
    expectClose(run('PROB', xs, ps, 2.4, 5.3), 0.62);
    expect(run('PROB', xs, column([0.2, 0.111, 0.05, 0.07, 0.5]), 1)).toBe(E('#N/A'));
    expect(run('PROB', column(['Hi', 'ho']), column(['hi', 'ho']), 1)).toBe(E('#DIV/0!'));
  });
  it('STANDARDIZE', () => {
    expect(run('STANDARDIZE', 0.8, 1, 0.2)).toBe(-0.99999999999999978);
    expect(run('STANDARDIZE', 23, 12, 0.1)).toBe(110);
    expect(run('STANDARDIZE', 1, 1, 0)).toBe(E('#NUM!'));
  });
});

// STATISTICAL/CORREL_SLOPE_INTERCEPT_RSQ_STEYX.xlsx, PEARSON.xlsx, COVARIANCE.xlsx
describe('paired data', () => {
  const a = column([1, 2, 3, 5, 7, 8, true, '12', 'Hello', false, 12, 3]);
  const b = column([2, 3, '4', 5, 'Helo', 1, 2, 3, 3, 4, 3, 4]);
  it('correlation and simple regression', () => {
    expectClose(run('CORREL', a, b), -0.13574278487946612);
    expectClose(run('SLOPE', a, b), -0.4);
    expectClose(run('INTERCEPT', a, b), 6.3666666666666671);
    expectClose(run('RSQ', a, b), 1.8426103646833007e-2);
    expectClose(run('STEYX', a, b), 4.6160950307953295);
    expectClose(run('PEARSON', column([1, 2, 3, 4, 5]), column([2, -2, 3, 3, 1])), 0.228747855498907);
    expect(run('CORREL', column([1, 2]), column([1, 2, 3]))).toBe(E('#N/A'));
    expect(run('SLOPE', column([1, 2]), column([3, 3]))).toBe(E('#DIV/0!'));
  });
  it('covariance', () => {
    const x = m([[3, 2, 4, 5, 6]]);
    const y = m([[9, 7, 12, 15, 17]]);
    expectClose(run('COVARIANCE.P', x, y), 5.2);
    expectClose(run('COVARIANCE.S', x, y), 6.5);
    expectClose(run('COVAR', x, y), 5.2);
    expectClose(run('COVARIANCE.S', m([[0.1, 0.2, 0.3]]), m([[0.4, 0.5, 0.6]])), 9.9999999999999985e-3);
    expect(run('COVARIANCE.P', m([[5]]), m([[10]]))).toBe(0);
    expect(run('COVARIANCE.S', m([[5]]), m([[10]]))).toBe(E('#DIV/0!'));
  });
  it('FORECAST', () => {
    expectClose(
      run('FORECAST', 30, column([6, 7, 9, 15, 21]), column([20, 28, 31, 38, 40])),
      10.607253086419755,
    );
  });
});

// STATISTICAL/LINEST_LOGEST.xlsx, TREND_GROWTH.xlsx
describe('least squares', () => {
  const ys = column([0.2, 0.41, 0.62, 0.8, 1.1]);
  const xs = column([1.1, 1.9, 3.1, 4.05, 5]);
  it('LINEST and LOGEST coefficients', () => {
    expectRows(run('LINEST', ys, xs), [[0.21928887993553592, -3.8445306204673679e-2]]);
    expectRows(run('LINEST', ys), [[0.21900000000000006, -3.1000000000000028e-2]], 12);
    expectRows(run('LINEST', ys, xs, false), [[0.20885684860968076, 0]]);
    expectRows(run('LOGEST', ys, xs), [[1.5022613087018739, 0.15653044951525133]]);
    expectRows(run('LOGEST', ys), [[1.5034990254289031, 0.1580622610071315]]);
    expectRows(run('LOGEST', ys, xs, false), [[0.9082429233796212, 1]]);
  });
  it('LINEST and LOGEST statistics', () => {
    expectRows(
      run('LINEST', ys, xs, null, true),
      [
        [0.21928887993553592, -3.8445306204673679e-2],
        [1.3841437712295469e-2, 4.6252982024237929e-2],
        [0.98818889821919009, 4.3612610914523682e-2],
        [250.99831918087844, 3],
        [0.47741382050765524, 5.7061794923448901e-3],
      ],
      11,
    );
    expectRows(
      run('LOGEST', ys, xs, null, true),
      [
        [1.5022613087018739, 0.15653044951525133],
        [5.7281933851235867e-2, 0.19141510526621522],
        [0.94390101163687179, 0.18048809274099084],
        [50.47690016406407, 3],
        [1.6443330577367574, 9.7727854863841529e-2],
      ],
      11,
    );
  });
  it('multiple regression recovers exact coefficients', () => {
    const x = range([
      [1, 4],
      [2, 3],
      [3, 7],
      [4, 1],
      [5, 9],
      [6, 2],
    ]);
    const y = column([1, 2, 3, 4, 5, 6].map((v, i) => 3 + 2 * v - 0.5 * [4, 3, 7, 1, 9, 2][i]));
    expectRows(run('LINEST', y, x), [[-0.5, 2, 3]], 12);
  });
  it('TREND and GROWTH', () => {
    const ys2 = column([0.2, 0.31, 0.4, 0.51, 0.7]);
    const xs2 = column([1.1, 2.1, 3, 5.2, 7]);
    const newX = column([8, 9, 11]);
    expectRows(run('TREND', ys2, xs2, newX), [
      [0.76688164545929927],
      [0.84625239672302599],
      [1.0049938992504792],
    ]);
    expectRows(run('TREND', ys2, xs2, newX, false), [
      [0.84915067284359136],
      [0.95529450694904028],
      [1.167582175159938],
    ]);
    expectRows(run('TREND', ys2), [[0.184], [0.304], [0.424], [0.544], [0.664]], 12);
    expectRows(run('GROWTH', ys2, xs2, newX), [
      [0.89257676278906006],
      [1.0820857720306072],
      [1.5903543733006367],
    ]);
    expectRows(run('GROWTH', ys2, xs2, newX, false), [
      [0.31819185285303236],
      [0.27575613762316509],
      [0.20710827496905473],
    ]);
    expect(run('GROWTH', column([0.2, 0.31, true]))).toBe(E('#VALUE!'));
    expect(run('TREND', ys2, column([1, 2, 3, 4]))).toBe(E('#REF!'));
  });
});

// STATISTICAL/T_TEST.xlsx, F_TEST.xlsx, Z_TEST.xlsx, CHISQ_TEST.xlsx
describe('hypothesis tests', () => {
  it('T.TEST for paired, equal-variance and unequal-variance samples', () => {
    const a = column([1, 2, 3, 4, -3, true, 'hello']);
    const b = column([2, -3.3, 0, true, 'no', 2, 2]);
    const cases: [number, number, number][] = [
      [1, 1, 0.15855028798217946],
      [1, 2, 0.30178305764364688],
      [1, 3, 0.30195200787348708],
      [2, 1, 0.31710057596435892],
      [2, 2, 0.60356611528729376],
      [2.2, 3.3, 0.60390401574697417],
    ];
    for (const [tails, type, p] of cases) expectClose(run('T.TEST', a, b, tails, type), p, 12);
    expect(run('T.TEST', a, b, 0.6, 1)).toBe(E('#NUM!'));
  });
  it('F.TEST', () => {
    expectClose(
      run('F.TEST', column([1, 2, 3.3, 4.5, -1]), column([5, 6, 7, 2.4, -2])),
      0.32666645556680951,
      12,
    );
    expectClose(run('F.TEST', m([[1, 2, 3, 4]]), column([5, 6, 7, 2.4])), 0.5023992107800741, 12);
    expectClose(run('F.TEST', column([1, 2, true, '13']), column([7, 4, 3, 1])), 0.40861864537547071, 12);
  });
  it('Z.TEST with and without sigma', () => {
    const data = column([1, 2, 3, 2, 2.2, 1.8, 2, true, 1, 2]);
    expectClose(run('Z.TEST', data, 2, 0.8), 0.66153888048931053, 12);
    expectClose(run('Z.TEST', data, 1.7, 1), 0.28547033590144399, 12);
    expectClose(run('Z.TEST', data, 2.3), 0.97854319966969472, 12);
    expectClose(run('ZTEST', data, 1.99), 0.69073325509345673, 12);
  });
  it('CHISQ.TEST', () => {
    expectClose(run('CHISQ.TEST', column([1, 2, 3, 4]), column([3, 4, 2, 3])), 0.36663538407527141, 12);
    expect(run('CHITEST', column([1, 2]), column([1, 2, 3]))).toBe(E('#N/A'));
  });
});

describe('inverse distributions for simulation', () => {
  it('invert their CDFs to 1e-12', () => {
    for (let i = 1; i < 200; i++) {
      const p = i / 200;
      const x = run('NORM.INV', p, 10, 2) as number;
      expectClose(run('NORM.DIST', x, 10, 2, true), p, 12);
      const g = run('GAMMA.INV', p, 2.5, 3) as number;
      expectClose(run('GAMMA.DIST', g, 2.5, 3, true), p, 12);
      const b = run('BETA.INV', p, 2, 5) as number;
      expectClose(run('BETA.DIST', b, 2, 5, true), p, 12);
      const l = run('LOGNORM.INV', p, 1, 0.5) as number;
      expectClose(run('LOGNORM.DIST', l, 1, 0.5, true), p, 12);
      const t = run('T.INV', p, 7) as number;
      expectClose(run('T.DIST', t, 7, true), p, 12);
    }
  });
  it('BINOM.INV finds the smallest count reaching alpha, for small and large n', () => {
    for (const [n, p] of [
      [50, 0.3],
      [100000, 0.3],
      [5000, 0.001],
    ]) {
      for (const alpha of [0.001, 0.2, 0.5, 0.9, 0.999]) {
        const k = run('BINOM.INV', n, p, alpha) as number;
        expect(run('BINOM.DIST', k, n, p, true) as number).toBeGreaterThanOrEqual(alpha * (1 - 1e-12));
        if (k > 0) expect(run('BINOM.DIST', k - 1, n, p, true) as number).toBeLessThan(alpha);
      }
    }
  });
});
