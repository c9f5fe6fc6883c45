import { lookupFunctions } from '../../../server/engine/functions/lookup';
import { Errors, Matrix, Reference, type Scalar, type Value } from '../../../server/engine/values/value';
import { call, m, range, testContext } from '../../helpers/function-context';

const fn = (name: string) => lookupFunctions.find((d) => d.name === name);
const run = (name: string, args: Value[], ctx = testContext()) => call(fn(name), args, ctx);
const ref = (top: number, left: number, bottom = top, right = left, sheet = 'Sheet1') =>
  new Reference(sheet, top, left, bottom, right);
const col = (values: Scalar[]) => range(values.map((v) => [v]));
const rows = (v: Value) => (v instanceof Matrix ? v.toRows() : v);

describe('VLOOKUP / HLOOKUP (HVLOOKUP.xlsx)', () => {
  const cities = ['Albacete', 'Aranda', 'Berlin', 'Madrid', 'Zimbawe'];
  const table = range(cities.map((c, i) => [c, i + 1, ['banana', 'alca', 'apple', 'orange', 'done'][i]]));

  it('finds exact and approximate keys', () => {
    expect(run('VLOOKUP', ['Aranda', table, 3])).toBe('alca');
    expect(run('VLOOKUP', ['Cuenca', table, 1])).toBe('Berlin');
    expect(run('VLOOKUP', [23, table, 1])).toBe(Errors.NA);
    expect(run('VLOOKUP', [null, table, 3])).toBe(Errors.NA);
  });

  it('checks the column index and propagates errors', () => {
    expect(run('VLOOKUP', ['Albacete', table, 10])).toBe(Errors.REF);
    expect(run('VLOOKUP', [Errors.DIV0, table, 1])).toBe(Errors.DIV0);
    expect(run('VLOOKUP', ['x', table, Errors.DIV0])).toBe(Errors.DIV0);
    expect(run('HLOOKUP', ['Albacete', table, 1, Errors.DIV0])).toBe(Errors.DIV0);
  });

  it('treats scalar tables as Excel does', () => {
    expect(run('VLOOKUP', ['Aranda', 3, 1])).toBe(Errors.NA);
    expect(run('VLOOKUP', ['Aranda', 'Nothing', 1])).toBe(Errors.VALUE);
    expect(run('VLOOKUP', ['Aranda', true, 1])).toBe(Errors.NA);
  });

  it('matches wildcards in exact mode', () => {
    const fruit = range([
      ['Apple', 'Manzana'],
      ['Orange', 'Naranja'],
      ['Pear', 'Pera'],
      ['Strawberry', 'Fresa'],
      ['Potato', 'Patata'],
    ]);
    expect(run('VLOOKUP', ['*an*', fruit, 2, false])).toBe('Naranja');
    expect(run('VLOOKUP', ['*t?*', fruit, 2, false])).toBe('Fresa');
    expect(run('VLOOKUP', ['*t', fruit, 2, false])).toBe(Errors.NA);
    expect(run('VLOOKUP', ['*t?t?', fruit, 2, false])).toBe('Patata');
    expect(run('VLOOKUP', ['apple', fruit, 2, false])).toBe('Manzana');
    expect(run('VLOOKUP', ['apple', fruit, 30, false])).toBe(Errors.REF);
  });

  it('searches the first row horizontally', () => {
    const h = m([
      [1, 2, 3],
      ['a', 'b', 'c'],
    ]);
    expect(run('HLOOKUP', [2, h, 2, false])).toBe('b');
    expect(
      run('HLOOKUP', [
        3,
        m([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        2,
      ]),
    ).toBe(6);
  });
});

describe('MATCH (MATCH.xlsx, simple_functions.xlsx)', () => {
  const greek = col(['Alpha', 'Beta', 'Delta', 'Delta', 'Gamma', 'Omega']);
  it('approximate ascending returns the last value not above', () => {
    expect(run('MATCH', ['alpha', greek])).toBe(1);
    expect(run('MATCH', ['a', greek])).toBe(Errors.NA);
    expect(run('MATCH', ['beta', greek])).toBe(2);
    expect(run('MATCH', [0, greek])).toBe(Errors.NA);
    expect(run('MATCH', ['delta', greek])).toBe(4);
    const nums = col([1, 2, 3, 4, 5, 6]);
    expect([1.3, 0.8, 7, 1, 5.7].map((v) => run('MATCH', [v, nums]))).toEqual([1, Errors.NA, 6, 1, 5]);
  });

  it('descending match type -1', () => {
    const desc = col([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const q = [2.818, 7.231, 2.323, 9.049, 5.312, 2.372, 3.955, 8.676, 4.268];
    expect(q.map((v) => run('MATCH', [v, desc, -1]))).toEqual([7, 2, 7, Errors.NA, 4, 7, 6, 1, 5]);
    const asc = col([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(q.map((v) => run('MATCH', [v, asc, 1]))).toEqual([2, 7, 2, 9, 5, 2, 3, 8, 4]);
  });

  it('steps over errors like the LOOKUP(2,1/…) idiom needs', () => {
    const v = col([1, Errors.DIV0, 1, Errors.DIV0, Errors.DIV0]);
    expect(run('MATCH', [2, v])).toBe(3);
    expect(run('LOOKUP', [2, v, col(['a', 'b', 'c', 'd', 'e'])])).toBe('c');
  });

  it('exact matching with wildcards, no type coercion and no blank matches', () => {
    const words = col(['Patata', 'ata', 'Mulata', 'Question?', '', null, null, null, 0]);
    const find = (v: Scalar) => run('MATCH', [v, words, 0]);
    expect(['*a*', 'a*', '??l*', '*~?', '*', 'Q*', '', null, 0].map(find)).toEqual([
      1,
      2,
      3,
      4,
      1,
      4,
      5,
      Errors.NA,
      9,
    ]);
    expect(run('MATCH', [true, col(['TRUE', 1]), 0])).toBe(Errors.NA);
    expect(run('MATCH', ['FALSE', col([false, 0]), 0])).toBe(Errors.NA);
    expect(run('MATCH', [13, col(['13', 1]), 0])).toBe(Errors.NA);
    expect(run('MATCH', ['13', col([13, 1]), 0])).toBe(Errors.NA);
    expect(run('MATCH', [0, col([null, 1]), 0])).toBe(Errors.NA);
  });

  it('works on array constants', () => {
    expect(run('MATCH', [5, m([[1, 3, 5, 7, 9]]), 0])).toBe(3);
  });
});

describe('LOOKUP (MATCH_LOOKUP_arrays.xlsx, simple_functions.xlsx)', () => {
  it('vector and array forms', () => {
    expect(run('LOOKUP', [3, m([[1, 2, 3, 4, 5]]), m([[10, 20, 30, 40, 50]])])).toBe(30);
    expect(run('LOOKUP', [7.5, col([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])])).toBe(7);
    expect(
      run('LOOKUP', [
        'b',
        m([
          ['a', 'b', 'c'],
          [1, 2, 3],
        ]),
      ]),
    ).toBe(2);
  });
  it('frequency table', () => {
    const keys = col([4.14, 4.19, 5.17, 5.77, 6.39]);
    const colors = col(['red', 'orange', 'yellow', 'green', 'blue']);
    const look = (v: Scalar) => run('LOOKUP', [v, keys, colors]);
    expect([4.19, 5.16, 5.2, 6, 7, 8, -4, 0, 4.14, 4.2, Errors.DIV0, null].map(look)).toEqual([
      'orange',
      'orange',
      'yellow',
      'green',
      'blue',
      'blue',
      Errors.NA,
      Errors.NA,
      'red',
      'orange',
      Errors.DIV0,
      Errors.NA,
    ]);
  });
});

describe('XLOOKUP (XLOOKUP.xlsx)', () => {
  const keys = col([2, 5, 4, 5, 3]);
  const vals = col(['a', 'b', 'c', 'd', 'e']);
  it('exact, from either end, with if_not_found', () => {
    expect(run('XLOOKUP', [5, keys, vals])).toBe('b');
    expect(run('XLOOKUP', [5, keys, vals, null, null, -1])).toBe('d');
    expect(run('XLOOKUP', [10, keys, vals])).toBe(Errors.NA);
    expect(run('XLOOKUP', [10, keys, vals, 'Not found'])).toBe('Not found');
    expect(run('XLOOKUP', [Errors.DIV0, keys, vals, 'Not found'])).toBe(Errors.DIV0);
  });

  it('next smaller / larger on unsorted data, across types', () => {
    const k = col([2, 5, 4, 5, 3, true, 'ala']);
    const v = col(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const smaller = (x: Scalar, s = 1) => run('XLOOKUP', [x, k, v, null, -1, s]);
    expect([2.1234, 1.8, 4.8, 5, 10, 1, 'qwerty', true, false].map((x) => smaller(x))).toEqual([
      'a',
      Errors.NA,
      'c',
      'b',
      'b',
      Errors.NA,
      'g',
      'f',
      'g',
    ]);
    expect(smaller(10, -1)).toBe('d');
    const larger = (x: Scalar, s = 1) => run('XLOOKUP', [x, k, v, null, 1, s]);
    expect([2.1234, 1.8, 4.8, 5, 10, 1, 'qwerty', true, false].map((x) => larger(x))).toEqual([
      'e',
      'a',
      'b',
      'b',
      'g',
      'a',
      'f',
      'f',
      'f',
    ]);
    expect(larger(4.8, -1)).toBe('d');
  });

  it('binary search, ascending and descending, with duplicates', () => {
    const asc = col([1, 2, 3, 4, 5, 5, 5, 6, 7, 7, 7, 8, 9, null, null, null]);
    const ascV = col(['aa', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', null, null, null]);
    const b = (x: number, mode: number) => run('XLOOKUP', [x, asc, ascV, null, mode, 2]);
    expect([2, 1.8, 5, 7, 7.1, 6.8, 4.8, 8].map((x) => b(x, -1))).toEqual([
      'a',
      'aa',
      'd',
      'h',
      'j',
      'g',
      'c',
      'k',
    ]);
    expect([2, 1.8, 5, 7, 7.1, 6.8, 4.8, 8].map((x) => b(x, 1))).toEqual([
      'a',
      'a',
      'd',
      'h',
      'k',
      'h',
      'd',
      'k',
    ]);
    const desc = col([9, 8, 7, 7, 7, 6, 5, 5, 5, 4, 3, 2, 1]);
    const descV = col(['aa', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
    const d = (x: number, mode: number) => run('XLOOKUP', [x, desc, descV, null, mode, -2]);
    expect([2, 1.8, 5, 7, 7.1, 6.8, 4.8, 8].map((x) => d(x, -1))).toEqual([
      'k',
      'l',
      'h',
      'd',
      'b',
      'e',
      'i',
      'a',
    ]);
    expect([2, 1.8, 5, 7, 7.1, 6.8, 4.8, 8].map((x) => d(x, 1))).toEqual([
      'k',
      'k',
      'h',
      'd',
      'a',
      'd',
      'h',
      'a',
    ]);
  });

  it('binary search across types and the blank lookup value', () => {
    const nums = m([[2, 3, 4, 5, 6]]);
    const letters = m([['a', 'b', 'c', 'd', 'e']]);
    expect(run('XLOOKUP', ['a', nums, letters, null, -1, 2])).toBe('e');
    expect(run('XLOOKUP', [12, letters, nums, null, 1, 2])).toBe(2);
    expect(run('XLOOKUP', [true, letters, nums, null, 1, 2])).toBe(Errors.NA);
    expect(run('XLOOKUP', ['Belgium', letters, nums, null, 1, 2])).toBe(4);
    expect(run('XLOOKUP', [7, nums, letters, null, 1, 2])).toBe(Errors.NA);
    const withBlanks = col(['a', 'b', 'c', 'd', 'e', null, null]);
    expect(run('XLOOKUP', [null, withBlanks, col([1, 2, 3, 4, 5, 6, 7]), null, 1, 2])).toBe(6);
    expect(run('XLOOKUP', [null, col([2, null, 3]), col(['x', null, 'y'])])).toBe(null);
  });

  it('wildcards, and their refusal with binary search', () => {
    const k = col(['Green', 'Blue', 'Oreo', 'Barb', 'Tuesday', 'Friday']);
    const v = col([123, 1234, 321, 12, 2, 'Yay!']);
    const w = (p: string, s = 1) => run('XLOOKUP', [p, k, v, null, 2, s]);
    expect(['*r*', '*o', '??day', '???day', '*day', 'Barb'].map((p) => w(p))).toEqual([
      123,
      321,
      Errors.NA,
      'Yay!',
      2,
      12,
    ]);
    expect(w('*r*', -1)).toBe('Yay!');
    expect(w('Barb', 2)).toBe(Errors.VALUE);
  });

  it('rejects bad modes and mismatched arrays; returns whole rows', () => {
    expect(run('XLOOKUP', [1, keys, vals, null, 12])).toBe(Errors.VALUE);
    expect(run('XLOOKUP', [1, keys, vals, null, -2])).toBe(Errors.VALUE);
    expect(run('XLOOKUP', [5, keys, vals, null, null, true])).toBe('b');
    expect(run('XLOOKUP', [1, col([1, 2, 3, 4]), col(['a', 'b', 'c'])])).toBe(Errors.VALUE);
    expect(run('XLOOKUP', [1, keys, true])).toBe(Errors.VALUE);
    const table = m([
      [1, 'a', 'x'],
      [2, 'b', 'y'],
    ]);
    expect(
      rows(
        run('XLOOKUP', [
          2,
          col([1, 2]),
          m([
            ['a', 'x'],
            ['b', 'y'],
          ]),
        ]),
      ),
    ).toEqual([['b', 'y']]);
    expect(rows(run('XLOOKUP', [2, m([[1, 2, 3]]), table]))).toEqual([['a'], ['b']]);
  });
});

describe('XMATCH (XMATCH.xlsx, XMATCH_arrays.xlsx)', () => {
  it('modes', () => {
    const fruit = m([['apple', 'banana', 'cherry']]);
    expect(run('XMATCH', ['banana', fruit])).toBe(2);
    expect(run('XMATCH', ['ban*', fruit, 2])).toBe(2);
    const tens = m([[10, 20, 30, 40, 50]]);
    expect(run('XMATCH', [35, tens, 1])).toBe(4);
    expect(run('XMATCH', [35, tens, -1])).toBe(3);
    expect(run('XMATCH', [20, m([[10, 20, 20, 30]]), 0, -1])).toBe(3);
    expect(run('XMATCH', [25, tens, 1, 2])).toBe(3);
    expect(run('XMATCH', [25, m([[50, 40, 30, 20, 10]]), -1, -2])).toBe(4);
    expect(run('XMATCH', [99, m([[10, 20, 30]])])).toBe(Errors.NA);
    expect(
      run('XMATCH', [
        2,
        m([
          [1, 2],
          [3, 4],
        ]),
      ]),
    ).toBe(Errors.VALUE);
  });
  it('wildcards and regular expressions', () => {
    const c = col(['Albania', 'Indonesia', 'India', 'Germany', 'Spain', 'Venezuela', 'Italy', 'Francialy']);
    expect(run('XMATCH', ['Ind*', c, 2])).toBe(2);
    expect(run('XMATCH', ['Ind*', c, 2, -1])).toBe(3);
    expect(run('XMATCH', ['[A-Z][a-z]+y', c, 3, 1])).toBe(4);
    expect(run('XMATCH', ['[A-Z][a-z]+y', c, 3, -1])).toBe(8);
    expect(run('XMATCH', [42, col(['apple', 'bannana']), 3])).toBe(Errors.NA);
  });
});

describe('INDEX (INDEX.xlsx, simple_functions.xlsx)', () => {
  it('array form', () => {
    expect(run('INDEX', [m([[1, 2, 3]]), 2])).toBe(2);
    expect(rows(run('INDEX', [m([[1, 2, 3, 4]]), null, null]))).toEqual([[1, 2, 3, 4]]);
    expect(
      rows(
        run('INDEX', [
          m([
            [1, 2],
            [3, 4],
          ]),
          null,
          1,
        ]),
      ),
    ).toEqual([[1], [3]]);
    expect(
      rows(
        run('INDEX', [
          m([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          0,
          1,
        ]),
      ),
    ).toEqual([[1], [4]]);
    expect(
      run('INDEX', [
        m([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        -1,
        1,
      ]),
    ).toBe(Errors.VALUE);
    expect(
      rows(
        run('INDEX', [
          m([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          1,
        ]),
      ),
    ).toEqual([[1, 2, 3]]);
    expect(
      run('INDEX', [
        m([
          [1, 2, 3, 4, 5],
          ['a', 'b', 'c', 'd', 'e'],
        ]),
        2,
        2,
      ]),
    ).toBe('b');
    expect(rows(run('INDEX', [m([[1, 2, 3]]), 1, 0, 1]))).toEqual([[1, 2, 3]]);
    expect(run('INDEX', [m([[1, 2, 3]]), 1, 0, 2])).toBe(Errors.REF);
  });
  it('reference form returns references', () => {
    expect(run('INDEX', [ref(1, 1, 1, 4), 3])).toEqual(ref(1, 3));
    expect(run('INDEX', [ref(1, 1, 2, 4), 2, 2])).toEqual(ref(2, 2));
    expect(run('INDEX', [ref(1, 1, 3, 1), 1.5])).toEqual(ref(1, 1));
    expect(run('INDEX', [ref(1, 1, 3, 1), 0.4])).toEqual(ref(1, 1, 3, 1));
    expect(run('INDEX', [ref(1, 1, 3, 1), -2])).toBe(Errors.VALUE);
    expect(run('INDEX', [ref(1, 1, 3, 1), 100])).toBe(Errors.REF);
    expect(run('INDEX', [ref(2, 2, 10, 5), 0, 3])).toEqual(ref(2, 4, 10, 4));
    expect(run('INDEX', [ref(2, 2, 10, 5), 4, 0])).toEqual(ref(5, 2, 5, 5));
  });
});

describe('OFFSET, ROW, COLUMN, ROWS, COLUMNS (ROW_COLUM.xlsx)', () => {
  it('moves and resizes references', () => {
    expect(run('OFFSET', [ref(1, 1), 3, 3])).toEqual(ref(4, 4));
    expect(run('OFFSET', [ref(3, 3, 10, 3), -1, -2])).toEqual(ref(2, 1, 9, 1));
    expect(run('OFFSET', [ref(33, 11), -2.3, -2.8])).toEqual(ref(31, 9));
    expect(run('OFFSET', [ref(39, 23), 2, 2, 3, 4.2])).toEqual(ref(41, 25, 43, 28));
    expect(run('OFFSET', [ref(39, 23), 2, 2, 3.1, 3.99])).toEqual(ref(41, 25, 43, 27));
    expect(run('OFFSET', [ref(39, 23), 2, 2, 3, 0.9])).toEqual(ref(41, 25, 43, 25));
    expect(run('OFFSET', [ref(39, 23), 2, 2, 3, 0])).toBe(Errors.REF);
    expect(run('OFFSET', [ref(1, 1), -2, 1])).toBe(Errors.REF);
    expect(run('OFFSET', [ref(12, 16384), 1, 1])).toBe(Errors.REF);
    expect(run('OFFSET', [ref(10, 1), 0, 0, -3])).toEqual(ref(8, 1, 10, 1));
    expect(run('OFFSET', [5, 0, 0])).toBe(Errors.VALUE);
    const o = run('OFFSET', [ref(8, 19, 19, 24), 3.5, 7.2, 14.9, 2.3]) as Reference;
    expect([o.rows, o.cols, o.top, o.left]).toEqual([14, 2, 11, 26]);
  });
  it('ROW and COLUMN', () => {
    const ctx = testContext();
    expect(run('ROW', [], { ...ctx, caller: { sheet: 'Sheet1', row: 7, col: 3 } })).toBe(7);
    expect(run('COLUMN', [], { ...ctx, caller: { sheet: 'Sheet1', row: 7, col: 3 } })).toBe(3);
    expect(run('ROW', [ref(10, 1)])).toBe(10);
    expect(run('COLUMN', [ref(10, 28)])).toBe(28);
    expect(rows(run('ROW', [ref(3, 12, 5, 17)]))).toEqual([[3], [4], [5]]);
    expect(rows(run('COLUMN', [ref(4, 13, 9, 15)]))).toEqual([[13, 14, 15]]);
    expect(run('ROW', [Errors.REF])).toBe(Errors.REF);
  });
  it('ROWS and COLUMNS', () => {
    expect(run('ROWS', [ref(2, 8, 12, 17)])).toBe(11);
    expect(run('COLUMNS', [ref(5, 9, 19, 13)])).toBe(5);
    expect(run('ROWS', [ref(1, 3, 1048576, 3)])).toBe(1048576);
    expect(run('COLUMNS', [ref(14, 1, 14, 16384)])).toBe(16384);
    expect(
      run('ROWS', [
        m([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ]),
    ).toBe(3);
    expect(run('COLUMNS', [7])).toBe(1);
    expect(run('AREAS', [ref(1, 1, 2, 2)])).toBe(1);
  });
});

describe('INDIRECT and ADDRESS (ROW_COLUM.xlsx, ADDRESS.xlsx)', () => {
  const ctx = { ...testContext(), sheetNames: ['Sheet1', 'OTHER', 'A Wird One$'] };
  const ind = (text: Scalar, a1: Scalar = true) => run('INDIRECT', [text, a1], ctx);
  it('reads A1 text', () => {
    expect(ind('A4')).toEqual(ref(4, 1));
    expect(ind('D5:E7')).toEqual(ref(5, 4, 7, 5));
    expect(ind('$F$9')).toEqual(ref(9, 6));
    expect(ind('OTHER!D5')).toEqual(ref(5, 4, 5, 4, 'OTHER'));
    expect(ind("'A Wird One$'!$A$1")).toEqual(ref(1, 1, 1, 1, 'A Wird One$'));
    expect(ind('$RS34')).toEqual(ref(34, 487));
    expect(ind('WW$56')).toEqual(ref(56, 621));
    expect(ind('D:D')).toEqual(ref(1, 4, 1048576, 4));
    expect(ind('5:5')).toEqual(ref(5, 1, 5, 16384));
    expect(ind('$FF:FG')).toEqual(ref(1, 162, 1048576, 163));
    expect(ind('XFD:XFD')).toEqual(ref(1, 16384, 1048576, 16384));
    expect(ind('05:05')).toEqual(ref(5, 1, 5, 16384));
    expect(ind('SS077:SW090')).toEqual(ref(77, 513, 90, 517));
    expect(ind('s:s')).toEqual(ref(1, 19, 1048576, 19));
    expect(ind('A01')).toEqual(ref(1, 1));
  });
  it('rejects what is not a reference', () => {
    for (const bad of ['NonExist!W3', 'h', 5, null, 'XFE:XFE', 'hola', ''])
      expect(ind(bad as Scalar)).toBe(Errors.REF);
  });
  it('reads R1C1 text relative to the caller', () => {
    const at = { ...ctx, caller: { sheet: 'Sheet1', row: 10, col: 10 } };
    expect(run('INDIRECT', ['R2C3', false], at)).toEqual(ref(2, 3));
    expect(run('INDIRECT', ['R[-1]C[2]', false], at)).toEqual(ref(9, 12));
    expect(run('INDIRECT', ['RC', false], at)).toEqual(ref(10, 10));
  });
  it('ADDRESS', () => {
    expect(run('ADDRESS', [2, 3, 1, 1, 'Sheet2'])).toBe('Sheet2!$C$2');
    expect(run('ADDRESS', [1, 1])).toBe('$A$1');
    expect(run('ADDRESS', [3, 5, 4])).toBe('E3');
    expect(run('ADDRESS', [3, 7, 1])).toBe('$G$3');
    expect(run('ADDRESS', [3, 7, 1, 0])).toBe('R3C7');
    expect(run('ADDRESS', [45, 56, 1])).toBe('$BD$45');
    const styles = [1, 2, 3, 4].map((abs) => [
      run('ADDRESS', [23, 45, abs]),
      run('ADDRESS', [23, 45, abs, 0]),
    ]);
    expect(styles).toEqual([
      ['$AS$23', 'R23C45'],
      ['AS$23', 'R23C[45]'],
      ['$AS23', 'R[23]C45'],
      ['AS23', 'R[23]C[45]'],
    ]);
    expect(run('ADDRESS', [23.4, 34.7, 2])).toBe('AH$23');
    expect(run('ADDRESS', [23.4, 34.7, 2, 0])).toBe('R23C[34]');
    expect(run('ADDRESS', [-1, 3, 1])).toBe(Errors.VALUE);
    expect(run('ADDRESS', [0, 3, 1])).toBe(Errors.VALUE);
    expect(run('ADDRESS', [23, 45, 5])).toBe(Errors.VALUE);
    expect(run('ADDRESS', [1, 1, 1, 1, 'A Wird One$'])).toBe("'A Wird One$'!$A$1");
    expect(run('ADDRESS', [2, 3, 1, 1, 'Me lo invente'])).toBe("'Me lo invente'!$C$2");
  });
});

describe('TRIMRANGE (TRIMRANGE.xlsx)', () => {
  it('trims blank edges of a reference', () => {
    const ctx = testContext({ A3: 1, B3: 2, A4: 3, B5: 4, A7: 7, B9: 'Hola', H3: 1, H4: 2, H5: 3 });
    expect(run('TRIMRANGE', [ref(3, 1, 22, 3)], ctx)).toEqual(ref(3, 1, 9, 2));
    expect(run('TRIMRANGE', [ref(1, 8, 20, 8)], ctx)).toEqual(ref(3, 8, 5, 8));
    expect(run('TRIMRANGE', [ref(1, 8, 20, 8), 2], ctx)).toEqual(ref(1, 8, 5, 8));
  });
});
