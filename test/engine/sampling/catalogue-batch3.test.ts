/**
 * The third batch of @RISK's catalogue (RiskTrigen, InvGauss, BetaSubj, Histogrm, CumulD, Polya, Resample),
 * the RiskTruncateP property and RiskMakeInput: each against values derived here from its definition (closed forms, sums and
 * numerical integrals written in this file, never the engine's own functions), by Monte Carlo and by Latin
 * hypercube, with truncation and shift, and its parameter checks.
 */
import { staticDistributionValue } from '../../../server/engine/evaluate/distribution-calls';
import { recalculate } from '../../../server/engine/recalc';
import { simulate } from '../../../server/engine/simulate';
import { Errors } from '../../../server/engine/values/value';
import { specFromArguments } from '../../../shared/distributions/catalogue';
import { createDistribution, type DistributionSpec } from '../../../shared/distributions/distribution';
import type { WorkbookModel } from '../../../shared/model';
import {
  binomialUpperTail,
  byQuantile,
  type Case,
  describeExactValues,
  describeSampledMoments,
  expectCustomFunctionTwins,
  memorylessGeometric,
} from './catalogue-cases';
import { makeDistribution as make } from './make-distribution';

/** ∫_a^b f by composite Simpson's rule over `steps` (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, steps = 200_000): number {
  const h = (b - a) / steps;
  let sum = f(a) + f(b);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

// Triangle(0, 30, 100): its 10th and 90th percentiles, F(x) = x²/3000 below 30, 1 - (100-x)²/7000 above.
const triangleQuantile = (p: number) => (p <= 0.3 ? Math.sqrt(3000 * p) : 100 - Math.sqrt(7000 * (1 - p)));
const TRIANGLE_P10 = Math.sqrt(300);
const TRIANGLE_P90 = 100 - Math.sqrt(700);

// InvGauss(10, 30): density √(λ/2πx³) exp(-λ(x-μ)²/(2μ²x)), mean μ, variance μ³/λ.
const invGaussDensity = (x: number) =>
  x <= 0 ? 0 : Math.sqrt(30 / (2 * Math.PI * x ** 3)) * Math.exp((-30 * (x - 10) ** 2) / (200 * x));

// Histogrm(10, 20, {1,2,3,2,1}): classes of width 2 centred 11 … 19 with weights 1…1 (out of 9).
const histogramCdf = (x: number) => {
  const weights = [1, 2, 3, 2, 1];
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += (weights[i] / 9) * Math.min(1, Math.max(0, (x - (10 + 2 * i)) / 2));
  return sum;
};

// CumulD(0, 10, {1,5,9}, {0.9,0.3,0.1}): the cdf through (0,0), (1,0.1), (5,0.7), (9,0.9), (10,1); each
// segment uniform, E[X^k] = Σ mass · (b^(k+1) - a^(k+1)) / ((k+1)(b-a)).
const CUMULD_KNOTS: [number, number][] = [
  [0, 0],
  [1, 0.1],
  [5, 0.7],
  [9, 0.9],
  [10, 1],
];
const cumulMoment = (k: number) => {
  let sum = 0;
  for (let i = 1; i < CUMULD_KNOTS.length; i++) {
    const [a, pa] = CUMULD_KNOTS[i - 1];
    const [b, pb] = CUMULD_KNOTS[i];
    sum += ((pb - pa) * (b ** (k + 1) - a ** (k + 1))) / ((k + 1) * (b - a));
  }
  return sum;
};

// Polya(2.5, 4): P(0) = (1/(1+β))^α, P(k) = P(k-1) (α+k-1)/k · β/(1+β).
const polyaCdf = (x: number) => {
  let term = 0.2 ** 2.5;
  let sum = term;
  for (let k = 1; k <= x; k++) {
    term *= ((2.5 + k - 1) / k) * 0.8;
    sum += term;
  }
  return sum;
};

const CASES: Case[] = [
  byQuantile(
    'RiskTrigen(√300, 30, 100 - √700, 10, 90): Triang(0, 30, 100) by its 10th and 90th percentiles',
    { type: 'trigen', params: [TRIANGLE_P10, 30, TRIANGLE_P90, 10, 90] },
    // (a² + b² + c² - ab - ac - bc) / 18
    { mean: 130 / 3, sd: Math.sqrt((900 + 10000 - 3000) / 18) },
    triangleQuantile,
  ),
  {
    label: 'RiskInvGauss(10, 30)',
    spec: { type: 'invgauss', params: [10, 30] },
    mean: 10,
    sd: Math.sqrt(1000 / 30),
    points: [5, 10, 20].map((x) => [x, simpson(invGaussDensity, 0, x)]),
    staticValue: 10,
  },
  {
    label: 'RiskBetaSubj(0, 3, 4, 12): 12 · Beta(2, 4) (mode 12/4, mean 12/3)',
    spec: { type: 'betasubj', params: [0, 3, 4, 12] },
    mean: 4,
    sd: Math.sqrt((144 * 8) / (36 * 7)), // (max-min)² ab / ((a+b)²(a+b+1))
    // I_t(2, 4) = P(Binomial(5, t) >= 2)
    points: [2, 4, 7].map((x) => [x, binomialUpperTail(2, 5, x / 12)]),
    staticValue: 4,
  },
  {
    label: 'RiskHistogrm(10, 20, {1, 2, 3, 2, 1})',
    spec: { type: 'histogrm', params: [10, 20], weights: [1, 2, 3, 2, 1] },
    mean: 15,
    sd: Math.sqrt((16 + 2 * 4 + 2 * 4 + 16) / 9 + 4 / 12), // between classes + within (width²/12)
    points: [12, 15, 19].map((x) => [x, histogramCdf(x)]),
    staticValue: 15,
  },
  {
    label: 'RiskCumulD(0, 10, {1, 5, 9}, {0.9, 0.3, 0.1})',
    spec: { type: 'cumuld', params: [0, 10], points: { x: [1, 5, 9], y: [0.9, 0.3, 0.1] } },
    mean: cumulMoment(1),
    sd: Math.sqrt(cumulMoment(2) - cumulMoment(1) ** 2),
    points: [
      [1, 0.1],
      [5, 0.7],
      [9, 0.9],
    ],
    staticValue: cumulMoment(1),
  },
  {
    label: 'RiskPolya(2.5, 4)',
    spec: { type: 'polya', params: [2.5, 4] },
    mean: 10, // αβ
    sd: Math.sqrt(50), // αβ(1+β)
    points: [3, 8, 20].map((x) => [x, polyaCdf(x)]),
    staticValue: 10,
  },
  {
    label: 'RiskResample(2, {3, 7, 8, 12, 20}): each data value equally likely',
    spec: { type: 'resample', params: [2], values: [3, 7, 8, 12, 20] },
    mean: 10,
    sd: Math.sqrt((49 + 9 + 4 + 4 + 100) / 5),
    points: [
      [7, 0.4],
      [8, 0.6],
      [12, 0.8],
    ],
    staticValue: 8, // 8 and 12 are equally near the mean 10: the lower one
  },
  // Truncation (on the final, shifted values, or by percentiles) and shift, where the result is known.
  byQuantile(
    'RiskHistogrm(0, 30, {1, 2, 3}) shifted by 10, truncated to [20, 40]: its last two classes, 2 : 3',
    { type: 'histogrm', params: [0, 30], weights: [1, 2, 3], shift: 10, truncate: { min: 20, max: 40 } },
    { mean: 0.4 * 25 + 0.6 * 35, sd: Math.sqrt(0.4 * 0.6 * 100 + 100 / 12) },
    (p) => (p <= 0.4 ? 20 + 25 * p : 30 + ((p - 0.4) / 0.6) * 10),
  ),
  byQuantile(
    'RiskHistogrm(0, 30, {1, 2, 3}) shifted by 10, truncated to [22, 28]: within its second class, uniform',
    { type: 'histogrm', params: [0, 30], weights: [1, 2, 3], shift: 10, truncate: { min: 22, max: 28 } },
    { mean: 25, sd: 6 / Math.sqrt(12) },
    (p) => 22 + 6 * p,
  ),
  byQuantile(
    'RiskTrigen(√300, 30, 100 - √700, 10, 90) shifted by 7, RiskTruncateP(, 0.3): its rising side 7 + 30√U',
    {
      type: 'trigen',
      params: [TRIANGLE_P10, 30, TRIANGLE_P90, 10, 90],
      shift: 7,
      truncate: { max: 0.3, percentiles: true },
    },
    { mean: 7 + 20, sd: Math.sqrt(50) }, // density 2x/900 on [0, 30]: E[X] = 20, E[X²] = 450
    (p) => 7 + 30 * Math.sqrt(p),
  ),
  memorylessGeometric(
    'RiskPolya(1, 3) shifted by 2, truncated to [5, ∞): α = 1 is Geomet(0.25), so 5 + Geomet(0.25)',
    { type: 'polya', params: [1, 3], shift: 2, truncate: { min: 5 } },
    5,
    0.25,
    [5, 8, 15],
  ),
];

describeExactValues(CASES);
describeSampledMoments(CASES);

describe('names, parameters and errors', () => {
  it('reads each Risk* function and its MC.* twin', () => {
    expectCustomFunctionTwins([
      ['RISKTRIGEN', 'MC.TRIGEN'],
      ['RISKINVGAUSS', 'MC.INVGAUSS'],
      ['RISKBETASUBJ', 'MC.BETASUBJ'],
      ['RISKHISTOGRM', 'MC.HISTOGRM'],
      ['RISKCUMULD', 'MC.CUMULD'],
      ['RISKPOLYA', 'MC.POLYA'],
      ['RISKRESAMPLE', 'MC.RESAMPLE'],
    ]);
    expect(specFromArguments('RiskHistogrm', [10, 20, [1, 2, 3]])).toMatchObject({
      type: 'histogrm',
      params: [10, 20],
      weights: [1, 2, 3],
    });
    expect(specFromArguments('RiskCumulD', [0, 10, [1, 5], [0.9, 0.3]])).toMatchObject({
      type: 'cumuld',
      points: { x: [1, 5], y: [0.9, 0.3] },
    });
    expect(specFromArguments('RiskTrigen', [1, 2, 3, 10])).toHaveProperty('error');
  });

  const BAD: [string, DistributionSpec][] = [
    ['trigen bottom > m.likely', { type: 'trigen', params: [5, 4, 10, 10, 90] }],
    ['trigen bottom perc = top perc', { type: 'trigen', params: [0, 4, 10, 50, 50] }],
    ['trigen top perc > 100', { type: 'trigen', params: [0, 4, 10, 10, 101] }],
    ['trigen bottom perc < 0', { type: 'trigen', params: [0, 4, 10, -1, 90] }],
    ['invgauss mu = 0', { type: 'invgauss', params: [0, 1] }],
    ['invgauss lambda < 0', { type: 'invgauss', params: [1, -1] }],
    ['betasubj m.likely = min', { type: 'betasubj', params: [0, 0, 4, 12] }],
    ['betasubj mean = max', { type: 'betasubj', params: [0, 3, 12, 12] }],
    ['betasubj min = max', { type: 'betasubj', params: [5, 5, 5, 5] }],
    ['betasubj mean beyond the midpoint from m.likely', { type: 'betasubj', params: [0, 3, 7, 12] }],
    ['betasubj m.likely = mean (shape undetermined)', { type: 'betasubj', params: [0, 6, 6, 12] }],
    ['histogrm a negative weight', { type: 'histogrm', params: [0, 1], weights: [1, -1] }],
    ['histogrm all weights 0', { type: 'histogrm', params: [0, 1], weights: [0, 0] }],
    ['histogrm no weights', { type: 'histogrm', params: [0, 1], weights: [] }],
    ['histogrm max < min', { type: 'histogrm', params: [1, 0], weights: [1] }],
    ['cumuld p increasing', { type: 'cumuld', params: [0, 10], points: { x: [1, 5], y: [0.3, 0.9] } }],
    ['cumuld p > 1', { type: 'cumuld', params: [0, 10], points: { x: [1, 5], y: [1.5, 0.9] } }],
    [
      'cumuld x outside [min, max]',
      { type: 'cumuld', params: [0, 10], points: { x: [1, 11], y: [0.9, 0.3] } },
    ],
    ['polya alpha = 0', { type: 'polya', params: [0, 1] }],
    ['polya beta = 0', { type: 'polya', params: [1, 0] }],
    ['resample in order (sampling type 1)', { type: 'resample', params: [1], values: [1, 2, 3] }],
    ['resample without replacement (sampling type 3)', { type: 'resample', params: [3], values: [1, 2, 3] }],
    ['resample sampling type 4', { type: 'resample', params: [4], values: [1, 2, 3] }],
    ['resample no data', { type: 'resample', params: [2], values: [] }],
    ['RiskTruncateP above 1', { type: 'normal', params: [0, 1], truncate: { max: 1.5, percentiles: true } }],
    [
      'RiskTruncateP min > max',
      { type: 'normal', params: [0, 1], truncate: { min: 0.6, max: 0.4, percentiles: true } },
    ],
  ];
  it.each(BAD)('refuses %s', (_, spec) => {
    expect(createDistribution(spec)).toHaveProperty('error');
  });

  it('shows #VALUE! in the grid for invalid parameters, as the other distributions do', () => {
    expect(staticDistributionValue('RISKPOLYA', [0, 1], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('MC.BETASUBJ', [0, 6, 6, 12], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('RISKPOLYA', [2.5, 4], [])).toBe(10);
  });

  it('names the resampling types it refuses, and a run with one does not start', async () => {
    const message =
      'RiskResample: sampling type 1 (in order) is not supported; only 2 (random with replacement)';
    expect(createDistribution({ type: 'resample', params: [1], values: [1, 2] })).toEqual({ error: message });
    const model: WorkbookModel = {
      version: 1,
      sheets: [
        { name: 'Sheet1', cells: { A1: { formula: '=RiskResample(1,{1,2,3})' }, A2: { formula: '=A1*2' } } },
      ],
      names: [],
    };
    await expect(simulate(model, { targets: ['A2'], iterations: 10, seed: 1 })).rejects.toThrow(
      `Sheet1!A1: ${message}`,
    );
  });

  it('takes whole percentages in RiskTrigen: 0 and 100 are RiskTriang itself', () => {
    const d = make({ type: 'trigen', params: [0, 30, 100, 0, 100] });
    expect([d.min, d.max]).toEqual([0, 100]);
    expect(d.staticValue).toBeCloseTo(130 / 3, 12);
    // @RISK's help example: RiskTrigen(100,200,300,10,90) has 10th percentile 100 and 90th 300
    const example = make({ type: 'trigen', params: [100, 200, 300, 10, 90] });
    expect(example.cdf(100)).toBeCloseTo(0.1, 14);
    expect(example.cdf(300)).toBeCloseTo(0.9, 14);
    expect(example.cdf(200)).toBeCloseTo(0.5, 14); // symmetric about the mode
  });

  it('gives a one-sided RiskTrigen its bound: the mode as bottom at the 0th percentile', () => {
    // Triang(30, 30, 100): F(x) = 1 - ((100-x)/70)², whose 75th percentile is 65
    const d = make({ type: 'trigen', params: [30, 30, 65, 0, 75] });
    expect(d.min).toBeCloseTo(30, 12);
    expect(d.max).toBeCloseTo(100, 10);
  });

  it('inverts the inverse Gaussian cdf from very skewed to nearly normal shapes', () => {
    for (const lambda of [0.01, 0.3, 3, 300, 1e5]) {
      const d = make({ type: 'invgauss', params: [1, lambda] });
      for (const u of [1e-12, 1e-3, 0.3, 0.5, 0.7, 0.999, 1 - 1e-12]) {
        const x = d.inverseCdf(u);
        expect(x).toBeGreaterThan(0);
        // within 1e-11 of the smaller tail, relatively: the cdf's own rounding at λ = 1e5, where it is steep
        expect(Math.abs(d.cdf(x) - u)).toBeLessThan(1e-11 * Math.min(u, 1 - u) + 1e-15);
      }
    }
  });

  it('a truncation is either RiskTruncate or RiskTruncateP, and RiskTruncateP is on the unshifted cdf', () => {
    const d = make({
      type: 'normal',
      params: [100, 10],
      shift: 50,
      truncate: { min: 0.5, percentiles: true },
    });
    expect(d.min).toBeCloseTo(150, 9); // the median of Normal(100, 10), shifted
    expect(d.mean).toBeCloseTo(150 + 10 * Math.sqrt(2 / Math.PI), 9); // a half-normal's mean
  });
});

describe('the mean of a truncation across the kinks of a piecewise quantile', () => {
  /** E[X | lo <= X <= hi] for a density given as polynomials (degree <= 2) on consecutive pieces [a, b]. */
  function truncatedMean(pieces: [number, number, (x: number) => number][]): number {
    let mass = 0;
    let moment = 0;
    for (const [a, b, density] of pieces) {
      mass += simpson(density, a, b, 2);
      moment += simpson((x) => x * density(x), a, b, 2); // Simpson's rule is exact to degree 3
    }
    return moment / mass;
  }
  const cases: [string, DistributionSpec, [number, number, (x: number) => number][]][] = [
    [
      'RiskTriang(0, 30, 100) truncated to [10, 90]',
      { type: 'triangular', params: [0, 30, 100], truncate: { min: 10, max: 90 } },
      [
        [10, 30, (x) => x / 1500],
        [30, 90, (x) => (100 - x) / 3500],
      ],
    ],
    [
      'RiskCumul(0, 10, {1, 5, 9}, {0.1, 0.7, 0.9}) truncated to [0.5, 7]',
      {
        type: 'cumul',
        params: [0, 10],
        points: { x: [1, 5, 9], y: [0.1, 0.7, 0.9] },
        truncate: { min: 0.5, max: 7 },
      },
      [
        [0.5, 1, () => 0.1],
        [1, 5, () => 0.15],
        [5, 7, () => 0.05],
      ],
    ],
    [
      'RiskGeneral(0, 10, {2, 5}, {1, 3}) truncated to [1, 8]',
      { type: 'general', params: [0, 10], points: { x: [2, 5], y: [1, 3] }, truncate: { min: 1, max: 8 } },
      [
        [1, 2, (x) => x / 2],
        [2, 5, (x) => 1 + ((x - 2) * 2) / 3],
        [5, 8, (x) => (3 * (10 - x)) / 5],
      ],
    ],
    [
      'RiskDoubleTriang(0, 40, 100, 0.3) truncated to [20, 70]',
      { type: 'doubletriang', params: [0, 40, 100, 0.3], truncate: { min: 20, max: 70 } },
      [
        [20, 40, (x) => (0.6 * x) / 1600],
        [40, 70, (x) => (1.4 * (100 - x)) / 3600],
      ],
    ],
  ];
  it.each(cases)('%s', (_, spec, pieces) => {
    expect(make(spec).mean).toBeCloseTo(truncatedMean(pieces), 10);
  });
});

