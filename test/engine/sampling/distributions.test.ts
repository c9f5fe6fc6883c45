import { uniform } from '../../../server/engine/sampling/philox';
import {
  DISTRIBUTION_FUNCTIONS,
  DISTRIBUTION_PROPERTY_FUNCTIONS,
  specFromArguments,
} from '../../../shared/distributions/catalogue';
import {
  createDistribution,
  type Distribution,
  type DistributionSpec,
} from '../../../shared/distributions/distribution';
import { ksCritical, ksStatistic, sampleDistribution } from './ks';

function make(spec: DistributionSpec): Distribution {
  const d = createDistribution(spec);
  if ('error' in d) throw new Error(d.error);
  return d;
}

const CASES: Array<[string, DistributionSpec]> = [
  ['normal', { type: 'normal', params: [10, 2] }],
  ['lognormal', { type: 'lognormal', params: [10, 5] }],
  ['lognormal2', { type: 'lognormal2', params: [1, 0.5] }],
  ['uniform', { type: 'uniform', params: [-3, 7] }],
  ['triangular', { type: 'triangular', params: [0, 2, 10] }],
  ['pert', { type: 'pert', params: [0, 2, 10] }],
  ['discrete', { type: 'discrete', params: [], values: [5, 1, 3], weights: [1, 2, 7] }],
  ['binomial', { type: 'binomial', params: [40, 0.3] }],
  ['poisson', { type: 'poisson', params: [4.5] }],
  ['poisson large', { type: 'poisson', params: [1e5] }],
  ['poisson huge (Cornish–Fisher)', { type: 'poisson', params: [1e10] }],
  ['binomial large', { type: 'binomial', params: [1e9, 0.3] }],
  ['binomial huge (Cornish–Fisher)', { type: 'binomial', params: [1e13, 0.01] }],
  ['exponential', { type: 'exponential', params: [3] }],
  ['gamma', { type: 'gamma', params: [2.5, 3] }],
  ['gamma small shape', { type: 'gamma', params: [0.3, 1] }],
  ['beta', { type: 'beta', params: [0.7, 2.5] }],
  ['betageneral', { type: 'betageneral', params: [2, 3, 10, 20] }],
  ['weibull', { type: 'weibull', params: [1.5, 4] }],
  ['student', { type: 'student', params: [4] }],
  ['cumul', { type: 'cumul', params: [0, 10], points: { x: [2, 5, 8], y: [0.1, 0.6, 0.7] } }],
  ['general', { type: 'general', params: [0, 10], points: { x: [2, 5, 8], y: [1, 3, 0.5] } }],
  ['bernoulli', { type: 'bernoulli', params: [0.3] }],
  ['integer-uniform', { type: 'integer-uniform', params: [3, 9] }],
  ['truncated normal', { type: 'normal', params: [0, 1], truncate: { min: -0.5, max: 2 } }],
  ['truncated shifted poisson', { type: 'poisson', params: [6], shift: 10, truncate: { min: 13, max: 20 } }],
];

describe('Kolmogorov–Smirnov at 100,000 samples', () => {
  const n = 100_000;
  CASES.forEach(([label, spec], stream) => {
    it(`${label} follows its cdf`, () => {
      const dist = make(spec);
      const samples = sampleDistribution(dist, n, (t) => uniform(20260101, stream, t));
      expect(ksStatistic(samples, dist.cdf, dist.discrete)).toBeLessThan(ksCritical(n));
    });
  });

  it('detects a wrong distribution (the test can fail)', () => {
    const samples = sampleDistribution(make({ type: 'normal', params: [0, 1] }), n, (t) => uniform(1, 0, t));
    const wrong = make({ type: 'normal', params: [0, 1.03] });
    expect(ksStatistic(samples, wrong.cdf, false)).toBeGreaterThan(ksCritical(n));
  });
});

