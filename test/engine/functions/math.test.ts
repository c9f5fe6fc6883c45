import { mathFunctions } from '../../../server/engine/functions/math';
import { Errors, type Matrix, type Value } from '../../../server/engine/values/value';
import { call, m, range } from '../../helpers/function-context';

const fn = (name: string) => mathFunctions.find((d) => d.name === name);
const run = (name: string, ...args: Value[]) => call(fn(name), args);

describe('rounding (Excel numbers from ROUND.xlsx, MROUND_TRUNC_INT.xlsx, FLOOR_CEILING.xlsx)', () => {
  it('rounds the decimal value, half away from zero', () => {
    expect(run('ROUND', 2.675, 2)).toBe(2.68);
    expect(run('ROUND', 1.745, 2)).toBe(1.75);
    expect(run('ROUND', -2.5, 0)).toBe(-3);
    expect(run('ROUND', 1234.5678, -2)).toBe(1200);
    expect(run('ROUNDUP', 1.741, 2)).toBe(1.75);
    expect(run('ROUNDDOWN', 1.745, 2)).toBe(1.74);
    expect(run('ROUNDUP', 0.1 + 0.2, 1)).toBe(0.3);
    expect(run('TRUNC', -4.7)).toBe(-4);
    expect(run('INT', -4.3)).toBe(-5);
  });
  it('MROUND refuses booleans and mixed signs', () => {
    expect(run('MROUND', 10, 3)).toBe(9);
    expect(run('MROUND', '2024-01-10', 7)).toBe(45304);
    expect(run('MROUND', true, 2)).toBe(Errors.VALUE);
    expect(run('MROUND', -0.00037, 0.0001)).toBe(Errors.NUM);
    expect(run('MROUND', ' 2024-01-10 ', 7)).toBe(Errors.VALUE);
  });
  it('CEILING and FLOOR families', () => {
    expect(run('CEILING', 2.5, 1)).toBe(3);
    expect(run('CEILING', -2.5, -2)).toBe(-4);
    expect(run('CEILING', 2.5, -1)).toBe(Errors.NUM);
    expect(run('FLOOR', -2.5, -2)).toBe(-2);
    expect(run('FLOOR', 3, 0)).toBe(Errors.DIV0);
    expect(run('CEILING.MATH', -5.5, 2, 1)).toBe(-6);
    expect(run('FLOOR.MATH', -5.5, 2, 1)).toBe(-4);
    expect(run('CEILING.PRECISE', -4.1, -2)).toBe(-4);
    expect(run('EVEN', -1.5)).toBe(-2);
    expect(run('ODD', 2)).toBe(3);
  });
});

describe('arithmetic', () => {
  it('MOD takes the sign of the divisor (MOD_QUOTIENT.xlsx)', () => {
    expect(run('MOD', -5, 2)).toBe(1);
    expect(run('MOD', 5, -2)).toBe(-1);
    expect(run('MOD', 7.4, 2.33)).toBeCloseTo(0.41000000000000014, 14);
    expect(run('MOD', 3, 0)).toBe(Errors.DIV0);
    expect(run('QUOTIENT', -5, 2)).toBe(-2);
    expect(run('QUOTIENT', true, true)).toBe(Errors.VALUE);
    expect(run('MOD', true, true)).toBe(0);
  });
  it('POWER, LOG and friends return Excel errors, never NaN', () => {
    expect(run('POWER', 0, 0)).toBe(Errors.NUM);
    expect(run('POWER', 0, -1)).toBe(Errors.DIV0);
    expect(run('POWER', -8, 1 / 3)).toBe(Errors.NUM);
    expect(run('LOG', 1000)).toBe(3);
    expect(run('LOG', 8, 2)).toBe(3);
    expect(run('LOG', 10, 1)).toBe(Errors.DIV0);
    expect(run('LN', 0)).toBe(Errors.NUM);
    expect(run('SQRT', -1)).toBe(Errors.NUM);
    expect(run('EXP', 1000)).toBe(Errors.NUM);
    expect(run('EXP', '€100')).toBeCloseTo(2.6881171418161356e43, -30);
  });
  it('trigonometry rejects huge arguments', () => {
    expect(run('SIN', 2 ** 27)).toBe(Errors.NUM);
    expect(run('COT', 0)).toBe(Errors.DIV0);
    expect(run('ATAN2', 0, 0)).toBe(Errors.DIV0);
    expect(run('ATAN2', 1, 1)).toBeCloseTo(Math.PI / 4, 15);
    expect(run('ACOTH', 1)).toBe(Errors.NUM);
  });
  it('combinatorics', () => {
    expect(run('FACT', 5.9)).toBe(120);
    expect(run('FACT', 171)).toBe(Errors.NUM);
    expect(run('FACTDOUBLE', 7)).toBe(105);
    expect(run('COMBIN', 8, 2)).toBe(28);
    expect(run('COMBINA', 4, 3)).toBe(20);
    expect(run('COMBINA', 0, 5)).toBe(Errors.NUM);
    expect(run('MULTINOMIAL', 2, 3, 4)).toBe(1260);
    expect(run('MULTINOMIAL', m([[true, 1, 2]]))).toBe(Errors.VALUE);
  });
  it('GCD and LCM convert text even in ranges (GCD_LCM.xlsx)', () => {
    expect(run('LCM', range([['8', 2]]))).toBe(8);
    expect(run('GCD', m([[4, '2024-01-10', 12]]))).toBe(1);
    expect(run('LCM', range([[true, 2]]))).toBe(Errors.VALUE);
    expect(run('LCM', range([[null, null]]))).toBe(0);
    expect(run('LCM', range([[null]]), range([[null]]))).toBe(Errors.VALUE);
    expect(run('LCM', 2147483647, 1073741823)).toBe(Errors.NUM);
    expect(run('GCD', -1, 5)).toBe(Errors.NUM);
  });
  it('numerals (ARABIC_ROMAN.xlsx, BASE.xlsx)', () => {
    expect(run('ROMAN', 499, 0)).toBe('CDXCIX');
    expect(run('ROMAN', 499, 4)).toBe('ID');
    expect(run('ROMAN', 490, 4)).toBe('XD');
    expect(run('ARABIC', 'mcmxii')).toBe(1912);
    expect(run('ARABIC', 'abc')).toBe(Errors.VALUE);
    expect(run('BASE', 12345678, 16)).toBe('BC614E');
    expect(run('BASE', 16, 2, 8)).toBe('00010000');
    expect(run('DECIMAL', 'FF', 16)).toBe(255);
    expect(run('DECIMAL', 'G', 16)).toBe(Errors.NUM);
  });
});

