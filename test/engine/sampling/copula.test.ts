/**
 * RiskCopula: inputs attached to one copula take their joint uniforms from it, and each its own exact
 * quantile. Expected dependence is each family's Kendall's tau for its parameter, and its tail
 * dependence from the copula's closed form, both computed here; marginals from their closed forms.
 */
import { generateCudaKernel } from '../../../server/engine/backends/cuda/codegen';
import { translateProgram } from '../../../server/engine/backends/tfjs/translate';
import { BackendUnsupported } from '../../../server/engine/compile/backend-unsupported';
import { simulateOnThreads } from '../../../server/engine/runtime/threaded-run';
import { compile, simulate } from '../../../server/engine/simulate';
import type { CellModel, WorkbookModel } from '../../../shared/model';

const book = (cells: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Sheet1', cells }],
  names: [],
});

const values = (cells: Record<string, number | string>) =>
  Object.fromEntries(Object.entries(cells).map(([k, value]) => [k, { value }]));

const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

/** Kendall's tau of two samples without ties: (concordant − discordant) / pairs. */
function kendallTau(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) s += Math.sign((x[i] - x[j]) * (y[i] - y[j]));
  return s / ((x.length * (x.length - 1)) / 2);
}

/** Debye function D1(θ) = (1/θ)∫₀^θ t/(eᵗ − 1) dt by Simpson's rule (the integrand → 1 at 0). */
function debye1(theta: number): number {
  const f = (t: number) => (t === 0 ? 1 : t / Math.expm1(t));
  const steps = 2000;
  const h = theta / steps;
  let sum = f(0) + f(theta);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (sum * h) / 3 / theta;
}

const ellipticalTau = (rho: number) => (2 / Math.PI) * Math.asin(rho);
const claytonTau = (theta: number) => theta / (theta + 2);
const gumbelTau = (theta: number) => 1 - 1 / theta;
const frankTau = (theta: number) => 1 - 4 / theta + (4 * debye1(theta)) / theta;

/** Uniform(0, 10), Exponential(mean 3) and Uniform(0, 1) attached at positions 1, 2, 3 of D1:G4. */
function attached(definition: Record<string, number | string>, dimension = 2, instance = '') {
  const suffix = instance === '' ? '' : `,"${instance}"`;
  const marginals = ['RiskUniform(0,10', 'RiskExpon(3', 'RiskUniform(0,1'];
  const cells: Record<string, CellModel> = values(definition);
  for (let i = 0; i < dimension; i++)
    cells[`A${i + 1}`] = { formula: `=${marginals[i]},RiskCopula(D1:G4,${i + 1}${suffix}))` };
  return { model: book(cells), targets: marginals.slice(0, dimension).map((_, i) => `A${i + 1}`) };
}

/** The samples as the copula's uniforms: each marginal's own cdf. */
const toUniform = [(x: number) => x / 10, (x: number) => -Math.expm1(-x / 3), (x: number) => x];

async function run(definition: Record<string, number | string>, dimension = 2, iterations = 5_000) {
  const { model, targets } = attached(definition, dimension);
  const result = await simulate(model, { targets, iterations, seed: 11 });
  return result.outputs.map((o) => o.values);
}

// Kendall's tau of 5,000 pairs has a standard error below 0.01; 0.03 is over three of them.
const TAU_TOLERANCE = 0.03;

