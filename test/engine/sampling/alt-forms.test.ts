/**
 * @RISK's Alt forms (RiskNormalAlt("5%", 10, "95%", 20), …): each resolves to the plain distribution
 * whose stated percentiles and parameters are the given ones, exactly and by sampling (Monte Carlo and
 * Latin hypercube), in formulas (recalc and simulate, constant and per-trial arguments), and refuses
 * what no member of its family can meet.
 */
import { staticDistributionValue } from '../../../server/engine/evaluate/distribution-calls';
import { recalculate } from '../../../server/engine/recalc';
import { simulate } from '../../../server/engine/simulate';
import { Errors } from '../../../server/engine/values/value';
import { specFromAltArguments } from '../../../shared/distributions/alt-forms';
import type { DistributionSpec } from '../../../shared/distributions/distribution';
import { isSupportedFunction } from '../../../shared/functions/supported';
import type { WorkbookModel } from '../../../shared/model';
import { type Case, describeSampledMoments } from './catalogue-cases';
import { makeDistribution as make } from './make-distribution';

/** Φ⁻¹(0.95), from the tables. */
const Z95 = 1.6448536269514722;

function alt(name: string, args: (number | string)[]): DistributionSpec {
  const spec = specFromAltArguments(name, args);
  if ('error' in spec) throw new Error(spec.error);
  return spec;
}

/** The percentiles an Alt call states: [probability (ascending), value]. */
function statedPercentiles(args: (number | string)[], descending = false): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < args.length; i += 2) {
    const type = args[i];
    const p =
      typeof type === 'number' ? type : type.endsWith('%') ? Number(type.slice(0, -1)) / 100 : undefined;
    if (p !== undefined) out.push([descending ? 1 - p : p, args[i + 1] as number]);
  }
  return out;
}

