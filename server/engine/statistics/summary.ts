/**
 * Summary statistics of one output's samples (errors are counted separately by the caller).
 * Sorting a copy is the only O(n log n) step; memory is one extra Float64Array of n values.
 */

import { abs } from '../../../shared/numeric/math';
import { studentTInv } from '../../../shared/numeric/special';
import {
  cdfPointsSorted,
  type Histogram,
  histogramSorted,
  percentileSorted,
  type SortedSample,
  sortedSample,
} from './histogram';
import { radixSorted } from './ranks';

export const SUMMARY_PERCENTILES = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99] as const;

export interface OutputSummary {
  count: number;
  mean: number | null;
  /** Sample standard deviation and variance (n - 1), as Excel's STDEV.S / VAR.S. */
  std: number | null;
  variance: number | null;
  min: number | null;
  max: number | null;
  /** Excel's SKEW: n / ((n-1)(n-2)) * sum(((x - mean) / s)^3); needs n >= 3 and s > 0. */
  skewness: number | null;
  /** Excel's KURT (excess kurtosis, sample-adjusted); needs n >= 4 and s > 0. */
  kurtosis: number | null;
  /** std / sqrt(n). */
  standardError: number | null;
  /** mean ± t(0.975, n-1) * standardError. */
  confidence95: [number, number] | null;
  /** PERCENTILE.INC at SUMMARY_PERCENTILES, keyed by the percentage ("1", "5", ..., "99"). */
  percentiles: Record<string, number>;
  histogram: Histogram;
  /** (x, P(X <= x)) at about 100 evenly spaced quantiles. */
  cdf: Array<[number, number]>;
}

/** The mean and the sums of the 2nd to 4th powers of the deviations from it. */
export interface Moments {
  mean: number;
  m2: number;
  m3: number;
  m4: number;
}

/** Mean by compensated (Neumaier) summation, then central moment sums in a second pass. */
function centralMoments(values: Float64Array): Moments {
  const n = values.length;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    const t = sum + x;
    compensation += abs(sum) >= abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  const mean = (sum + compensation) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { mean, m2, m3, m4 };
}

function excelSkew(n: number, { m2, m3 }: Moments): number | null {
  if (n < 3 || !(m2 > 0)) return null;
  const s = Math.sqrt(m2 / (n - 1));
  return ((n / ((n - 1) * (n - 2))) * m3) / (s * s * s);
}

function excelKurt(n: number, { m2, m4 }: Moments): number | null {
  if (n < 4 || !(m2 > 0)) return null;
  const variance = m2 / (n - 1);
  const a = (n * (n + 1)) / ((n - 1) * (n - 2) * (n - 3));
  const b = (3 * (n - 1) * (n - 1)) / ((n - 2) * (n - 3));
  return (a * m4) / (variance * variance) - b;
}

/** Ascending copy of the samples: a radix sort for large runs, several times quicker than the built-in one. */
export function sortedCopy(values: Float64Array): Float64Array {
  if (values.length < RADIX_SORT_FROM || holdsNaN(values)) return Float64Array.from(values).sort();
  return radixSorted(values);
}

/** A plain loop: `values.some(Number.isNaN)` calls back for each element, about six times slower. */
function holdsNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

const RADIX_SORT_FROM = 1 << 16;

/** Summary of an output's samples; pass `sorted` if an ascending copy already exists. */
export function summarize(values: Float64Array, sorted: Float64Array = sortedCopy(values)): OutputSummary {
  return summarizeSorted(values.length > 0 ? centralMoments(values) : undefined, sortedSample(sorted));
}

/**
 * The summary of a sample from its moments (undefined when it is empty) and its values in ascending
 * order, however they are held: the statistics a backend reports are these, whoever sorted the values.
 */
export function summarizeSorted(moments: Moments | undefined, sorted: SortedSample): OutputSummary {
  const n = sorted.length;
  if (n === 0 || moments === undefined) {
    return {
      count: 0,
      mean: null,
      std: null,
      variance: null,
      min: null,
      max: null,
      skewness: null,
      kurtosis: null,
      standardError: null,
      confidence95: null,
      percentiles: {},
      histogram: { edges: [], counts: [] },
      cdf: [],
    };
  }
  const variance = n > 1 ? moments.m2 / (n - 1) : null;
  const std = variance === null ? null : Math.sqrt(variance);
  const standardError = std === null ? null : std / Math.sqrt(n);
  const halfWidth = standardError === null ? null : studentTInv(0.975, n - 1) * standardError;
  const percentiles: Record<string, number> = {};
  for (const p of SUMMARY_PERCENTILES) percentiles[String(Math.round(p * 100))] = percentileSorted(sorted, p);
  return {
    count: n,
    mean: moments.mean,
    std,
    variance,
    min: sorted.at(0),
    max: sorted.at(n - 1),
    skewness: excelSkew(n, moments),
    kurtosis: excelKurt(n, moments),
    standardError,
    confidence95: halfWidth === null ? null : [moments.mean - halfWidth, moments.mean + halfWidth],
    percentiles,
    histogram: histogramSorted(sorted),
    cdf: cdfPointsSorted(sorted),
  };
}

export interface OutputStatistics extends OutputSummary {
  /** Trials whose value was not a number (an Excel error, text); they are left out of the statistics. */
  errors: number;
}

/** Statistics of an output over the trials whose value was a number (outcome code 0). */
export function summarizeOutput(
  values: Float64Array,
  outcomes?: Uint8Array,
  sorted?: SortedSample,
): OutputStatistics {
  const numeric = outcomes ? numericTrials(values, outcomes) : values;
  if (sorted && sorted.length !== numeric.length) throw new Error('internal: sorted values do not match');
  const errors = values.length - numeric.length;
  if (!sorted) return { ...summarize(numeric), errors };
  return { ...summarizeSorted(numeric.length > 0 ? centralMoments(numeric) : undefined, sorted), errors };
}

/** The values of the trials whose outcome is a number. */
export function numericTrials(values: Float64Array, outcomes: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < outcomes.length; i++) if (outcomes[i] === 0) n++;
  if (n === values.length) return values;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (outcomes[i] === 0) out[k++] = values[i];
  return out;
}
