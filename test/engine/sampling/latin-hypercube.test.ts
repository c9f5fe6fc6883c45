import { fillLhsUniform, lhsUniform, permuteIndex } from '../../../server/engine/sampling/latin-hypercube';
import { uniform } from '../../../server/engine/sampling/philox';

/** Count of values per stratum; NaN-free values outside (0,1) land in no stratum. */
function strataHit(seed: number, stream: number, n: number): Uint8Array {
  const hits = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const u = lhsUniform(seed, stream, t, n);
    if (u > 0 && u < 1) hits[Math.floor(u * n)]++;
  }
  return hits;
}

describe('Latin hypercube', () => {
  it('hits every stratum exactly once', () => {
    for (const n of [1, 2, 3, 7, 64, 1000, 4097]) {
      const hits = strataHit(99, 5, n);
      expect(hits.every((h) => h === 1)).toBe(true);
    }
  });

  it('permutes [0, n) bijectively for sizes around powers of two', () => {
    const key = new Uint32Array([1, 2, 3, 4]);
    for (const n of [2, 4, 5, 255, 256, 257, 65536, 65537]) {
      const seen = new Uint8Array(n);
      for (let t = 0; t < n; t++) seen[permuteIndex(t, n, key)]++;
      expect(seen.every((s) => s === 1)).toBe(true);
    }
  });

  it('uses different permutations for different streams and seeds', () => {
    const n = 1000;
    const a = Array.from({ length: 20 }, (_, t) => Math.floor(lhsUniform(1, 0, t, n) * n));
    const b = Array.from({ length: 20 }, (_, t) => Math.floor(lhsUniform(1, 1, t, n) * n));
    const c = Array.from({ length: 20 }, (_, t) => Math.floor(lhsUniform(2, 0, t, n) * n));
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('places each value inside its stratum by the stream uniform', () => {
    const n = 50;
    const u = lhsUniform(3, 4, 17, n);
    const stratum = Math.floor(u * n);
    expect(u).toBeCloseTo((stratum + uniform(3, 4, 17)) / n, 15);
  });

  it('is independent of chunking and interleaving with other streams', () => {
    const n = 10_000;
    const whole = new Float64Array(n);
    fillLhsUniform(whole, 11, 2, 0, n, n);
    const chunked = new Float64Array(n);
    for (let start = 0; start < n; start += 999) {
      lhsUniform(11, 3, start, n); // another input evaluated in between
      fillLhsUniform(chunked, 11, 2, start, Math.min(n, start + 999), n, start);
    }
    expect(chunked).toEqual(whole);
  });
});

describe('Latin hypercube in bulk', () => {
  it('fills bit for bit what the scalar form draws, at any offset, for seeds past 2^32 and runs up to 2^32', () => {
    for (const [seed, stream, n, start] of [
      [7, 0, 1, 0],
      [2 ** 40 + 3, 9, 257, 85],
      [123_456_789, 4_000_000_000, 65_536, 21_845],
      [5, 1, 70_001, 23_333],
      [11, 2, 2 ** 31 + 7, 2 ** 31 - 2_000], // trial indices across 2^31
      [13, 5, 2 ** 32, 2 ** 32 - 3_000], // the last trials of the longest run: the widest permutation
    ]) {
      const end = Math.min(n, start + 5_000);
      const offset = 4;
      const filled = new Float64Array(offset + end - start);
      fillLhsUniform(filled, seed, stream, start, end, n, offset);
      const scalar = Array.from({ length: end - start }, (_, i) => lhsUniform(seed, stream, start + i, n));
      expect(Array.from(filled.subarray(offset))).toEqual(scalar);
      expect(filled[0]).toBe(0);
    }
  });

  it('fills ranges longer than the bulk Philox filler’s block (65,536 values)', () => {
    const n = 200_000;
    const filled = new Float64Array(n);
    fillLhsUniform(filled, 3, 8, 0, n, n);
    const strata = new Uint8Array(n);
    for (const u of filled) strata[Math.floor(u * n)]++;
    expect(strata.every((hits) => hits === 1)).toBe(true);
    for (const t of [0, 65_535, 65_536, 131_072, 199_999]) expect(filled[t]).toBe(lhsUniform(3, 8, t, n));
  });
});

describe('Latin hypercube limits', () => {
  it('refuses runs beyond 2^32 trials', () => {
    expect(() => lhsUniform(1, 1, 0, 2 ** 32 + 1)).toThrow(RangeError);
    expect(lhsUniform(1, 1, 0, 2 ** 32)).toBeGreaterThan(0);
    expect(() => fillLhsUniform(new Float64Array(1), 1, 1, 0, 1, 2 ** 32 + 1)).toThrow(RangeError);
  });
});