/** Each family, by percentiles only and mixed with its parameters (checked where they name a spec parameter). */
const CALLS: [string, (number | string)[], Record<string, number>][] = [
  ['RiskNormalAlt', ['5%', 10, '95%', 20], {}],
  ['RiskNormalAlt', ['mu', 10, 0.9, 14], { 0: 10 }],
  ['RiskNormalAlt', [0.2, 8, 'sigma', 3], { 1: 3 }],
  ['RiskLognormAlt', [0.05, 5, 0.95, 30], {}],
  ['RiskLognormAlt', ['mu', 10, 0.9, 15], { 0: 10 }],
  ['RiskLognormAlt', [0.05, 5, 0.5, 9, 0.95, 30], {}],
  ['RiskTriangAlt', ['min', 0, 'm. likely', 5, '95%', 20], { 0: 0, 1: 5 }],
  ['RiskTriangAlt', [0.1, 2, 0.5, 5, 0.9, 9], {}],
  ['RiskTriangAlt', ['min', 1, 0.5, 5, 'max', 12], { 0: 1, 2: 12 }],
  ['RiskPertAlt', [0.1, 2, 0.5, 5, 0.9, 9], {}],
  ['RiskPertAlt', ['min', 0, 'M. Likely', 3, 0.95, 8], { 0: 0, 1: 3 }],
  ['RiskUniformAlt', [0.1, 0, 'max', 20], { 1: 20 }],
  ['RiskUniformAlt', ['10%', 3, '90%', 7], {}],
  ['RiskLogisticAlt', [0.25, 4, 0.75, 9], {}],
  ['RiskLaplaceAlt', ['mu', 1, 0.9, 4], { 0: 1 }],
  ['RiskExtValueAlt', [0.1, 2, 0.9, 11], {}],
  ['RiskExtValueMinAlt', [0.1, 2, 0.9, 11], {}],
  ['RiskWeibullAlt', [0.1, 1, 0.9, 5], {}],
  ['RiskWeibullAlt', ['alpha', 2, 0.5, 3], { 0: 2 }],
  ['RiskWeibullAlt', [0.1, 1, 0.5, 3, 0.9, 5], {}],
  ['RiskWeibullAlt', [0.1, 1, 0.9, 5, 'loc', 0.5], { shift: 0.5 }],
  ['RiskGammaAlt', [0.1, 1, 0.9, 5], {}],
  ['RiskGammaAlt', ['beta', 2, 0.5, 3], { 1: 2 }],
  ['RiskExponAlt', [0.5, 3], {}],
  ['RiskExponAlt', [0.25, 3, 0.75, 7], {}],
  ['RiskBetaGeneralAlt', [0.05, -3, 0.25, 2, 0.75, 12, 0.95, 16], {}],
  ['RiskBetaGeneralAlt', ['min', 0, 'max', 10, 0.25, 2, 0.75, 5], { 2: 0, 3: 10 }],
  ['RiskBetaGeneralAlt', ['alpha1', 2, 'alpha2', 3, 0.1, 1, 0.9, 6], { 0: 2, 1: 3 }],
  ['RiskLogLogisticAlt', [0.05, 3, 0.5, 5, 0.95, 12], {}],
  ['RiskLogLogisticAlt', ['gamma', 0, 'alpha', 4, 0.5, 3], { 0: 0, 2: 4 }],
  ['RiskStudentAlt', [0.95, 2.5], {}],
  ['RiskStudentAlt', [0.05, 1, 'loc', 3.5], { shift: 3.5 }],
  ['RiskStudentAlt', [0.05, 1, 0.95, 6], {}],
  ['RiskCauchyAlt', [0.25, 1, 0.75, 3], {}],
  ['RiskHypSecantAlt', [0.25, 1, 0.75, 3], {}],
  ['RiskNormalAltD', [0.95, 10, 0.05, 20], {}],
  ['RiskRayleighAlt', [0.5, 3], {}],
  ['RiskRayleighAlt', [0.1, 2, 0.9, 6], {}],
  ['RiskLevyAlt', [0.25, 1.5, 0.75, 8], {}],
  ['RiskLevyAlt', ['a', 0, 0.5, 4], { 0: 0 }],
  ['RiskFrechetAlt', [0.05, 3, 0.5, 5, 0.95, 14], {}],
  ['RiskFrechetAlt', ['gamma', 0, 'alpha', 3, 0.5, 2], { 0: 0, 2: 3 }],
  ['RiskFatigueLifeAlt', ['gamma', 0, 0.1, 1, 0.9, 4], { 0: 0 }],
  ['RiskDagumAlt', ['gamma', 0, 'alpha2', 1.5, 0.1, 1, 0.9, 5], { 0: 0, 3: 1.5 }],
  ['RiskBurr12Alt', ['gamma', 0, 'alpha2', 2, 0.1, 1, 0.9, 4], { 0: 0, 3: 2 }],
  ['RiskJohnsonSUAlt', ['alpha1', 0.5, 'alpha2', 2, 0.25, 1, 0.75, 4], { 0: 0.5, 1: 2 }],
  ['RiskParetoAlt', ['theta', 3, 0.5, 2], { 0: 3 }],
  ['RiskParetoAlt', [0.1, 1.2, 0.9, 4], {}],
  ['RiskPareto2Alt', [0.1, 0.5, 0.5, 2, 0.9, 9], {}],
  ['RiskPearson5Alt', [0.1, 1, 0.9, 5], {}],
  ['RiskPearson6Alt', ['alpha1', 3, 0.1, 0.5, 0.5, 1.5, 0.9, 5], { 1: 3 }],
  ['RiskKumaraswamyAlt', ['min', 0, 'max', 10, 0.25, 3, 0.75, 6], { 2: 0, 3: 10 }],
  // without a scale: the shapes alone meet the percentiles
  ['RiskBetaAlt', [0.05, 0.1, 0.95, 0.6], {}],
  ['RiskBetaAlt', ['alpha1', 2, 0.5, 0.3], { 0: 2 }],
  ['RiskBetaAlt', ['alpha1', 2, 'alpha2', 5], { 0: 2, 1: 5 }],
  ['RiskBetaAltD', [0.9, 0.2, 0.1, 0.7], {}],
  ['RiskJohnsonSBAlt', ['a', 0, 'b', 10, 0.25, 3, 0.75, 6], { 2: 0, 3: 10 }],
  ['RiskJohnsonSBAlt', ['alpha1', 0.5, 'alpha2', 1.5, 0.1, 2, 0.9, 8], { 0: 0.5, 1: 1.5 }],
  ['RiskInvGaussAlt', [0.1, 1, 0.9, 5], {}],
  ['RiskInvGaussAlt', ['mu', 3, 0.9, 5], { 0: 3 }],
  ['RiskInvGaussAlt', ['mu', 2, 'lambda', 6], { 0: 2, 1: 6 }],
];