describe('parameters, means and static values', () => {
  it('follows @RISK parameter conventions', () => {
    expect(make({ type: 'lognormal', params: [10, 5] }).mean).toBeCloseTo(10, 12);
    expect(make({ type: 'lognormal2', params: [1, 0.5] }).mean).toBeCloseTo(Math.exp(1.125), 12);
    expect(make({ type: 'pert', params: [0, 2, 10] }).mean).toBeCloseTo(3, 12);
    expect(make({ type: 'triangular', params: [0, 2, 10] }).mean).toBeCloseTo(4, 12);
    expect(make({ type: 'exponential', params: [3] }).mean).toBe(3);
    expect(make({ type: 'gamma', params: [2.5, 3] }).mean).toBe(7.5);
    expect(make({ type: 'weibull', params: [1, 4] }).mean).toBeCloseTo(4, 12);
    expect(make({ type: 'betageneral', params: [2, 3, 10, 20] }).mean).toBeCloseTo(14, 12);
    expect(make({ type: 'cumul', params: [0, 10], points: { x: [5], y: [0.5] } }).mean).toBeCloseTo(5, 12);
    // triangle density on [0,10] peaking at 5: mean 5
    expect(make({ type: 'general', params: [0, 10], points: { x: [5], y: [1] } }).mean).toBeCloseTo(5, 12);
  });

  it('uses the support value nearest the mean as static value of discrete distributions', () => {
    const d = make({ type: 'discrete', params: [], values: [1, 2, 10], weights: [1, 1, 1] });
    expect(d.mean).toBeCloseTo(13 / 3, 12);
    expect(d.staticValue).toBe(2);
    expect(make({ type: 'binomial', params: [10, 0.33] }).staticValue).toBe(3);
    expect(make({ type: 'poisson', params: [4.6] }).staticValue).toBe(5);
    const huge = make({ type: 'poisson', params: [1e10] });
    expect(huge.staticValue).toBe(1e10);
    expect(huge.inverseCdf(0.5)).toBe(1e10);
    expect(make({ type: 'normal', params: [4.6, 1] }).staticValue).toBe(4.6);
  });

  it('samples discrete values by searching the cumulative table', () => {
    const d = make({ type: 'discrete', params: [], values: [5, 1, 3], weights: [1, 2, 7] });
    expect(d.inverseCdf(0.05)).toBe(1);
    expect(d.inverseCdf(0.2)).toBe(1);
    expect(d.inverseCdf(0.2000001)).toBe(3);
    expect(d.inverseCdf(0.95)).toBe(5);
    expect(d.cdf(3)).toBeCloseTo(0.9, 15);
  });

  it('truncates by inverse cdf on the restricted range, limits on the shifted scale', () => {
    const d = make({ type: 'normal', params: [0, 1], truncate: { min: 0 } });
    expect(d.mean).toBeCloseTo(Math.sqrt(2 / Math.PI), 9);
    expect(d.inverseCdf(1e-12)).toBeGreaterThanOrEqual(0);
    const shifted = make({ type: 'uniform', params: [0, 10], shift: 100, truncate: { min: 102, max: 104 } });
    expect(shifted.mean).toBeCloseTo(103, 9);
    expect(shifted.inverseCdf(0.5)).toBeCloseTo(103, 12);
    const poisson = make({ type: 'poisson', params: [6], shift: 10, truncate: { min: 13, max: 20 } });
    expect(poisson.inverseCdf(Number.MIN_VALUE)).toBe(13);
    expect(poisson.inverseCdf(1 - 1e-16)).toBe(20);
  });

  it('computes the mean of unbounded truncated distributions by quadrature', () => {
    // E[X | X > 1] for Exp(mean 2) = 1 + 2
    expect(make({ type: 'exponential', params: [2], truncate: { min: 1 } }).mean).toBeCloseTo(3, 7);
  });
});

