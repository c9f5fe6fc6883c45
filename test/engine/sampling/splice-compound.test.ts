/**
 * RiskSplice and RiskCompound, against values derived here from their definitions: the splice's pieces
 * scaled so that its density is continuous at the splice point and integrates to 1 (normalising constants
 * from the normal's and the Pareto's closed forms), and the compound Poisson sum's mean λ·E[X'] and variance
 * λ·E[X'²] for exponential severities X' reduced by a deductible and a limit.
 */
import { recalculate } from '../../../server/engine/recalc';
import { prepareRun, runRange, simulate } from '../../../server/engine/simulate';
import type { DistributionSpec } from '../../../shared/distributions/distribution';
import { book } from '../../gpu-codegen/models';
import { type Case, describeSampledMoments } from './catalogue-cases';
import { makeDistribution as make } from './make-distribution';

// ---- RiskSplice(RiskNormal(10, 2), RiskPareto(4, 12), 12) ----
// The splice point is one sd above the normal's mean: Φ(1), Φ(-1) and φ(1) from the standard tables.
const PHI_1 = 0.8413447460685429;
const PHI_MINUS_1 = 0.15865525393145707;
const DENSITY_1 = 0.24197072451914337;
const [MU, SIGMA, THETA, A] = [10, 2, 4, 12];
const POINT = 12;
// left density at the point φ(1)/σ, right θ/a (the Pareto's at its minimum); F2(point) = 0
const LEFT_SCALE = 1 / (PHI_1 + DENSITY_1 / SIGMA / (THETA / A));
const LEFT_SHARE = LEFT_SCALE * PHI_1;
// the normal truncated above at μ + σ: mean μ - σλ, variance σ²(1 - λ - λ²) with λ = φ(1)/Φ(1)
const LAMBDA = DENSITY_1 / PHI_1;
const LEFT_MEAN = MU - SIGMA * LAMBDA;
const LEFT_SECOND = SIGMA ** 2 * (1 - LAMBDA - LAMBDA ** 2) + LEFT_MEAN ** 2;
// the Pareto: mean θa/(θ-1), E[X²] = θa²/(θ-2)
const RIGHT_MEAN = (THETA * A) / (THETA - 1);
const RIGHT_SECOND = (THETA * A * A) / (THETA - 2);
const SPLICE_MEAN = LEFT_SHARE * LEFT_MEAN + (1 - LEFT_SHARE) * RIGHT_MEAN;
const SPLICE_SD = Math.sqrt(LEFT_SHARE * LEFT_SECOND + (1 - LEFT_SHARE) * RIGHT_SECOND - SPLICE_MEAN ** 2);
/** P(X <= x) at and above the splice point: the left share and the Pareto's cdf, rescaled. */
const rightCdf = (x: number) => LEFT_SHARE + (1 - LEFT_SHARE) * (1 - (A / x) ** THETA);
const rightQuantile = (p: number) => A * ((1 - p) / (1 - LEFT_SHARE)) ** (-1 / THETA);

const SPLICE: DistributionSpec = {
  type: 'splice',
  params: [POINT],
  components: [
    { type: 'normal', params: [MU, SIGMA] },
    { type: 'pareto', params: [THETA, A] },
  ],
};
const SPLICE_POINTS: [number, number][] = [
  [MU - SIGMA, LEFT_SCALE * PHI_MINUS_1],
  [MU, LEFT_SCALE * 0.5],
  [POINT, LEFT_SHARE],
  [rightQuantile(0.9), 0.9],
  [rightQuantile(0.99), 0.99],
];
// RiskTruncate(, 20): the Pareto's part above 20 cut off; E[X; 12 < X ≤ 20] = θa^θ/(θ-1)·(a^(1-θ) - 20^(1-θ))
const TOP = 20;
const MASS_TO_TOP = rightCdf(TOP);
const rightPartial = (k: number) =>
  ((THETA * A ** THETA) / (THETA - k)) * (A ** (k - THETA) - TOP ** (k - THETA));
const TRUNCATED_MEAN = (LEFT_SHARE * LEFT_MEAN + ((1 - LEFT_SHARE) * rightPartial(1)) / 1) / MASS_TO_TOP;
const TRUNCATED_SD = Math.sqrt(
  (LEFT_SHARE * LEFT_SECOND + (1 - LEFT_SHARE) * rightPartial(2)) / MASS_TO_TOP - TRUNCATED_MEAN ** 2,
);

