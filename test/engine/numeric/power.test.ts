import { numericPower } from '../../../server/engine/numeric/power';

/** x^n rounded to the nearest double, from exact integer arithmetic (x finite, normal, result normal). */
function correctlyRounded(x: number, n: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const exponent = Number((bits >> 52n) & 0x7ffn) - 1075;
  const m = mantissa ** BigInt(n);
  const shift = m.toString(2).length - 53;
  let q = m >> BigInt(shift);
  const rest = m - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  const size = Number(q) * 2 ** (exponent * n + shift);
  return x < 0 && n % 2 === 1 ? -size : size;
}

describe('numericPower', () => {
  it('rounds whole powers 3..64 correctly, where ** is often an ulp off', () => {
    let wrong = 0;
    let starWrong = 0;
    let state = 12345;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (let i = 0; i < 20_000; i++) {
      const n = 3 + (i % 62);
      // Bases whose power stays well inside the normal range, both signs.
      const size = Math.exp((random() - 0.5) * (1200 / n));
      const x = (i % 5 === 0 ? -1 : 1) * size;
      const exact = correctlyRounded(x, n);
      if (numericPower(x, n) !== exact) wrong++;
      if (x ** n !== exact) starWrong++;
    }
    expect(wrong).toBe(0);
    // The reason this exists: JavaScript's ** is not correctly rounded.
    expect(starWrong).toBeGreaterThan(100);
  });

  it('leaves other exponents, overflow and underflow to **', () => {
    expect(numericPower(1.5, 2.5)).toBe(1.5 ** 2.5);
    expect(numericPower(1.07, -10)).toBe(1.07 ** -10);
    expect(numericPower(10, 2)).toBe(100);
    expect(numericPower(1e200, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(numericPower(1e-200, 3)).toBe(0);
    expect(numericPower(2, 64)).toBe(2 ** 64);
    expect(numericPower(-2, 3)).toBe(-8);
    expect(Number.isNaN(numericPower(Number.NaN, 3))).toBe(true);
  });
});