describe('the resolved distribution hits the stated percentiles and parameters', () => {
  it.each(CALLS)('%s(%j)', (name, args, params) => {
    const spec = alt(name, args);
    const d = make(spec);
    for (const [p, x] of statedPercentiles(args, name.endsWith('D'))) {
      expect(Math.abs(d.inverseCdf(p) - x)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
      expect(Math.abs(d.cdf(x) - p)).toBeLessThanOrEqual(1e-9);
    }
    for (const [key, value] of Object.entries(params)) {
      const actual = key === 'shift' ? spec.shift : spec.params[Number(key)];
      expect(Math.abs((actual ?? 0) - value)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(value)));
    }
  });

  it('RiskNormalAlt(5%, 10, 95%, 20) is Normal((10 + 20)/2, (20 - 10)/(2 Φ⁻¹(0.95)))', () => {
    const [mu, sigma] = alt('RiskNormalAlt', [0.05, 10, 0.95, 20]).params;
    expect(mu).toBeCloseTo(15, 12);
    expect(sigma).toBeCloseTo(10 / (2 * Z95), 12);
  });

  it('RiskUniformAlt follows the knowledge base formulas min = (x1 C2 - x2 C1)/(C2 - C1), max = min + (x2 - x1)/(C2 - C1)', () => {
    const [min, max] = alt('RiskUniformAlt', [0.2, 3, 0.7, 8]).params;
    const expectedMin = (3 * 0.7 - 8 * 0.2) / 0.5;
    expect(min).toBeCloseTo(expectedMin, 12);
    expect(max).toBeCloseTo(expectedMin + 5 / 0.5, 12);
  });

  it('RiskTriangAlt("min", 0, "m. likely", 5, "95%", 20) has max 25: 1 - (b-20)²/(b(b-5)) = 0.95', () => {
    // 0.95 b² - 39.75 b + 400 = 0: b = (39.75 ± 7.75) / 1.9, and only 25 exceeds 20
    expect(alt('RiskTriangAlt', ['min', 0, 'm. likely', 5, '95%', 20]).params[2]).toBeCloseTo(25, 12);
  });

  it("RiskBetaGeneralAlt(5%, -3, 25%, 2, 75%, 12, 95%, 16) gives @RISK's own parameters (its knowledge base, to 6 decimals)", () => {
    const [a1, a2, min, max] = alt('RiskBetaGeneralAlt', [0.05, -3, 0.25, 2, 0.75, 12, 0.95, 16]).params;
    expect(a1).toBeCloseTo(1.295682, 6);
    expect(a2).toBeCloseTo(1.121222, 6);
    expect(min).toBeCloseTo(-4.990886, 6);
    expect(max).toBeCloseTo(17.204968, 6);
  });
});

