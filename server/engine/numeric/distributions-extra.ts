/**
 * Probability mass functions of the binomial, Poisson and hypergeometric distributions, accurate to a few
 * ulps for any size, by Loader's saddle-point expansion ("Fast and accurate computation of binomial
 * probabilities", 2000): the large terms of ln n! cancel analytically instead of numerically.
 */

const LN_2PI = 1.8378770664093453; // ln(2π)

/** stirlerr(n) = ln n! − ln(√(2πn) (n/e)^n) at n = 0…15, to double precision. */
const STIRLING_ERROR_SMALL = [
  0.0, 0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093,
  0.016644691189821193, 0.013876128823070748, 0.01189670994589177, 0.010411265261972096, 0.009255462182712733,
  0.00833056343336287, 0.007573675487951841, 0.00694284010720953, 0.006408994188004207, 0.0059513701127588475,
  0.005554733551962801,
];

/** Error of Stirling's formula for ln n!, for integers n ≥ 0. */
function stirlingError(n: number): number {
  if (n <= 15) return STIRLING_ERROR_SMALL[n];
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** x·ln(x/m) + m − x, without cancellation when x is close to m. */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = s + term / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
  }
  return x * Math.log(x / m) + m - x;
}

/** P(X = k) for X ~ Binomial(n, p), integers 0 ≤ k ≤ n, with q = 1 − p given separately for accuracy. */
export function binomialMass(k: number, n: number, p: number, q = 1 - p): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) return Math.exp(p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q));
  if (k === n) return Math.exp(q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p));
  const exponent =
    stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  const logScale = LN_2PI + Math.log(k) + Math.log1p(-k / n);
  return Math.exp(exponent - 0.5 * logScale);
}

/** P(X = k) for X ~ Poisson(mean), integer k ≥ 0. */
export function poissonMass(k: number, mean: number): number {
  if (k < 0) return 0;
  if (mean === 0) return k === 0 ? 1 : 0;
  if (k === 0) return Math.exp(-mean);
  return Math.exp(-stirlingError(k) - deviance(k, mean)) / Math.sqrt(2 * Math.PI * k);
}

/**
 * P(X = k) for X ~ Hypergeometric: k successes in a sample of n drawn without replacement from a
 * population of `total` holding `successes`.
 */
export function hypergeometricMass(k: number, n: number, successes: number, total: number): number {
  const failures = total - successes;
  if (k < 0 || k > n || k > successes || n - k > failures) return 0;
  const p = n / total;
  const q = (total - n) / total;
  return (
    (binomialMass(k, successes, p, q) * binomialMass(n - k, failures, p, q)) / binomialMass(n, total, p, q)
  );
}