describe('RiskCopula: each family reaches its Kendall tau', () => {
  const matrix = { D2: 1, E2: 0.7, D3: 0.7, E3: 1 };
  it.each([
    ['Gaussian ρ = 0.7', { D1: 'Gaussian', ...matrix }, ellipticalTau(0.7)],
    ['t ρ = 0.5, 4 df', { D1: 'T', E1: 4, D2: 1, E2: 0.5, D3: 0.5, E3: 1 }, ellipticalTau(0.5)],
    ['t ρ = -0.6, 2 df', { D1: 'T', E1: 2, D2: 1, D3: -0.6, E3: 1 }, ellipticalTau(-0.6)],
    ['Clayton θ = 2', { D1: 'Clayton', E1: 2 }, claytonTau(2)],
    ['Clayton θ = 0.5', { D1: 'Clayton', E1: 0.5 }, claytonTau(0.5)],
    ['Gumbel θ = 2.5', { D1: 'Gumbel', E1: 2.5 }, gumbelTau(2.5)],
    ['Gumbel θ = 1 (independence)', { D1: 'Gumbel', E1: 1 }, 0],
    ['Frank θ = 5', { D1: 'Frank', E1: 5 }, frankTau(5)],
    ['Frank θ = -4', { D1: 'Frank', E1: -4 }, frankTau(-4)],
    // @RISK's reflections: R keeps the dependence (and moves the tails), RX and RY make it negative
    ['ClaytonR θ = 2', { D1: 'ClaytonR', E1: 2 }, claytonTau(2)],
    ['ClaytonRX θ = 2', { D1: 'ClaytonRX', E1: 2 }, -claytonTau(2)],
    ['ClaytonRY θ = 2', { D1: 'claytonry', E1: 2 }, -claytonTau(2)],
    ['GumbelRX θ = 2.5', { D1: 'GumbelRX', E1: 2.5 }, -gumbelTau(2.5)],
    ['GumbelRY θ = 2.5', { D1: 'GumbelRY', E1: 2.5 }, -gumbelTau(2.5)],
    ['FrankRX θ = 5', { D1: 'FrankRX', E1: 5 }, -frankTau(5)],
  ])('%s, two inputs', async (_, definition, tau) => {
    const [a, b] = await run(definition);
    expect(Math.abs(kendallTau(a, b) - tau)).toBeLessThan(TAU_TOLERANCE);
  });

  it.each([
    [
      'Gaussian, an upper-triangular matrix',
      { D1: 'Gaussian', D2: 1, E2: 0.6, F2: -0.3, E3: 1, F3: 0.2, F4: 1 },
      [ellipticalTau(0.6), ellipticalTau(-0.3), ellipticalTau(0.2)],
    ],
    ['Clayton θ = 3', { D1: 'Clayton', E1: 3 }, [claytonTau(3), claytonTau(3), claytonTau(3)]],
    ['Gumbel θ = 1.5', { D1: 'Gumbel', E1: 1.5 }, [gumbelTau(1.5), gumbelTau(1.5), gumbelTau(1.5)]],
    ['Frank θ = 8 (Marshall–Olkin)', { D1: 'Frank', E1: 8 }, [frankTau(8), frankTau(8), frankTau(8)]],
    ['GumbelR θ = 1.5', { D1: 'GumbelR', E1: 1.5 }, [gumbelTau(1.5), gumbelTau(1.5), gumbelTau(1.5)]],
  ])('%s, three inputs: every pair', async (_, definition, [tau12, tau13, tau23]) => {
    const [a, b, c] = await run(definition, 3, 3_000);
    // 3,000 trials: a standard error below 0.013
    expect(Math.abs(kendallTau(a, b) - tau12)).toBeLessThan(0.04);
    expect(Math.abs(kendallTau(a, c) - tau13)).toBeLessThan(0.04);
    expect(Math.abs(kendallTau(b, c) - tau23)).toBeLessThan(0.04);
  });

  it('computes the Debye function the Frank tau uses (D1 at 0+ is 1; 1 − 4/θ + 4 D1/θ → 1 as θ grows)', () => {
    expect(debye1(1e-6)).toBeCloseTo(1, 6);
    // D1(θ) → π²/(6θ) for large θ
    expect(debye1(60) * 60).toBeCloseTo(Math.PI ** 2 / 6, 6);
    expect(frankTau(1e-4)).toBeCloseTo(0, 4);
  });
});

