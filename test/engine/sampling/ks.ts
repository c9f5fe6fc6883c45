/** Kolmogorov–Smirnov helpers shared by the sampling tests. */

import type { Distribution } from '../../../shared/distributions/distribution';

/** Asymptotic KS critical value at alpha = 0.001 (sqrt(-ln(alpha/2)/2) / sqrt(n)). */
export function ksCritical(n: number, alpha = 0.001): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n);
}

/**
 * sup |F_n(x) - F(x)| of the samples against cdf. For discrete distributions only the
 * right-continuous values at the sampled atoms are compared (unsampled atoms carry negligible mass).
 */
export function ksStatistic(samples: Float64Array, cdf: (x: number) => number, discrete: boolean): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && sorted[j] === sorted[i]) j++;
    const f = cdf(sorted[i]);
    d = Math.max(d, Math.abs(j / n - f));
    if (!discrete) d = Math.max(d, Math.abs(i / n - f));
    i = j;
  }
  return d;
}

export function sampleDistribution(
  dist: Distribution,
  n: number,
  uniformAt: (t: number) => number,
): Float64Array {
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = dist.inverseCdf(uniformAt(t));
  return out;
}
