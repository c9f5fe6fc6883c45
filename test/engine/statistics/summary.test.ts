import {
  defaultBinCount,
  histogramSorted,
  percentileSorted,
  sortedSample,
} from '../../../server/engine/statistics/histogram';
import {
  argsort,
  centeredRanks,
  keptTrials,
  ordering,
  pearson,
  radixSorted,
  ranks,
  spearman,
  spearmanWithEach,
} from '../../../server/engine/statistics/ranks';
import { sensitivity } from '../../../server/engine/statistics/sensitivity';
import {
  addSamples,
  emptyMoments,
  mergeMoments,
  momentsStd,
  momentsVariance,
} from '../../../server/engine/statistics/streaming';
import { sortedCopy, summarize } from '../../../server/engine/statistics/summary';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('summarize', () => {
  it("matches Excel's SKEW, KURT, AVERAGE (corpus MEADIAN_KURT_SKEW_HARMEAN.xlsx)", () => {
    const s = summarize(f64([1, 2, 3, 0.12, 1, 2, 3, 3]));
    expect(s.mean).toBeCloseTo(1.89, 14);
    expect(s.skewness).toBeCloseTo(-0.41015281605980153, 13);
    expect(s.kurtosis).toBeCloseTo(-1.2129835263391704, 13);
  });

  it("matches Excel's STDEV.S (corpus STDEV.xlsx)", () => {
    const s = summarize(f64([1, 1.2, 1.3, 0.7]));
    expect(s.std).toBeCloseTo(0.26457513110645903, 15);
    expect(s.variance).toBeCloseTo(0.07, 15);
    expect(s.standardError).toBeCloseTo(0.26457513110645903 / 2, 15);
    // t(0.975, 3) = 3.182446305284263
    expect(s.confidence95?.[1]).toBeCloseTo(1.05 + 3.182446305284263 * 0.1322875655532295, 12);
  });

  it('uses PERCENTILE.INC (corpus PERCENTIL_QUARTIL.xlsx)', () => {
    const sorted = sortedCopy(f64([12, -1, 7.5, 56, 12, -4, 3]));
    expect(percentileSorted(sortedSample(sorted), 0.1)).toBeCloseTo(-2.2, 14);
    expect(percentileSorted(sortedSample(sortedCopy(f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))), 1)).toBe(10);
    const s = summarize(f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(s.percentiles['50']).toBe(5.5);
    expect(s.percentiles['25']).toBe(3.25);
    expect(s.percentiles['99']).toBeCloseTo(9.91, 14);
    expect(Object.keys(s.percentiles)).toEqual(['1', '5', '10', '25', '50', '75', '90', '95', '99']);
  });

  it('reports undefined statistics as null for tiny samples', () => {
    expect(summarize(f64([])).mean).toBeNull();
    const one = summarize(f64([4]));
    expect(one.mean).toBe(4);
    expect(one.std).toBeNull();
    expect(one.skewness).toBeNull();
    const constant = summarize(f64([2, 2, 2, 2, 2]));
    expect(constant.std).toBe(0);
    expect(constant.kurtosis).toBeNull();
    expect(constant.histogram).toEqual({ edges: [2, 2], counts: [5] });
  });

  it('builds a histogram and cdf points covering all samples', () => {
    const values = new Float64Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i) * 10 + (i % 7);
    const s = summarize(values);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(s.histogram.edges.length).toBe(s.histogram.counts.length + 1);
    expect(s.histogram.counts.length).toBeGreaterThanOrEqual(10);
    expect(s.histogram.counts.length).toBeLessThanOrEqual(100);
    expect(s.cdf.length).toBeGreaterThan(90);
    expect(s.cdf[s.cdf.length - 1]).toEqual([s.max, 1]);
    for (let i = 1; i < s.cdf.length; i++) expect(s.cdf[i][1]).toBeGreaterThanOrEqual(s.cdf[i - 1][1]);
  });

  it('counts bin edges into the upper bin, the maximum into the last', () => {
    const h = histogramSorted(sortedSample(f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), 10);
    expect(h.counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
    expect(defaultBinCount(sortedSample(f64([1, 1, 1])))).toBe(10);
  });

  it('handles ten million samples', () => {
    const n = 10_000_000;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = (i * 7919) % n;
    const s = summarize(values);
    expect(s.mean).toBeCloseTo((n - 1) / 2, 6);
    expect(s.percentiles['50']).toBeCloseTo((n - 1) / 2, 6);
  });
});

