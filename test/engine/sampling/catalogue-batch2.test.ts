/**
 * The second batch of @RISK's catalogue: each against values derived here from its definition
 * (closed-form quantiles, cdfs and moments written in this file, never the engine's own functions), by
 * Monte Carlo and by Latin hypercube, with truncation and shift, and its parameter checks.
 */
import { staticDistributionValue } from '../../../server/engine/evaluate/distribution-calls';
import { recalculate } from '../../../server/engine/recalc';
import { simulate } from '../../../server/engine/simulate';
import { Errors } from '../../../server/engine/values/value';
import { specFromArguments } from '../../../shared/distributions/catalogue';
import { densityPoints } from '../../../shared/distributions/density';
import { createDistribution, type DistributionSpec } from '../../../shared/distributions/distribution';
import type { WorkbookModel } from '../../../shared/model';
import {
  binomialUpperTail,
  byQuantile,
  type Case,
  choose,
  describeExactValues,
  describeSampledMoments,
  expectCustomFunctionTwins,
  memorylessGeometric,
  PERCENTILES,
} from './catalogue-cases';
import { makeDistribution as make } from './make-distribution';

/** Standard normal quantiles Φ⁻¹(0.95), Φ⁻¹(0.975) and Φ⁻¹(0.75), from the tables. */
const Z95 = 1.6448536269514722;
const Z975 = 1.959963984540054;
const Z75 = 0.6744897501960817;

/** A case defined through a standard normal score: the points at z = -Φ⁻¹(0.95), 0, Φ⁻¹(0.95). */
function byNormalScore(
  label: string,
  spec: DistributionSpec,
  moments: { mean: number; sd: number },
  fromScore: (z: number) => number,
): Case {
  return {
    label,
    spec,
    ...moments,
    points: [-Z95, 0, Z95].map((z, i) => [fromScore(z), PERCENTILES[i]]),
    staticValue: moments.mean,
  };
}

/** Γ(1+x)Γ(1-x) = πx / sin(πx). */
const reflection = (x: number) => (Math.PI * x) / Math.sin(Math.PI * x);

/** Cumulative sums of a probability mass function at the given points. */
function cdfPoints(pmf: (k: number) => number, at: number[]): [number, number][] {
  return at.map((x) => {
    let sum = 0;
    for (let k = 0; k <= x; k++) sum += pmf(k);
    return [x, sum];
  });
}

// Fréchet(5, 2, 6): E[((X-5)/2)^k] = Γ(1 - k/6); Γ(5/6) and Γ(2/3) from the tables (Γ(5/6)Γ(1/6) = 2π).
const GAMMA_5_6 = 1.128787029908126;
const GAMMA_2_3 = 1.3541179394264005;
// Dagum(1, 2, 10, 2): E[Y^k] = 2 B(2 + k/10, 1 - k/10) = (1 + k/10) Γ(1 + k/10) Γ(1 - k/10).
const dagumMoment = (k: number) => (1 + k / 10) * reflection(k / 10);
// Burr12(1, 2, 10, 2): E[Y^k] = 2 B(2 - k/10, 1 + k/10) = (1 - k/10) Γ(1 - k/10) Γ(1 + k/10).
const burrMoment = (k: number) => (1 - k / 10) * reflection(k / 10);
const johnsonW = Math.exp(1 / 4); // e^(1/alpha2²) for alpha2 = 2
const negbinPmf = (s: number, p: number) => (k: number) => choose(s + k - 1, k) * p ** s * (1 - p) ** k;
/** E[f(Z)] for Z standard normal, by Simpson's rule over [-12, 12] (its error is far below 1e-12 here). */
function normalExpectation(f: (z: number) => number): number {
  const steps = 4800;
  const h = 24 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const z = -12 + i * h;
    const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * f(z) * Math.exp((-z * z) / 2);
  }
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
}
// JohnsonSB(0.5, 2, 0, 100): X = 100 / (1 + e^(-(Z - 0.5)/2)).
const johnsonSB = (z: number) => 100 / (1 + Math.exp(-(z - 0.5) / 2));
const johnsonSBMean = normalExpectation(johnsonSB);
const johnsonSBSd = Math.sqrt(normalExpectation((z) => (johnsonSB(z) - johnsonSBMean) ** 2));
const halfNormalSd = Math.SQRT2; // Erf(0.5): variance 1/(2 · 0.25) = 2