describe('aggregates', () => {
  it('SUM ignores text in ranges but converts written text', () => {
    expect(run('SUM', range([[1, '2', true, null]]), '3', true)).toBe(5);
    expect(run('SUM', 'abc')).toBe(Errors.VALUE);
    expect(run('SUM', range([[1, Errors.NA]]))).toBe(Errors.NA);
    expect(run('PRODUCT', range([['x', null]]))).toBe(0);
    expect(run('SUMSQ', 3, 4)).toBe(25);
  });
  it('SUMPRODUCT and the SUMX family', () => {
    expect(run('SUMPRODUCT', m([[1, 2, 3]]), m([[4, 5, 'x']]))).toBe(14);
    expect(run('SUMPRODUCT', m([[1, 2]]), m([[1], [2]]))).toBe(Errors.VALUE);
    expect(run('SUMX2MY2', m([[2, 3]]), m([[1, 1]]))).toBe(11);
    expect(run('SUMXMY2', m([[2, 3]]), m([[1]]))).toBe(Errors.NA);
    expect(run('SERIESSUM', 2, 0, 1, m([[1, 2, 3]]))).toBe(17);
    expect(run('SERIESSUM', 0, 0, 2, m([[1, 2, 3]]))).toBe(Errors.NUM);
  });
  it('matrices', () => {
    const product = run('MMULT', m([[1, 2]]), m([[3], [4]])) as Matrix;
    expect(product.toRows()).toEqual([[11]]);
    expect(run('MMULT', m([[1, Errors.DIV0]]), m([[1], [2]]))).toBe(Errors.DIV0);
    expect(
      run(
        'MDETERM',
        m([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe(-2);
    expect(
      (
        run(
          'MINVERSE',
          m([
            [4, 7],
            [2, 6],
          ]),
        ) as Matrix
      ).toRows()[0][0],
    ).toBeCloseTo(0.6, 14);
    expect(
      run(
        'MINVERSE',
        m([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toBe(Errors.NUM);
    expect((run('MUNIT', 2) as Matrix).toRows()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });
  it('SUBTOTAL dispatches by function number', () => {
    const data = range([[1, 2, 3, 'x']]);
    expect(run('SUBTOTAL', 9, data)).toBe(6);
    expect(run('SUBTOTAL', 101, data)).toBe(2);
    expect(run('SUBTOTAL', 3, data)).toBe(4);
    expect(run('AGGREGATE', 14, 6, range([[1, Errors.NA, 5]]), 1)).toBe(5);
  });
});

describe('exact results Excel shows', () => {
  it('LOG of an exact power is an integer', () => {
    expect(run('LOG', 125, 5)).toBe(3);
    expect(run('LOG', 3, 2)).toBeCloseTo(1.5849625007211563, 15);
  });
  it('ROUND away from a boundary keeps full precision', () => {
    expect(run('ROUND', 1.2345678901234567, 10)).toBe(1.2345678901);
    expect(run('ROUND', -1234.5, 0)).toBe(-1235);
  });
});