describe('streaming moments', () => {
  it('merges chunks into the same mean and variance as one pass', () => {
    const values = new Float64Array(1000);
    for (let i = 0; i < values.length; i++) values[i] = 1e6 + Math.cos(i) * 3;
    const whole = addSamples(emptyMoments(), values);
    let merged = emptyMoments();
    for (let start = 0; start < 1000; start += 77) {
      merged = mergeMoments(merged, addSamples(emptyMoments(), values, start, Math.min(1000, start + 77)));
    }
    const exact = summarize(values);
    expect(merged.count).toBe(1000);
    expect(merged.mean).toBeCloseTo(exact.mean!, 8);
    expect(momentsVariance(merged)!).toBeCloseTo(exact.variance!, 8);
    expect(momentsStd(whole)!).toBeCloseTo(exact.std!, 8);
    expect(merged.min).toBe(exact.min);
    expect(merged.max).toBe(exact.max);
  });
});

describe('ranks and sensitivity', () => {
  it('averages tied ranks', () => {
    expect(Array.from(ranks(f64([10, 20, 10, 30])))).toEqual([1.5, 3, 1.5, 4]);
    expect(spearman(f64([1, 2, 3, 4]), f64([10, 100, 1000, 1e4]))).toBeCloseTo(1, 15);
  });

  it('radix-sorts large arrays with negatives, zeros and ties like a comparison sort', () => {
    const n = 50_000;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++)
      values[i] = i % 10 === 0 ? (i % 20 === 0 ? -0 : 0) : Math.round(Math.sin(i) * 1000) / 7;
    const order = argsort(values);
    let misordered = 0;
    for (let i = 1; i < n; i++) {
      const a = values[order[i - 1]];
      const b = values[order[i]];
      // ascending, stable among equal values (-0 may precede +0 whatever the index)
      if (!(a < b || (a === b && (order[i - 1] < order[i] || Object.is(a, -0))))) misordered++;
    }
    expect(misordered).toBe(0);
    expect(new Set(order).size).toBe(n);
  });

  it('ranks with ties sharing their average rank, by radix and by comparison sort alike', () => {
    for (const n of [3_000, 30_000]) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = Math.round(Math.sin(i * 1.7) * 300) / 3; // many ties
      values[0] = -0;
      values[1] = 0;
      // By definition: 1 + the number below, + half the others equal to it.
      const counts = new Map<number, { below: number; equal: number }>();
      const distinct = [...new Set(values)].sort((a, b) => a - b);
      let below = 0;
      for (const v of distinct) {
        const equal = values.filter((x) => x === v).length;
        counts.set(v, { below, equal });
        below += equal;
      }
      const expected = Float64Array.from(values, (v) => {
        const c = counts.get(v) as { below: number; equal: number };
        return c.below + (c.equal + 1) / 2;
      });
      expect(ranks(values)).toEqual(expected);
      const { order, sorted } = ordering(values);
      expect(sorted).toEqual(Float64Array.from(order, (i) => values[i]));
    }
  });

  it('computes Spearman in one pass exactly as Pearson of the ranks (every sum is exact)', () => {
    const n = 100_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const outcomes = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = Math.round(Math.sin(i * 0.37) * 500) / 5; // ties
      y[i] = x[i] * 0.3 + Math.cos(i * 1.3);
      outcomes[i] = i % 13 === 5 ? 2 : 0;
    }
    const kept = keptTrials(outcomes);
    const yRanks = ranks(y.filter((_, i) => outcomes[i] === 0));
    const twoPass = pearson(ranks(x.filter((_, i) => outcomes[i] === 0)), yRanks);
    // y over every trial, for a second series the walk serves at the same time.
    const allKept = keptTrials(new Uint8Array(n));
    const twoPassAll = pearson(ranks(x), ranks(y));
    const [oneWalk, oneWalkAll] = spearmanWithEach(ordering(x), [
      centeredRanks(yRanks, kept),
      centeredRanks(ranks(y), allKept),
    ]);
    expect(Object.is(oneWalk, twoPass)).toBe(true);
    expect(Object.is(oneWalkAll, twoPassAll)).toBe(true);
    expect(twoPass).toBeGreaterThan(0.5);
  });

  it('sorts large arrays by radix exactly as the built-in sort does', () => {
    const n = 100_000;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = Math.sin(i) * 10 ** ((i % 40) - 20) * (i % 3 === 0 ? -1 : 1);
    values.set([0, -0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE], 0);
    const expected = Float64Array.from(values).sort();
    const sorted = radixSorted(values);
    let different = 0;
    for (let i = 0; i < n; i++) if (!Object.is(sorted[i], expected[i])) different++;
    expect(different).toBe(0);
  });

  it('ranks inputs by rank correlation with variance shares summing to 1', () => {
    const n = 2000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.sin(i * 1.7);
      b[i] = Math.cos(i * 2.3);
      out[i] = 3 * a[i] + b[i];
    }
    const result = sensitivity(
      out,
      new Map([
        ['b', b],
        ['a', a],
      ]),
    );
    expect(result.map((r) => r.input)).toEqual(['a', 'b']);
    expect(result[0].rankCorrelation).toBeGreaterThan(0.9);
    expect(result[0].varianceShare + result[1].varianceShare).toBeCloseTo(1, 12);
    expect(result[0].varianceShare).toBeGreaterThan(0.8);
  });
});
