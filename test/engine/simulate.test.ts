import { generateKernel } from '../../server/engine/backends/cpu/codegen';
import { EngineError } from '../../server/engine/errors';
import { simulateOnThreads } from '../../server/engine/runtime/threaded-run';
import { assembleResult, compile, prepareRun, runRange, simulate } from '../../server/engine/simulate';
import { spearman } from '../../server/engine/statistics/ranks';
import { describeResults } from '../../server/engine/statistics/results';
import { summarizeOutput } from '../../server/engine/statistics/summary';
import { type CellModel, SimulationResults, type WorkbookModel } from '../../shared/model';

const book = (cells: Record<string, CellModel>, names: WorkbookModel['names'] = []): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Sheet1', cells }],
  names,
});

const sumOfNormals = book({
  A1: { formula: '=RiskNormal(100,10)' },
  A2: { formula: '=RiskNormal(50,5)' },
  // RAND() scaled to mean 20 and standard deviation 2.
  A3: { formula: '=20+2*SQRT(12)*(RAND()-0.5)' },
  A4: { formula: '=A1+A2+A3+RiskOutput()' },
  A5: { formula: '=IF(A4>170,1,0)' },
});

describe('simulate', () => {
  it('computes every requested trial and matches the analytic mean and sd of a sum of normals', async () => {
    const result = await simulate(sumOfNormals, { targets: ['A4'], iterations: 50_000, seed: 7 });
    const s = summarizeOutput(result.outputs[0].values, result.outputs[0].outcomes);
    expect(s.count).toBe(50_000);
    const sd = Math.sqrt(100 + 25 + 4);
    expect(Math.abs(s.mean! - 170)).toBeLessThan((4 * sd) / Math.sqrt(50_000));
    expect(Math.abs(s.std! - sd) / sd).toBeLessThan(0.02);
  });

  it('gives bit-identical samples whatever the chunk size', async () => {
    const a = await simulate(
      sumOfNormals,
      { targets: ['A4', 'A5'], iterations: 10_007, seed: 3 },
      { chunkSize: 10_007 },
    );
    const b = await simulate(
      sumOfNormals,
      { targets: ['A4', 'A5'], iterations: 10_007, seed: 3 },
      { chunkSize: 1_429 },
    );
    expect(Buffer.from(b.outputs[0].values.buffer).equals(Buffer.from(a.outputs[0].values.buffer))).toBe(
      true,
    );
    expect(Buffer.from(b.outputs[1].values.buffer).equals(Buffer.from(a.outputs[1].values.buffer))).toBe(
      true,
    );
  });

  it('gives the same run when split into uneven ranges run separately and assembled', async () => {
    const request = {
      targets: ['A4', 'A5'],
      iterations: 10_007,
      seed: 11,
      sampling: 'latin_hypercube' as const,
    };
    const whole = await simulate(sumOfNormals, request);
    const run = prepareRun(sumOfNormals, request);
    const bounds = [0, 1, 2_999, 3_000, 7_777, 10_007];
    const chunks = await Promise.all(bounds.slice(1).map((end, i) => runRange(run, bounds[i], end)));
    const assembled = assembleResult(run, chunks.reverse(), 0);
    expect(
      Buffer.from(assembled.outputs[0].values.buffer).equals(Buffer.from(whole.outputs[0].values.buffer)),
    ).toBe(true);
    expect(assembled.inputs[0].values).toEqual(whole.inputs[0].values);
  });

  it('gives the same run in any split when the trials are computed in blocks (many inputs)', async () => {
    // 1,500 inputs of three kinds and RAND(): the kernel samples and reads them a block of 64 trials
    // at a time, and neither the blocks nor the ranges may show in the results.
    const cells: Record<string, CellModel> = {};
    const kinds = ['RiskNormal(10, 2)', 'RiskTriang(0, 1, 4)', 'RiskNormal(0, 1, RiskTruncate(-1, 2))'];
    for (let k = 1; k <= 1_500; k++) cells[`A${k}`] = { formula: `=${kinds[k % 3]}` };
    cells.B1 = { formula: '=RAND()' };
    cells.C1 = { formula: '=A1+2*A1500+B1' };
    cells.C2 = { formula: '=A700-A3' };
    // Every input a precedent of an output, so that all of them are compiled.
    cells.C3 = { formula: '=SUM(A1:A1500)' };
    const model = book(cells);
    expect(compile(model, { targets: ['C3'] }).program.inputs).toHaveLength(1_500);
    const request = {
      targets: ['C1', 'C2', 'C3'],
      iterations: 1_000,
      seed: 5,
      sampling: 'latin_hypercube' as const,
    };
    const whole = await simulate(model, request, { chunkSize: 1_000 });
    const run = prepareRun(model, request);
    const bounds = [0, 1, 63, 64, 130, 999, 1_000];
    const chunks = await Promise.all(bounds.slice(1).map((end, i) => runRange(run, bounds[i], end)));
    const assembled = assembleResult(run, chunks, 0);
    for (const j of [0, 1, 2])
      expect(
        Buffer.from(assembled.outputs[j].values.buffer).equals(Buffer.from(whole.outputs[j].values.buffer)),
      ).toBe(true);
    // The recorded samples belong to the trials they are recorded for.
    const sample = (label: string) =>
      whole.inputs.find((input) => input.label.startsWith(`Sheet1!${label} `))!.values;
    const [a1, a1500, b1, a700, a3] = ['A1', 'A1500', 'B1', 'A700', 'A3'].map(sample);
    for (const t of [0, 63, 64, 65, 500, 999]) {
      expect(whole.outputs[0].values[t]).toBe(a1[t] + 2 * a1500[t] + b1[t]);
      expect(whole.outputs[1].values[t]).toBe(a700[t] - a3[t]);
    }
  });

  it('records the samples of a block that straddles the record limit at their trials', async () => {
    // 5,000 inputs: sensitivity records 5,000 trials, and the blocks of 64 trials straddle that limit.
    const cells: Record<string, CellModel> = {};
    for (let k = 1; k <= 5_000; k++) cells[`A${k}`] = { formula: `=RiskUniform(0, ${k})` };
    cells.C1 = { formula: '=A1+2*A5000' };
    cells.C2 = { formula: '=SUM(A1:A5000)' };
    const model = book(cells);
    const request = { targets: ['C1', 'C2'], iterations: 5_100, seed: 2 };
    const run = prepareRun(model, request);
    expect(run.recordLimit).toBe(5_000);
    const whole = await runRange(run, 0, 5_100);
    const split = assembleResult(run, [await runRange(run, 0, 4_999), await runRange(run, 4_999, 5_100)], 0);
    expect(Buffer.from(split.outputs[0].values.buffer).equals(Buffer.from(whole.values[0].buffer))).toBe(
      true,
    );
    const inputOf = (cell: string) =>
      whole.inputSamples[run.compiled.program.inputs.findIndex((i) => i.label.startsWith(`Sheet1!${cell} `))];
    const a1 = inputOf('A1');
    const a5000 = inputOf('A5000');
    expect(a1).toHaveLength(5_000);
    for (let t = 4_990; t < 5_000; t++) expect(whole.values[0][t]).toBe(a1[t] + 2 * a5000[t]);
  });

  it('gives a different run for a different seed, and the same run for the same seed and sampling', async () => {
    const a = await simulate(sumOfNormals, {
      targets: ['A4'],
      iterations: 1_000,
      seed: 1,
      sampling: 'latin_hypercube',
    });
    const b = await simulate(sumOfNormals, {
      targets: ['A4'],
      iterations: 1_000,
      seed: 2,
      sampling: 'latin_hypercube',
    });
    const c = await simulate(sumOfNormals, {
      targets: ['A4'],
      iterations: 1_000,
      seed: 1,
      sampling: 'latin_hypercube',
    });
    expect(a.outputs[0].values).not.toEqual(b.outputs[0].values);
    expect(a.outputs[0].values).toEqual(c.outputs[0].values);
  });

  it('counts trials in which the output is an Excel error instead of averaging them', async () => {
    const model = book({ A1: { formula: '=RiskUniform(-1,1)' }, A2: { formula: '=IF(A1<0,NA(),A1)' } });
    const result = await simulate(model, { targets: ['A2'], iterations: 2_000, seed: 5 });
    const errors = result.outputs[0].nonNumeric['#N/A'];
    expect(errors).toBeGreaterThan(800);
    expect(errors).toBeLessThan(1_200);
    expect(summarizeOutput(result.outputs[0].values, result.outputs[0].outcomes).min).toBeGreaterThanOrEqual(
      0,
    );
  });

  it('replaces a cell by a user-defined input distribution', async () => {
    const model = book({ A1: { value: 5 }, A2: { formula: '=A1*2' } });
    const result = await simulate(model, {
      targets: ['A2'],
      variables: [{ cell: 'A1', distribution: { type: 'uniform', params: [10, 20] } }],
      iterations: 5_000,
      seed: 1,
    });
    const s = summarizeOutput(result.outputs[0].values);
    expect(s.min).toBeGreaterThanOrEqual(20);
    expect(s.max).toBeLessThanOrEqual(40);
    expect(Math.abs(s.mean! - 30)).toBeLessThan(0.5);
  });

  it('reports progress after each chunk, ending at the total', async () => {
    const seen: number[] = [];
    await simulate(
      sumOfNormals,
      { targets: ['A4'], iterations: 5_000, seed: 1 },
      { chunkSize: 1_000, onProgress: (d) => seen.push(d) },
    );
    expect(seen).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });
});