describe('RiskCopula: what the copula must leave alone or show', () => {
  it('keeps each marginal exact: sample mean and percentiles within 5 standard errors', async () => {
    const n = 20_000;
    const [a, b] = await run({ D1: 'Clayton', E1: 4 }, 2, n);
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    // Uniform(0, 10): mean 5, sd 10/√12, quantile 10p, density 1/10
    expect(Math.abs(mean(a) - 5)).toBeLessThan((5 * 10) / Math.sqrt(12 * n));
    // Exponential(mean 3): mean 3, sd 3, quantile −3 ln(1 − p), density e^(−x/3)/3
    expect(Math.abs(mean(b) - 3)).toBeLessThan((5 * 3) / Math.sqrt(n));
    const sorted = (x: Float64Array) => Float64Array.from(x).sort();
    const [sa, sb] = [sorted(a), sorted(b)];
    for (const p of [0.05, 0.5, 0.95]) {
      const at = (s: Float64Array) => s[Math.floor(p * n)];
      const quantileSe = (density: number) => Math.sqrt((p * (1 - p)) / n) / density;
      expect(Math.abs(at(sa) - 10 * p)).toBeLessThan(5 * quantileSe(0.1));
      const xb = -3 * Math.log1p(-p);
      expect(Math.abs(at(sb) - xb)).toBeLessThan(5 * quantileSe(Math.exp(-xb / 3) / 3));
    }
  });

  /** The share of trials with both uniforms below q (lower) or above 1 − q (upper), over q. */
  const tailRatios = (a: Float64Array, b: Float64Array, q: number) => {
    let lower = 0;
    let upper = 0;
    for (let i = 0; i < a.length; i++) {
      const [u, v] = [toUniform[0](a[i]), toUniform[1](b[i])];
      if (u < q && v < q) lower++;
      if (u > 1 - q && v > 1 - q) upper++;
    }
    return { lower: lower / a.length / q, upper: upper / a.length / q };
  };

  /** P(U < q, V < q)/q and P(U > 1 − q, V > 1 − q)/q of a copula from its diagonal C(t, t). */
  const exactTails = (diagonal: (t: number) => number, q: number) => ({
    lower: diagonal(q) / q,
    upper: (1 - 2 * (1 - q) + diagonal(1 - q)) / q,
  });

  it('shows Clayton’s lower tail dependence (2^(−1/θ)), its upper tail near independence', async () => {
    const q = 0.02;
    const theta = 2;
    const [a, b] = await run({ D1: 'Clayton', E1: theta }, 2, 40_000);
    const sampled = tailRatios(a, b, q);
    // the Clayton copula C(u, v) = (u^−θ + v^−θ − 1)^(−1/θ)
    const exact = exactTails((t) => (2 * t ** -theta - 1) ** (-1 / theta), q);
    expect(Math.abs(exact.lower - 2 ** (-1 / theta))).toBeLessThan(0.01);
    expect(exact.upper).toBeLessThan(0.1);
    // about 570 joint exceedances below: a relative standard error near 4 %
    expect(Math.abs(sampled.lower - exact.lower)).toBeLessThan(0.12);
    expect(Math.abs(sampled.upper - exact.upper)).toBeLessThan(0.06);
  });

  it('ClaytonR moves Clayton’s tail dependence to the upper tail, and RX reflects the first input alone', async () => {
    const q = 0.02;
    const theta = 2;
    const [a, b] = await run({ D1: 'Clayton', E1: theta }, 2, 40_000);
    const [ra, rb] = await run({ D1: 'ClaytonR', E1: theta }, 2, 40_000);
    const plain = tailRatios(a, b, q);
    const flipped = tailRatios(ra, rb, q);
    expect(Math.abs(flipped.upper - plain.lower)).toBeLessThan(0.12);
    expect(Math.abs(flipped.lower - plain.upper)).toBeLessThan(0.06);
    // the same draws, reflected: each trial's uniforms are 1 − the Clayton's
    const [xa, xb] = await run({ D1: 'ClaytonRX', E1: theta }, 2, 40_000);
    for (const i of [0, 1, 2, 39_999]) {
      expect(toUniform[0](xa[i])).toBeCloseTo(1 - toUniform[0](a[i]), 9);
      expect(toUniform[1](xb[i])).toBeCloseTo(toUniform[1](b[i]), 9);
      expect(toUniform[0](ra[i])).toBeCloseTo(1 - toUniform[0](a[i]), 9);
      expect(toUniform[1](rb[i])).toBeCloseTo(1 - toUniform[1](b[i]), 9);
    }
  });

  it('shows Gumbel’s upper tail dependence (2 − 2^(1/θ)), its lower tail vanishing only slowly', async () => {
    const q = 0.02;
    const theta = 2.5;
    const [a, b] = await run({ D1: 'Gumbel', E1: theta }, 2, 40_000);
    const sampled = tailRatios(a, b, q);
    // the Gumbel copula C(u, v) = exp(−((−ln u)^θ + (−ln v)^θ)^(1/θ)); below, C(q, q)/q = q^(2^(1/θ) − 1)
    const exact = exactTails((t) => Math.exp(-((2 * (-Math.log(t)) ** theta) ** (1 / theta))), q);
    expect(Math.abs(exact.upper - (2 - 2 ** (1 / theta)))).toBeLessThan(0.02);
    expect(exact.lower).toBeCloseTo(q ** (2 ** (1 / theta) - 1), 10);
    expect(Math.abs(sampled.upper - exact.upper)).toBeLessThan(0.12);
    expect(Math.abs(sampled.lower - exact.lower)).toBeLessThan(0.08);
  });

  it('gives finite samples of unbounded marginals at extreme parameters', async () => {
    for (const definition of [
      { D1: 'Clayton', E1: 200 },
      { D1: 'Gumbel', E1: 80 },
      { D1: 'Frank', E1: 700 },
      { D1: 'T', E1: 0.5, D2: 1, E2: 0.999, D3: 0.999, E3: 1 },
    ] as Record<string, number | string>[]) {
      const model = book({
        ...values(definition),
        A1: { formula: '=RiskNormal(0,1,RiskCopula(D1:E3,1))' },
        A2: { formula: '=RiskLogistic(0,1,RiskCopula(D1:E3,2))' },
      });
      const result = await simulate(model, { targets: ['A1', 'A2'], iterations: 2_000, seed: 3 });
      for (const output of result.outputs) expect(output.values.every(Number.isFinite)).toBe(true);
    }
  });

  it('gives bit-identical trials however the run is split into ranges or threads', async () => {
    const definitions: Record<string, number | string>[] = [
      { D1: 'T', E1: 3, D2: 1, E2: 0.4, D3: 0.4, E3: 1 },
      { D1: 'Gumbel', E1: 2 },
      { D1: 'Frank', E1: 3 },
    ];
    for (const definition of definitions) {
      const { model, targets } = attached(definition, 2);
      const request = { targets, iterations: 3_000, seed: 5 };
      const whole = await simulate(model, request);
      const split = await simulate(model, request, { chunkSize: 1_234 });
      const threaded = await simulateOnThreads(model, request, { threads: 2 });
      for (const j of [0, 1]) {
        expect(same(whole.outputs[j].values, split.outputs[j].values)).toBe(true);
        expect(same(whole.outputs[j].values, threaded.samples[j])).toBe(true);
      }
    }
  });

  it('draws the copula from plain uniforms under Latin hypercube sampling: the same trials as Monte Carlo', async () => {
    const { model, targets } = attached({ D1: 'Clayton', E1: 2 }, 2);
    const request = { targets, iterations: 1_000, seed: 5 };
    const mc = await simulate(model, request);
    const lhs = await simulate(model, { ...request, sampling: 'latin_hypercube' as const });
    expect(same(mc.outputs[0].values, lhs.outputs[0].values)).toBe(true);
  });

  it('keeps one group per instance, independent of the other', async () => {
    const cells: Record<string, CellModel> = {
      ...values({ D1: 'Clayton', E1: 4 }),
      A1: { formula: '=RiskUniform(0,1,RiskCopula(D1:E1,1,"a"))' },
      A2: { formula: '=RiskUniform(0,1,RiskCopula(D1:E1,2,"a"))' },
      A3: { formula: '=RiskUniform(0,1,RiskCopula(D1:E1,1,"b"))' },
      A4: { formula: '=RiskUniform(0,1,RiskCopula(D1:E1,2,"b"))' },
    };
    const targets = ['A1', 'A2', 'A3', 'A4'];
    const { program } = compile(book(cells), { targets });
    expect(program.copulas.map((g) => g.inputs)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const [a1, a2, a3] = (await simulate(book(cells), { targets, iterations: 3_000, seed: 2 })).outputs.map(
      (o) => o.values,
    );
    expect(Math.abs(kendallTau(a1, a2) - claytonTau(4))).toBeLessThan(0.04);
    expect(Math.abs(kendallTau(a1, a3))).toBeLessThan(0.04);
  });
});

describe('RiskCopula: refusals', () => {
  const refusal = (definition: Record<string, number | string>, dimension = 2) => {
    const { model, targets } = attached(definition, dimension);
    return () => compile(model, { targets });
  };

  it.each([
    ['Clayton θ = 0', { D1: 'Clayton', E1: 0 }, 2, /Clayton copula's theta must be greater than 0, got 0/],
    ['Gumbel θ = 0.5', { D1: 'Gumbel', E1: 0.5 }, 2, /Gumbel copula's theta must be 1 or more, got 0.5/],
    ['Frank θ = 0', { D1: 'Frank', E1: 0 }, 2, /Frank copula's theta must not be 0/],
    ['Frank θ < 0, three inputs', { D1: 'Frank', E1: -2 }, 3, /greater than 0 with more than two inputs/],
    ['no θ', { D1: 'Clayton' }, 2, /theta must be a number/],
    [
      't with 0 degrees of freedom',
      { D1: 'T', E1: 0, D2: 1, E2: 0.5, D3: 0.5, E3: 1 },
      2,
      /degrees of freedom must be positive/,
    ],
    [
      'a correlation above 1',
      { D1: 'Gaussian', D2: 1, E2: 1.5, D3: 1.5, E3: 1 },
      2,
      /must be between -1 and 1/,
    ],
    [
      'a diagonal not 1',
      { D1: 'Gaussian', D2: 0.9, E2: 0.5, D3: 0.5, E3: 1 },
      2,
      /diagonal entry 1 must be 1/,
    ],
    ['an asymmetric matrix', { D1: 'Gaussian', D2: 1, E2: 0.5, D3: 0.2, E3: 1 }, 2, /not symmetric/],
    ['an unknown family', { D1: 'Joe', E1: 2 }, 2, /must name the copula .*got Joe/],
    ['a reflection @RISK does not list', { D1: 'FrankR', E1: 2 }, 2, /must name the copula .*got FrankR/],
    [
      'ClaytonRX over three inputs',
      { D1: 'ClaytonRX', E1: 2 },
      3,
      /reflected on one axis \(RX, RY\) joins two inputs, not 3: with more, only R/,
    ],
  ])('%s', (_, definition, dimension, message) => {
    expect(refusal(definition, dimension)).toThrow(message);
  });

  it('refuses a position beyond a Gaussian matrix, and two inputs at one position', () => {
    const beyond = book({
      ...values({ D1: 'Gaussian', D2: 1, E2: 0.5, D3: 0.5, E3: 1 }),
      A1: { formula: '=RiskNormal(0,1,RiskCopula(D1:E3,3))' },
    });
    expect(() => compile(beyond, { targets: ['A1'] })).toThrow(
      /RiskCopula position must be a whole number from 1 to 2/,
    );
    const twice = book({
      ...values({ D1: 'Clayton', E1: 2 }),
      A1: { formula: '=RiskNormal(0,1,RiskCopula(D1:E1,1))' },
      A2: { formula: '=RiskNormal(0,1,RiskCopula(D1:E1,1))' },
    });
    expect(() => compile(twice, { targets: ['A1', 'A2'] })).toThrow(
      /two inputs use position 1 of the same RiskCopula/,
    );
  });

  it('refuses an input both in a copula and a correlation matrix', () => {
    const model = book({
      ...values({ D1: 'Clayton', E1: 2, F1: 1, G1: 0.5, F2: 0.5, G2: 1 }),
      A1: { formula: '=RiskNormal(0,1,RiskCopula(D1:E1,1),RiskCorrmat(F1:G2,1))' },
      A2: { formula: '=RiskNormal(0,1,RiskCopula(D1:E1,2),RiskCorrmat(F1:G2,2))' },
    });
    expect(() => compile(model, { targets: ['A1', 'A2'] })).toThrow(/in more than one correlation/);
  });

  it('is refused by name on the GPU backends', () => {
    const { model, targets } = attached({ D1: 'Clayton', E1: 2 });
    const compiled = compile(model, { targets });
    const cuda = generateCudaKernel(compiled.program);
    expect('unsupported' in cuda && cuda.unsupported.construct).toBe('RiskCopula');
    expect(() =>
      translateProgram(compiled.program, (ref) => compiled.interpreter.referenceValuesComputed(ref)),
    ).toThrow(BackendUnsupported);
    expect(() =>
      translateProgram(compiled.program, (ref) => compiled.interpreter.referenceValuesComputed(ref)),
    ).toThrow(/does not support RiskCopula \(RiskCopula of Sheet1!A1\)/);
  });
});