describe('RiskMakeInput: the value of its formula', () => {
  const model: WorkbookModel = {
    version: 1,
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskNormal(10,1)' },
          A2: { formula: '=RiskMakeInput(A1*2,RiskName("doubled"))' },
          A3: { formula: '=RiskMakeInput(5)+1' },
          A4: { formula: '=RiskMakeInput(A1)-A1' },
        },
      },
    ],
    names: [],
  };

  it('outside a simulation', () => {
    const { cells } = recalculate(model);
    expect([cells.get('Sheet1!A2'), cells.get('Sheet1!A3'), cells.get('Sheet1!A4')]).toEqual([20, 6, 0]);
  });

  it('in every trial', async () => {
    const result = await simulate(model, { targets: ['A1', 'A2', 'A4'], iterations: 2_000, seed: 3 });
    const [input, doubled, difference] = result.outputs.map((o) => Array.from(o.values));
    expect(doubled).toEqual(input.map((x) => 2 * x));
    expect(new Set(difference)).toEqual(new Set([0]));
  });
});

describe('in formulas, with RiskShift, RiskTruncate and RiskTruncateP', () => {
  const model: WorkbookModel = {
    version: 1,
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskTrigen(10,20,30,10,90)' },
          A2: { formula: '=RiskTriang(0,30,100,RiskTruncateP(,0.3),RiskShift(7))' },
          A3: { formula: '=MC.HISTOGRM(0,30,{1,2,3},RiskShift(10),RiskTruncate(20,40))' },
          A5: { formula: '=MC.HISTOGRM(0,30,{1,2,3},RiskShift(10),RiskTruncate(22,28))' },
          A4: { formula: '=RiskNormal(0,1,RiskTruncate(-1,1),RiskTruncateP(0.1,0.9))' },
        },
      },
    ],
    names: [],
  };

  it('shows the static values outside a simulation', () => {
    const { cells } = recalculate(model);
    expect(cells.get('Sheet1!A1')).toBeCloseTo(20, 9); // symmetric about its mode
    expect(cells.get('Sheet1!A2')).toBeCloseTo(27, 9);
    expect(cells.get('Sheet1!A3')).toBeCloseTo(31, 9); // its last two classes, 2 : 3: 0.4 · 25 + 0.6 · 35
    expect(cells.get('Sheet1!A5')).toBeCloseTo(25, 9);
    expect(cells.get('Sheet1!A4')).toEqual({ error: '#VALUE!' }); // two truncations: refused, not one dropped
  });

  it.each(['monte_carlo', 'latin_hypercube'] as const)('samples them (%s)', async (sampling) => {
    const n = 20_000;
    const result = await simulate(model, { targets: ['A2', 'A3'], iterations: n, seed: 11, sampling });
    const [rising, histogram] = result.outputs.map((o) => Array.from(o.values));
    const meanOf = (values: number[]) => values.reduce((s, x) => s + x, 0) / n;
    expect(Math.min(...rising)).toBeGreaterThanOrEqual(7);
    expect(Math.max(...rising)).toBeLessThanOrEqual(37);
    expect(Math.abs(meanOf(rising) - 27)).toBeLessThan((5 * Math.sqrt(50)) / Math.sqrt(n));
    expect(Math.min(...histogram)).toBeGreaterThanOrEqual(20);
    expect(Math.abs(meanOf(histogram) - 31)).toBeLessThan((5 * Math.sqrt(32 + 1 / 3)) / Math.sqrt(n));
  });
});