const SPLICE_CASES: Case[] = [
  {
    label: 'Splice(Normal(10,2), Pareto(4,12), 12)',
    spec: SPLICE,
    mean: SPLICE_MEAN,
    sd: SPLICE_SD,
    points: SPLICE_POINTS,
    staticValue: SPLICE_MEAN,
  },
  {
    label: 'Splice(Normal(10,2), Pareto(4,12), 12) shifted by 5',
    spec: { ...SPLICE, shift: 5 },
    mean: SPLICE_MEAN + 5,
    sd: SPLICE_SD,
    points: SPLICE_POINTS.map(([x, p]) => [x + 5, p]),
    staticValue: SPLICE_MEAN + 5,
  },
  {
    label: 'Splice(Normal(10,2), Pareto(4,12), 12) truncated at 20',
    spec: { ...SPLICE, truncate: { max: TOP } },
    mean: TRUNCATED_MEAN,
    sd: TRUNCATED_SD,
    points: [
      [MU, (LEFT_SCALE * 0.5) / MASS_TO_TOP],
      [POINT, LEFT_SHARE / MASS_TO_TOP],
      [16, rightCdf(16) / MASS_TO_TOP],
    ],
    staticValue: TRUNCATED_MEAN,
  },
];

describe('RiskSplice', () => {
  // The joining constants divide by the pieces' densities at the point, taken from their cdfs by a
  // one-sided difference: good to about 1e-9, not to the last bits of a closed form.
  it.each(SPLICE_CASES.map((c): [string, Case] => [c.label, c]))(
    'exact cdf, quantile and mean: %s',
    (_, c) => {
      const d = make(c.spec);
      for (const [x, p] of c.points) {
        expect(Math.abs(d.cdf(x) - p)).toBeLessThan(1e-8);
        expect(Math.abs(d.inverseCdf(p) - x)).toBeLessThan(1e-7 * Math.max(1, Math.abs(x)));
      }
      expect(d.mean).toBeCloseTo(c.mean as number, 7);
      expect(d.staticValue).toBeCloseTo(c.staticValue, 7);
    },
  );

  it('has a density continuous at the splice point, and its pieces integrate to 1', () => {
    const d = make(SPLICE);
    const h = 1e-6;
    const below = (d.cdf(POINT) - d.cdf(POINT - h)) / h;
    const above = (d.cdf(POINT + h) - d.cdf(POINT)) / h;
    expect(Math.abs(below - above)).toBeLessThan(1e-4 * above);
    // the left piece is LEFT_SCALE·normal density, the right (1 - share)·Pareto density
    expect(above).toBeCloseTo((1 - LEFT_SHARE) * (THETA / A), 4);
    expect(d.cdf(1e9)).toBeCloseTo(1, 12);
    expect([d.min, d.max]).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });

  describeSampledMoments(SPLICE_CASES);

  it.each(['monte_carlo', 'latin_hypercube'] as const)(
    'in a formula: static value, and its samples in a run (%s), in place or from cells',
    async (sampling) => {
      const model = book({
        A1: { formula: '=RiskSplice(RiskNormal(10,2),RiskPareto(4,12),12)' },
        B1: { formula: '=RiskNormal(10,2)' },
        B2: { formula: '=RiskPareto(4,12)' },
        A2: { formula: '=RiskSplice(B1,B2,12,RiskShift(5))' },
        A3: { formula: '=RiskTheoMean(A1)' },
      });
      const { cells } = recalculate(model);
      expect(cells.get('Sheet1!A1')).toBeCloseTo(SPLICE_MEAN, 7);
      expect(cells.get('Sheet1!A2')).toBeCloseTo(SPLICE_MEAN + 5, 7);
      expect(cells.get('Sheet1!A3')).toBeCloseTo(SPLICE_MEAN, 7);
      const n = 100_000;
      const result = await simulate(model, { targets: ['A1', 'A2'], iterations: n, seed: 17, sampling });
      const [inPlace, fromCells] = result.outputs.map((o) => Array.from(o.values));
      const meanOf = (values: number[]) => values.reduce((s, x) => s + x, 0) / n;
      expect(Math.abs(meanOf(inPlace) - SPLICE_MEAN)).toBeLessThan((5 * SPLICE_SD) / Math.sqrt(n));
      expect(Math.abs(meanOf(fromCells) - SPLICE_MEAN - 5)).toBeLessThan((5 * SPLICE_SD) / Math.sqrt(n));
      const share = inPlace.filter((x) => x < POINT).length / n;
      expect(Math.abs(share - LEFT_SHARE)).toBeLessThan(5 * Math.sqrt((LEFT_SHARE * (1 - LEFT_SHARE)) / n));
    },
  );

  it.each([
    ['a second piece with no density above the point', '=RiskSplice(RiskNormal(10,2),RiskUniform(0,5),12)'],
    ['a first piece with no density below the point', '=RiskSplice(RiskUniform(13,20),RiskPareto(4,12),12)'],
    ['a discrete piece', '=RiskSplice(RiskPoisson(10),RiskPareto(4,12),12)'],
    ['a number for a distribution', '=RiskSplice(10,RiskPareto(4,12),12)'],
    ['an invalid piece', '=RiskSplice(RiskNormal(10,-2),RiskPareto(4,12),12)'],
    ['a splice of a splice', '=RiskSplice(B1,RiskPareto(4,12),12)'],
    ['text for the splice point', '=RiskSplice(RiskNormal(10,2),RiskPareto(4,12),"x")'],
  ])('refuses %s (#VALUE!)', (_, formula) => {
    const model = book({
      A1: { formula },
      B1: { formula: '=RiskSplice(RiskNormal(10,2),RiskPareto(4,12),12)' },
    });
    expect(recalculate(model).cells.get('Sheet1!A1')).toEqual({ error: '#VALUE!' });
  });

  it('refuses a piece whose parameters change from trial to trial, before the run', async () => {
    const model = book({
      B1: { formula: '=RiskUniform(1,2)' },
      A1: { formula: '=RiskSplice(RiskNormal(B1,2),RiskPareto(4,12),12)' },
    });
    await expect(simulate(model, { targets: ['A1'], iterations: 10, seed: 1 })).rejects.toThrow(
      /Sheet1!A1: RiskSplice: its distributions and arguments must have constant parameters/,
    );
  });
});

