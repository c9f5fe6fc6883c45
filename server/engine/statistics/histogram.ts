/**
 * Histogram and empirical cdf points of sorted samples, read through `SortedSample`: an array here, or
 * values that stay in GPU memory (backends/cuda/device-summary.ts) and are asked for one by one.
 */

import { lowerBound, upperBound } from '../numeric/search';

export interface Histogram {
  /** Bin edges, bins + 1 of them; bin i is [edges[i], edges[i+1]), the last one closed. */
  edges: number[];
  counts: number[];
}

/** What the summary reads of a sample in ascending order. */
export interface SortedSample {
  readonly length: number;
  /** The value of rank i (0 is the smallest). */
  at(i: number): number;
  /** How many values are below x. */
  countBelow(x: number): number;
  /** How many values are at most x. */
  countAtOrBelow(x: number): number;
}

/** An ascending array as a SortedSample. */
export function sortedSample(sorted: Float64Array): SortedSample {
  return {
    length: sorted.length,
    at: (i) => sorted[i],
    countBelow: (x) => lowerBound(sorted, x),
    countAtOrBelow: (x) => upperBound(sorted, x),
  };
}

export const MIN_BINS = 10;
export const MAX_BINS = 100;

/** PERCENTILE.INC of ascending samples: linear interpolation at rank (n - 1) p. */
export function percentileSorted(sorted: SortedSample, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  if (lo >= sorted.length - 1) return sorted.at(sorted.length - 1);
  const below = sorted.at(lo);
  return below + (h - lo) * (sorted.at(lo + 1) - below);
}

/** Freedman–Diaconis bin count (2 IQR / n^(1/3) wide), kept within [MIN_BINS, MAX_BINS]. */
export function defaultBinCount(sorted: SortedSample): number {
  const n = sorted.length;
  const range = sorted.at(n - 1) - sorted.at(0);
  const iqr = percentileSorted(sorted, 0.75) - percentileSorted(sorted, 0.25);
  if (!(range > 0) || !(iqr > 0)) return MIN_BINS;
  const bins = Math.ceil(range / ((2 * iqr) / Math.cbrt(n)));
  return Math.min(MAX_BINS, Math.max(MIN_BINS, bins));
}

/** Equal-width histogram over [min, max] of ascending samples. */
export function histogramSorted(sorted: SortedSample, bins = defaultBinCount(sorted)): Histogram {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const min = sorted.at(0);
  const max = sorted.at(n - 1);
  if (!(max > min)) return { edges: [min, max], counts: [n] };
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts: number[] = [];
  let below = 0;
  for (let i = 1; i <= bins; i++) {
    const end = i === bins ? n : sorted.countBelow(edges[i]); // samples below the bin's upper edge
    counts.push(end - below);
    below = end;
  }
  return { edges, counts };
}

/** About `points` + 1 points (x, P(X <= x)) of the empirical cdf, at evenly spaced quantiles. */
export function cdfPointsSorted(sorted: SortedSample, points = 100): Array<[number, number]> {
  const n = sorted.length;
  const out: Array<[number, number]> = [];
  for (let i = 0; i <= points && n > 0; i++) {
    const x = percentileSorted(sorted, i / points);
    if (out.length > 0 && out[out.length - 1][0] === x) continue;
    out.push([x, sorted.countAtOrBelow(x) / n]);
  }
  return out;
}
