/** Histogram and empirical cdf points of sorted samples. */

import { lowerBound, upperBound } from '../numeric/search';

export interface Histogram {
  /** Bin edges, bins + 1 of them; bin i is [edges[i], edges[i+1]), the last one closed. */
  edges: number[];
  counts: number[];
}

export const MIN_BINS = 10;
export const MAX_BINS = 100;

/** PERCENTILE.INC of ascending samples: linear interpolation at rank (n - 1) p. */
export function percentileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  if (lo >= sorted.length - 1) return sorted[sorted.length - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Freedman–Diaconis bin count (2 IQR / n^(1/3) wide), kept within [MIN_BINS, MAX_BINS]. */
export function defaultBinCount(sorted: Float64Array): number {
  const n = sorted.length;
  const range = sorted[n - 1] - sorted[0];
  const iqr = percentileSorted(sorted, 0.75) - percentileSorted(sorted, 0.25);
  if (!(range > 0) || !(iqr > 0)) return MIN_BINS;
  const bins = Math.ceil(range / ((2 * iqr) / Math.cbrt(n)));
  return Math.min(MAX_BINS, Math.max(MIN_BINS, bins));
}

/** Equal-width histogram over [min, max] of ascending samples. */
export function histogramSorted(sorted: Float64Array, bins = defaultBinCount(sorted)): Histogram {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const min = sorted[0];
  const max = sorted[n - 1];
  if (!(max > min)) return { edges: [min, max], counts: [n] };
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts: number[] = [];
  let below = 0;
  for (let i = 1; i <= bins; i++) {
    const end = i === bins ? n : lowerBound(sorted, edges[i]); // samples below the bin's upper edge
    counts.push(end - below);
    below = end;
  }
  return { edges, counts };
}

/** About `points` + 1 points (x, P(X <= x)) of the empirical cdf, at evenly spaced quantiles. */
export function cdfPointsSorted(sorted: Float64Array, points = 100): Array<[number, number]> {
  const n = sorted.length;
  const out: Array<[number, number]> = [];
  for (let i = 0; i <= points && n > 0; i++) {
    const x = percentileSorted(sorted, i / points);
    if (out.length > 0 && out[out.length - 1][0] === x) continue;
    out.push([x, upperBound(sorted, x) / n]);
  }
  return out;
}
