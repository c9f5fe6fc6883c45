/**
 * How the catalogue's distributions are checked against values derived in their tests: a case's exact
 * cdf, quantile, mean and static value, the same by sampling (Monte Carlo and Latin hypercube), and its
 * Risk* name with the MC.* twin among the add-in's custom functions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lhsUniform } from '../../../server/engine/sampling/latin-hypercube';
import { uniform } from '../../../server/engine/sampling/philox';
import { DISTRIBUTION_FUNCTIONS } from '../../../shared/distributions/catalogue';
import type { DistributionSpec } from '../../../shared/distributions/distribution';
import { makeDistribution as make } from './make-distribution';

export const PERCENTILES = [0.05, 0.5, 0.95];

export interface Case {
  label: string;
  spec: DistributionSpec;
  /** Exact mean and standard deviation; absent where they do not exist (Cauchy, Lévy). */
  mean?: number;
  sd?: number;
  /** Points x with their exact P(X <= x). */
  points: [number, number][];
  staticValue: number;
}

/** A continuous case from its closed-form quantile, checked at the 5th, 50th and 95th percentiles. */
export function byQuantile(
  label: string,
  spec: DistributionSpec,
  moments: { mean?: number; sd?: number; staticValue?: number },
  quantile: (p: number) => number,
): Case {
  return {
    label,
    spec,
    mean: moments.mean,
    sd: moments.sd,
    points: PERCENTILES.map((p) => [quantile(p), p]),
    staticValue: moments.staticValue ?? (moments.mean as number),
  };
}

/**
 * `from` + Geomet(p): what a distribution with a geometric tail (Geomet, Negbin and Polya of size 1)
 * truncated to [from, ∞) is, being memoryless; P(X <= x) = 1 - (1-p)^(x - from + 1) at the given points.
 * Its mean from + (1-p)/p is taken whole here, so it is the static value too.
 */
export function memorylessGeometric(
  label: string,
  spec: DistributionSpec,
  from: number,
  p: number,
  at: number[],
): Case {
  const mean = from + (1 - p) / p;
  return {
    label,
    spec,
    mean,
    sd: Math.sqrt(1 - p) / p,
    points: at.map((x) => [x, 1 - (1 - p) ** (x - from + 1)]),
    staticValue: mean,
  };
}

/** P(Binomial(n, t) >= a): the regularised incomplete beta I_t(a, n - a + 1) for whole a and b. */
export function binomialUpperTail(a: number, n: number, t: number): number {
  let below = 0;
  for (let j = 0; j < a; j++) below += choose(n, j) * t ** j * (1 - t) ** (n - j);
  return 1 - below;
}

/** The binomial coefficient C(n, k). */
export function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** Each case's cdf, quantile (or, discrete, smallest value reaching p), mean and static value. */
export function describeExactValues(cases: Case[]): void {
  describe('exact quantile, cdf and static value', () => {
    it.each(cases.map((c): [string, Case] => [c.label, c]))('%s', (_, c) => {
      const d = make(c.spec);
      for (const [x, p] of c.points) {
        expect(d.cdf(x)).toBeCloseTo(p, 12);
        // discrete: x is the smallest value whose cdf reaches p (probed just inside, away from rounding)
        if (d.discrete) expect([d.inverseCdf(p - 1e-9), d.inverseCdf(p + 1e-9) > x]).toEqual([x, true]);
        else expect(Math.abs(d.inverseCdf(p) - x)).toBeLessThan(1e-9 * Math.max(1, Math.abs(x)));
      }
      if (c.mean !== undefined) expect(d.mean).toBeCloseTo(c.mean, 9);
      expect(d.staticValue).toBeCloseTo(c.staticValue, 9);
    });
  });
}

/** Each case sampled 200,000 times by Monte Carlo and by Latin hypercube: mean, sd and its points. */
export function describeSampledMoments(cases: Case[]): void {
  describe('sampled moments and percentiles', () => {
    const n = 200_000;
    const methods: [string, (stream: number, t: number) => number][] = [
      ['Monte Carlo', (stream, t) => uniform(20261207, stream, t)],
      ['Latin hypercube', (stream, t) => lhsUniform(20261207, stream, t, n)],
    ];
    const all = methods.flatMap(([method, u]) =>
      cases.map((c, stream): [string, Case, (t: number) => number] => [
        `${c.label}, ${method}`,
        c,
        (t) => u(stream, t),
      ]),
    );

    // Tolerances are 5 standard errors: of the mean sd/√n; of the sd √((m4 - s⁴)/n) / 2s with the
    // sample's own fourth central moment; of a fraction below x, √(p(1-p)/n).
    it.each(all)('%s', (_, c, u) => {
      const d = make(c.spec);
      const samples = Float64Array.from({ length: n }, (_, t) => d.inverseCdf(u(t)));
      if (c.mean !== undefined && c.sd !== undefined) {
        let mean = 0;
        for (const x of samples) mean += x / n;
        let m2 = 0;
        let m4 = 0;
        for (const x of samples) {
          m2 += (x - mean) ** 2 / n;
          m4 += (x - mean) ** 4 / n;
        }
        const sd = Math.sqrt(m2);
        expect(Math.abs(mean - c.mean)).toBeLessThan((5 * c.sd) / Math.sqrt(n));
        expect(Math.abs(sd - c.sd)).toBeLessThan((5 * Math.sqrt((m4 - m2 * m2) / n)) / (2 * sd));
      }
      for (const [x, p] of c.points) {
        let below = 0;
        for (const s of samples) if (s <= x) below++;
        expect(Math.abs(below / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
      }
    });
  });
}

/** Each Risk* name reads the same distribution as its MC.* twin, which the add-in defines. */
export function expectCustomFunctionTwins(names: [string, string][]): void {
  // The add-in's custom functions (Excel's metadata is generated from these JSDoc tags).
  const customFunctions = readFileSync(join(__dirname, '../../../addin/src/functions/functions.ts'), 'utf8');
  for (const [risk, mc] of names) {
    expect(DISTRIBUTION_FUNCTIONS.get(risk)).toBeDefined();
    expect(DISTRIBUTION_FUNCTIONS.get(mc)).toBe(DISTRIBUTION_FUNCTIONS.get(risk));
    expect(customFunctions).toContain(`@customfunction ${mc.slice('MC.'.length)}\n`);
    expect(customFunctions).toContain(`staticValueOf('${mc}'`);
  }
}
