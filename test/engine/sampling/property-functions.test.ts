import { generateCudaKernel } from '../../../server/engine/backends/cuda/codegen';
import { EngineError } from '../../../server/engine/errors';
import { recalculate } from '../../../server/engine/recalc';
import { simulateOnThreads } from '../../../server/engine/runtime/threaded-run';
import { uniform } from '../../../server/engine/sampling/philox';
import { compile, simulate } from '../../../server/engine/simulate';
import { spearman } from '../../../server/engine/statistics/ranks';
import { describeResults } from '../../../server/engine/statistics/results';
import { createDistribution, type Distribution } from '../../../shared/distributions/distribution';
import { type CellModel, SimulationResults, type WorkbookModel } from '../../../shared/model';

const book = (cells: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Sheet1', cells }],
  names: [],
});

const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

const distribution = (spec: Parameters<typeof createDistribution>[0]): Distribution => {
  const d = createDistribution(spec);
  if ('error' in d) throw new Error(d.error);
  return d;
};

describe('RiskStatic', () => {
  const model = book({
    A1: { formula: '=RiskNormal(100,10,RiskStatic(5))' },
    A2: { formula: '=A1*2' },
    A3: { formula: '=RiskNormal(100,10)' },
  });

  it('is the value shown outside a simulation, and what the cells that use it compute', () => {
    const { cells } = recalculate(model);
    expect(cells.get('Sheet1!A1')).toBe(5);
    expect(cells.get('Sheet1!A2')).toBe(10);
    expect(cells.get('Sheet1!A3')).toBe(100);
  });

  it('leaves the sampling alone: the trials are the distribution’s', async () => {
    const result = await simulate(model, { targets: ['A1'], iterations: 20_000, seed: 3 });
    const values = result.outputs[0].values;
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    // N(100, 10): the mean of 20,000 draws is within 4 standard errors of 100.
    expect(Math.abs(mean - 100)).toBeLessThan((4 * 10) / Math.sqrt(20_000));
  });
});

describe('descriptive properties: RiskUnits, RiskCategory, RiskIsDate, RiskIsDiscrete, RiskCollect', () => {
  const described = book({
    A1: {
      formula:
        '=RiskNormal(100,10,RiskUnits("$"),RiskCategory("c"),RiskIsDate(TRUE),RiskIsDiscrete(TRUE),RiskCollect())',
    },
  });
  const plain = book({ A1: { formula: '=RiskNormal(100,10)' } });

  it('are accepted and kept on the input', () => {
    const { program } = compile(described, { targets: ['A1'] });
    expect(program.inputs).toHaveLength(1);
    expect(program.inputs[0].properties).toEqual({
      units: '$',
      category: 'c',
      isDate: true,
      isDiscrete: true,
      collect: true,
    });
    expect(recalculate(described).cells.get('Sheet1!A1')).toBe(100);
  });

  it('are kept as metadata in the results, beside the input’s sensitivity', async () => {
    const withOutput = book({
      A1: described.sheets[0].cells.A1,
      A2: { formula: '=RiskNormal(5,1)' },
      B1: { formula: '=RiskOutput()+A1+A2' },
    });
    const results = SimulationResults.parse(
      await describeResults(await simulate(withOutput, { targets: ['B1'], iterations: 2_000, seed: 4 }), {
        engine_used: 'cpu',
      }),
    );
    const byInput = Object.fromEntries(results.sensitivity['Sheet1!B1'].map((s) => [s.input, s.metadata]));
    expect(byInput).toEqual({
      'Sheet1!A1 RISKNORMAL': { units: '$', category: 'c', is_date: true, is_discrete: true },
      'Sheet1!A2 RISKNORMAL': undefined,
    });
  });

  it('change no sample', async () => {
    const request = { targets: ['A1'], iterations: 5_000, seed: 4 };
    const a = await simulate(described, request);
    const b = await simulate(plain, request);
    expect(same(a.outputs[0].values, b.outputs[0].values)).toBe(true);
  });
});

describe('RiskLock', () => {
  it('holds the input at its static value in every trial', async () => {
    const model = book({
      A1: { formula: '=RiskNormal(100,10,RiskStatic(5),RiskLock())' },
      A2: { formula: '=RiskNormal(100,10,RiskLock())' },
      // Binomial(10, 0.35): mean 3.5, halfway between 3 and 4; the static value is the lower one.
      A3: { formula: '=RiskBinomial(10,0.35,RiskLock())' },
    });
    const result = await simulate(model, { targets: ['A1', 'A2', 'A3'], iterations: 1_000, seed: 2 });
    const [a1, a2, a3] = result.outputs.map((o) => o.values);
    expect(a1.every((x) => x === 5)).toBe(true);
    expect(a2.every((x) => x === 100)).toBe(true);
    expect(a3.every((x) => x === 3)).toBe(true);
  });
});