const CASES: Case[] = [
  byQuantile(
    'RiskFrechet(5, 2, 6)',
    { type: 'frechet', params: [5, 2, 6] },
    { mean: 5 + 2 * GAMMA_5_6, sd: 2 * Math.sqrt(GAMMA_2_3 - GAMMA_5_6 ** 2) },
    (p) => 5 + 2 * (-Math.log(p)) ** (-1 / 6),
  ),
  {
    label: 'RiskLevy(1, 2)',
    spec: { type: 'levy', params: [1, 2] },
    // P(X <= a + c/z²) = 2(1 - Φ(z))
    points: [
      [1 + 2 / Z975 ** 2, 0.05],
      [1 + 2 / Z95 ** 2, 0.1],
      [1 + 2 / Z75 ** 2, 0.5],
    ],
    staticValue: 1 + 2 / Z75 ** 2,
  },
  byQuantile(
    'RiskHypSecant(10, 2)',
    { type: 'hypsecant', params: [10, 2] },
    { mean: 10, sd: 2 },
    (p) => 10 + ((2 * 2) / Math.PI) * Math.log(Math.tan((Math.PI * p) / 2)),
  ),
  byQuantile(
    'RiskDagum(1, 2, 10, 2)',
    { type: 'dagum', params: [1, 2, 10, 2] },
    { mean: 1 + 2 * dagumMoment(1), sd: 2 * Math.sqrt(dagumMoment(2) - dagumMoment(1) ** 2) },
    (p) => 1 + 2 * (p ** (-1 / 2) - 1) ** (-1 / 10),
  ),
  byQuantile(
    'RiskBurr12(1, 2, 10, 2)',
    { type: 'burr12', params: [1, 2, 10, 2] },
    { mean: 1 + 2 * burrMoment(1), sd: 2 * Math.sqrt(burrMoment(2) - burrMoment(1) ** 2) },
    (p) => 1 + 2 * ((1 - p) ** (-1 / 2) - 1) ** (1 / 10),
  ),
  byNormalScore(
    'RiskFatigueLife(2, 3, 0.5)',
    { type: 'fatiguelife', params: [2, 3, 0.5] },
    { mean: 2 + 3 * (1 + 0.25 / 2), sd: 3 * 0.5 * Math.sqrt(1 + (5 * 0.25) / 4) },
    (z) => 2 + (3 / 4) * (0.5 * z + Math.sqrt(0.25 * z * z + 4)) ** 2,
  ),
  byNormalScore(
    'RiskErf(0.5)',
    { type: 'erf', params: [0.5] },
    { mean: 0, sd: Math.SQRT2 },
    (z) => Math.SQRT2 * z,
  ),
  byNormalScore(
    'RiskJohnsonSU(0.5, 2, 10, 3)',
    { type: 'johnsonsu', params: [0.5, 2, 10, 3] },
    {
      mean: 10 - 3 * Math.exp(1 / 8) * Math.sinh(0.25),
      sd: 3 * Math.sqrt(((johnsonW - 1) * (johnsonW * Math.cosh(0.5) + 1)) / 2),
    },
    (z) => 10 + 3 * Math.sinh((z - 0.5) / 2),
  ),
  byNormalScore(
    'RiskJohnsonSB(0.5, 2, 0, 100)',
    { type: 'johnsonsb', params: [0.5, 2, 0, 100] },
    { mean: johnsonSBMean, sd: johnsonSBSd },
    johnsonSB,
  ),
  {
    label: 'RiskPearson5(6, 50)',
    spec: { type: 'pearson5', params: [6, 50] },
    mean: 10, // beta / (alpha - 1)
    sd: 5, // beta / ((alpha - 1) √(alpha - 2))
    // P(X <= x) = P(Gamma(6) >= 50/x) = P(Poisson(50/x) <= 5)
    points: [5, 10, 20].map((x) => {
      const lambda = 50 / x;
      let sum = 0;
      for (let j = 0, term = 1; j < 6; j++, term *= lambda / j) sum += term;
      return [x, Math.exp(-lambda) * sum];
    }),
    staticValue: 10,
  },
  {
    label: 'RiskPearson6(2, 2, 6)',
    spec: { type: 'pearson6', params: [2, 2, 6] },
    mean: 0.8, // beta alpha1 / (alpha2 - 1)
    sd: Math.sqrt(0.56), // beta² alpha1 (alpha1 + alpha2 - 1) / ((alpha2 - 1)² (alpha2 - 2))
    // P(X <= x) = I_t(2, 6) with t = x / (x + 2)
    points: [0.5, 1, 2].map((x) => [x, binomialUpperTail(2, 7, x / (x + 2))]),
    staticValue: 0.8,
  },
  {
    label: 'RiskF(4, 10)',
    spec: { type: 'f', params: [4, 10] },
    mean: 1.25, // v2 / (v2 - 2)
    sd: 1.25, // √(2 v2² (v1 + v2 - 2) / (v1 (v2 - 2)² (v2 - 4)))
    // P(X <= x) = I_t(2, 5) with t = 4x / (4x + 10)
    points: [0.5, 1, 3].map((x) => [x, binomialUpperTail(2, 6, (4 * x) / (4 * x + 10))]),
    staticValue: 1.25,
  },
  byQuantile(
    'RiskDoubleTriang(0, 40, 100, 0.3)',
    { type: 'doubletriang', params: [0, 40, 100, 0.3] },
    // E[X] = 0.3 · 80/3 + 0.7 · 60, E[X²] = 0.3 · 40²/2 + 0.7 · (40² + 2·40·20 + 60²/6) = 2900
    { mean: 50, sd: 20 },
    (p) => (p <= 0.3 ? 40 * Math.sqrt(p / 0.3) : 100 - 60 * Math.sqrt((1 - p) / 0.7)),
  ),
  {
    label: 'RiskNegbin(3, 0.4)',
    spec: { type: 'negbin', params: [3, 0.4] },
    mean: 4.5, // s(1-p)/p
    sd: Math.sqrt(11.25), // s(1-p)/p²
    points: cdfPoints(negbinPmf(3, 0.4), [1, 4, 10]),
    staticValue: 4, // 4 and 5 are equally near 4.5: the lower one
  },
  {
    label: 'RiskHypergeo(10, 20, 50)',
    spec: { type: 'hypergeo', params: [10, 20, 50] },
    mean: 4, // n D / M
    sd: Math.sqrt(96 / 49), // n (D/M)(1 - D/M)(M - n)/(M - 1)
    points: cdfPoints((k) => (choose(20, k) * choose(30, 10 - k)) / choose(50, 10), [2, 4, 6]),
    staticValue: 4,
  },
  // Truncation (on the final, shifted values) and shift, where the result is again a known distribution.
  {
    label: 'RiskErf(0.5) shifted by 3, truncated to [3, ∞): 3 + a half-normal of scale √2',
    spec: { type: 'erf', params: [0.5], shift: 3, truncate: { min: 3 } },
    mean: 3 + halfNormalSd * Math.sqrt(2 / Math.PI),
    sd: halfNormalSd * Math.sqrt(1 - 2 / Math.PI),
    // P(|Z| <= z) = 2Φ(z) - 1
    points: [
      [3 + halfNormalSd * Z75, 0.5],
      [3 + halfNormalSd * Z95, 0.9],
      [3 + halfNormalSd * Z975, 0.95],
    ],
    staticValue: 3 + halfNormalSd * Math.sqrt(2 / Math.PI),
  },
  byQuantile(
    'RiskDoubleTriang(0, 40, 100, 0.3) shifted by 10, truncated to [50, 110]: its falling triangle',
    { type: 'doubletriang', params: [0, 40, 100, 0.3], shift: 10, truncate: { min: 50, max: 110 } },
    { mean: 70, sd: Math.sqrt(200) }, // 50 + W, E[W] = 20, E[W²] = 600
    (p) => 110 - 60 * Math.sqrt(1 - p),
  ),
  memorylessGeometric(
    'RiskNegbin(1, 0.25) shifted by 2, truncated to [5, ∞): memoryless, 5 + Geomet(0.25)',
    { type: 'negbin', params: [1, 0.25], shift: 2, truncate: { min: 5 } },
    5,
    0.25,
    [5, 8, 15],
  ),
];

