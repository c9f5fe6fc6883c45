import { lhsUniform } from '../../../server/engine/sampling/latin-hypercube';
import { uniform } from '../../../server/engine/sampling/philox';
import { summarize } from '../../../server/engine/statistics/summary';
import {
  createDistribution,
  type Distribution,
  type DistributionSpec,
} from '../../../shared/distributions/distribution';

function make(spec: DistributionSpec): Distribution {
  const d = createDistribution(spec);
  if ('error' in d) throw new Error(d.error);
  return d;
}

type UniformSource = (stream: number, trial: number) => number;

/** Samples of sum_i inputs[i] (weighted), trial by trial. */
function simulateSum(inputs: Distribution[], weights: number[], n: number, u: UniformSource): Float64Array {
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let y = 0;
    for (let i = 0; i < inputs.length; i++) y += weights[i] * inputs[i].inverseCdf(u(i, t));
    out[t] = y;
  }
  return out;
}

describe('moments of simulated models', () => {
  const n = 100_000;

  it('a sum of normals has the expected mean and sd within 4 standard errors', () => {
    const inputs = [
      make({ type: 'normal', params: [1, 2] }),
      make({ type: 'normal', params: [3, 1.5] }),
      make({ type: 'normal', params: [-2, 0.5] }),
    ];
    const s = summarize(simulateSum(inputs, [1, 1, 1], n, (stream, t) => uniform(123, stream, t)));
    const sigma = Math.sqrt(4 + 2.25 + 0.25);
    expect(Math.abs(s.mean! - 2)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    expect(Math.abs(s.std! - sigma)).toBeLessThan((4 * sigma) / Math.sqrt(2 * (n - 1)));
  });

  it('RiskLognorm(10, 5) has mean 10 and sd 5 within 4 standard errors', () => {
    const s = summarize(
      simulateSum([make({ type: 'lognormal', params: [10, 5] })], [1], n, (_, t) => uniform(5, 9, t)),
    );
    expect(Math.abs(s.mean! - 10)).toBeLessThan((4 * 5) / Math.sqrt(n));
    // SE(s) ~ sqrt((mu4 - sigma^4) / n) / (2 sigma), with mu4 = (excess kurtosis + 3) sigma^4
    const w = Math.exp(Math.log(1.25)); // exp(sigma_n^2) of the underlying normal: 1 + (sd/mean)^2
    const excessKurtosis = w ** 4 + 2 * w ** 3 + 3 * w ** 2 - 6;
    const seOfSd = Math.sqrt(((excessKurtosis + 2) * 625) / n) / 10;
    expect(Math.abs(s.std! - 5)).toBeLessThan(4 * seOfSd);
  });
});

describe('Latin hypercube versus Monte Carlo', () => {
  it('gives a smaller standard error of the mean on a linear model, over repeated seeds', () => {
    const inputs = [
      make({ type: 'uniform', params: [0, 1] }),
      make({ type: 'normal', params: [0, 1] }),
      make({ type: 'triangular', params: [0, 1, 3] }),
    ];
    const weights = [2, 3, -1];
    const trials = 500;
    const means = { mc: new Float64Array(40), lhs: new Float64Array(40) };
    for (let seed = 0; seed < 40; seed++) {
      means.mc[seed] = summarize(simulateSum(inputs, weights, trials, (s, t) => uniform(seed, s, t))).mean!;
      means.lhs[seed] = summarize(
        simulateSum(inputs, weights, trials, (s, t) => lhsUniform(seed, s, t, trials)),
      ).mean!;
    }
    const mcSpread = summarize(means.mc).std!;
    const lhsSpread = summarize(means.lhs).std!;
    // theory: MC spread = sd(y) / sqrt(500) ~ 0.14; stratifying an additive model removes almost all of it
    expect(lhsSpread).toBeLessThan(0.2 * mcSpread);
    const expected = 2 * 0.5 + 3 * 0 - 4 / 3;
    expect(Math.abs(summarize(means.lhs).mean! - expected)).toBeLessThan(0.01);
  });
});
