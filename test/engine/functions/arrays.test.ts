import { arraysFunctions } from '../../../server/engine/functions/arrays';
import { Errors, Lambda, Matrix, type Scalar, type Value } from '../../../server/engine/values/value';
import { call, m, range } from '../../helpers/function-context';

const fn = (name: string) => arraysFunctions.find((d) => d.name === name);
const run = (name: string, args: Value[]): unknown => {
  const result = call(fn(name), args);
  return result instanceof Matrix ? result.toRows() : result;
};
const col = (values: Scalar[]) => range(values.map((v) => [v]));
const num = (v: Value) =>
  typeof v === 'number' ? v : v instanceof Matrix ? (v.data[0] as number) : Number.NaN;

const grid = range(Array.from({ length: 6 }, (_, r) => [1, 2, 3, 4, 5].map((c) => r * 5 + c)));
const weekdays = col(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);

describe('reshaping', () => {
  it('TRANSPOSE', () => {
    expect(
      run('TRANSPOSE', [
        m([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ]),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(run('TRANSPOSE', [col(['a', 'b'])])).toEqual([['a', 'b']]);
  });

  it('TOCOL and TOROW (TOCOL.xlsx)', () => {
    const src = range([
      ['a', null, 'c', 'g'],
      ['b', null, 'd', null],
      ['c', null, Errors.NA, 'i'],
      ['d', null, 'f', 'j'],
    ]);
    const flat = (r: unknown) => (r as Scalar[][]).map((row) => row[0]);
    expect(flat(run('TOCOL', [src]))).toEqual([
      'a',
      null,
      'c',
      'g',
      'b',
      null,
      'd',
      null,
      'c',
      null,
      Errors.NA,
      'i',
      'd',
      null,
      'f',
      'j',
    ]);
    expect(flat(run('TOCOL', [src, 3]))).toEqual(['a', 'c', 'g', 'b', 'd', 'c', 'i', 'd', 'f', 'j']);
    expect(flat(run('TOCOL', [src, 2, true]))).toEqual([
      'a',
      'b',
      'c',
      'd',
      null,
      null,
      null,
      null,
      'c',
      'd',
      'f',
      'g',
      null,
      'i',
      'j',
    ]);
    expect(
      run('TOROW', [
        m([
          [1, 2],
          [3, 4],
        ]),
      ]),
    ).toEqual([[1, 2, 3, 4]]);
    expect(run('TOCOL', [m([[1]]), 5])).toBe(Errors.VALUE);
  });

  it('WRAPCOLS and WRAPROWS (WRAPCOLS_ROWS.xlsx)', () => {
    const cities = range([['London', 'Paris', 'Madrid', 'Berlin', 'Rome', null, Errors.DIV0, 'Warsaw']]);
    expect(run('WRAPCOLS', [cities, 3])).toEqual([
      ['London', 'Berlin', Errors.DIV0],
      ['Paris', 'Rome', 'Warsaw'],
      ['Madrid', null, Errors.NA],
    ]);
    expect(run('WRAPCOLS', [cities, 3, 'xxx'])).toEqual([
      ['London', 'Berlin', Errors.DIV0],
      ['Paris', 'Rome', 'Warsaw'],
      ['Madrid', null, 'xxx'],
    ]);
    expect(run('WRAPROWS', [cities, 5, Errors.NA])).toEqual([
      ['London', 'Paris', 'Madrid', 'Berlin', 'Rome'],
      [null, Errors.DIV0, 'Warsaw', Errors.NA, Errors.NA],
    ]);
    // The corpus shows only the top-left cell of this one.
    expect((run('WRAPCOLS', [false, 2]) as Scalar[][])[0][0]).toBe(false);
    expect(
      run('WRAPROWS', [
        m([
          [1, 2],
          [3, 4],
        ]),
        2,
      ]),
    ).toBe(Errors.VALUE);
    expect(run('WRAPROWS', [cities, 0])).toBe(Errors.NUM);
  });

  it('HSTACK and VSTACK pad with #N/A (HSTACK_VSTACK.xlsx)', () => {
    expect(run('HSTACK', [col([1, 2, 3, null]), col([5, 6])])).toEqual([
      [1, 5],
      [2, 6],
      [3, Errors.NA],
      [null, Errors.NA],
    ]);
    expect(run('HSTACK', [m([['one'], ['two'], ['three']]), col([1, 2, 3])])).toEqual([
      ['one', 1],
      ['two', 2],
      ['three', 3],
    ]);
    expect(run('VSTACK', [m([[1, 'a']]), m([[2]])])).toEqual([
      [1, 'a'],
      [2, Errors.NA],
    ]);
    expect(run('HSTACK', [Errors.DIV0, 1])).toBe(Errors.DIV0);
  });

  it('EXPAND (EXPAND.xlsx)', () => {
    const src = range([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(run('EXPAND', [src, 4, 4, 'x'])).toEqual([
      [1, 2, 3, 'x'],
      [4, 5, 6, 'x'],
      ['x', 'x', 'x', 'x'],
      ['x', 'x', 'x', 'x'],
    ]);
    expect((run('EXPAND', [src, 6]) as Scalar[][])[5]).toEqual([Errors.NA, Errors.NA, Errors.NA]);
    expect(run('EXPAND', [src, 1])).toBe(Errors.VALUE);
  });
});

describe('slicing', () => {
  it('TAKE and DROP (DROP_TAKE.xlsx)', () => {
    const flat = (r: unknown) => (Array.isArray(r) ? r.map((row) => row[0]) : r);
    expect(flat(run('DROP', [weekdays, 2]))).toEqual([
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(flat(run('DROP', [weekdays, 3.4]))).toEqual(['Thursday', 'Friday', 'Saturday', 'Sunday']);
    expect(flat(run('DROP', [weekdays, 6.2]))).toEqual(['Sunday']);
    expect(flat(run('DROP', [weekdays, -2]))).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
    ]);
    // Excel's #CALC! for an empty result is stored as #VALUE! in the workbook.
    for (const args of [[-7], [1200], [7], [1, 1]])
      expect(run('DROP', [weekdays, ...args])).toBe(Errors.CALC);
    expect(flat(run('TAKE', [weekdays, 2]))).toEqual(['Monday', 'Tuesday']);
    expect(flat(run('TAKE', [weekdays, -3]))).toEqual(['Friday', 'Saturday', 'Sunday']);
    expect(run('TAKE', [weekdays, 0])).toBe(Errors.CALC);
    const months = range(
      Array.from({ length: 4 }, () => [
        'January',
        'February',
        'March',
        'April',
        'May',
        'June',
        'July',
        'August',
        'September',
      ]),
    );
    expect(run('TAKE', [months, 3, 2])).toEqual(Array.from({ length: 3 }, () => ['January', 'February']));
    expect(run('DROP', [months, 3, 6])).toEqual([['July', 'August', 'September']]);
  });

  it('CHOOSECOLS and CHOOSEROWS (CHOOSECOLS_CHOOSEROWS.xlsx)', () => {
    expect(run('CHOOSECOLS', [grid, 1, 3, 5, 1])).toEqual(
      [1, 6, 11, 16, 21, 26].map((s) => [s, s + 2, s + 4, s]),
    );
    expect(run('CHOOSEROWS', [grid, 1, 1, 5, 2])).toEqual([
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
      [21, 22, 23, 24, 25],
      [6, 7, 8, 9, 10],
    ]);
    expect(run('CHOOSECOLS', [grid, -1, -2, 3])).toEqual(
      [5, 10, 15, 20, 25, 30].map((e) => [e, e - 1, e - 2]),
    );
    expect(run('CHOOSEROWS', [grid, m([[1, 2]])])).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
    ]);
    expect(run('CHOOSEROWS', [grid, 0])).toBe(Errors.VALUE);
    expect(run('CHOOSECOLS', [grid, 6])).toBe(Errors.VALUE);
  });
});

describe('FILTER and UNIQUE', () => {
  it('FILTER (FILTER_ERRORS.xlsx)', () => {
    const a = col([1, 2, 3, 4]);
    expect(run('FILTER', [a, col([false, false, false, true])])).toEqual([[4]]);
    expect(run('FILTER', [a, col([false, false, false, false])])).toBe(Errors.CALC);
    expect(run('FILTER', [a, col([false, false, false, false]), 'none'])).toBe('none');
    expect(run('FILTER', [col([3, 5, 7]), col(['yes', 1, 1])])).toBe(Errors.VALUE);
    expect(run('FILTER', [col(['a', 'b', 'c', 'd']), col([2, 1, 1, 0])])).toEqual([['a'], ['b'], ['c']]);
    expect(run('FILTER', [m([[1, 2, 3]]), m([[true, false, true]])])).toEqual([[1, 3]]);
    expect(run('FILTER', [a, col([true, Errors.NA, true, true])])).toBe(Errors.NA);
    expect(run('FILTER', [a, col([true, true])])).toBe(Errors.VALUE);
  });

  it('UNIQUE (SORT.xlsx Sheet2)', () => {
    const names = col(['Marie', 'Random', 'Elisa', 'Marisa', 'Marie', 'Random', null, null]);
    const flat = (r: unknown) => (r as Scalar[][]).map((row) => row[0]);
    expect(flat(run('UNIQUE', [names]))).toEqual(['Marie', 'Random', 'Elisa', 'Marisa', null]);
    expect(flat(run('UNIQUE', [names, false, true]))).toEqual(['Elisa', 'Marisa']);
    expect(run('UNIQUE', [m([['a', 'A', 'b']]), true])).toEqual([['a', 'b']]);
    expect(run('UNIQUE', [m([[1, 1]]), true, true])).toBe(Errors.CALC);
  });
});

describe('SORT and SORTBY (SORT.xlsx)', () => {
  const a = [
    1,
    5,
    2,
    -2,
    5,
    7,
    'Hola',
    'De',
    'HOLA',
    Errors.NAME,
    'Qwer',
    null,
    'AAAA',
    123,
    '2',
    Errors.DIV0,
    Errors.NA,
  ];
  const b = [
    'abra',
    'cada',
    'abra',
    'nos',
    'sin tu',
    'sf',
    'ad',
    'sa',
    'df',
    'ghdf',
    'xvsd',
    12,
    'de',
    'efv',
    'uhgf',
    'nht',
    'ettyer',
  ];
  const flat = (r: unknown) => (r as Scalar[][]).map((row) => row[0]);

  it('orders numbers, text, booleans, errors, then blanks', () => {
    expect(flat(run('SORT', [col(a)]))).toEqual([
      -2,
      1,
      2,
      5,
      5,
      7,
      123,
      '2',
      'AAAA',
      'De',
      'Hola',
      'HOLA',
      'Qwer',
      Errors.DIV0,
      Errors.NAME,
      Errors.NA,
      null,
    ]);
    expect(flat(run('SORT', [col(a), 1, -1]))).toEqual([
      Errors.NA,
      Errors.NAME,
      Errors.DIV0,
      'Qwer',
      'Hola',
      'HOLA',
      'De',
      'AAAA',
      '2',
      123,
      7,
      5,
      5,
      2,
      1,
      -2,
      null,
    ]);
    expect(flat(run('SORT', [col(a), 1, 1, true]))).toEqual(a);
    expect(run('SORT', [col(a), 1, 2])).toBe(Errors.VALUE);
    expect(run('SORT', [col(a), 2])).toBe(Errors.VALUE);
  });

  it('sorts rows by a column and columns by a row', () => {
    const table = range(a.map((v, i) => [v, b[i]]));
    const sorted = run('SORT', [table, 2]) as Scalar[][];
    expect(sorted.map((r) => r[1]).slice(0, 4)).toEqual([12, 'abra', 'abra', 'ad']);
    expect(sorted.map((r) => r[0]).slice(0, 4)).toEqual([null, 1, 2, 'Hola']);
    expect(
      run('SORT', [
        m([
          [30, 10, 20],
          [3, 1, 2],
        ]),
        1,
        1,
        true,
      ]),
    ).toEqual([
      [10, 20, 30],
      [1, 2, 3],
    ]);
  });

  it('SORTBY', () => {
    expect(flat(run('SORTBY', [col(a), col(b)]))).toEqual([
      null,
      1,
      2,
      'Hola',
      5,
      'AAAA',
      'HOLA',
      123,
      Errors.NA,
      Errors.NAME,
      Errors.DIV0,
      -2,
      'De',
      7,
      5,
      '2',
      'Qwer',
    ]);
    expect(flat(run('SORTBY', [col(a), col(b), -1]))).toEqual([
      'Qwer',
      '2',
      5,
      7,
      'De',
      -2,
      Errors.DIV0,
      Errors.NAME,
      Errors.NA,
      123,
      'HOLA',
      'AAAA',
      5,
      'Hola',
      1,
      2,
      null,
    ]);
    expect(run('SORTBY', [m([['x', 'y', 'z']]), m([[3, 1, 2]])])).toEqual([['y', 'z', 'x']]);
    expect(run('SORTBY', [col([1, 2]), col([1, 2, 3])])).toBe(Errors.VALUE);
  });
});

describe('SEQUENCE (SEQUENCE.xlsx)', () => {
  it('builds sequences as Excel accumulates them', () => {
    expect(run('SEQUENCE', [2])).toEqual([[1], [2]]);
    expect(run('SEQUENCE', [3, 4])).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ]);
    expect(run('SEQUENCE', [5, 1, 10, 2.2])).toEqual([
      [10],
      [12.2],
      [14.399999999999999],
      [16.599999999999998],
      [18.799999999999997],
    ]);
    expect(run('SEQUENCE', [2.3, 4, 7])).toEqual([
      [7, 8, 9, 10],
      [11, 12, 13, 14],
    ]);
    expect(run('SEQUENCE', [1, 5.3, 12.7, 0.1])).toEqual([
      [12.7, 12.799999999999999, 12.899999999999999, 12.999999999999998, 13.099999999999998],
    ]);
    expect(run('SEQUENCE', [null, 12, null, 2.5])).toEqual([
      [1, 3.5, 6, 8.5, 11, 13.5, 16, 18.5, 21, 23.5, 26, 28.5],
    ]);
    expect(run('SEQUENCE', [3, null, 10])).toEqual([[10], [11], [12]]);
    expect(run('SEQUENCE', ['5'])).toEqual([[1], [2], [3], [4], [5]]);
    expect(run('SEQUENCE', [1])).toEqual([[1]]);
  });
  it('errors', () => {
    expect(run('SEQUENCE', [Errors.DIV0])).toBe(Errors.DIV0);
    expect(run('SEQUENCE', [Errors.NA])).toBe(Errors.NA);
    expect(run('SEQUENCE', [-1])).toBe(Errors.VALUE);
    expect(run('SEQUENCE', [0, 0])).toBe(Errors.CALC);
    expect(run('SEQUENCE', [0.3])).toBe(Errors.CALC);
  });
});

describe('LAMBDA helpers (LOGICAL/*.xlsx)', () => {
  const lambda = (arity: number, body: (...args: Value[]) => Value) =>
    new Lambda(arity, (args) => body(...args));
  const data = range([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const sum = (v: Value) => (v instanceof Matrix ? (v.data as number[]).reduce((s, x) => s + x, 0) : 0);
  const max = (v: Value) => (v instanceof Matrix ? Math.max(...(v.data as number[])) : 0);

  it('BYROW and BYCOL', () => {
    expect(run('BYROW', [data, lambda(1, max)])).toEqual([[3], [6]]);
    expect(run('BYCOL', [data, lambda(1, sum)])).toEqual([[5, 7, 9]]);
    expect(run('BYROW', [data, 5])).toBe(Errors.VALUE);
    expect(run('BYROW', [data, lambda(1, (v) => v)])).toEqual([[Errors.CALC], [Errors.CALC]]);
  });

  it('MAKEARRAY', () => {
    expect(run('MAKEARRAY', [3, 3, lambda(2, (x, y) => num(x) * num(y))])).toEqual([
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
    ]);
    expect(run('MAKEARRAY', [0, 3, lambda(2, () => 1)])).toBe(Errors.VALUE);
    expect(run('MAKEARRAY', [2, 2, lambda(1, () => 1)])).toBe(Errors.VALUE);
  });

  it('MAP and REDUCE', () => {
    const a = range([
      [34, 2, 3],
      [4, 5, 6],
    ]);
    const b = range([
      [2, 12, 3],
      [3, 23, 4],
    ]);
    expect(run('MAP', [a, b, lambda(2, (x, y) => num(x) * num(y))])).toEqual([
      [68, 24, 9],
      [12, 115, 24],
    ]);
    const hypot = lambda(2, (x, y) => Math.sqrt(num(x) * num(x) + num(y) * num(y)));
    expect(run('REDUCE', [0, a, hypot])).toBeCloseTo(35.298725189445584, 12);
    expect(run('MAP', [a, Errors.REF])).toBe(Errors.REF);
  });

  it('SCAN', () => {
    const a = range([
      [3, 4, 7],
      [4, 5, 8],
    ]);
    expect(run('SCAN', [1, a, lambda(2, (x, y) => num(x) + 8 * num(y))])).toEqual([
      [25, 57, 113],
      [145, 185, 249],
    ]);
    const days = range([['Monday', 'Tuesday', 'Wednesday']]);
    expect(run('SCAN', ['Days: ', days, lambda(2, (x, y) => `${x} AND ${y}`)])).toEqual([
      ['Days:  AND Monday', 'Days:  AND Monday AND Tuesday', 'Days:  AND Monday AND Tuesday AND Wednesday'],
    ]);
  });
});