describe('validation', () => {
  const error = (spec: DistributionSpec) => {
    const d = createDistribution(spec);
    return 'error' in d ? d.error : undefined;
  };

  it('explains invalid parameters', () => {
    expect(error({ type: 'normal', params: [0, -1] })).toBe(
      'RiskNormal: standard deviation must be ≥ 0, got -1',
    );
    expect(error({ type: 'normal', params: [0, -1], name: 'MC.NORMAL' })).toMatch(/^MC\.NORMAL: /);
    expect(error({ type: 'triangular', params: [0, 5, 3] })).toBe(
      'RiskTriang: most likely value (5) must be ≤ maximum (3)',
    );
    expect(error({ type: 'binomial', params: [2.5, 0.5] })).toMatch(/integer/);
    expect(error({ type: 'gamma', params: [0, 1] })).toBe('RiskGamma: alpha must be > 0, got 0');
    expect(error({ type: 'discrete', params: [], values: [1, 2], weights: [0, 0] })).toMatch(/weight/);
    expect(error({ type: 'cumul', params: [0, 10], points: { x: [5, 4], y: [0.2, 0.3] } })).toMatch(
      /increasing/,
    );
    expect(error({ type: 'normal', params: [0] })).toMatch(/expects 2/);
    expect(error({ type: 'normal', params: [0, Number.NaN] })).toMatch(/finite/);
    expect(error({ type: 'uniform', params: [0, 1], truncate: { min: 2, max: 3 } })).toMatch(
      /zero probability/,
    );
  });
});

describe('function names', () => {
  it('maps @RISK and MC.* names to the same signature', () => {
    expect(DISTRIBUTION_FUNCTIONS.get('RISKNORMAL')).toEqual({ type: 'normal', params: ['mean', 'sd'] });
    expect(DISTRIBUTION_FUNCTIONS.get('MC.NORMAL')).toBe(DISTRIBUTION_FUNCTIONS.get('RISKNORMAL'));
    for (const name of [
      'RISKLOGNORM',
      'RISKLOGNORM2',
      'RISKTRIANG',
      'RISKPERT',
      'RISKEXPON',
      'RISKBETAGENERAL',
    ]) {
      expect(DISTRIBUTION_FUNCTIONS.has(name)).toBe(true);
    }
    for (const suffix of [
      'LOGNORMAL',
      'UNIFORM',
      'TRIANG',
      'PERT',
      'DISCRETE',
      'BINOMIAL',
      'POISSON',
      'EXPON',
    ]) {
      expect(DISTRIBUTION_FUNCTIONS.has(`MC.${suffix}`)).toBe(true);
    }
    for (const suffix of ['GAMMA', 'BETA', 'BETAGENERAL', 'WEIBULL', 'STUDENT', 'CUMUL', 'GENERAL']) {
      expect(DISTRIBUTION_FUNCTIONS.has(`MC.${suffix}`)).toBe(true);
    }
  });

  it('lists the property functions', () => {
    expect(DISTRIBUTION_PROPERTY_FUNCTIONS.get('RISKTRUNCATE')).toEqual({
      property: 'truncate',
      params: ['min', 'max'],
    });
    expect(DISTRIBUTION_PROPERTY_FUNCTIONS.get('RISKSHIFT')?.property).toBe('shift');
  });

  it('builds specs from evaluated arguments', () => {
    expect(specFromArguments('RiskCumul', [0, 10, [5], [0.5]])).toEqual({
      type: 'cumul',
      params: [0, 10],
      points: { x: [5], y: [0.5] },
      name: 'RiskCumul',
    });
    expect(
      specFromArguments('MC.DISCRETE', [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual({
      type: 'discrete',
      params: [],
      values: [1, 2],
      weights: [3, 4],
      name: 'MC.DISCRETE',
    });
    expect(specFromArguments('RiskBinomial', [10, 0.5])).toMatchObject({
      type: 'binomial',
      params: [10, 0.5],
    });
    expect(specFromArguments('RiskNormal', [1])).toEqual({ error: 'RiskNormal: expects 2 arguments, got 1' });
  });
});