describe('compile errors name the cell', () => {
  const expectEngineError = (fn: () => unknown, code: string, text: RegExp) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe(code);
      expect((error as Error).message).toMatch(text);
      return;
    }
    throw new Error('expected an EngineError');
  };

  it('circular references list the cycle', () => {
    const model = book({ A1: { formula: '=A2+RiskNormal(0,1)' }, A2: { formula: '=A1*2' } });
    expectEngineError(() => compile(model, { targets: ['A2'] }), 'circular-reference', /A1.*A2|A2.*A1/);
  });

  it('unsupported functions in the random part', () => {
    const model = book({ A1: { formula: '=RiskNormal(0,1)' }, A2: { formula: '=NOSUCHFUNCTION(A1)' } });
    expectEngineError(
      () => compile(model, { targets: ['A2'] }),
      'unsupported-function',
      /NOSUCHFUNCTION \(Sheet1!A2\)/,
    );
  });

  describe('fail fast: a function the engine does not implement refuses the run before it starts', () => {
    const refusal = (model: WorkbookModel, targets: string[]) => {
      try {
        compile(model, { targets });
      } catch (error) {
        expect(error).toBeInstanceOf(EngineError);
        expect((error as EngineError).code).toBe('unsupported-function');
        return error as EngineError;
      }
      throw new Error('expected the run to be refused');
    };

    it('with constant arguments (once folded into a constant #NAME?, every trial an error)', () => {
      const model = book({
        B1: { formula: '=RiskConvergence(0.03,2,0.95,TRUE)' },
        B2: { formula: '=RiskOutput()+B1*2' },
      });
      const error = refusal(model, ['B2']);
      expect(error.message).toMatch(/RISKCONVERGENCE \(Sheet1!B1\)/);
      expect(error.details).toEqual({
        functions: [{ name: 'RISKCONVERGENCE', cells: ['Sheet1!B1'], more: 0 }],
      });
    });

    it('every function, with its cells, in one refusal: beside random inputs, in arrays, in names', () => {
      const cells: Record<string, CellModel> = {
        A1: { formula: '=RiskNormal(10,1)' },
        A2: { formula: '=FOOBAR(1)+A1' },
        A3: { formula: '=RiskConvergence(0.03)+RiskNormal(1,1)' },
        A4: { formula: '=Rate*A1' },
        B1: { formula: '=A2+A3+A4+SUM(C1:C7)' },
      };
      for (let r = 1; r <= 7; r++) cells[`C${r}`] = { formula: `=FOOBAR(${r})` };
      const error = refusal(book(cells, [{ name: 'Rate', ref: '=WHATRATE(0.05)' }]), ['B1']);
      const [foobar, ...others] = (error.details?.functions ?? []) as {
        name: string;
        cells: string[];
        more: number;
      }[];
      // Five of FOOBAR's eight cells are named, and how many more there are.
      expect(foobar.name).toBe('FOOBAR');
      expect(foobar.cells).toHaveLength(5);
      expect(foobar.more).toBe(3);
      const callers = ['Sheet1!A2', ...[1, 2, 3, 4, 5, 6, 7].map((r) => `Sheet1!C${r}`)];
      for (const cell of foobar.cells) expect(callers).toContain(cell);
      expect(others.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
        { name: 'RISKCONVERGENCE', cells: ['Sheet1!A3'], more: 0 },
        { name: 'WHATRATE', cells: ['Sheet1!A4'], more: 0 },
      ]);
      expect(error.message).toMatch(
        /FOOBAR \(Sheet1!\w+, Sheet1!\w+, Sheet1!\w+, Sheet1!\w+, Sheet1!\w+ and 3 more\)/,
      );
    });

    it('the model’s own functions (LET and LAMBDA names, a defined LAMBDA) and cells no output reads pass', () => {
      const model = book(
        {
          A1: { formula: '=RiskNormal(10,1)' },
          A2: { formula: '=LET(twice, LAMBDA(x, x*2), twice(5))+A1' },
          A3: { formula: '=Half(10)+A2' },
          Z9: { formula: '=NOTUSED(1)' },
        },
        [{ name: 'Half', ref: '=LAMBDA(v, v/2)' }],
      );
      expect(compile(model, { targets: ['A3'] }).program.outputs).toHaveLength(1);
    });
  });

  it('invalid distribution parameters', () => {
    const model = book({ A1: { formula: '=RiskNormal(10,-1)' } });
    expectEngineError(() => compile(model, { targets: ['A1'] }), 'invalid-distribution', /Sheet1!A1/);
  });

  it('unknown targets', () => {
    const model = book({ A1: { value: 1 } });
    expectEngineError(() => compile(model, { targets: ['Sheet9!Z1'] }), 'unknown-target', /Sheet9/);
  });
});

