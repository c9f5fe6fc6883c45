/**
 * The tfjs backend against the CPU backend, trial by trial, on the pure-JavaScript @tensorflow/tfjs (the
 * same float32 operations the native builds run, so CI needs no GPU). Samples are identical; values may
 * differ only by float32 rounding, outcomes (numbers, #DIV/0!, #NUM!, #N/A…) not at all.
 */
import { dcfModel, lookupModel } from '../../../bench/models';
import { compareRuns } from '../../../server/engine/backends/tfjs/accuracy';
import { prepareTfjsRun, simulateTfjs } from '../../../server/engine/backends/tfjs/kernel';
import { loadTfjs, type Tf } from '../../../server/engine/backends/tfjs/loader';
import { type EngineRequest, type EngineResult, simulate } from '../../../server/engine/simulate';
import type { WorkbookModel } from '../../../shared/model';
import { book, SMALL_MODELS } from '../../gpu-codegen/models';

let tf: Tf;

beforeAll(async () => {
  const loaded = loadTfjs({ allowPureJs: true, env: {} });
  if (!loaded) throw new Error('@tensorflow/tfjs (a dev dependency) did not load');
  tf = loaded.tf;
  await tf.ready();
});

/**
 * float32 keeps 24 bits (unit roundoff 6e-8). A small model's output goes through at most a few dozen
 * operations, each adding at most one roundoff relative to the values it combines, so its error stays
 * below ~1e-6 of the output's magnitude; 1e-5 leaves a margin of ten. Relative to each trial's own value
 * the error is unbounded where the output cancels to near 0, hence the scale term.
 */
const SMALL_TOLERANCE = 1e-5;

async function both(model: WorkbookModel, targets: string[], request: Partial<EngineRequest> = {}) {
  const full: EngineRequest = { targets, iterations: 3_000, seed: 7, ...request };
  const cpu = await simulate(model, full);
  const tfjs = await simulateTfjs(tf, model, full, {}, { batchSize: 1_024 });
  return { cpu, tfjs };
}

/** Outcomes equal in every trial; numbers within `tolerance` of the CPU's, on the output's own scale. */
function expectAgreement(cpu: EngineResult, tfjs: EngineResult, tolerances: number | number[]): void {
  cpu.outputs.forEach((c, j) => {
    const tolerance = typeof tolerances === 'number' ? tolerances : tolerances[j];
    const g = tfjs.outputs[j];
    expect(g.label).toBe(c.label);
    expect(Array.from(g.outcomes)).toEqual(Array.from(c.outcomes));
    let magnitude = 0;
    let numbers = 0;
    for (let t = 0; t < cpu.iterations; t++)
      if (c.outcomes[t] === 0) {
        magnitude += Math.abs(c.values[t]);
        numbers++;
      }
    const scale = numbers ? magnitude / numbers : 0;
    const worst = { trial: -1, excess: 0 };
    for (let t = 0; t < cpu.iterations; t++) {
      if (c.outcomes[t] !== 0) {
        expect(Number.isNaN(g.values[t])).toBe(true);
        continue;
      }
      const excess = Math.abs(g.values[t] - c.values[t]) - tolerance * (Math.abs(c.values[t]) + scale);
      if (excess > worst.excess) Object.assign(worst, { trial: t, excess });
    }
    if (worst.trial >= 0)
      throw new Error(
        `${c.label} trial ${worst.trial}: tfjs ${g.values[worst.trial]} vs CPU ${c.values[worst.trial]}`,
      );
  });
  // The inputs are sampled on the CPU with the same streams: identical, not merely close.
  tfjs.inputs.forEach((input, k) => {
    expect(Array.from(input.values)).toEqual(Array.from(cpu.inputs[k].values));
  });
}