describeExactValues(CASES);
describeSampledMoments(CASES);

describe('names, parameters and errors', () => {
  it('reads each Risk* function and its MC.* twin', () => {
    const names: [string, string][] = [
      ['RISKFRECHET', 'MC.FRECHET'],
      ['RISKLEVY', 'MC.LEVY'],
      ['RISKHYPSECANT', 'MC.HYPSECANT'],
      ['RISKDAGUM', 'MC.DAGUM'],
      ['RISKBURR12', 'MC.BURR12'],
      ['RISKFATIGUELIFE', 'MC.FATIGUELIFE'],
      ['RISKERF', 'MC.ERF'],
      ['RISKJOHNSONSU', 'MC.JOHNSONSU'],
      ['RISKJOHNSONSB', 'MC.JOHNSONSB'],
      ['RISKPEARSON5', 'MC.PEARSON5'],
      ['RISKPEARSON6', 'MC.PEARSON6'],
      ['RISKF', 'MC.F'],
      ['RISKDOUBLETRIANG', 'MC.DOUBLETRIANG'],
      ['RISKNEGBIN', 'MC.NEGBIN'],
      ['RISKHYPERGEO', 'MC.HYPERGEO'],
    ];
    expectCustomFunctionTwins(names);
    expect(specFromArguments('RiskJohnsonSU', [0.5, 2, 10, 3])).toMatchObject({
      type: 'johnsonsu',
      params: [0.5, 2, 10, 3],
    });
    expect(specFromArguments('RiskHypergeo', [10, 20])).toHaveProperty('error');
  });

  const BAD: [string, DistributionSpec][] = [
    ['frechet beta = 0', { type: 'frechet', params: [0, 0, 1] }],
    ['frechet alpha < 0', { type: 'frechet', params: [0, 1, -1] }],
    ['levy c = 0', { type: 'levy', params: [0, 0] }],
    ['hypsecant beta < 0', { type: 'hypsecant', params: [0, -1] }],
    ['dagum alpha1 = 0', { type: 'dagum', params: [0, 1, 0, 1] }],
    ['dagum alpha2 < 0', { type: 'dagum', params: [0, 1, 1, -1] }],
    ['burr12 beta = 0', { type: 'burr12', params: [0, 0, 1, 1] }],
    ['burr12 alpha2 = 0', { type: 'burr12', params: [0, 1, 1, 0] }],
    ['fatiguelife alpha = 0', { type: 'fatiguelife', params: [0, 1, 0] }],
    ['erf h = 0', { type: 'erf', params: [0] }],
    ['johnsonsu alpha2 = 0', { type: 'johnsonsu', params: [0, 0, 0, 1] }],
    ['johnsonsu beta < 0', { type: 'johnsonsu', params: [0, 1, 0, -1] }],
    ['johnsonsb a > b', { type: 'johnsonsb', params: [0, 1, 2, 1] }],
    ['johnsonsb alpha2 < 0', { type: 'johnsonsb', params: [0, -1, 0, 1] }],
    ['pearson5 alpha = 0', { type: 'pearson5', params: [0, 1] }],
    ['pearson6 beta = 0', { type: 'pearson6', params: [0, 1, 1] }],
    ['f v1 not whole', { type: 'f', params: [2.5, 4] }],
    ['f v2 = 0', { type: 'f', params: [2, 0] }],
    ['doubletriang mode > max', { type: 'doubletriang', params: [0, 5, 4, 0.5] }],
    ['doubletriang p > 1', { type: 'doubletriang', params: [0, 1, 2, 1.5] }],
    ['doubletriang p = 0 (@RISK: 0 < p < 1)', { type: 'doubletriang', params: [0, 1, 2, 0] }],
    ['negbin s not whole', { type: 'negbin', params: [1.5, 0.5] }],
    ['negbin p = 0', { type: 'negbin', params: [2, 0] }],
    ['hypergeo n > M', { type: 'hypergeo', params: [11, 5, 10] }],
    ['hypergeo D > M', { type: 'hypergeo', params: [5, 11, 10] }],
    ['hypergeo n not whole', { type: 'hypergeo', params: [2.5, 5, 10] }],
  ];
  it.each(BAD)('refuses %s', (_, spec) => {
    expect(createDistribution(spec)).toHaveProperty('error');
  });

  it('shows #VALUE! in the grid for invalid parameters, as the other distributions do', () => {
    expect(staticDistributionValue('RISKLEVY', [0, -1], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('MC.NEGBIN', [2, 0], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('RISKHYPERGEO', [10, 20, 50], [])).toBe(4);
  });

  it('takes the median as static value where the mean is infinite', () => {
    expect(make({ type: 'frechet', params: [0, 2, 1] }).staticValue).toBeCloseTo(2 / Math.LN2, 12);
    expect(make({ type: 'dagum', params: [0, 1, 1, 1] }).staticValue).toBeCloseTo(1, 12);
    expect(make({ type: 'burr12', params: [0, 1, 1, 1] }).staticValue).toBeCloseTo(1, 12);
    expect(make({ type: 'pearson6', params: [3, 1, 1] }).staticValue).toBeCloseTo(3, 12);
    expect(make({ type: 'f', params: [2, 2] }).staticValue).toBeCloseTo(1, 12);
    // Pearson5(1, 1): P(X <= x) = e^(-1/x), median 1/ln 2
    expect(make({ type: 'pearson5', params: [1, 1] }).staticValue).toBeCloseTo(1 / Math.LN2, 9);
  });

  it('degenerate parameters give the one possible value', () => {
    expect(make({ type: 'hypergeo', params: [5, 10, 10] }).staticValue).toBe(5);
    expect(make({ type: 'negbin', params: [3, 1] }).staticValue).toBe(0);
    expect(make({ type: 'hypsecant', params: [7, 0] }).inverseCdf(0.3)).toBe(7);
  });
});

describe('density preview', () => {
  it('peaks at the hyperbolic secant location with height 1/(2 beta)', () => {
    const points = densityPoints(make({ type: 'hypsecant', params: [10, 2] }), 200);
    const peak = points.reduce((a, b) => (b.y > a.y ? b : a));
    expect(Math.abs(peak.x - 10)).toBeLessThan(0.2);
    expect(peak.y).toBeCloseTo(1 / 4, 2);
  });

  it('gives the mass of each value of a hypergeometric', () => {
    const points = densityPoints(make({ type: 'hypergeo', params: [10, 20, 50] }));
    const at4 = points.find((p) => p.x === 4);
    expect(at4?.y).toBeCloseTo((choose(20, 4) * choose(30, 6)) / choose(50, 10), 12);
  });
});

describe('in formulas, with RiskShift and RiskTruncate', () => {
  const model: WorkbookModel = {
    version: 1,
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskNegbin(1,0.25,RiskShift(2),RiskTruncate(5,))' },
          A2: { formula: '=MC.ERF(0.5,RiskShift(3),RiskTruncate(3,))' },
        },
      },
    ],
    names: [],
  };
  const halfNormalMean = 3 + halfNormalSd * Math.sqrt(2 / Math.PI);

  it('shows the static values outside a simulation', () => {
    const { cells } = recalculate(model);
    expect(cells.get('Sheet1!A1')).toBe(8);
    expect(cells.get('Sheet1!A2')).toBeCloseTo(halfNormalMean, 9);
  });

  // 5 + Geomet(0.25) (memoryless) and 3 + a half-normal, within 5 standard errors of the mean.
  it.each(['monte_carlo', 'latin_hypercube'] as const)('samples them (%s)', async (sampling) => {
    const n = 20_000;
    const result = await simulate(model, { targets: ['A1', 'A2'], iterations: n, seed: 7, sampling });
    const [negbin, erf] = result.outputs.map((o) => o.values);
    const meanOf = (values: ArrayLike<number>) => Array.from(values).reduce((s, x) => s + x, 0) / n;
    expect(Math.min(...negbin)).toBe(5);
    expect(Math.abs(meanOf(negbin) - 8)).toBeLessThan((5 * Math.sqrt(12)) / Math.sqrt(n));
    expect(Math.min(...erf)).toBeGreaterThanOrEqual(3);
    expect(Math.abs(meanOf(erf) - halfNormalMean)).toBeLessThan(
      (5 * halfNormalSd * Math.sqrt(1 - 2 / Math.PI)) / Math.sqrt(n),
    );
  });
});