describe('constants', () => {
  it('holds one copy of a table that several formulas look up, with the results of separate copies', async () => {
    const cells: Record<string, CellModel> = {};
    for (let r = 1; r <= 50; r++) {
      cells[`A${r}`] = { value: r };
      cells[`B${r}`] = { value: r * r };
    }
    cells.D1 = { formula: '=RiskIntUniform(1, 50)' };
    cells.E1 = { formula: '=VLOOKUP(D1, $A$1:$B$50, 2, FALSE)' };
    cells.E2 = { formula: '=VLOOKUP(D1+0, A1:B50, 2, FALSE) + MATCH(D1, $A$1:$A$50, 0)' };
    cells.E3 = { formula: '=VLOOKUP(51-D1, $A$1:$B$50, 2, FALSE) + SUM($B$50:$A$1)' };
    const model = book(cells);
    const { program } = compile(model, { targets: ['E1', 'E2', 'E3'] });
    const tables = program.constants.filter((c) => typeof c === 'object' && c !== null && 'rows' in c);
    // A1:B50 (written three times, with and without $) and A1:A50; SUM of a fixed range is a number.
    expect(tables).toHaveLength(2);
    const result = await simulate(model, { targets: ['E1', 'E2', 'E3'], iterations: 2_000, seed: 9 });
    const d = result.inputs[0].values;
    for (let t = 0; t < 2_000; t++) {
      expect(result.outputs[0].values[t]).toBe(d[t] * d[t]);
      expect(result.outputs[1].values[t]).toBe(d[t] * d[t] + d[t]);
      expect(result.outputs[2].values[t]).toBe((51 - d[t]) * (51 - d[t]) + 42_925 + 1_275);
    }
  });
});