describe('RiskSeed', () => {
  const model = book({
    A1: { formula: '=RiskNormal(100,10,RiskSeed(42))' },
    A2: { formula: '=RiskNormal(100,10)' },
    A3: { formula: '=RiskUniform(0,1,RiskSeed(1,42))' },
  });
  const targets = ['A1', 'A2', 'A3'];

  it('draws the input from its own seed: the same samples whatever the simulation’s seed', async () => {
    const one = await simulate(model, { targets, iterations: 3_000, seed: 1 });
    const two = await simulate(model, { targets, iterations: 3_000, seed: 2 });
    expect(same(one.outputs[0].values, two.outputs[0].values)).toBe(true);
    expect(same(one.outputs[1].values, two.outputs[1].values)).toBe(false);
    // The input's draw at trial t is its distribution's quantile of the Philox uniform keyed by its seed.
    const normal = distribution({ type: 'normal', params: [100, 10] });
    const expected = Float64Array.from({ length: 3_000 }, (_, t) => normal.inverseCdf(uniform(42, 0, t)));
    expect(same(one.outputs[0].values, expected)).toBe(true);
    // RiskSeed(generator type, seed), as @RISK writes it: the same stream (Montecell has one generator).
    const uniforms = Float64Array.from({ length: 3_000 }, (_, t) => uniform(42, 0, t));
    expect(same(one.outputs[2].values, uniforms)).toBe(true);
  });

  it('keeps Latin hypercube samples the same whatever the simulation’s seed', async () => {
    const lhs = { targets, iterations: 2_000, sampling: 'latin_hypercube' as const };
    const one = await simulate(model, { ...lhs, seed: 1 });
    const two = await simulate(model, { ...lhs, seed: 9 });
    expect(same(one.outputs[0].values, two.outputs[0].values)).toBe(true);
    // Stratified: one sample of A3 (a uniform) in each of the 2,000 equal intervals of (0, 1).
    const strata = new Set(Array.from(one.outputs[2].values, (u) => Math.floor(u * 2_000)));
    expect(strata.size).toBe(2_000);
  });

  it('gives bit-identical results whatever the threads and chunks', async () => {
    const request = { targets, iterations: 30_011, seed: 5 };
    const single = await simulate(model, request, { chunkSize: 7_001 });
    const threaded = await simulateOnThreads(model, request, { threads: 2 });
    for (const j of [0, 1, 2]) expect(same(threaded.samples[j], single.outputs[j].values)).toBe(true);
  });

  it('is refused by the CUDA generator (its kernel keys every draw by the run’s seed), so auto runs on the CPU', () => {
    const generated = generateCudaKernel(compile(model, { targets }).program);
    expect('unsupported' in generated && generated.unsupported.message).toMatch(/own seed \(RiskSeed\)/);
  });

  it('refuses a seed that is not a whole number from 1 to 2,147,483,647', () => {
    const bad = book({ A1: { formula: '=RiskNormal(100,10,RiskSeed(0))' } });
    expect(() => compile(bad, { targets: ['A1'] })).toThrow(EngineError);
  });
});

describe('RiskCorrmat', () => {
  const matrix = (cells: Record<string, number>) =>
    Object.fromEntries(Object.entries(cells).map(([k, value]) => [k, { value }]));

  it('keeps one group per instance of the same matrix', async () => {
    const model = book({
      A1: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:E2,1,"a"))' },
      A2: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:E2,2,"a"))' },
      A3: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:E2,1,"b"))' },
      A4: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:E2,2,"b"))' },
      ...matrix({ D1: 1, E1: 0.8, D2: 0.8, E2: 1 }),
    });
    const targets = ['A1', 'A2', 'A3', 'A4'];
    const { program } = compile(model, { targets });
    expect(program.correlations.map((g) => g.inputs)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const result = await simulate(model, { targets, iterations: 20_000, seed: 4 });
    const [a1, a2, a3, a4] = result.outputs.map((o) => o.values);
    expect(Math.abs(spearman(a1, a2) - 0.8)).toBeLessThan(0.03);
    expect(Math.abs(spearman(a3, a4) - 0.8)).toBeLessThan(0.03);
    expect(Math.abs(spearman(a1, a3))).toBeLessThan(0.03);
  });

  it.each([
    ['lower', { D1: 1, D2: 0.6, E2: 1, D3: -0.3, E3: 0.2, F3: 1 }],
    ['upper', { D1: 1, E1: 0.6, F1: -0.3, E2: 1, F2: 0.2, F3: 1 }],
  ])('takes a %s-triangular matrix, the other half blank', (_, written) => {
    const model = book({
      A1: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,1))' },
      A2: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,2))' },
      A3: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,3))' },
      ...matrix(written),
    });
    const { program } = compile(model, { targets: ['A1', 'A2', 'A3'] });
    expect(program.correlations[0].matrix).toEqual([
      [1, 0.6, -0.3],
      [0.6, 1, 0.2],
      [-0.3, 0.2, 1],
    ]);
  });

  it('refuses a matrix with an entry blank in both halves', () => {
    const model = book({
      A1: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:E2,1))' },
      A2: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:E2,2))' },
      ...matrix({ D1: 1, E2: 1 }),
    });
    expect(() => compile(model, { targets: ['A1', 'A2'] })).toThrow(/both blank/);
  });

  it('adjusts an inconsistent matrix and reports it as a warning, in the compiled model and the results', async () => {
    // ρ12 = ρ23 = 0.9 with ρ13 = -0.9 is impossible: its determinant is 1 - 3(0.81) - 2(0.729) < 0.
    const model = book({
      A1: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,1))' },
      A2: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,2))' },
      A3: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,3))' },
      ...matrix({ D1: 1, E1: 0.9, F1: -0.9, D2: 0.9, E2: 1, F2: 0.9, D3: -0.9, E3: 0.9, F3: 1 }),
    });
    const targets = ['A1', 'A2', 'A3'];
    const { warnings } = compile(model, { targets });
    expect(warnings).toEqual([
      expect.stringMatching(/^RiskCorrmat of Sheet1!A1: .*not positive semi-definite/),
    ]);
    const results = await describeResults(await simulate(model, { targets, iterations: 2_000, seed: 1 }), {
      engine_used: 'cpu',
    });
    expect(SimulationResults.parse(results)).toEqual(results);
    expect(results.warnings).toEqual(warnings);
    const consistent = await describeResults(
      await simulate(book({ A1: { formula: '=RiskNormal(0,1)' } }), {
        targets: ['A1'],
        iterations: 10,
        seed: 1,
      }),
      { engine_used: 'cpu' },
    );
    expect(consistent.warnings).toBeUndefined();
  });
});
