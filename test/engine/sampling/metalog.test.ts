/**
 * MC.METALOG (Keelin's metalog, the SIPmath standard's): through its points exactly when it has as many
 * terms as points, the closed forms its two-term members reduce to (logistic, log-logistic), bounds,
 * refusals, sampling (Monte Carlo and Latin hypercube) and formulas.
 */
import { metalog as metalogCustomFunction } from '../../../addin/src/functions/functions';
import { staticDistributionValue } from '../../../server/engine/evaluate/distribution-calls';
import { recalculate } from '../../../server/engine/recalc';
import { simulate } from '../../../server/engine/simulate';
import { Errors, Matrix } from '../../../server/engine/values/value';
import { createDistribution, type DistributionSpec } from '../../../shared/distributions/distribution';
import { metalogSpec } from '../../../shared/distributions/metalog';
import type { WorkbookModel } from '../../../shared/model';
import { type Case, describeSampledMoments } from './catalogue-cases';
import { makeDistribution as make } from './make-distribution';

const logit = (p: number) => Math.log(p / (1 - p));
const X = [10, 14, 20, 30];
const P = [0.1, 0.4, 0.7, 0.95];

const EXACT: [string, DistributionSpec][] = [
  ['unbounded', metalogSpec(X, P)],
  ['bounded below at 0', metalogSpec(X, P, undefined, 0)],
  ['bounded above at 50', metalogSpec(X, P, undefined, undefined, 50)],
  ['bounded on [0, 50]', metalogSpec(X, P, undefined, 0, 50)],
  ['6 points, unbounded', metalogSpec([1, 2, 3, 5, 8, 13], [0.05, 0.2, 0.4, 0.6, 0.8, 0.95])],
];

