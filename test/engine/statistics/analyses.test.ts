/**
 * The sensitivity analyses against values derived by hand: regression coefficients of a known linear
 * model, decile means of a uniform, first-order effects of an additive model, @RISK's scenario rule and
 * the scatter subsample. Inputs are drawn from a fixed-seed generator written here (not the engine's).
 */
import {
  analysedTrials,
  analyseInput,
  contributionShares,
  firstOrderEffect,
  recordedY,
  scatterTrials,
  standardizedRegression,
  TAILS,
} from '../../../server/engine/statistics/analyses';
import { ordering } from '../../../server/engine/statistics/ranks';

/**
 * A reproducible uniform stream in (0, 1): a 32-bit counter scrambled by an integer hash (Wellons'
 * "lowbias32"), so that streams of different seeds are unrelated (a multiplicative congruential
 * generator's streams are multiples of one another).
 */
function uniforms(seed: number, n: number): Float64Array {
  const hash = (x: number) => {
    let h = x >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
    return h >>> 0;
  };
  return Float64Array.from({ length: n }, (_, i) => (hash(hash(seed) + i) + 0.5) / 2 ** 32);
}

/** Standard normals by Box–Muller from two uniform streams. */
function normals(seed: number, n: number): Float64Array {
  const u = uniforms(seed, n);
  const v = uniforms(seed + 7919, n);
  return u.map((a, i) => Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * v[i]));
}

const allNumbers = (n: number) => new Uint8Array(n);
const output = (values: Float64Array, outcomes = allNumbers(values.length)) =>
  recordedY(values, outcomes, values.length);

describe('standardised regression coefficients', () => {
  it('gives 2/√13 and 3/√13 for y = 2a + 3b with independent standard normals', () => {
    const n = 50_000;
    const a = normals(11, n);
    const b = normals(29, n);
    const y = a.map((x, i) => 2 * x + 3 * b[i]);
    const src = standardizedRegression([a, b], output(y)) as number[];
    expect(src[0]).toBeCloseTo(2 / Math.sqrt(13), 2);
    expect(src[1]).toBeCloseTo(3 / Math.sqrt(13), 2);
  });

  it('gives exactly the coefficients times sd ratio when y is an exact linear function (no noise)', () => {
    const n = 2_000;
    const a = normals(3, n);
    const b = uniforms(5, n);
    const y = a.map((x, i) => 4 * x - 10 * b[i] + 7);
    const sd = (x: Float64Array) => {
      const mean = x.reduce((s, v) => s + v, 0) / n;
      return Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    };
    const src = standardizedRegression([a, b], output(y)) as number[];
    expect(src[0]).toBeCloseTo((4 * sd(a)) / sd(y), 10);
    expect(src[1]).toBeCloseTo((-10 * sd(b)) / sd(y), 10);
  });

  it('gives 0, never NaN, for a constant input and for an input that repeats another', () => {
    const n = 1_000;
    const a = normals(13, n);
    const constant = new Float64Array(n).fill(5);
    const twice = a.map((x) => 2 * x);
    const noise = normals(17, n);
    const y = a.map((x, i) => x + 0.1 * noise[i]);
    const src = standardizedRegression([a, constant, twice], output(y)) as number[];
    expect(src[1]).toBe(0);
    expect(src[2]).toBe(0);
    expect(src[0]).toBeGreaterThan(0.99);
    expect(JSON.stringify(src)).not.toContain('null');
  });

  it('uses only the trials where the output is a number, and is undefined with too few of them', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const y = Float64Array.from([2, 4, Number.NaN, 8, 10, 999]);
    const outcomes = Uint8Array.from([0, 0, 1, 0, 0, 2]);
    expect((standardizedRegression([a], recordedY(y, outcomes, 6)) as number[])[0]).toBeCloseTo(1, 12);
    expect(
      standardizedRegression([a, a.map((x) => x * x)], recordedY(y, Uint8Array.from([0, 0, 1, 1, 0, 1]), 6)),
    ).toBe(undefined);
  });
});

describe('change in output mean by decile', () => {
  it('gives 0.05, 0.15, …, 0.95 for y = x uniform on (0, 1)', () => {
    const x = uniforms(42, 100_000);
    const [against] = analyseInput(ordering(x), undefined, [output(x)]);
    against.decileMeans.forEach((mean, d) => {
      expect(mean).toBeCloseTo(0.05 + d / 10, 2);
    });
  });

  it('puts exactly n/10 trials, by the input’s order, in each decile', () => {
    // x = 0..99 shuffled by a fixed permutation; y = x, so decile d holds 10d..10d+9, mean 10d + 4.5.
    const x = Float64Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
    const [against] = analyseInput(ordering(x), undefined, [output(x)]);
    expect(against.decileMeans).toEqual(Array.from({ length: 10 }, (_, d) => 10 * d + 4.5));
  });
});

