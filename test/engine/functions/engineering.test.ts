import { engineeringFunctions } from '../../../server/engine/functions/engineering';
import { Errors, type Value } from '../../../server/engine/values/value';
import { call, range } from '../../helpers/function-context';

const run = (name: string, ...args: Value[]) =>
  call(
    engineeringFunctions.find((d) => d.name === name),
    args,
  );

describe('Bessel functions carry Excel’s approximation digits (BESSEL.xlsx)', () => {
  it('orders 0 and 1', () => {
    expect(run('BESSELJ', 0, 0)).toBe(1.00000000283141);
    expect(run('BESSELJ', 0.2, 0)).toBeCloseTo(0.99002497457268746, 15);
    expect(run('BESSELI', 0.2, 0)).toBeCloseTo(1.0100250221205638, 14);
    expect(run('BESSELK', 2.4, 1)).toBeCloseTo(8.3724839331498296e-2, 14);
    expect(run('BESSELY', 2.4, 0)).toBeCloseTo(0.51041474583537583, 14);
  });
  it('higher orders and domain errors', () => {
    expect(run('BESSELJ', 2.4, 7) as number).toBeCloseTo(5.9273978382361377e-4, 13);
    expect(run('BESSELI', 2.4, 10) as number).toBeCloseTo(1.9435535412095194e-6, 15);
    expect((run('BESSELK', 2.4, 10) as number) / 25009.67940465737).toBeCloseTo(1, 12);
    expect((run('BESSELY', 2.4, 10) as number) / -21928.300351015292).toBeCloseTo(1, 12);
    expect(run('BESSELJ', 1, -1)).toBe(Errors.NUM);
    expect(run('BESSELK', -1, 1)).toBe(Errors.NUM);
  });
});

describe('bits and bases (BITs.xlsx, NUMBER_SYSTEMS.xlsx)', () => {
  it('bit operations accept booleans and stay below 2^48', () => {
    expect(run('BITAND', 13, 25)).toBe(9);
    expect(run('BITOR', true, 4)).toBe(5);
    expect(run('BITXOR', 5, 3)).toBe(6);
    expect(run('BITLSHIFT', 4, 2)).toBe(16);
    expect(run('BITRSHIFT', 13, 2)).toBe(3);
    expect(run('BITAND', 1.5, 1)).toBe(Errors.NUM);
    expect(run('BITLSHIFT', 2 ** 47, 1)).toBe(Errors.NUM);
  });
  it('two’s complement and places', () => {
    expect(run('BIN2DEC', 1100011011)).toBe(-229);
    expect(run('BIN2HEX', 1100011011)).toBe('FFFFFFFF1B');
    expect(run('BIN2HEX', 1100011011, 0)).toBe(Errors.NUM);
    expect(run('BIN2HEX', 1100011011, true)).toBe(Errors.VALUE);
    expect(run('DEC2BIN', 12, 8)).toBe('00001100');
    expect(run('DEC2BIN', 12, 3)).toBe(Errors.NUM);
    // Too few places for the digits is #NUM! in every base; a negative number ignores places.
    expect(run('DEC2OCT', 64, 2)).toBe(Errors.NUM);
    expect(run('DEC2OCT', 64, 3)).toBe('100');
    expect(run('DEC2HEX', 255, 1)).toBe(Errors.NUM);
    expect(run('DEC2HEX', 255, 2)).toBe('FF');
    expect(run('DEC2HEX', -1, 2)).toBe('FFFFFFFFFF');
    expect(run('DEC2BIN', -1)).toBe('1111111111');
    expect(run('DEC2BIN', 512)).toBe(Errors.NUM);
    expect(run('HEX2DEC', 'FFFFFFFFFF')).toBe(-1);
    expect(run('OCT2BIN', '7777777000')).toBe('1000000000');
    expect(run('HEX2BIN', 'G')).toBe(Errors.NUM);
  });
});

describe('complex numbers (COMPLEXs.xlsx)', () => {
  it('parses and writes Excel’s forms', () => {
    expect(run('COMPLEX', 3, 4)).toBe('3+4i');
    expect(run('COMPLEX', 0, -1, 'j')).toBe('-j');
    expect(run('COMPLEX', 1e-16, 0)).toBe('0.0000000000000001');
    expect(run('COMPLEX', 1e-20, 0)).toBe('1E-20');
    expect(run('COMPLEX', 1, 1, 'k')).toBe(Errors.VALUE);
    expect(run('IMAGINARY', '5i')).toBe(5);
    expect(run('IMREAL', '-2.5-i')).toBe(-2.5);
    expect(run('IMABS', '3+4i')).toBe(5);
    expect(run('IMREAL', 'abc')).toBe(Errors.NUM);
  });
  it('arithmetic', () => {
    expect(run('IMSUM', range([['1+i', '2-3i']]))).toBe('3-2i');
    expect(run('IMPRODUCT', '1+i', '1-i')).toBe('2');
    expect(run('IMPRODUCT', range([[7]]), range([[null]]))).toBe('0');
    expect(run('IMDIV', '1', '0')).toBe(Errors.NUM);
    expect(run('IMSUB', '5+2i', '1+i')).toBe('4+i');
    expect(run('IMPOWER', '2i', 2)).toBe('-4+4.89858719658941E-16i');
    expect(run('IMARGUMENT', '0')).toBe(Errors.DIV0);
    expect(run('IMSQRT', '-4')).toBe('1.22464679914735E-16+2i');
  });
});

describe('CONVERT, ERF, GESTEP, DELTA', () => {
  it('converts with prefixes and groups (CONVERT.xlsx)', () => {
    expect(run('CONVERT', 1, 'mi', 'm')).toBe(1609.344);
    expect(run('CONVERT', 0.05, 'Mg', 'g')).toBe(50000);
    expect(run('CONVERT', 0.05, 'Mlbm', 'g')).toBe(Errors.NA);
    expect(run('CONVERT', 0.05, 'Mang2', 'm2')).toBeCloseTo(5e-10, 24);
    expect(run('CONVERT', 1, 'C', 'K')).toBeCloseTo(274.15, 12);
    expect(run('CONVERT', 1, 'F', 'C')).toBeCloseTo(-17.2222222222222, 12);
    expect(run('CONVERT', 1, 'kibyte', 'bit')).toBe(8192);
    expect(run('CONVERT', 1, 'm', 'g')).toBe(Errors.NA);
  });
  it('error function and steps (ERFs.xlsx, GESTEP_DELTA.xlsx)', () => {
    expect(run('ERF', 1) as number).toBeCloseTo(0.8427007929497149, 15);
    expect(run('ERF', 0, 1) as number).toBeCloseTo(0.8427007929497149, 15);
    expect(run('ERFC', 5) as number).toBeCloseTo(1.5374597944280349e-12, 25);
    expect(run('ERF.PRECISE', -0.5) as number).toBeCloseTo(-0.5204998778130465, 15);
    expect(run('GESTEP', 5, 4)).toBe(1);
    expect(run('DELTA', 5)).toBe(0);
    expect(run('DELTA', true, 1)).toBe(Errors.VALUE);
  });
});