describe('generated kernel code', () => {
  it('contains no text from the workbook, however hostile', () => {
    const hostile = [
      '"; process.exit(1); "',
      "\\'); require('child_process')//",
      '*/ constructor.constructor("return process")() /*',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
      '${process.exit()}',
      `x${'y'.repeat(10_000)}`,
    ];
    const cells: Record<string, CellModel> = { A1: { formula: '=RiskNormal(0,1)' } };
    hostile.forEach((text, i) => {
      cells[`B${i + 1}`] = {
        formula: `=IF(A1>0,"${text.replace(/"/g, '""')}",A1)&"${text.replace(/"/g, '""')}"`,
      };
    });
    const names = [{ name: `N${'a'.repeat(200)}`, ref: '=Sheet1!$A$1' }];
    const compiled = compile(book(cells, names), { targets: hostile.map((_, i) => `B${i + 1}`) });
    const { source } = generateKernel(compiled.program);
    for (const text of ['process', 'require', 'constructor', '${', '*/', 'yyyy', 'child_process'])
      expect(source).not.toContain(text);
    expect(source).toMatch(/^"use strict";\n/);
    // Only identifiers the generator writes, numbers, operators and punctuation.
    const tokens = source.match(/[A-Za-z_$][\w$]*/g) ?? [];
    const allowed =
      /^(use|strict|return|function|kernel|start|end|offset|O|E|R|recordLimit|let|const|for|if|else|typeof|number|x|y|t|i|rt|K|D|NaN|U|S|V|T|o|of|w|records|limit|uniforms|Float64Array|Array|fill|null|new|stage\d+|sample\d+|j|n|d|k|recorded|length|subarray|set|[cvlOEU]\d+|u|inverseCdf|test|isError|isNA|blankAsZero|chooseIndex|call|area|dynamic|err|errorCode|add|sub|mul|div|pow|cat|eq|ne|lt|le|gt|ge|neg|pct|N|q\d+|A\d+|fast\d+|fastTrial|generalTrial|try|catch|e|throw|BAIL|bail|chk|Math|min|max|f(?:div|pow|eq|ne|lt|le|gt|ge|truth|choose|abs|sqrt|exp|ln|npv|irr|pv|round|roundup|rounddown|pow[012]))$/;
    expect(tokens.filter((t) => !allowed.test(t))).toEqual([]);
  });
});

