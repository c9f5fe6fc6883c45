import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectNpvModel } from '../../scripts/make-examples';
import { readWorkbook } from '../../server/xlsx/read-workbook';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import { type CellModel, SimulationResults } from '../../shared/model';

const root = resolve(__dirname, '../..');
const cli = join(root, 'bin/montecell.js');
// PATH without nvidia-smi: --engine gpu finds no GPU here, as on a machine without an NVIDIA driver.
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, PATH: dir },
  });
const dir = mkdtempSync(join(tmpdir(), 'montecell-cli-'));

function book(name: string, cells: Record<string, CellModel>): string {
  const path = join(dir, name);
  writeFileSync(path, writeWorkbook({ version: 1, sheets: [{ name: 'Sheet1', cells }], names: [] }));
  return path;
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root });
});

describe('montecell CLI', () => {
  it('simulate --json prints the service’s results (the shared schema) with every requested trial', () => {
    const r = run('simulate', 'examples/project-npv.xlsx', '--iterations', '2000', '--seed', '3', '--json');
    expect(r.status).toBe(0);
    const json = SimulationResults.parse(JSON.parse(r.stdout));
    expect(json.iterations).toBe(2000);
    expect(json.seed).toBe(3);
    expect(Object.keys(json.outputs)).toEqual(['Model!B22', 'Model!B23']);
    const npv = json.outputs['Model!B22'];
    expect(npv.statistics.count).toBe(2000);
    expect(npv.statistics.min).toBeLessThan(npv.statistics.mean as number);
    expect(npv.statistics.mean).toBeLessThan(npv.statistics.max as number);
    expect(Object.keys(npv.percentiles)).toEqual(['1', '5', '10', '25', '50', '75', '90', '95', '99']);
    expect(json.sensitivity['Model!B22'][0]).toMatchObject({
      input: expect.any(String),
      rank_correlation: expect.any(Number),
      variance_share: expect.any(Number),
    });
  });

  it('contribution to variance of an input whose mean is another input: B3 20 %, B4 80 % of Var(B3), in --json and in the text', () => {
    // B3 ~ Normal(B4, 1), B4 ~ Normal(10, 2): Var(B3) = 1 (its own draw) + 4 (B4's).
    const path = book('dependent-inputs.xlsx', {
      B3: { formula: '=RiskNormal(B4,1)' },
      B4: { formula: '=RiskNormal(10,2)' },
      B5: { formula: '=RiskOutput()+B3' },
    });
    const json = SimulationResults.parse(
      JSON.parse(run('simulate', path, '--iterations', '20000', '--seed', '12', '--json').stdout),
    );
    const share = (input: string) =>
      json.sensitivity['Sheet1!B5'].find((s) => s.input.startsWith(input))?.contribution_to_variance ??
      Number.NaN;
    expect(Math.abs(share('Sheet1!B3') - 0.2)).toBeLessThan(0.02);
    expect(Math.abs(share('Sheet1!B4') - 0.8)).toBeLessThan(0.02);
    const text = run('simulate', path, '--iterations', '20000', '--seed', '12');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('(rank correlation, regression coefficient, contribution to variance)');
    expect(text.stdout).toMatch(/1\.000 +1\.000 +(19\.\d|20\.\d|21\.\d) % +Sheet1!B3/);
  });

  it('names each output by its RiskOutput name and each input by its row label, in --json and in the text', () => {
    const json = SimulationResults.parse(
      JSON.parse(run('simulate', 'examples/project-npv.xlsx', '--iterations', '2000', '--json').stdout),
    );
    expect(json.outputs['Model!B22'].name).toBe('NPV');
    expect(json.outputs['Model!B23'].name).toBe('IRR');
    expect(json.sensitivity['Model!B22'].map((s) => s.name).sort()).toEqual([
      'Initial investment',
      'Operating margin',
      'Revenue growth',
      'Year-1 revenue',
    ]);
    const text = run('simulate', 'examples/project-npv.xlsx', '--iterations', '2000');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('\nNPV (Model!B22)\n');
    expect(text.stdout).toContain('\nIRR (Model!B23)\n');
    expect(text.stdout).toMatch(/ {2}Year-1 revenue \(Model!B4 RISKNORMAL\)\n/);
  });

  it('--engine auto without a GPU runs on the CPU and says why, as the service does', () => {
    const r = run(
      'simulate',
      'examples/project-npv.xlsx',
      '--engine',
      'auto',
      '--iterations',
      '2000',
      '--json',
    );
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.iterations).toBe(2000);
    expect(json.engine_used).toBe('cpu');
    expect(json.engine_note).toBe(
      'ran on the CPU: the GPU is not usable: no GPU detected (nvidia-smi not found (no NVIDIA driver on this machine))',
    );
    const cpu = JSON.parse(
      run('simulate', 'examples/project-npv.xlsx', '--iterations', '2000', '--json').stdout,
    );
    expect(cpu.engine_used).toBe('cpu');
    expect(cpu.engine_note).toBeUndefined();
    expect(json.outputs).toEqual(cpu.outputs);
  });

  it('a GPU that cannot build the model: --engine gpu fails in one line (exit 1), auto runs on the CPU with why', () => {
    // A machine whose nvidia-smi lists an H200 but which has no nvcc to build the model's program.
    const gpuHost = mkdtempSync(join(tmpdir(), 'montecell-cli-gpu-'));
    writeFileSync(
      join(gpuHost, 'nvidia-smi'),
      '#!/bin/sh\necho "NVIDIA H200, 143771 MiB, 9.0, 570.86.15"\n',
      {
        mode: 0o755,
      },
    );
    const env = { ...process.env, PATH: gpuHost, MONTECELL_GPU_CACHE: join(gpuHost, 'cache') };
    // The example's summary block (RiskMean…) is computed on the CPU, which --engine gpu refuses.
    const example = projectNpvModel();
    const withoutSummary = book(
      'npv-without-summary.xlsx',
      Object.fromEntries(
        Object.entries(example.sheets[0].cells).filter(([address]) => !/^[GH]/.test(address)),
      ),
    );
    const onHost = (...args: string[]) =>
      spawnSync(process.execPath, [cli, 'simulate', withoutSummary, '--iterations', '2000', ...args], {
        encoding: 'utf8',
        cwd: root,
        env,
      });
    const gpu = onHost('--engine', 'gpu');
    expect(gpu.status).toBe(1);
    expect(gpu.stderr).toMatch(
      /^montecell: the model's GPU program could not be built: nvcc failed: .*ENOENT[^\n]*\n$/,
    );
    const auto = onHost('--engine', 'auto', '--json');
    expect(auto.status).toBe(0);
    expect(JSON.parse(auto.stdout)).toMatchObject({
      iterations: 2000,
      engine_used: 'cpu',
      engine_note: expect.stringMatching(
        /^ran on the CPU: the model's GPU program could not be built: nvcc failed/,
      ),
    });
  });

  it('recalc prints every formula cell as Excel would store it, #NAME? for unknown functions', () => {
    const path = book('recalc.xlsx', {
      A1: { value: 4 },
      B1: { formula: '=A1/3' },
      B2: { formula: '=1/0' },
      B3: { formula: '=FOO(1)' },
    });
    const r = run('recalc', path, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).cells).toEqual({
      'Sheet1!B1': 4 / 3,
      'Sheet1!B2': { error: '#DIV/0!' },
      'Sheet1!B3': { error: '#NAME?' },
    });
    expect(r.stderr).toContain('FOO');
  });

  it.each([
    ['a missing file', ['simulate', join(dir, 'nope.xlsx')], /no such file/],
    ['a file that is not xlsx', ['recalc', join(root, 'package.json')], /not an .xlsx/],
    ['an unknown sheet', ['simulate', 'examples/project-npv.xlsx', '--output', 'Sheet9!Z1'], /unknown sheet/],
    ['bad iterations', ['simulate', 'examples/project-npv.xlsx', '--iterations', 'abc'], /iterations/],
    ['an unknown command', ['frobnicate'], /unknown command/],
    [
      'an unknown engine',
      ['simulate', 'examples/project-npv.xlsx', '--engine', 'quantum'],
      /--engine must be cpu, gpu, auto or tfjs/,
    ],
    [
      'the GPU engine on a machine without an NVIDIA GPU',
      ['simulate', 'examples/project-npv.xlsx', '--engine', 'gpu'],
      /^montecell: engine "gpu" was requested but the GPU is not usable: no GPU detected \(nvidia-smi not found \(no NVIDIA driver on this machine\)\)$/,
    ],
    [
      'more trials than the CPU engine keeps',
      ['simulate', 'examples/project-npv.xlsx', '--iterations', '10000001'],
      /at most 10,000,000 \(up to 1,000,000,000 with --engine gpu\)/,
    ],
    [
      'more trials than the CPU engine keeps, with auto and no GPU',
      ['simulate', 'examples/project-npv.xlsx', '--engine', 'auto', '--iterations', '20000000'],
      /--iterations above 10,000,000 need the GPU, and the GPU is not usable: no GPU detected \(nvidia-smi not found/,
    ],
    [
      'the GPU engine with a precision target',
      ['simulate', 'examples/project-npv.xlsx', '--engine', 'gpu', '--until-precision', '0.01'],
      /--until-precision needs the CPU engine/,
    ],
    [
      'tfjs without a native build turned on',
      ['simulate', 'examples/project-npv.xlsx', '--engine', 'tfjs'],
      /--engine tfjs needs MONTECELL_TFJS=1 and @tensorflow\/tfjs-node-gpu or @tensorflow\/tfjs-node installed/,
    ],
  ])('%s: one line on stderr and exit code 2', (_what, args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unsupported function in what simulate must compute is reported before running', () => {
    const path = book('unsupported.xlsx', {
      A1: { formula: '=RiskNormal(1,1)' },
      A2: { formula: '=FOO(A1)' },
    });
    const r = run('simulate', path, '--output', 'A2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/FOO \(Sheet1!A2\)/);
  });

  it('a function it does not implement, even with constant arguments: one line naming it and its cell, exit 2; recalc shows #NAME?', () => {
    const path = book('sensitivity.xlsx', {
      B1: { formula: '=RiskSensitivity(10,20)' },
      B2: { formula: '=RiskOutput()+B1*2' },
    });
    const r = run('simulate', path, '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'montecell: the model calls a function Montecell does not implement, so the run was not started: RISKSENSITIVITY (Sheet1!B1)\n',
    );
    const recalc = run('recalc', path, '--json');
    expect(recalc.status).toBe(0);
    expect(JSON.parse(recalc.stdout).cells['Sheet1!B1']).toEqual({ error: '#NAME?' });
  });
  it('property functions: recalc shows RiskStatic’s value; RiskUnits and RiskCategory run; an inconsistent RiskCorrmat matrix is a warning', () => {
    const path = book('properties.xlsx', {
      A1: { formula: '=RiskNormal(100,10,RiskStatic(5),RiskUnits("$"),RiskCategory("c"))' },
      A2: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,1))' },
      A3: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,2))' },
      A4: { formula: '=RiskNormal(0,1,RiskCorrmat(D1:F3,3))' },
      B1: { formula: '=RiskOutput()+A1+A2+A3+A4' },
      // ρ12 = ρ23 = 0.9 with ρ13 = -0.9: no set of variables has these correlations. Lower half only.
      D1: { value: 1 },
      D2: { value: 0.9 },
      E2: { value: 1 },
      D3: { value: -0.9 },
      E3: { value: 0.9 },
      F3: { value: 1 },
    });
    const recalc = run('recalc', path, '--json');
    expect(recalc.status).toBe(0);
    expect(JSON.parse(recalc.stdout).cells['Sheet1!A1']).toBe(5);
    const r = run('simulate', path, '--iterations', '1000', '--json');
    expect(r.status).toBe(0);
    const json = SimulationResults.parse(JSON.parse(r.stdout));
    expect(json.outputs['Sheet1!B1'].statistics.count).toBe(1000);
    expect(json.warnings).toEqual([
      expect.stringMatching(
        /^RiskCorrmat of Sheet1!A[234]: correlation matrix is not positive semi-definite/,
      ),
    ]);
  });

  it('statistics functions in cells: --json gives their values, --write a copy of the workbook holding them', () => {
    const copy = join(dir, 'npv-after-run.xlsx');
    const r = run('simulate', 'examples/project-npv.xlsx', '--iterations', '3000', '--json', '--write', copy);
    expect(r.status).toBe(0);
    const json = SimulationResults.parse(JSON.parse(r.stdout));
    const npv = json.outputs['Model!B22'];
    expect(json.cells).toEqual({
      'Model!H11': npv.statistics.mean,
      'Model!H12': npv.percentiles['5'],
      'Model!H13': npv.percentiles['95'],
      'Model!H14': expect.any(Number),
      'Model!H15': json.outputs['Model!B23'].statistics.mean,
      'Model!H16': expect.any(Number),
    });
    expect(r.stderr).toBe(`montecell: wrote ${copy} with 6 cells filled in from the simulation\n`);
    // The copy is the same workbook (formulas, labels) with the run's values stored in those cells.
    const original = readWorkbook(readFileSync(join(root, 'examples/project-npv.xlsx')));
    const written = readWorkbook(readFileSync(copy));
    expect(written.model).toEqual(original.model);
    const stored = [...written.cachedValues].filter(([, value]) => value !== null);
    expect(Object.fromEntries(stored)).toEqual(json.cells);
  });

  it('an Analytic Solver workbook: PsiOutput cells are the default outputs, Psi statistics fill in, an unmapped Psi function exits 2', () => {
    const path = book('psi.xlsx', {
      B1: { formula: '=PsiNormal(100,10)' },
      B2: { formula: '=PsiOutput("Profit")+B1*2' },
      C1: { formula: '=PsiMean(B2)' },
    });
    const r = run('simulate', path, '--iterations', '2000', '--seed', '4', '--json');
    expect(r.status).toBe(0);
    const json = SimulationResults.parse(JSON.parse(r.stdout));
    expect(Object.keys(json.outputs)).toEqual(['Sheet1!B2']);
    expect(json.outputs['Sheet1!B2'].name).toBe('Profit');
    expect(json.cells).toEqual({ 'Sheet1!C1': json.outputs['Sheet1!B2'].statistics.mean });
    const refused = run(
      'simulate',
      book('psi-exp.xlsx', { B1: { formula: '=PsiOutput()+PsiExponential(3)' } }),
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/PSIEXPONENTIAL \(Sheet1!B1\)/);
  });

  it.each([
    ['a path that is not .xlsx', ['--write', join(dir, 'out.csv')], /--write needs an .xlsx path/],
    ['the workbook itself', ['--write', 'examples/project-npv.xlsx'], /--write must name a new file/],
    ['a missing folder', ['--write', join(dir, 'no/such/out.xlsx')], /the folder .* does not exist/],
  ])('--write refuses %s before running: one line, exit 2', (_, flags, message) => {
    const r = run('simulate', 'examples/project-npv.xlsx', '--iterations', '100', ...flags);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
