/**
 * The first batch of @RISK's catalogue beyond the original distributions: each against values derived
 * here from its definition (closed-form quantiles, cdfs and moments written in this file, never the
 * engine's own functions), by Monte Carlo and by Latin hypercube, with truncation and shift, and its
 * parameter checks.
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
  byQuantile,
  type Case,
  describeExactValues,
  describeSampledMoments,
  expectCustomFunctionTwins,
  memorylessGeometric,
} from './catalogue-cases';
import { makeDistribution as make } from './make-distribution';

const EULER_GAMMA = 0.5772156649015329;

const logLogisticTheta = Math.PI / 10;
const reciprocalSpan = Math.log(100);
// Kumaraswamy(2, 5) on [0, 1]: E[Z^k] = 5 B(1 + k/2, 5), so E[Z] = 5 · 768/10395 and E[Z²] = 1/6.
const kumaraswamyMean = (5 * 768) / 10395;
const truncatedReciprocalSpan = Math.log(25);

const CASES: Case[] = [
  byQuantile(
    'RiskLogistic(10, 2)',
    { type: 'logistic', params: [10, 2] },
    { mean: 10, sd: (2 * Math.PI) / Math.sqrt(3) },
    (p) => 10 + 2 * Math.log(p / (1 - p)),
  ),
  byQuantile('RiskLaplace(10, 3)', { type: 'laplace', params: [10, 3] }, { mean: 10, sd: 3 }, (p) => {
    const b = 3 / Math.sqrt(2); // sigma is the standard deviation: scale b = sigma / √2
    return p < 0.5 ? 10 + b * Math.log(2 * p) : 10 - b * Math.log(2 * (1 - p));
  }),
  byQuantile(
    'RiskCauchy(5, 2)',
    { type: 'cauchy', params: [5, 2] },
    { staticValue: 5 },
    (p) => 5 + 2 * Math.tan(Math.PI * (p - 0.5)),
  ),
  byQuantile(
    'RiskRayleigh(3)',
    { type: 'rayleigh', params: [3] },
    { mean: 3 * Math.sqrt(Math.PI / 2), sd: 3 * Math.sqrt((4 - Math.PI) / 2) },
    (p) => 3 * Math.sqrt(-2 * Math.log(1 - p)),
  ),
  byQuantile(
    'RiskPareto(10, 2)',
    { type: 'pareto', params: [10, 2] },
    { mean: 20 / 9, sd: Math.sqrt((4 * 10) / (81 * 8)) },
    (p) => 2 * (1 - p) ** (-1 / 10),
  ),
  byQuantile(
    'RiskPareto2(4, 10)',
    { type: 'pareto2', params: [4, 10] },
    { mean: 4 / 9, sd: Math.sqrt((16 * 10) / (81 * 8)) },
    (p) => 4 * ((1 - p) ** (-1 / 10) - 1),
  ),
  byQuantile(
    'RiskExtValue(10, 2)',
    { type: 'extvalue', params: [10, 2] },
    { mean: 10 + 2 * EULER_GAMMA, sd: (2 * Math.PI) / Math.sqrt(6) },
    (p) => 10 - 2 * Math.log(-Math.log(p)),
  ),
  byQuantile(
    'RiskExtValueMin(10, 2)',
    { type: 'extvaluemin', params: [10, 2] },
    { mean: 10 - 2 * EULER_GAMMA, sd: (2 * Math.PI) / Math.sqrt(6) },
    (p) => 10 + 2 * Math.log(-Math.log(1 - p)),
  ),
  byQuantile(
    'RiskLogLogistic(5, 2, 10)',
    { type: 'loglogistic', params: [5, 2, 10] },
    {
      mean: 5 + (2 * logLogisticTheta) / Math.sin(logLogisticTheta),
      sd:
        2 *
        Math.sqrt(
          (2 * logLogisticTheta) / Math.sin(2 * logLogisticTheta) -
            (logLogisticTheta / Math.sin(logLogisticTheta)) ** 2,
        ),
    },
    (p) => 5 + 2 * (p / (1 - p)) ** (1 / 10),
  ),
  byQuantile(
    'RiskReciprocal(1, 100)',
    { type: 'reciprocal', params: [1, 100] },
    {
      mean: 99 / reciprocalSpan,
      sd: Math.sqrt(9999 / (2 * reciprocalSpan) - (99 / reciprocalSpan) ** 2),
    },
    (p) => 100 ** p,
  ),
  byQuantile(
    'RiskKumaraswamy(2, 5, 0, 10)',
    { type: 'kumaraswamy', params: [2, 5, 0, 10] },
    { mean: 10 * kumaraswamyMean, sd: 10 * Math.sqrt(1 / 6 - kumaraswamyMean ** 2) },
    (p) => 10 * Math.sqrt(1 - (1 - p) ** (1 / 5)),
  ),
  {
    label: 'RiskDUniform({1, 2, 5, 10})',
    spec: { type: 'duniform', params: [], values: [1, 2, 5, 10] },
    mean: 4.5,
    sd: 3.5, // E[X²] = 32.5
    points: [
      [1, 0.25],
      [2, 0.5],
      [5, 0.75],
    ],
    staticValue: 5,
  },
  {
    label: 'RiskGeomet(0.2)',
    spec: { type: 'geometric', params: [0.2] },
    mean: 4,
    sd: Math.sqrt(20), // (1-p)/p²
    points: [0, 3, 10].map((k) => [k, 1 - 0.8 ** (k + 1)]),
    staticValue: 4,
  },
  {
    label: 'RiskErlang(3, 10)',
    spec: { type: 'erlang', params: [3, 10] },
    mean: 30,
    sd: 10 * Math.sqrt(3),
    points: [10, 30, 60].map((x) => [x, 1 - Math.exp(-x / 10) * (1 + x / 10 + (x / 10) ** 2 / 2)]),
    staticValue: 30,
  },
  {
    label: 'RiskChiSq(4)',
    spec: { type: 'chisq', params: [4] },
    mean: 4,
    sd: Math.sqrt(8),
    points: [1, 4, 10].map((x) => [x, 1 - Math.exp(-x / 2) * (1 + x / 2)]),
    staticValue: 4,
  },
  // Truncation (on the final, shifted values) and shift, where the result is again a known distribution.
  byQuantile(
    'RiskReciprocal(1, 100) shifted by 3, truncated to [5, 53]: 3 + Reciprocal(2, 50)',
    { type: 'reciprocal', params: [1, 100], shift: 3, truncate: { min: 5, max: 53 } },
    {
      mean: 3 + 48 / truncatedReciprocalSpan,
      sd: Math.sqrt((2500 - 4) / (2 * truncatedReciprocalSpan) - (48 / truncatedReciprocalSpan) ** 2),
    },
    (p) => 3 + 2 * 25 ** p,
  ),
  byQuantile(
    'RiskLaplace(10, 3) shifted by -10, truncated to [0, ∞): an exponential of mean 3/√2',
    { type: 'laplace', params: [10, 3], shift: -10, truncate: { min: 0 } },
    { mean: 3 / Math.sqrt(2), sd: 3 / Math.sqrt(2) },
    (p) => (-3 / Math.sqrt(2)) * Math.log(1 - p),
  ),
  memorylessGeometric(
    'RiskGeomet(0.2) shifted by 10, truncated to [12, ∞): memoryless, 12 + Geomet(0.2)',
    { type: 'geometric', params: [0.2], shift: 10, truncate: { min: 12 } },
    12,
    0.2,
    [12, 15, 22],
  ),
];

describeExactValues(CASES);
describeSampledMoments(CASES);

describe('names, parameters and errors', () => {
  it('reads each Risk* function and its MC.* twin', () => {
    const names: [string, string][] = [
      ['RISKLOGISTIC', 'MC.LOGISTIC'],
      ['RISKLAPLACE', 'MC.LAPLACE'],
      ['RISKCAUCHY', 'MC.CAUCHY'],
      ['RISKRAYLEIGH', 'MC.RAYLEIGH'],
      ['RISKPARETO', 'MC.PARETO'],
      ['RISKPARETO2', 'MC.PARETO2'],
      ['RISKEXTVALUE', 'MC.EXTVALUE'],
      ['RISKEXTVALUEMIN', 'MC.EXTVALUEMIN'],
      ['RISKLOGLOGISTIC', 'MC.LOGLOGISTIC'],
      ['RISKRECIPROCAL', 'MC.RECIPROCAL'],
      ['RISKKUMARASWAMY', 'MC.KUMARASWAMY'],
      ['RISKDUNIFORM', 'MC.DUNIFORM'],
      ['RISKGEOMET', 'MC.GEOMET'],
      ['RISKERLANG', 'MC.ERLANG'],
      ['RISKCHISQ', 'MC.CHISQ'],
    ];
    expectCustomFunctionTwins(names);
    expect(specFromArguments('RiskLogLogistic', [5, 2, 10])).toMatchObject({
      type: 'loglogistic',
      params: [5, 2, 10],
    });
    expect(specFromArguments('RiskDUniform', [[1, 2, 5]])).toMatchObject({
      type: 'duniform',
      values: [1, 2, 5],
    });
    expect(specFromArguments('RiskDUniform', [1])).toHaveProperty('error');
  });

  const BAD: [string, DistributionSpec][] = [
    ['logistic scale < 0', { type: 'logistic', params: [0, -1] }],
    ['laplace sigma < 0', { type: 'laplace', params: [0, -1] }],
    ['cauchy scale < 0', { type: 'cauchy', params: [0, -1] }],
    ['rayleigh b = 0', { type: 'rayleigh', params: [0] }],
    ['pareto theta = 0', { type: 'pareto', params: [0, 1] }],
    ['pareto a = 0', { type: 'pareto', params: [1, 0] }],
    ['pareto2 b = 0', { type: 'pareto2', params: [0, 1] }],
    ['pareto2 q < 0', { type: 'pareto2', params: [1, -1] }],
    ['extvalue scale < 0', { type: 'extvalue', params: [0, -1] }],
    ['extvaluemin scale < 0', { type: 'extvaluemin', params: [0, -2] }],
    ['loglogistic beta = 0', { type: 'loglogistic', params: [0, 0, 1] }],
    ['loglogistic alpha = 0', { type: 'loglogistic', params: [0, 1, 0] }],
    ['reciprocal min = 0', { type: 'reciprocal', params: [0, 1] }],
    ['reciprocal min > max', { type: 'reciprocal', params: [5, 2] }],
    ['kumaraswamy alpha1 = 0', { type: 'kumaraswamy', params: [0, 1, 0, 1] }],
    ['kumaraswamy min > max', { type: 'kumaraswamy', params: [1, 1, 2, 1] }],
    ['duniform with no value', { type: 'duniform', params: [], values: [] }],
    ['geomet p = 0', { type: 'geometric', params: [0] }],
    ['geomet p > 1', { type: 'geometric', params: [1.5] }],
    ['erlang m not whole', { type: 'erlang', params: [2.5, 1] }],
    ['erlang m = 0', { type: 'erlang', params: [0, 1] }],
    ['erlang beta = 0', { type: 'erlang', params: [2, 0] }],
    ['chisq nu not whole', { type: 'chisq', params: [2.5] }],
    ['chisq nu = 0', { type: 'chisq', params: [0] }],
    ['logistic with a non-finite parameter', { type: 'logistic', params: [Number.NaN, 1] }],
  ];
  it.each(BAD)('refuses %s', (_, spec) => {
    expect(createDistribution(spec)).toHaveProperty('error');
  });

  it('shows #VALUE! in the grid for invalid parameters, as the other distributions do', () => {
    expect(staticDistributionValue('RISKLOGISTIC', [0, -1], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('MC.GEOMET', [2], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('RISKNORMAL', [0, -1], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('RISKGEOMET', [0.2], [])).toBe(4);
  });

  it('takes the median as static value where the mean is infinite', () => {
    expect(make({ type: 'pareto', params: [0.5, 2] }).staticValue).toBeCloseTo(2 * 2 ** 2, 12);
    expect(make({ type: 'pareto2', params: [3, 1] }).staticValue).toBeCloseTo(3, 12);
    expect(make({ type: 'loglogistic', params: [1, 2, 0.8] }).staticValue).toBeCloseTo(3, 12);
  });

  it('a zero scale is the point mass at the location', () => {
    const d = make({ type: 'laplace', params: [7, 0] });
    expect([d.min, d.max, d.inverseCdf(0.3), d.staticValue]).toEqual([7, 7, 7, 7]);
  });
});

describe('density preview', () => {
  it('peaks at the Laplace location with height 1/(√2 sigma)', () => {
    const points = densityPoints(make({ type: 'laplace', params: [10, 3] }), 200);
    const peak = points.reduce((a, b) => (b.y > a.y ? b : a));
    expect(Math.abs(peak.x - 10)).toBeLessThan(0.2);
    expect(peak.y).toBeCloseTo(1 / (Math.sqrt(2) * 3), 1);
  });

  it('gives the mass of each value of a geometric', () => {
    const points = densityPoints(make({ type: 'geometric', params: [0.5] }));
    expect(points.slice(0, 3).map((p) => p.x)).toEqual([0, 1, 2]);
    expect(points[1].y).toBeCloseTo(0.25, 12);
  });
});

describe('in formulas, with RiskShift and RiskTruncate', () => {
  const model: WorkbookModel = {
    version: 1,
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskGeomet(0.2,RiskShift(10),RiskTruncate(12,))' },
          A2: { formula: '=MC.LAPLACE(10,3,RiskShift(-10),RiskTruncate(0,))' },
        },
      },
    ],
    names: [],
  };

  it('shows the static values outside a simulation', () => {
    const { cells } = recalculate(model);
    expect(cells.get('Sheet1!A1')).toBe(16);
    expect(cells.get('Sheet1!A2')).toBeCloseTo(3 / Math.sqrt(2), 9);
  });

  // 12 + Geomet(0.2) (memoryless) and an exponential of mean 3/√2, within 5 standard errors of the mean.
  it.each(['monte_carlo', 'latin_hypercube'] as const)('samples them (%s)', async (sampling) => {
    const n = 20_000;
    const result = await simulate(model, { targets: ['A1', 'A2'], iterations: n, seed: 7, sampling });
    const [geomet, laplace] = result.outputs.map((o) => o.values);
    const meanOf = (values: ArrayLike<number>) => Array.from(values).reduce((s, x) => s + x, 0) / n;
    expect(Math.min(...geomet)).toBe(12);
    expect(Math.abs(meanOf(geomet) - 16)).toBeLessThan((5 * Math.sqrt(20)) / Math.sqrt(n));
    expect(Math.min(...laplace)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(meanOf(laplace) - 3 / Math.sqrt(2))).toBeLessThan((5 * 3) / Math.sqrt(2 * n));
  });
});