// ---- RiskCompound(RiskPoisson(λ), RiskExpon(β), deductible, limit) ----
const [RATE, SCALE] = [3, 2];
/**
 * E[X'] and E[X'²] for X' = min(max(X - d, 0), L), X exponential of mean β: P(X' > y) = e^(-(d+y)/β) for
 * 0 ≤ y < L, so E[X'] = ∫₀^L e^(-(d+y)/β) dy and E[X'²] = 2∫₀^L y e^(-(d+y)/β) dy.
 */
function reducedExponentialMoments(d: number, limit: number): { first: number; second: number } {
  const atDeductible = Math.exp(-d / SCALE);
  const pastLimit = Math.exp(-limit / SCALE);
  return {
    first: SCALE * atDeductible * (1 - pastLimit),
    // no limit: the last term's L·e^(-L/β) is 0
    second: 2 * atDeductible * (SCALE ** 2 - (pastLimit === 0 ? 0 : SCALE * (limit + SCALE) * pastLimit)),
  };
}

describe('RiskCompound', () => {
  const model = book({
    A1: { formula: '=RiskCompound(RiskPoisson(3),RiskExpon(2))' },
    A2: { formula: '=RiskCompound(RiskPoisson(3),RiskExpon(2),1,3)' },
    B1: { formula: '=RiskPoisson(3)' },
    B2: { formula: '=RiskExpon(2)' },
    A3: { formula: '=RiskCompound(B1,B2,,3,RiskShift(10))' },
    A4: { formula: '=RiskCompound(4,RiskExpon(2))' },
  });
  const plain = reducedExponentialMoments(0, Number.POSITIVE_INFINITY);
  const reduced = reducedExponentialMoments(1, 3);
  const limited = reducedExponentialMoments(0, 3);
  // a compound Poisson sum: mean λE[X'], variance λE[X'²]; a fixed count N: mean N·E[X], variance N·Var X
  const expected = [
    { mean: RATE * plain.first, variance: RATE * plain.second },
    { mean: RATE * reduced.first, variance: RATE * reduced.second },
    { mean: 10 + RATE * limited.first, variance: RATE * limited.second },
    { mean: 4 * SCALE, variance: 4 * SCALE ** 2 },
  ];

  it('sums exponential severities: mean λβ and variance 2λβ² without a deductible (the test derives them)', () => {
    expect(plain.first).toBeCloseTo(SCALE, 12);
    expect(RATE * plain.second).toBeCloseTo(2 * RATE * SCALE ** 2, 12);
  });

  it('shows E[N]·E[X′] as its static value', () => {
    const { cells } = recalculate(model);
    const statics = ['A1', 'A2', 'A3', 'A4'].map((c) => cells.get(`Sheet1!${c}`) as number);
    statics.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i].mean, 9);
    });
  });

  it.each(['monte_carlo', 'latin_hypercube'] as const)(
    'samples the sum of N reduced severities (%s)',
    async (sampling) => {
      const n = 100_000;
      const result = await simulate(model, {
        targets: ['A1', 'A2', 'A3', 'A4'],
        iterations: n,
        seed: 23,
        sampling,
      });
      result.outputs.forEach((output, i) => {
        const values = Array.from(output.values);
        const mean = values.reduce((s, x) => s + x, 0) / n;
        let m2 = 0;
        let m4 = 0;
        for (const x of values) {
          m2 += (x - mean) ** 2 / n;
          m4 += (x - mean) ** 4 / n;
        }
        // 5 standard errors: of the mean √(Var/n), of the variance √((m4 - m2²)/n)
        expect(Math.abs(mean - expected[i].mean)).toBeLessThan(5 * Math.sqrt(expected[i].variance / n));
        expect(Math.abs(m2 - expected[i].variance)).toBeLessThan(5 * Math.sqrt((m4 - m2 * m2) / n));
      });
      // each reduced severity is at most the limit, so a trial's sum is at most N·limit; none is negative
      const withLimit = Array.from(result.outputs[1].values);
      expect(withLimit.every((x) => x >= 0)).toBe(true);
      // P(sum = 0) = P(N = 0) + … at least e^-λ; with a deductible more trials pay nothing
      const zeros = withLimit.filter((x) => x === 0).length / n;
      expect(zeros).toBeGreaterThan(Math.exp(-RATE));
    },
  );

  it.each(['monte_carlo', 'latin_hypercube'] as const)(
    'gives the same trials however the run is cut into ranges (%s)',
    async (sampling) => {
      const run = prepareRun(model, { targets: ['A1', 'A2'], iterations: 1_000, seed: 9, sampling });
      const whole = await runRange(run, 0, 1_000);
      const first = await runRange(run, 0, 437);
      const second = await runRange(run, 437, 1_000);
      whole.values.forEach((values, j) => {
        expect(Array.from(first.values[j]).concat(Array.from(second.values[j]))).toEqual(Array.from(values));
      });
    },
  );

  it.each([
    ['a negative deductible', '=RiskCompound(RiskPoisson(3),RiskExpon(2),-1)', '#VALUE!'],
    ['a limit of 0', '=RiskCompound(RiskPoisson(3),RiskExpon(2),0,0)', '#VALUE!'],
    ['a frequency that can be negative', '=RiskCompound(RiskNormal(5,1),RiskExpon(2))', '#VALUE!'],
    ['a frequency that can draw over a million', '=RiskCompound(RiskPoisson(2000000),RiskExpon(2))', '#NUM!'],
    ['a number for the severity', '=RiskCompound(RiskPoisson(3),5)', '#VALUE!'],
    [
      'a truncation (it has no quantile)',
      '=RiskCompound(RiskPoisson(3),RiskExpon(2),RiskTruncate(0,5))',
      '#VALUE!',
    ],
    ['a compound severity', '=RiskCompound(RiskPoisson(3),B1)', '#VALUE!'],
    ['its theoretical statistics', '=RiskTheoMean(B1)', '#VALUE!'],
  ])('refuses %s', (_, formula, error) => {
    const cells = book({ A1: { formula }, B1: { formula: '=RiskCompound(RiskPoisson(3),RiskExpon(2))' } });
    expect(recalculate(cells).cells.get('Sheet1!A1')).toEqual({ error });
  });

  it('refuses a correlation and random parameters before the run', async () => {
    const correlated = book({
      A1: { formula: '=RiskCompound(RiskPoisson(3),RiskExpon(2),RiskCorrmat(D1:E2,1))' },
      A2: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:E2,2))' },
      A3: { formula: '=A1+A2' },
      D1: { value: 1 },
      D2: { value: 0.5 },
      E1: { value: 0.5 },
      E2: { value: 1 },
    });
    await expect(simulate(correlated, { targets: ['A3'], iterations: 10, seed: 1 })).rejects.toThrow(
      'Sheet1!A1: RiskCompound cannot be correlated',
    );
    const random = book({
      B1: { formula: '=RiskUniform(1,2)' },
      A1: { formula: '=RiskCompound(RiskPoisson(3),RiskExpon(B1))' },
    });
    await expect(simulate(random, { targets: ['A1'], iterations: 10, seed: 1 })).rejects.toThrow(
      /constant parameters/,
    );
  });
});