describe('first-order contribution to variance', () => {
  it('gives Var shares 1 : 4 : 0 for y = a + 2b (+ an input without effect)', () => {
    const n = 20_000;
    const a = normals(101, n);
    const b = normals(202, n);
    const none = uniforms(303, n);
    const y = output(a.map((x, i) => x + 2 * b[i]));
    const effects = [a, b, none].map((x) => firstOrderEffect(ordering(x), y));
    const shares = contributionShares(effects);
    expect(shares[0]).toBeCloseTo(0.2, 1);
    expect(shares[1]).toBeCloseTo(0.8, 1);
    expect(Math.abs(shares[0] - 0.2)).toBeLessThan(0.02);
    // The bias correction takes the noise of 50 bins (about 49/20,000 of the variance) away.
    expect(effects[2]).toBeLessThan(0.002);
    expect(shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('sees a non-monotone effect that a rank correlation misses: y = (u − ½)²', () => {
    const u = uniforms(77, 20_000);
    const y = output(u.map((x) => (x - 0.5) ** 2));
    // y is a function of u alone: all of its variance is u's first-order effect (less the binning's loss).
    expect(firstOrderEffect(ordering(u), y)).toBeGreaterThan(0.98);
  });

  it('gives all shares 0 when no input has an effect (a constant output)', () => {
    const u = uniforms(1, 1_000);
    const y = output(new Float64Array(1_000).fill(3));
    expect(contributionShares([firstOrderEffect(ordering(u), y)])).toEqual([0]);
  });
});

describe('scenarios', () => {
  it('finds an input’s median in the output’s lowest and highest tails (y = x on 1..1000)', () => {
    const n = 1_000;
    const x = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) + 1);
    const [against] = analyseInput(ordering(x), undefined, [output(x)]);
    // The lowest 10 % of y are x = 1..100: median 50.5; the highest 10 %, 901..1000: 950.5.
    const at = (tail: string, percent: number) =>
      against.tailMedians[TAILS.findIndex((t) => t.tail === tail && t.percent === percent)];
    expect(at('low', 10)).toBe(50.5);
    expect(at('high', 10)).toBe(950.5);
    expect(at('low', 25)).toBe(125.5);
    expect(at('high', 25)).toBe(875.5);
    expect(against.median).toBe(500.5);
    // Sample sd of 1..n: √(n(n+1)/12).
    expect(against.std).toBeCloseTo(Math.sqrt((n * (n + 1)) / 12), 9);
  });
});

describe('trials where the output is not a number', () => {
  it('are left out of the deciles, the medians and the tails (x = 1..100, y = x, errors where x > 90)', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    const outcomes = x.map((v) => (v > 90 ? 1 : 0));
    const [against] = analyseInput(ordering(x), undefined, [recordedY(x, Uint8Array.from(outcomes), 100)]);
    // 90 numeric trials, x = 1..90: deciles of 9 trials, 9d+1..9d+9, mean 9d + 5; median 45.5.
    expect(against.decileMeans).toEqual(Array.from({ length: 10 }, (_, d) => 9 * d + 5));
    expect(against.median).toBe(45.5);
    // The lowest 10 % of 90 trials: x = 1..9, median 5; the highest: 82..90, median 86.
    expect(against.tailMedians[TAILS.findIndex((t) => t.tail === 'low' && t.percent === 10)]).toBe(5);
    expect(against.tailMedians[TAILS.findIndex((t) => t.tail === 'high' && t.percent === 10)]).toBe(86);
  });
});

describe('trials the analyses read', () => {
  it('are all the recorded ones up to 20 input-output pairs, then 2 million pairs’ worth, at least 20,000', () => {
    expect(analysedTrials(100_000, 4, 2)).toBe(100_000);
    expect(analysedTrials(100_000, 10, 2)).toBe(100_000);
    expect(analysedTrials(100_000, 25, 2)).toBe(40_000);
    expect(analysedTrials(100_000, 30, 1)).toBe(66_666);
    expect(analysedTrials(100_000, 100, 10)).toBe(20_000);
    expect(analysedTrials(100_000, 1_000, 100)).toBe(20_000);
    expect(analysedTrials(5_000, 1_000, 100)).toBe(5_000);
  });
});

describe('scatter subsample', () => {
  it('takes evenly spaced numeric trials, at most the number asked', () => {
    const y = Float64Array.from({ length: 10 }, (_, i) => i);
    const outcomes = Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const recorded = recordedY(y, outcomes, 10);
    expect(scatterTrials(recorded, 3)).toEqual([0, 4, 7]);
    expect(scatterTrials(recorded, 100)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