describe('tfjs backend against the CPU backend', () => {
  const supported = [
    'sumOfNormals',
    'distributions',
    'errorsAndBranches',
    'outcomes',
    'discrete',
    'cashFlows',
  ];
  it.each(supported)('agrees trial by trial on the small model %s', async (name) => {
    const [model, targets] = SMALL_MODELS[name];
    const { cpu, tfjs } = await both(model, targets);
    expectAgreement(cpu, tfjs, SMALL_TOLERANCE);
  });

  it('carries #DIV/0!, #NUM!, booleans, blanks and opaque text per trial as the CPU backend does', async () => {
    const model = book({
      A1: { formula: '=RiskUniform(-2,2)' },
      A2: { formula: '=10/IF(A1>1,0,A1)' },
      A3: { formula: '=LN(A1)+SQRT(A1)' },
      A4: { formula: '=IF(A1>0,A1,"")' },
      A5: { formula: '=MIN(A4,B1:B2)+MAX(A4:A4)+SUM(A4:A4)' },
      A6: { formula: '=IF(A1>1,TRUE,A1)' },
      A7: { formula: '=A6<0.5' },
      A8: { formula: '=IFERROR(A2,B3)' },
      A9: { formula: '=(A1-A1)^(A1-A1)' },
      A10: { formula: '=CHOOSE(1+(A1>0)+(A1>1)+(A1>1.5),A1,A2,A3,A1*2)' },
      A11: { formula: '=IFNA(IF(A1>0,NA(),A1),-7)' },
      A12: { formula: '=A4*2' },
      B1: { value: 5 },
      B2: { value: 'text' },
    });
    const targets = ['A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'A10', 'A11', 'A12'];
    const { cpu, tfjs } = await both(model, targets);
    expectAgreement(cpu, tfjs, SMALL_TOLERANCE);
    const outcomes = new Set(cpu.outputs.flatMap((o) => Object.keys(o.nonNumeric)));
    expect([...outcomes].sort()).toEqual(['#DIV/0!', '#NUM!', '#VALUE!', 'boolean', 'text'].sort());
  });

  it('agrees on lookups: exact and approximate VLOOKUP, INDEX/MATCH, #N/A for missing keys', async () => {
    const model = book({
      A1: { formula: '=RiskIntUniform(0,6)' },
      A2: { formula: '=RiskUniform(-5,40)' },
      A3: { formula: '=VLOOKUP(A1,C1:E5,2,FALSE)' },
      A4: { formula: '=VLOOKUP(A2,F1:G4,2)' },
      A5: { formula: '=INDEX(E1:E5,MATCH(A1,C1:C5,0))' },
      A6: { formula: '=MATCH(A2,F1:F4,1)+A3*A4' },
      C1: { value: 1 },
      C2: { value: 2 },
      C3: { value: 3 },
      C4: { value: 5 },
      C5: { value: 2 },
      D1: { value: 10.5 },
      D2: { value: 20.25 },
      D3: { value: 30.125 },
      D4: { value: 50 },
      D5: { value: 99 },
      E1: { value: 0.1 },
      E2: { value: true },
      E3: { value: 'label' },
      E5: { value: 0.5 },
      F1: { value: 0 },
      F2: { value: 10 },
      F3: { value: 20 },
      F4: { value: 30 },
      G1: { value: 0.01 },
      G2: { value: 0.02 },
      G3: { value: 0.03 },
      G4: { value: 0.04 },
    });
    const { cpu, tfjs } = await both(model, ['A3', 'A4', 'A5', 'A6']);
    expectAgreement(cpu, tfjs, SMALL_TOLERANCE);
    const outcomes = new Set(cpu.outputs.flatMap((o) => Object.keys(o.nonNumeric)));
    for (const expected of ['#N/A', 'boolean', 'text', 'empty']) expect(outcomes).toContain(expected);
  });

  it('agrees with the CPU backend on the benchmark DCF (model a) within the measured float32 bound', async () => {
    const model = dcfModel();
    const { cpu, tfjs } = await both(model.workbook, model.outputs, { iterations: 2_000, seed: 12345 });
    // docs/gpu-tfjs.md, 10,000 trials: the NPV within 9.4e-6 of its mean magnitude, the IRR within
    // 1.2e-4 (2.3e-5 absolute on an IRR of -28 %, where the flows nearly cancel). Bounds: about 2.5 times that.
    expectAgreement(cpu, tfjs, [2.5e-5, 3e-4]);
    for (const e of compareRuns(cpu, tfjs)) {
      expect(e.outcomeMismatches).toBe(0);
      expect(e.meanRelativeError).toBeLessThan(1e-6);
    }
  });

  it('agrees on a small lookup model (model c, 200 orders) trial by trial', async () => {
    const model = lookupModel();
    const { cpu, tfjs } = await both(model.workbook, model.outputs, { iterations: 500, seed: 3 });
    expectAgreement(cpu, tfjs, SMALL_TOLERANCE);
  });

  it('gives the same results whatever the batch size and with Latin hypercube sampling', async () => {
    const [model, targets] = SMALL_MODELS.errorsAndBranches;
    const request: EngineRequest = { targets, iterations: 2_500, seed: 11, sampling: 'latin_hypercube' };
    const a = await simulateTfjs(tf, model, request, {}, { batchSize: 97 });
    const b = await simulateTfjs(tf, model, request, {}, { batchSize: 4_096 });
    a.outputs.forEach((o, j) => {
      expect(Array.from(o.values)).toEqual(Array.from(b.outputs[j].values));
      expect(Array.from(o.outcomes)).toEqual(Array.from(b.outputs[j].outcomes));
    });
    expectAgreement(await simulate(model, request), a, SMALL_TOLERANCE);
  });

  it('frees every tensor of a run', async () => {
    const model = dcfModel();
    const before = tf.memory().numTensors;
    await simulateTfjs(
      tf,
      model.workbook,
      { targets: model.outputs, iterations: 300, seed: 1 },
      {},
      { batchSize: 128 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tfjs backend: what it refuses, before running', () => {
  const refuse = (cells: WorkbookModel, targets: string[]) => () =>
    prepareTfjsRun(tf, cells, { targets, iterations: 10, seed: 1 });

  it('names the construct and the cell', () => {
    expect(refuse(book({ A1: { formula: '=RiskNormal(0,1)' }, A2: { formula: '=A1&"x"' } }), ['A2'])).toThrow(
      'the tfjs backend does not support text concatenation with & (Sheet1!A2)',
    );
    expect(
      refuse(book({ A1: { formula: '=RiskNormal(0,1)' }, A2: { formula: '=1+NORM.S.DIST(A1,TRUE)' } }), [
        'A2',
      ]),
    ).toThrow('the tfjs backend does not support NORM.S.DIST (Sheet1!A2)');
    expect(
      refuse(
        book({
          A1: { formula: '=RiskNormal(0,1)' },
          A2: { formula: '=IF(A1>0,"yes","no")' },
          A3: { formula: '=A2="yes"' },
        }),
        ['A3'],
      ),
    ).toThrow('the tfjs backend does not support a comparison that may involve text (Sheet1!A3)');
  });

  it('refuses lookups it cannot reproduce exactly', () => {
    const table = { B1: { value: 3 }, B2: { value: 1 }, C1: { value: 1 }, C2: { value: 2 } };
    expect(
      refuse(
        book({ A1: { formula: '=RiskNormal(0,1)' }, A2: { formula: '=VLOOKUP(A1,B1:C2,2,TRUE)' }, ...table }),
        ['A2'],
      ),
    ).toThrow(
      'the tfjs backend does not support an approximate VLOOKUP on keys that are not strictly ascending (Sheet1!A2)',
    );
    expect(
      refuse(
        book({ A1: { formula: '=RiskNormal(0,1)' }, A2: { formula: '=INDEX(C1:C2,ROUND(A1,0))' }, ...table }),
        ['A2'],
      ),
    ).toThrow('the tfjs backend does not support ROUND (Sheet1!A2)');
  });

  it('refuses correlated inputs', () => {
    const model = book({
      A1: { formula: '=RiskNormal(0,1)' },
      A2: { formula: '=RiskNormal(0,1)' },
      A3: { formula: '=A1+A2' },
    });
    expect(() =>
      prepareTfjsRun(tf, model, {
        targets: ['A3'],
        iterations: 10,
        correlations: [
          {
            cells: ['A1', 'A2'],
            matrix: [
              [1, 0.5],
              [0.5, 1],
            ],
          },
        ],
      }),
    ).toThrow('the tfjs backend does not support correlated inputs');
  });
});

describe('loadTfjs', () => {
  const fake = { tidy: () => undefined };
  const notFound = (name: string) =>
    Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
  const loader = (installed: string[]) => (name: string) => {
    if (installed.includes(name)) return fake;
    throw notFound(name);
  };

  it('is off unless MONTECELL_TFJS=1, even with a native build installed', () => {
    expect(loadTfjs({ env: {}, load: loader(['@tensorflow/tfjs-node-gpu']) })).toBeUndefined();
  });

  it('prefers tfjs-node-gpu, then tfjs-node, and never picks pure JS from the environment', () => {
    const env = { MONTECELL_TFJS: '1' };
    expect(
      loadTfjs({ env, load: loader(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) })?.packageName,
    ).toBe('@tensorflow/tfjs-node-gpu');
    expect(loadTfjs({ env, load: loader(['@tensorflow/tfjs-node', '@tensorflow/tfjs']) })?.packageName).toBe(
      '@tensorflow/tfjs-node',
    );
    expect(loadTfjs({ env, load: loader(['@tensorflow/tfjs']) })).toBeUndefined();
    expect(loadTfjs({ env, load: loader(['@tensorflow/tfjs']), allowPureJs: true })?.packageName).toBe(
      '@tensorflow/tfjs',
    );
  });

  it('reports a native build that is installed but broken instead of hiding it', () => {
    const broken = () => {
      throw new Error('libcudart.so.11.0: cannot open shared object file');
    };
    expect(() => loadTfjs({ env: { MONTECELL_TFJS: '1' }, load: broken })).toThrow('libcudart');
  });
});
