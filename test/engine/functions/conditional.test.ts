import { conditionalFunctions } from '../../../server/engine/functions/conditional';
import { compileCriterion } from '../../../server/engine/functions/criteria';
import {
  type ErrorCode,
  ExcelError,
  Matrix,
  Reference,
  type Scalar,
} from '../../../server/engine/values/value';
import { call, m, range, testContext } from '../../helpers/function-context';

const fn = (name: string) => conditionalFunctions.find((d) => d.name === name);
const E = (code: ErrorCode) => ExcelError.of(code);
const column = (values: Scalar[]) => range(values.map((v) => [v]));

// Data and results from the reference workbook STATISTICAL/COUNTIF.xlsx (Excel's cached values).
describe('COUNTIF', () => {
  const mixed = column([23, '23', true, 1, -23, 'hey', false, 123, null, null, '', null, null, null]);
  const numbers = [23, 1, -23, 1, 0, 100, -2, null];
  const expected: Record<string, number[]> = {
    '<': [2, 1, 0, 1, 1, 3, 1, 0],
    '<=': [3, 2, 1, 2, 1, 3, 1, 0],
    '>': [1, 2, 3, 2, 3, 1, 3, 0],
    '>=': [2, 3, 4, 3, 3, 1, 3, 0],
    '<>': [13, 13, 13, 13, 14, 14, 14, 9],
  };
  it.each(Object.entries(expected))('compares numbers with %s', (op, counts) => {
    numbers.forEach((n, i) => {
      expect(call(fn('COUNTIF'), [mixed, `${op}${n ?? ''}`])).toBe(counts[i]);
    });
  });

  it('matches text that reads as the number for = but not for <>', () => {
    const cells = column([23, '23', true, 1, -23, 'hey', false]);
    const criteria: Scalar[] = [23, 1, -23, 1, 0, 100, -2];
    const equal = [2, 1, 1, 1, 0, 0, 0];
    const notEqual = [6, 6, 6, 6, 7, 7, 7];
    criteria.forEach((c, i) => {
      expect(call(fn('COUNTIF'), [cells, c])).toBe(equal[i]);
      expect(call(fn('COUNTIF'), [cells, `=${c}`])).toBe(equal[i]);
      expect(call(fn('COUNTIF'), [cells, `<>${c}`])).toBe(notEqual[i]);
    });
  });

  it('matches text with wildcards and orders text case-insensitively', () => {
    const names = column([
      'Steven',
      'Albert',
      'Bernanrd',
      'Steven',
      'Mr. Brown',
      'Mrs. Brown',
      'Albert',
      E('#N/A'),
      null,
      '#DIV/0!',
      E('#DIV/0!'),
      E('#DIV/0!'),
      null,
      null,
    ]);
    const cases: [Scalar, number][] = [
      ['<>*brown', 12],
      ['=*brown', 2],
      ['<brown', 4],
      ['>brown', 4],
      [null, 0],
      [E('#N/A'), 1],
      [E('#DIV/0!'), 2],
      ['#N/A', 1],
      ['#DIV/0!', 2],
    ];
    for (const [criterion, count] of cases) expect(call(fn('COUNTIF'), [names, criterion])).toBe(count);
  });

  it('treats "" as blank-or-empty-text and "<>" as non-empty', () => {
    const cells = column([
      E('#N/A'),
      12,
      E('#DIV/0!'),
      '#N/A',
      0,
      '',
      '',
      null,
      0,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(call(fn('COUNTIF'), [cells, ''])).toBe(8);
    expect(call(fn('COUNTIF'), [cells, null])).toBe(2);
    expect(call(fn('COUNTIF'), [cells, '='])).toBe(6);
    const first7 = column([E('#N/A'), 12, E('#DIV/0!'), '#N/A', 0, '', '']);
    expect(call(fn('COUNTIF'), [first7, '<>#N/A'])).toBe(6);
    expect(call(fn('COUNTIF'), [first7, '<>'])).toBe(7);
  });

  it('matches booleans only with booleans', () => {
    const cells = column([true, 1, 0, false, null, 'TRUE', null, true, true, false, null, null, null, null]);
    const cases: [Scalar, number, number][] = [
      [null, 1, 8],
      [true, 3, 11],
      [0, 1, 13],
      [false, 2, 12],
      ['true', 3, 11],
      ['FaLSe', 2, 12],
    ];
    for (const [criterion, count, notCount] of cases) {
      expect(call(fn('COUNTIF'), [cells, criterion])).toBe(count);
      const text =
        criterion === null
          ? ''
          : typeof criterion === 'boolean'
            ? String(criterion).toUpperCase()
            : criterion;
      expect(call(fn('COUNTIF'), [cells, `<>${text}`])).toBe(notCount);
    }
  });

  it('answers an array for an array of criteria', () => {
    const result = call(fn('COUNTIF'), [column([1, 2, 3, 4]), m([['>1', '>3']])]);
    expect(result).toEqual(new Matrix(1, 2, [3, 1]));
  });
});

describe('criteria matcher', () => {
  it('escapes wildcards with ~ and matches ? as one character', () => {
    expect(compileCriterion('~*')('*')).toBe(true);
    expect(compileCriterion('~*')('a')).toBe(false);
    expect(compileCriterion('?b')('ab')).toBe(true);
    expect(compileCriterion('?b')('abb')).toBe(false);
    expect(compileCriterion('a*')('ABC')).toBe(true);
    expect(compileCriterion('a*')(1)).toBe(false);
  });

  it('reads dates in criteria', () => {
    expect(compileCriterion('>=2024-07-01')(45481)).toBe(true);
    expect(compileCriterion('>=2024-07-01')(45473)).toBe(false);
  });

  it('can match text by prefix (database criteria)', () => {
    const berlin = compileCriterion('Berlin', { textPrefix: true });
    expect(['Berlin', 'BERLIN', 'Berlino', ' Berlin', 'Berlín'].map(berlin)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

// STATISTICAL/COUNTIFS.xlsx
describe('COUNTIFS', () => {
  const colours = column([
    'red',
    'BLUE',
    'yellow',
    'dark blue',
    'light blue',
    'light yellow',
    'dark yellow',
    'brown',
    'white',
    'Mr. White',
    'brown',
    'blue',
    'blue',
    'white dark',
    'red-ish',
    'blue-ish',
    'magenta',
    'magenta',
    'yellow',
  ]);
  it.each([
    ['blue', 3],
    ['*blue', 5],
    ['*o*', 6],
    ['brown', 2],
    ['white', 1],
    ['dark*', 2],
    ['*-ish', 2],
    ['magenta', 2],
    ['*ll*', 4],
    ['yellow', 2],
    ['???-ish', 1],
    ['>c', 13],
    [null, 0],
  ] as [Scalar, number][])('counts %p', (criterion, count) => {
    expect(call(fn('COUNTIFS'), [colours, criterion])).toBe(count);
  });

  it('requires every condition', () => {
    const numbers = column([1, 7, 8, 9, 13, E('#DIV/0!'), 9, 3, 90, null, null, true, false]);
    const cases: [Scalar, Scalar, number][] = [
      ['>0', '<5', 2],
      ['>=1', '<=9', 6],
      ['>-4', '<89', 7],
      ['>100', '<1', 0],
      ['>20', '<100', 1],
      [7, '<9', 1],
      [7, 8, 0],
      ['=7', '<9', 1],
    ];
    for (const [a, b, count] of cases) expect(call(fn('COUNTIFS'), [numbers, a, numbers, b])).toBe(count);
  });

  it('rejects ranges of different shapes', () => {
    expect(call(fn('COUNTIFS'), [column([1, 2]), 1, column([1, 2, 3]), 1])).toBe(E('#VALUE!'));
  });
});

// MATH_AND_TRIGONOMETRY/SUMIF_AVERAGE_IF.xlsx
describe('SUMIF and AVERAGEIF', () => {
  const values = column([3, 4, 5, 6, -3, 12, E('#DIV/0!'), E('#N/A'), null]);
  it.each([
    [5, 5, 5],
    [-10, E('#DIV/0!'), 0],
    ['>0', 6, 30],
    ['<5', 4 / 3, 4],
    [E('#N/A'), E('#N/A'), E('#N/A')],
  ] as [Scalar, Scalar, Scalar][])('criterion %p', (criterion, average, total) => {
    expect(call(fn('AVERAGEIF'), [values, criterion])).toEqual(average);
    expect(call(fn('SUMIF'), [values, criterion])).toEqual(total);
  });

  it('sums a separate range and propagates errors in matched cells only', () => {
    const keys = column([1, 2, 3]);
    const sums = column([1, 10, E('#DIV/0!')]);
    expect(call(fn('SUMIF'), [keys, '>2', sums])).toBe(E('#DIV/0!'));
    expect(call(fn('SUMIF'), [keys, '<2', sums])).toBe(1);
  });

  it('takes the sum range from its top-left cell with the criteria range shape', () => {
    const ctx = testContext({ A1: 'x', A2: 'y', A3: 'x', B1: 1, B2: 2, B3: 4 });
    const keys = column(['x', 'y', 'x']);
    const b1 = new Reference('Sheet1', 1, 2, 1, 2);
    expect(call(fn('SUMIF'), [keys, 'x', b1], ctx)).toBe(5);
    expect(call(fn('AVERAGEIF'), [keys, 'x', b1], ctx)).toBe(2.5);
  });
});

describe('SUMIFS, AVERAGEIFS, MAXIFS, MINIFS', () => {
  const amounts = column([10, 20, 30, 40, 'n/a']);
  const region = column(['east', 'west', 'East', 'west', 'east']);
  const units = column([1, 5, 3, 7, 9]);
  it('aggregate the values meeting all conditions', () => {
    expect(call(fn('SUMIFS'), [amounts, region, 'east', units, '>1'])).toBe(30);
    expect(call(fn('AVERAGEIFS'), [amounts, region, 'west'])).toBe(30);
    expect(call(fn('MAXIFS'), [amounts, region, 'east'])).toBe(30);
    expect(call(fn('MINIFS'), [amounts, units, '>2'])).toBe(20);
  });
  it('answer 0 (MAXIFS, MINIFS) or #DIV/0! (AVERAGEIFS) when nothing matches', () => {
    expect(call(fn('MAXIFS'), [amounts, region, 'north'])).toBe(0);
    expect(call(fn('MINIFS'), [amounts, region, 'north'])).toBe(0);
    expect(call(fn('SUMIFS'), [amounts, region, 'north'])).toBe(0);
    expect(call(fn('AVERAGEIFS'), [amounts, region, 'north'])).toBe(E('#DIV/0!'));
  });
  it('reject ranges of a different shape than the value range', () => {
    expect(call(fn('SUMIFS'), [amounts, column(['east']), 'east'])).toBe(E('#VALUE!'));
  });
});

// STATISTICAL/COUNT.xlsx
describe('COUNTBLANK', () => {
  it('counts empty cells and empty text', () => {
    expect(call(fn('COUNTBLANK'), [column([1, null, '', 'a', E('#N/A'), null])])).toBe(3);
  });
});