describe('refusals', () => {
  it.each<[string, (number | string)[], string]>([
    ['RiskNormalAlt', [0.95, 10, 0.05, 20], 'no distribution'], // the 95th percentile below the 5th
    ['RiskTriangAlt', [0.1, 0, 0.5, 5, 0.9, 20], 'no distribution'], // more skewed than any triangle
    ['RiskTriangAlt', ['min', 1, 0.5, 4, 'max', 12], 'no distribution'], // the median is at least 1 + 11(1 - √½)
    ['RiskExponAlt', ['loc', 5, 0.5, 3], 'no distribution'], // a median below the minimum
    ['RiskNormalAlt', ['mean', 10, 0.9, 14], 'unknown argument type'],
    ['RiskNormalAlt', [0.05, 10], 'expects 2'],
    ['RiskNormalAlt', ['loc', 1, 0.05, 10, 0.95, 20], 'expects 2'],
    ['RiskNormalAlt', [0.05, 10, '5%', 20], 'given twice'],
    ['RiskNormalAlt', ['mu', 10, 'MU', 20], 'given twice'],
    ['RiskNormalAlt', [1.5, 10, 0.9, 20], 'strictly between 0 and 1'],
    ['RiskNormalAlt', [0, 10, 0.9, 20], 'strictly between 0 and 1'],
    ['RiskGammaAlt', ['alpha', -1, 0.5, 3], 'no distribution'],
    ['RiskBetaAlt', [0.05, 0.2, 0.95, 1.4], 'no distribution'], // a Beta lies within [0, 1]
    ['RiskBetaAlt', [0.05, 0.2, 'loc', 0.1], 'unknown argument type "loc"'], // no "loc" for the Beta
  ])('%s(%j)', (name, args, message) => {
    expect(specFromAltArguments(name, args)).toEqual({ error: expect.stringContaining(message) });
  });

  it('shows #VALUE! in a cell', () => {
    expect(staticDistributionValue('RISKNORMALALT', ['5%', 20, '95%', 10], [])).toBe(Errors.VALUE);
    expect(staticDistributionValue('RISKNORMALALT', ['5%', 10, 'x', 10], [])).toBe(Errors.VALUE);
  });
});

describe('sampled', () => {
  const cases: Case[] = CALLS.filter(([name]) => !/Cauchy|Student/.test(name)).map(([name, args]) => {
    const points = statedPercentiles(args, name.endsWith('D')).map(([p, x]): [number, number] => [x, p]);
    const spec = alt(name, args);
    return { label: `${name}(${JSON.stringify(args)})`, spec, points, staticValue: make(spec).staticValue };
  });
  describeSampledMoments(cases);
});

describe('in formulas', () => {
  const model: WorkbookModel = {
    version: 1,
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskNormalAlt("5%",10,"95%",20)' },
          A2: { formula: '=RiskTriangAlt("min",0,"m. likely",5,95%,20)' },
          A3: { formula: '=RiskExponAlt(50%,3,"loc",1,RiskShift(2))' },
          B1: { formula: '=RiskUniform(0,10)' },
          B2: { formula: '=RiskNormalAlt(5%,B1,95%,B1+10)-B1' },
        },
      },
    ],
    names: [],
  };

  it('is a supported random function', () => {
    expect(isSupportedFunction('RISKNORMALALT')).toBe(true);
    expect(isSupportedFunction('RISKBETAGENERALALTD')).toBe(true);
  });

  it('shows the resolved distribution’s static value', () => {
    const { cells } = recalculate(model);
    expect(cells.get('Sheet1!A1')).toBeCloseTo(15, 12);
    expect(cells.get('Sheet1!A2')).toBeCloseTo((0 + 5 + 25) / 3, 12);
    // the median 3 above loc 1 is an exponential of mean 2/ln 2, shifted by loc 1 and RiskShift 2
    expect(cells.get('Sheet1!A3')).toBeCloseTo(3 + 2 / Math.LN2, 12);
  });

  // B2 resolves its Alt in every trial (its arguments are random): B2 is Normal(5, 10 / (2 Φ⁻¹(0.95))).
  it.each(['monte_carlo', 'latin_hypercube'] as const)('samples them (%s)', async (sampling) => {
    const n = 20_000;
    const result = await simulate(model, { targets: ['A1', 'A2', 'B2'], iterations: n, seed: 11, sampling });
    const [normal, triang, perTrial] = result.outputs.map((o) => Array.from(o.values));
    const below = (values: number[], x: number) => values.filter((v) => v <= x).length / n;
    const tolerance = 5 * Math.sqrt((0.05 * 0.95) / n);
    expect(Math.abs(below(normal, 10) - 0.05)).toBeLessThan(tolerance);
    expect(Math.abs(below(normal, 20) - 0.95)).toBeLessThan(tolerance);
    expect(Math.abs(below(triang, 20) - 0.95)).toBeLessThan(tolerance);
    expect(Math.min(...triang)).toBeGreaterThanOrEqual(0);
    const sd = 10 / (2 * Z95);
    const mean = perTrial.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mean - 5)).toBeLessThan((5 * sd) / Math.sqrt(n));
    expect(Math.abs(below(perTrial, 0) - 0.05)).toBeLessThan(tolerance);
  });
});
