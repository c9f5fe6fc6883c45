import { fillUniform, philox4x32, uniform } from '../../../server/engine/sampling/philox';

const hex = (words: number[]) => words.map((w) => w.toString(16).padStart(8, '0')).join(' ');

describe('philox4x32-10', () => {
  // Random123 tests/kat_vectors, "philox4x32 10" lines
  it('matches the Random123 known-answer vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    const ones = 0xffffffff;
    expect(hex(philox4x32([ones, ones, ones, ones], [ones, ones]))).toBe(
      '408f276d 41c83b0e a20bc7c6 6d5451fd',
    );
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toBe(
      'd16cfe09 94fdcceb 5001e420 24126ea1',
    );
  });
});

describe('uniform', () => {
  it('is built from words 0 and 1 of the block at counter (trial, stream, draw), key (seed)', () => {
    const seed = 2 ** 40 + 12345;
    const trial = 2 ** 33 + 7;
    const [r0, r1] = philox4x32([7, 2, 99, 3], [12345, 2 ** 8]);
    expect(uniform(seed, 99, trial, 3)).toBe(((r0 >>> 11) * 2 ** 32 + r1) * 2 ** -53);
  });

  it('stays strictly inside (0,1) and has uniform moments', () => {
    const n = 200000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let t = 0; t < n; t++) {
      const u = uniform(42, 1, t);
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('gives different sequences for different seeds, streams and draws', () => {
    const a = uniform(1, 0, 5);
    expect(uniform(2, 0, 5)).not.toBe(a);
    expect(uniform(1, 1, 5)).not.toBe(a);
    expect(uniform(1, 0, 5, 1)).not.toBe(a);
    expect(uniform(1, 0, 6)).not.toBe(a);
    expect(uniform(1, 0, 5)).toBe(a);
  });

  it('batch filling is bit-identical to scalar calls, whatever the chunking', () => {
    const whole = new Float64Array(1000);
    fillUniform(whole, 7, 3, 0, 1000, 2);
    const chunked = new Float64Array(1000);
    for (let start = 0; start < 1000; start += 137) {
      fillUniform(chunked, 7, 3, start, Math.min(1000, start + 137), 2, start);
    }
    expect(chunked).toEqual(whole);
    for (let t = 0; t < 1000; t++) expect(whole[t]).toBe(uniform(7, 3, t, 2));
  });

  // The batch form runs in WebAssembly (64-bit multiplies), the scalar one in JavaScript doubles.
  it.each([
    [0, 0, 0, 0],
    [12345678901, 7, 1e9, 3],
    [2 ** 52 + 3, 4294967295, 2 ** 40 - 100, 4294967295],
    [1, 5, 4294967296 - 70_000, 1],
  ])(
    'batch and scalar forms agree: seed %p, stream %p, from trial %p, draw %p',
    (seed, stream, start, draw) => {
      // More than one 65,536-trial block of the WebAssembly filler, across 2^32 trials in the last case.
      const count = 140_000;
      const out = new Float64Array(count + 3);
      fillUniform(out, seed, stream, start, start + count, draw, 3);
      let differences = 0;
      for (let i = 0; i < count; i++)
        if (out[3 + i] !== uniform(seed, stream, start + i, draw)) differences++;
      expect(differences).toBe(0);
      expect(out.subarray(0, 3)).toEqual(new Float64Array(3));
    },
  );
});
