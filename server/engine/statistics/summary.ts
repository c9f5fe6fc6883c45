/**
 * Statistics of one output's samples: moments (two-pass, numerically stable), exact percentiles from
 * the sorted samples (Excel's PERCENTILE.INC), a histogram and CDF points. Trials whose value was not a
 * number (an Excel error, text) are counted, not averaged.
 */

export const PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;

export interface Histogram {
  /** Bin edges, one more than the counts. */
  edges: number[];
  counts: number[];
}

export interface OutputStatistics {
  count: number;
  errors: number;
  mean: number;
  std: number;
  variance: number;
  min: number;
  max: number;
  /** Excel's SKEW (sample skewness). */
  skewness: number;
  /** Excel's KURT (sample excess kurtosis). */
  kurtosis: number;
  stdError: number;
  ci95: [number, number];
  percentiles: Record<string, number>;
  histogram: Histogram;
  /** Points (x, P(X ≤ x)) of the empirical CDF. */
  cdf: { x: number; p: number }[];
}

/** PERCENTILE.INC on sorted values: rank p·(n−1), linear interpolation. */
export function percentileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = p * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

export function histogram(sorted: Float64Array, bins?: number): Histogram {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const min = sorted[0];
  const max = sorted[n - 1];
  if (min === max) return { edges: [min, max], counts: [n] };
  let count = bins;
  if (count === undefined) {
    // Freedman–Diaconis, kept between 10 and 100 bins so charts stay readable.
    const iqr = percentileSorted(sorted, 0.75) - percentileSorted(sorted, 0.25);
    const width = (2 * iqr) / Math.cbrt(n);
    count = width > 0 ? Math.ceil((max - min) / width) : 10;
    count = Math.min(100, Math.max(10, count));
  }
  const width = (max - min) / count;
  const edges = Array.from({ length: count + 1 }, (_, i) => (i === count ? max : min + i * width));
  const counts = new Array<number>(count).fill(0);
  for (let i = 0; i < n; i++) counts[Math.min(count - 1, Math.floor((sorted[i] - min) / width))]++;
  return { edges, counts };
}

export function summarizeOutput(values: Float64Array, outcomes?: Uint8Array): OutputStatistics {
  let numeric = 0;
  for (let i = 0; i < values.length; i++) if (!outcomes || outcomes[i] === 0) numeric++;
  const sorted = new Float64Array(numeric);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!outcomes || outcomes[i] === 0) sorted[k++] = values[i];
  sorted.sort();

  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = n > 0 ? sum / n : Number.NaN;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = sorted[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const variance = n > 1 ? m2 / (n - 1) : 0;
  const std = Math.sqrt(variance);
  const skewness = n > 2 && std > 0 ? (n / ((n - 1) * (n - 2))) * (m3 / std ** 3) : 0;
  const kurtosis =
    n > 3 && std > 0
      ? ((n * (n + 1)) / ((n - 1) * (n - 2) * (n - 3))) * (m4 / variance ** 2) -
        (3 * (n - 1) ** 2) / ((n - 2) * (n - 3))
      : 0;
  const stdError = n > 0 ? std / Math.sqrt(n) : Number.NaN;
  const percentiles: Record<string, number> = {};
  for (const p of PERCENTILES) percentiles[String(p)] = percentileSorted(sorted, p / 100);
  const cdf: { x: number; p: number }[] = [];
  const points = Math.min(n, 101);
  for (let i = 0; i < points; i++) {
    const q = points === 1 ? 1 : i / (points - 1);
    cdf.push({ x: percentileSorted(sorted, q), p: q });
  }
  return {
    count: n,
    errors: values.length - n,
    mean,
    std,
    variance,
    min: n > 0 ? sorted[0] : Number.NaN,
    max: n > 0 ? sorted[n - 1] : Number.NaN,
    skewness,
    kurtosis,
    stdError,
    ci95: [mean - 1.959963984540054 * stdError, mean + 1.959963984540054 * stdError],
    percentiles,
    histogram: histogram(sorted),
    cdf,
  };
}