describe('with as many terms as points', () => {
  it.each(EXACT)('%s: the quantile passes through every point, the cdf inverts it', (_, spec) => {
    const d = make(spec);
    const xs = spec.points?.x ?? [];
    const ps = spec.points?.y ?? [];
    xs.forEach((x, i) => {
      expect(Math.abs(d.inverseCdf(ps[i]) - x)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
      expect(Math.abs(d.cdf(x) - ps[i])).toBeLessThanOrEqual(1e-9);
    });
    // increasing between the points too
    let previous = Number.NEGATIVE_INFINITY;
    for (let u = 0.001; u < 1; u += 0.001) {
      const x = d.inverseCdf(u);
      expect(x).toBeGreaterThan(previous);
      previous = x;
    }
  });

  it('keeps within its bounds, even at extreme probabilities', () => {
    const bounded = make(metalogSpec(X, P, undefined, 0, 50));
    expect([bounded.min, bounded.max]).toEqual([0, 50]);
    for (const u of [1e-15, 1e-9, 0.5, 1 - 1e-9, 1 - 2 ** -53]) {
      expect(bounded.inverseCdf(u)).toBeGreaterThanOrEqual(0);
      expect(bounded.inverseCdf(u)).toBeLessThanOrEqual(50);
    }
    expect(make(metalogSpec(X, P, undefined, 0)).inverseCdf(1e-15)).toBeGreaterThanOrEqual(0);
    expect(make(metalogSpec(X, P, undefined, undefined, 50)).inverseCdf(1 - 2 ** -53)).toBeLessThanOrEqual(
      50,
    );
  });
});

describe('two terms: closed forms', () => {
  // M(y) = a1 + a2 L(y), L = ln(y/(1-y)): through (x1, p1), (x2, p2) a2 = (x2 - x1)/(L2 - L1), a1 = x1 - a2 L1.
  it('unbounded: the logistic of location a1 and scale a2 (mean a1)', () => {
    const [x1, x2, p1, p2] = [10, 20, 0.2, 0.9];
    const a2 = (x2 - x1) / (logit(p2) - logit(p1));
    const a1 = x1 - a2 * logit(p1);
    const d = make(metalogSpec([x1, x2], [p1, p2]));
    for (const u of [0.001, 0.05, 0.3, 0.5, 0.77, 0.999])
      expect(d.inverseCdf(u)).toBeCloseTo(a1 + a2 * logit(u), 10);
    for (const x of [0, 12, 25]) expect(d.cdf(x)).toBeCloseTo(1 / (1 + Math.exp(-(x - a1) / a2)), 10);
    expect(d.mean).toBeCloseTo(a1, 9);
  });

  it('unbounded, three points: the least-squares line of x on L', () => {
    const xs = [10, 13, 20];
    const ls = [0.1, 0.5, 0.9].map(logit);
    const meanL = ls.reduce((s, l) => s + l, 0) / 3;
    const meanX = xs.reduce((s, x) => s + x, 0) / 3;
    const a2 =
      ls.reduce((s, l, i) => s + (l - meanL) * (xs[i] - meanX), 0) /
      ls.reduce((s, l) => s + (l - meanL) ** 2, 0);
    const a1 = meanX - a2 * meanL;
    const d = make(metalogSpec(xs, [0.1, 0.5, 0.9], 2));
    for (const u of [0.01, 0.5, 0.9]) expect(d.inverseCdf(u)).toBeCloseTo(a1 + a2 * logit(u), 10);
  });

  it('bounded below: the log-logistic lower + e^a1 (y/(1-y))^a2, mean lower + e^a1 π a2 / sin(π a2)', () => {
    const lower = 2;
    const [x1, x2, p1, p2] = [3, 6, 0.25, 0.8];
    const a2 = (Math.log(x2 - lower) - Math.log(x1 - lower)) / (logit(p2) - logit(p1));
    const a1 = Math.log(x1 - lower) - a2 * logit(p1);
    const d = make(metalogSpec([x1, x2], [p1, p2], 2, lower));
    for (const u of [0.001, 0.3, 0.6, 0.999])
      expect(d.inverseCdf(u)).toBeCloseTo(lower + Math.exp(a1) * (u / (1 - u)) ** a2, 9);
    expect(a2).toBeLessThan(1);
    expect(d.mean).toBeCloseTo(lower + (Math.exp(a1) * Math.PI * a2) / Math.sin(Math.PI * a2), 8);
  });

  it('bounded below with a tail too heavy for a mean (a2 ≥ 1): the static value is the median', () => {
    // through (1, 0.5) and (10, 0.9) above 0: a2 = ln 10 / ln 9 > 1
    const d = make(metalogSpec([1, 10], [0.5, 0.9], 2, 0));
    expect(d.staticValue).toBeCloseTo(1, 12);
  });
});

describe('refusals', () => {
  it.each<[string, DistributionSpec, string]>([
    ['a quantile that turns back', metalogSpec([10, 11, 20, 21], [0.1, 0.5, 0.6, 0.95]), 'not increasing'],
    ['more terms than points', metalogSpec(X, P, 5), 'must not exceed'],
    ['one term', metalogSpec(X, P, 1), 'terms'],
    ['a probability of 1', metalogSpec([1, 2], [0.5, 1]), 'strictly between 0 and 1'],
    ['a repeated probability', metalogSpec([1, 2], [0.5, 0.5]), 'distinct'],
    ['a point on its bound', metalogSpec([0, 2], [0.5, 0.7], 2, 0), 'within the bounds'],
    ['bounds out of order', metalogSpec([1, 2], [0.5, 0.7], 2, 5, 3), 'lower bound'],
    [
      'x and p of different lengths',
      { type: 'metalog', params: [2], points: { x: [1, 2, 3], y: [0.2, 0.5] } },
      'same length',
    ],
  ])('%s', (_, spec, message) => {
    expect(createDistribution(spec)).toEqual(
      expect.objectContaining({ error: expect.stringContaining(message) }),
    );
  });

  it('shows #NUM! for an infeasible fit and #VALUE! for invalid arguments', () => {
    const column = (values: number[]) => new Matrix(values.length, 1, values);
    const call = (xs: number[], ps: number[], ...rest: (number | null)[]) =>
      staticDistributionValue('MC.METALOG', [column(xs), column(ps), ...rest], []);
    expect(call([10, 11, 20, 21], [0.1, 0.5, 0.6, 0.95])).toBe(Errors.NUM);
    expect(call([1, 2], [0.5, 0.7], 3)).toBe(Errors.VALUE);
    expect(call([10, 20], [0.1, 0.9])).toBeCloseTo(15, 12);
    expect(call([10, 20], [0.1, 0.9], null, 0)).toBeGreaterThan(0);
  });
});

describe('sampled', () => {
  const a2 = 10 / (2 * logit(0.9)); // the two-point symmetric metalog: logistic(15, a2)
  const cases: Case[] = EXACT.map(([label, spec]) => ({
    label: `MC.METALOG ${label}`,
    spec,
    points: (spec.points?.x ?? []).map((x, i): [number, number] => [x, spec.points?.y[i] ?? 0]),
    staticValue: make(spec).staticValue,
  }));
  cases.push({
    label: 'MC.METALOG({10, 20}, {0.1, 0.9}): logistic(15, 10/(2 ln 9))',
    spec: metalogSpec([10, 20], [0.1, 0.9]),
    mean: 15,
    sd: (Math.PI * a2) / Math.sqrt(3),
    points: [
      [10, 0.1],
      [15, 0.5],
      [20, 0.9],
    ],
    staticValue: 15,
  });
  describeSampledMoments(cases);
});

describe('in formulas and as a custom function', () => {
  const model: WorkbookModel = {
    version: 1,
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=MC.METALOG({10,20},{0.1,0.9})' },
          A2: { formula: '=MC.METALOG({10,14,20,30},{0.1,0.4,0.7,0.95},,0,50)' },
        },
      },
    ],
    names: [],
  };

  it('shows the mean outside a simulation', () => {
    const { cells } = recalculate(model);
    expect(cells.get('Sheet1!A1')).toBeCloseTo(15, 12);
    expect(cells.get('Sheet1!A2')).toBeCloseTo(make(metalogSpec(X, P, undefined, 0, 50)).mean, 12);
  });

  it.each(['monte_carlo', 'latin_hypercube'] as const)(
    'samples the points’ probabilities (%s)',
    async (sampling) => {
      const n = 20_000;
      const result = await simulate(model, { targets: ['A2'], iterations: n, seed: 5, sampling });
      const values = Array.from(result.outputs[0].values);
      expect(Math.min(...values)).toBeGreaterThan(0);
      expect(Math.max(...values)).toBeLessThan(50);
      X.forEach((x, i) => {
        const below = values.filter((v) => v <= x).length / n;
        expect(Math.abs(below - P[i])).toBeLessThan(5 * Math.sqrt((P[i] * (1 - P[i])) / n));
      });
    },
  );

  it('MC.METALOG in the grid: the mean, omitted arguments read as absent', () => {
    expect(metalogCustomFunction([[10], [20]], [[0.1], [0.9]])).toBeCloseTo(15, 12);
    const nothing = null as unknown as undefined; // what Excel passes for an omitted argument
    expect(metalogCustomFunction([[10, 14, 20, 30]], [[0.1, 0.4, 0.7, 0.95]], nothing, 0, 50)).toBeCloseTo(
      make(metalogSpec(X, P, undefined, 0, 50)).mean,
      12,
    );
  });
});