describe('simulateOnThreads', () => {
  // More trials than sensitivity records (100,000): ranges beyond the record limit carry no input samples.
  it('gives bit-identical results on 1 thread and on 2 threads, with progress reaching the total', async () => {
    const request = { targets: ['A4', 'A5'], iterations: 120_013, seed: 9 };
    const single = await simulate(sumOfNormals, request);
    let last = 0;
    const threaded = await simulateOnThreads(sumOfNormals, request, {
      threads: 2,
      onProgress: (done) => (last = done),
    });
    expect(last).toBe(120_013);
    for (const j of [0, 1])
      expect(
        Buffer.from(threaded.samples[j].buffer).equals(Buffer.from(single.outputs[j].values.buffer)),
      ).toBe(true);
    // The threads sorted each range's outputs and one of them assembled the statistics: the same
    // results as sorting the whole run here.
    const { elapsed_ms: _a, ...fromThreads } = threaded.results;
    const { elapsed_ms: _b, ...fromHere } = await describeResults(single, { engine_used: 'cpu' });
    expect(fromThreads).toEqual(fromHere);
  });

  it('reports a model that cannot compile with the engine error, from the threads', async () => {
    const running = simulateOnThreads(
      sumOfNormals,
      { targets: ['Sheet9!Z1'], iterations: 100_000, seed: 1 },
      { threads: 2 },
    );
    await expect(running).rejects.toBeInstanceOf(EngineError);
    await expect(running).rejects.toThrow(/Sheet9/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const running = simulateOnThreads(
      sumOfNormals,
      { targets: ['A4'], iterations: 5_000_000, seed: 1 },
      {
        threads: 2,
        signal: controller.signal,
        onProgress: (done) => {
          if (done > 0) controller.abort();
        },
      },
    );
    await expect(running).rejects.toThrow('cancelled');
  });
});

describe('results', () => {
  it('rank the inputs by their influence on each output', async () => {
    const model = book({
      A1: { formula: '=RiskNormal(0,10,RiskName("big"))' },
      A2: { formula: '=RiskNormal(0,1)' },
      A3: { formula: '=A1+A2' },
    });
    const results = await describeResults(
      await simulate(model, { targets: ['A3'], iterations: 20_000, seed: 2 }),
      { engine_used: 'cpu' },
    );
    // The shape clients read: what the service stores, the CLI prints and the task pane parses.
    expect(SimulationResults.parse(results)).toEqual(results);
    const [first, second] = results.sensitivity['Sheet1!A3'];
    expect(first.input).toBe('Sheet1!A1 RISKNORMAL');
    expect(first.name).toBe('big');
    expect(first.rank_correlation).toBeGreaterThan(0.98);
    expect(second.variance_share).toBeLessThan(0.05);
    expect(results.outputs['Sheet1!A3'].errors).toBe(0);
    expect(results.outputs['Sheet1!A3'].percentiles['50']).toBeCloseTo(0, 0);
  });
});

describe('correlated inputs', () => {
  const correlatedBook = book({
    A1: { formula: '=RiskNormal(100,10,RiskCorrmat(D1:E2,1))' },
    A2: { formula: '=RiskTriang(0,5,20,RiskCorrmat(D1:E2,2))' },
    A3: { formula: '=RiskUniform(0,1)' },
    B1: { formula: '=A1' },
    B2: { formula: '=A2' },
    B3: { formula: '=A3' },
    D1: { value: 1 },
    E1: { value: 0.8 },
    D2: { value: 0.8 },
    E2: { value: 1 },
  });

  it('reach the RiskCorrmat rank correlation, leave the others independent, and keep their distributions', async () => {
    const result = await simulate(correlatedBook, {
      targets: ['B1', 'B2', 'B3'],
      iterations: 20_000,
      seed: 4,
    });
    const [b1, b2, b3] = result.outputs.map((o) => o.values);
    expect(Math.abs(spearman(b1, b2) - 0.8)).toBeLessThan(0.03);
    expect(Math.abs(spearman(b1, b3))).toBeLessThan(0.03);
    expect(summarizeOutput(b1).mean).toBeCloseTo(100, 0);
    expect(summarizeOutput(b2).min).toBeGreaterThanOrEqual(0);
  });

  it('take correlations from the request too, with the same samples however the run is split', async () => {
    const request = {
      targets: ['B1', 'B3'],
      iterations: 9_000,
      seed: 5,
      correlations: [
        {
          cells: ['A1', 'A3'],
          matrix: [
            [1, -0.5],
            [-0.5, 1],
          ],
        },
      ],
    };
    const model = book({ ...correlatedBook.sheets[0].cells, A1: { formula: '=RiskNormal(100,10)' } });
    const whole = await simulate(model, request);
    expect(Math.abs(spearman(whole.outputs[0].values, whole.outputs[1].values) + 0.5)).toBeLessThan(0.03);
    const run = prepareRun(model, request);
    const parts = await Promise.all([runRange(run, 0, 5_000), runRange(run, 5_000, 9_000)]);
    expect(assembleResult(run, parts, 0).outputs[0].values).toEqual(whole.outputs[0].values);
  });

  it('refuse an invalid correlation with a clear error', () => {
    const bad = {
      targets: ['B1'],
      correlations: [
        {
          cells: ['A1', 'A3'],
          matrix: [
            [1, 2],
            [2, 1],
          ],
        },
      ],
    };
    expect(() => compile(correlatedBook, bad)).toThrow(EngineError);
  });
});

describe('auto-stop', () => {
  it('stops once every mean is known to the requested precision, and no later than the maximum', async () => {
    const request = {
      targets: ['A4'],
      iterations: 1_000_000,
      seed: 3,
      autoStop: { relativeTolerance: 0.001 },
    };
    const result = await simulate(sumOfNormals, request, { chunkSize: 1_000 });
    expect(result.iterations).toBeLessThan(1_000_000);
    const s = summarizeOutput(result.outputs[0].values);
    expect(s.count).toBe(result.iterations);
    expect((1.96 * s.std!) / Math.sqrt(s.count)).toBeLessThanOrEqual(0.001 * Math.abs(s.mean!));
    // One slice earlier the interval was still too wide.
    const earlier = summarizeOutput(result.outputs[0].values.subarray(0, result.iterations - 1_000));
    expect((1.96 * earlier.std!) / Math.sqrt(earlier.count)).toBeGreaterThan(0.001 * Math.abs(earlier.mean!));

    const capped = await simulate(sumOfNormals, {
      ...request,
      iterations: 3_000,
      autoStop: { relativeTolerance: 1e-9 },
    });
    expect(capped.iterations).toBe(3_000);
  });
});
