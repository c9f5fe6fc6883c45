/**
 * `npm run bench`: the performance benchmarks of issues 3 and 4, side by side in one run.
 *
 * - Montecell's engine, single thread, after compiling: trials per second on the three models of
 *   bench/models.ts, and the compile time;
 * - IronCalc recalculating the same workbook once per trial (the inputs set to numbers sampled in
 *   JavaScript, then evaluate, then read the outputs): trials per second and the ratio;
 * - a hand-written JavaScript function of model (a): the ratio, and the agreement of the results;
 * - the CLI on model (a): 1,000,000 trials including loading the file (three runs), and the peak memory
 *   of 10,000,000 trials;
 * - the service on model (a): POST /run to the first progress event and to completed, 10,000 trials
 *   (scripts/load-service.ts's benchmark; Redis as the service finds it, or embedded).
 *
 * Prints a table and writes docs/benchmarks.md. Options: --quick (no CLI or service runs), --seconds N (length of
 * each rate measurement, default 3), --force-10m (run 10,000,000 trials even when estimated to be long).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { uniform } from '../server/engine/sampling/philox';
import { type PreparedRun, prepareRun, runRange } from '../server/engine/simulate';
import { createDistribution, type Distribution } from '../shared/distributions/distribution';
import { formulaCellCount } from '../shared/model';
import { runHandWrittenDcf } from './dcf-handwritten';
import { IronCalcWorkbook } from './ironcalc';
import { type BenchModel, benchModels, modelPath, writeBenchModels } from './models';

/** The repository root: bench/ when run by tsx, build/bench/ when bundled by bench/main.mjs. */
const ROOT = findRoot(__dirname);
const SEED = 1;
/** Trials compared between Montecell and the hand-written function. */
const AGREEMENT_TRIALS = 50_000;
/** The 10,000,000-trial run is skipped when it would take longer than this (unless --force-10m). */
const LONG_RUN_LIMIT_S = 300;

function findRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new Error(`no package.json above ${dir}`);
  }
}

interface Rate {
  trials: number;
  seconds: number;
  perSecond: number;
}

/**
 * Trials per CPU second of `batch(start, count)`: batches grow until one takes 0.2 s (warming up the JIT
 * and estimating the rate), then three batches sized to last about `seconds` / 3 each are timed and the
 * fastest counts (the least disturbed by other work on a shared machine).
 */
async function measureRate(
  batch: (start: number, count: number) => unknown,
  seconds: number,
  minTrials = 2,
): Promise<Rate> {
  let start = 0;
  let count = 1;
  let estimate: number;
  for (;;) {
    const took = await timed(() => batch(start, count));
    start += count;
    if (took >= 0.2) {
      estimate = count / took;
      break;
    }
    count *= 4;
  }
  const trials = Math.max(minTrials, Math.round((estimate * seconds) / 3));
  let best: Rate | undefined;
  for (let round = 0; round < 3; round++) {
    const took = await timed(() => batch(start, trials));
    start += trials;
    if (!best || took < best.seconds) best = { trials, seconds: took, perSecond: trials / took };
  }
  return best!;
}

/** CPU seconds of this process spent on `work`: unlike wall time, not inflated by other load on the machine. */
async function timed(work: () => unknown): Promise<number> {
  const began = process.cpuUsage();
  await work();
  const used = process.cpuUsage(began);
  return (used.user + used.system) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// Montecell's engine
// ---------------------------------------------------------------------------------------------

interface EngineBench {
  model: BenchModel;
  formulaCells: number;
  randomCells: number;
  inputs: number;
  compileMs: number;
  rate: Rate;
  run: PreparedRun;
}

function formulaCount(model: BenchModel): number {
  return model.workbook.sheets.reduce((n, sheet) => n + formulaCellCount(sheet), 0);
}

async function engineBench(model: BenchModel, seconds: number): Promise<EngineBench> {
  const began = performance.now();
  const run = prepareRun(model.workbook, { targets: model.outputs, iterations: 10_000_000, seed: SEED });
  const compileMs = performance.now() - began;
  // Time trials past the window whose input samples are kept for sensitivity: a long run's steady state.
  const base = run.recordLimit;
  const rate = await measureRate(
    (start, count) => runRange(run, base + start, base + start + count, { chunkSize: count }),
    seconds,
  );
  const program = run.compiled.program;
  return {
    model,
    formulaCells: formulaCount(model),
    randomCells: program.cells.length,
    inputs: program.inputs.length,
    compileMs,
    rate,
    run,
  };
}

/** The engine's random stream of each of the model's inputs, so other implementations draw the same numbers. */
function engineStreams(run: PreparedRun, model: BenchModel): number[] {
  const inputs = run.compiled.program.inputs;
  return model.inputs.map(({ sheet, cell }) => {
    const input = inputs.find((i) => i.label.startsWith(`${sheet}!${cell} `));
    if (!input) throw new Error(`${sheet}!${cell} is not an input of the compiled model`);
    return input.stream;
  });
}

function distributions(model: BenchModel): Distribution[] {
  return model.inputs.map((input) => {
    const d = createDistribution(input.spec, { manyDraws: true });
    if ('error' in d) throw new Error(d.error);
    return d;
  });
}

interface Agreement {
  /** The largest difference where both are numbers, relative to max(1, |b|). */
  maxDiff: number;
  /** Trials where one is an error (NaN) and the other a number. */
  oneSidedErrors: number;
}

function compareSamples(a: ArrayLike<number>, b: ArrayLike<number>): Agreement {
  let maxDiff = 0;
  let oneSidedErrors = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) oneSidedErrors++;
      continue;
    }
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  }
  return { maxDiff, oneSidedErrors };
}

function describeAgreement({ maxDiff, oneSidedErrors }: Agreement): string {
  const errors = oneSidedErrors > 0 ? ` (${fmt(oneSidedErrors)} trials an error in one only)` : '';
  return `${maxDiff.toExponential(1)}${errors}`;
}

// ---------------------------------------------------------------------------------------------
// IronCalc, recalculating once per trial
// ---------------------------------------------------------------------------------------------

interface IronCalcBench {
  loadMs: number;
  rate: Rate;
  /** Montecell's outputs on the same trials (same samples), per output. */
  agreement: Agreement[];
}

async function ironCalcBench(engine: EngineBench, seconds: number): Promise<IronCalcBench> {
  const { model, run } = engine;
  const began = performance.now();
  const workbook = new IronCalcWorkbook(model);
  const loadMs = performance.now() - began;
  const streams = engineStreams(run, model);
  const dist = distributions(model);
  const values = new Float64Array(model.inputs.length);
  const results = new Float64Array(model.outputs.length);
  const seen: number[][] = model.outputs.map(() => []);
  const rate = await measureRate((start, count) => {
    for (let t = start; t < start + count; t++) {
      for (let k = 0; k < values.length; k++) values[k] = dist[k].inverseCdf(uniform(SEED, streams[k], t));
      workbook.trial(values, results);
      for (let j = 0; j < results.length; j++) seen[j].push(results[j]);
    }
  }, seconds);
  workbook.free();
  // Every trial IronCalc computed was trial 0, 1, 2, …: compare with Montecell's values for them.
  const montecell = await runRange(run, 0, seen[0].length);
  const agreement = seen.map((s, j) => compareSamples(s, montecell.values[j]));
  return { loadMs, rate, agreement };
}

// ---------------------------------------------------------------------------------------------
// The hand-written JavaScript of model (a)
// ---------------------------------------------------------------------------------------------

interface HandWrittenBench {
  rate: Rate;
  trials: number;
  /** Per output (NPV, IRR): Montecell's mean, the hand-written mean, the largest per-trial difference. */
  outputs: {
    label: string;
    montecell: number;
    handWritten: number;
    standardError: number;
    /** Trials without a value (no IRR): Montecell's, the hand-written function's. */
    errors: readonly [number, number];
    agreement: Agreement;
  }[];
}

/** Mean and standard error of the numbers of a sample (NaN marks a trial whose output was an error). */
function moments(xs: Float64Array): { mean: number; standardError: number; errors: number } {
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (const x of xs) {
    if (Number.isNaN(x)) continue;
    n++;
    sum += x;
    squares += x * x;
  }
  const mean = sum / n;
  const variance = Math.max(0, (squares - n * mean * mean) / (n - 1));
  return { mean, standardError: Math.sqrt(variance / n), errors: xs.length - n };
}

async function handWrittenBench(engine: EngineBench, seconds: number): Promise<HandWrittenBench> {
  const { model, run } = engine;
  const streams = engineStreams(run, model);
  const base = run.recordLimit;
  const rate = await measureRate((start, count) => {
    const out = { npv: new Float64Array(count), irr: new Float64Array(count) };
    runHandWrittenDcf(SEED, streams, base + start, base + start + count, out);
  }, seconds);

  const out = { npv: new Float64Array(AGREEMENT_TRIALS), irr: new Float64Array(AGREEMENT_TRIALS) };
  runHandWrittenDcf(SEED, streams, 0, AGREEMENT_TRIALS, out);
  const montecell = await runRange(run, 0, AGREEMENT_TRIALS);
  const outputs = [out.npv, out.irr].map((handWritten, j) => {
    const ours = moments(montecell.values[j]);
    const theirs = moments(handWritten);
    return {
      label: model.outputs[j],
      montecell: ours.mean,
      handWritten: theirs.mean,
      standardError: theirs.standardError,
      errors: [ours.errors, theirs.errors] as const,
      agreement: compareSamples(montecell.values[j], handWritten),
    };
  });
  return { rate, trials: AGREEMENT_TRIALS, outputs };
}

// ---------------------------------------------------------------------------------------------
// The CLI, as a user runs it
// ---------------------------------------------------------------------------------------------

interface CliRun {
  iterations: number;
  /** Wall time of the whole process: start-up, loading the file, compiling, simulating, statistics. */
  wallSeconds: number;
  /** The engine's own elapsed time, as the CLI reports it. */
  engineSeconds: number;
  /** CPU time of the whole process (more than wall time when threads help, less when the machine is busy). */
  cpuSeconds: number;
  maxRssMb: number;
  command: string;
}

/** The median of `count` runs by wall time (the machine may be shared), with the fastest. */
function cliRuns(model: BenchModel, iterations: number, count: number): { median: CliRun; best: CliRun } {
  const runs = Array.from({ length: count }, () => cliRun(model, iterations)).sort(
    (a, b) => a.wallSeconds - b.wallSeconds,
  );
  return { median: runs[Math.floor(count / 2)], best: runs[0] };
}

function cliRun(model: BenchModel, iterations: number): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'montecell-bench-'));
  const rssFile = join(dir, 'max-rss');
  const args = [
    '--require',
    resolve(ROOT, 'bench/max-rss.cjs'),
    'bin/montecell.js',
    'simulate',
    relative(ROOT, modelPath(ROOT, model)),
    '--iterations',
    String(iterations),
    '--json',
  ];
  try {
    const began = performance.now();
    const child = spawnSync(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, BENCH_MAX_RSS_FILE: rssFile },
      maxBuffer: 16 * 1024 * 1024,
      encoding: 'utf8',
    });
    const wallSeconds = (performance.now() - began) / 1000;
    if (child.status !== 0) throw new Error(`montecell simulate failed: ${child.stderr || child.error}`);
    const json = JSON.parse(child.stdout) as { elapsed_ms: number };
    const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number; cpuMicros: number };
    return {
      iterations,
      wallSeconds,
      engineSeconds: json.elapsed_ms / 1000,
      cpuSeconds: usage.cpuMicros / 1e6,
      maxRssMb: usage.maxRssKb / 1024,
      command: `node ${args.slice(2).join(' ')}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

interface Results {
  date: string;
  commit: string;
  machine: string;
  engines: EngineBench[];
  ironCalc: IronCalcBench[];
  handWritten: HandWrittenBench;
  cli: { million?: CliRun; millionBest?: CliRun; tenMillion?: CliRun; skipped?: string };
  service?: ServiceBench;
}

// ---------------------------------------------------------------------------------------------
// The service: POST /run to the WebSocket's events, model (a), 10,000 trials
// ---------------------------------------------------------------------------------------------

interface ServiceBench {
  runs: number;
  firstProgressMs: number;
  completedMs: number;
  engineMs: number;
  command: string;
}

/** scripts/load-service.ts's benchmark (a real service on Redis, one run at a time), on model (a). */
function serviceBench(model: BenchModel): ServiceBench {
  const dir = mkdtempSync(join(tmpdir(), 'montecell-bench-'));
  const out = join(dir, 'service.json');
  const env = {
    LOAD_SIMULATIONS: '0',
    LOAD_BENCH_XLSX: relative(ROOT, modelPath(ROOT, model)),
    LOAD_BENCH_TARGETS: model.outputs.join(','),
  };
  try {
    const child = spawnSync('npx', ['tsx', 'scripts/load-service.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOAD_BENCH_JSON: out },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`the service benchmark failed: ${child.stderr || child.error}`);
    const measured = JSON.parse(readFileSync(out, 'utf8')) as Omit<ServiceBench, 'command'>;
    const vars = Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return { ...measured, command: `${vars} npx tsx scripts/load-service.ts` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (x: number) => (x >= 100 ? fmt(x) : fmt(x, x >= 10 ? 1 : 2));
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function engineTable(r: Results): string {
  return table(
    ['model', 'formula cells', 'random cells compiled', 'inputs', 'compile (ms)', 'trials/s', 'trials timed'],
    r.engines.map((e) => [
      `(${'abc'[r.engines.indexOf(e)]}) ${e.model.description}`,
      fmt(e.formulaCells),
      fmt(e.randomCells),
      fmt(e.inputs),
      fmt(e.compileMs),
      fmt(e.rate.perSecond),
      fmt(e.rate.trials),
    ]),
  );
}

function ironCalcTable(r: Results): string {
  return table(
    [
      'model',
      'IronCalc load (ms)',
      'IronCalc trials timed',
      'IronCalc trials/s',
      'Montecell trials/s',
      'ratio',
      'same results: max rel. diff per output',
    ],
    r.engines.map((e, i) => {
      const ic = r.ironCalc[i];
      return [
        `(${'abc'[i]}) ${e.model.name}`,
        fmt(ic.loadMs),
        fmt(ic.rate.trials),
        fmt(ic.rate.perSecond, 1),
        fmt(e.rate.perSecond),
        `${ratio(e.rate.perSecond / ic.rate.perSecond)}×`,
        ic.agreement.map(describeAgreement).join('; '),
      ];
    }),
  );
}

function handWrittenTable(r: Results): string {
  const engine = r.engines[0].rate.perSecond;
  const hand = r.handWritten.rate.perSecond;
  const speed = table(
    ['hand-written trials/s', 'Montecell trials/s', 'hand-written ÷ Montecell'],
    [[fmt(hand), fmt(engine), `${ratio(hand / engine)}×`]],
  );
  const agreement = table(
    [
      'output',
      'Montecell mean',
      'hand-written mean',
      'standard error',
      'trials without a value',
      'max rel. diff per trial',
    ],
    r.handWritten.outputs.map((o) => [
      o.label,
      o.montecell.toPrecision(10),
      o.handWritten.toPrecision(10),
      o.standardError.toPrecision(3),
      `${fmt(o.errors[0])} / ${fmt(o.errors[1])}`,
      describeAgreement(o.agreement),
    ]),
  );
  return `${speed}\n\nSame seed, same trials (${fmt(r.handWritten.trials)}), same Philox streams and inverse CDFs:\n\n${agreement}`;
}

function cliTable(r: Results): string {
  const rows = [r.cli.million, r.cli.tenMillion]
    .filter((run): run is CliRun => run !== undefined)
    .map((run) => [
      fmt(run.iterations),
      fmt(run.wallSeconds, 2),
      fmt(run.engineSeconds, 2),
      fmt(run.wallSeconds - run.engineSeconds, 2),
      fmt(run.cpuSeconds, 2),
      fmt(run.maxRssMb),
    ]);
  const text = rows.length
    ? table(
        ['trials', 'wall (s)', 'engine (s)', 'start-up, load, statistics (s)', 'CPU (s)', 'peak RSS (MB)'],
        rows,
      )
    : '';
  return [text, r.cli.skipped ? `Skipped: ${r.cli.skipped}.` : ''].filter(Boolean).join('\n\n');
}

function targets(r: Results): string {
  const [a] = r.engines;
  const vsIronCalc = a.rate.perSecond / r.ironCalc[0].rate.perSecond;
  const vsHand = r.handWritten.rate.perSecond / a.rate.perSecond;
  const rows = [
    ['(a) vs IronCalc recalculation', '≥ 300×', `${ratio(vsIronCalc)}×`, verdict(vsIronCalc >= 300)],
    ['(a) vs hand-written JavaScript', 'within 2×', `${ratio(vsHand)}×`, verdict(vsHand <= 2)],
  ];
  const { million, tenMillion } = r.cli;
  if (million)
    rows.push([
      '(a) 1,000,000 trials from the CLI (median of 3)',
      '< 3 s',
      `${fmt(million.wallSeconds, 2)} s (fastest ${fmt(r.cli.millionBest?.wallSeconds ?? million.wallSeconds, 2)} s)`,
      verdict(million.wallSeconds < 3),
    ]);
  if (tenMillion)
    rows.push([
      '(a) 10,000,000 trials, peak memory',
      '< 1 GB',
      `${fmt(tenMillion.maxRssMb)} MB`,
      verdict(tenMillion.maxRssMb < 1024),
    ]);
  if (r.service)
    rows.push(
      [
        'service: POST /run → first progress event, (a), 10,000 trials',
        '< 100 ms',
        `${fmt(r.service.firstProgressMs, 1)} ms`,
        verdict(r.service.firstProgressMs < 100),
      ],
      [
        'service: POST /run → completed event, (a), 10,000 trials',
        '< 500 ms',
        `${fmt(r.service.completedMs)} ms`,
        verdict(r.service.completedMs < 500),
      ],
    );
  return table(['target', 'required', 'measured', ''], rows);
}

function serviceSection(r: Results): string {
  if (!r.service) return 'Skipped (--quick).';
  const s = r.service;
  return `\`${s.command}\`: a service started on Redis (API and workers in one process), one WebSocket
client connected before each \`POST /api/simulations/run\`; medians of ${s.runs} runs of model (a) with
10,000 trials, against the engine alone in the same process (compile, run, statistics).

${table(
  ['POST → first progress event', 'POST → completed event', 'engine alone', 'service ÷ engine'],
  [
    [
      `${fmt(s.firstProgressMs, 1)} ms`,
      `${fmt(s.completedMs)} ms`,
      `${fmt(s.engineMs)} ms`,
      ratio(s.completedMs / s.engineMs),
    ],
  ],
)}`;
}

function markdown(r: Results): string {
  return `# Benchmarks

The performance targets of issues 3 (engine, CLI) and 4 (service), measured by \`npm run bench\`
(bench/run.ts; the models are generated by bench/models.ts into bench/models/). Everything below comes
from one run:

- date: ${r.date}, commit ${r.commit}
- machine: ${r.machine}

Rates are trials per CPU second of the benchmark process, the best of three timed batches: the machine
may be shared, and CPU time is not inflated by other work; on an idle machine they equal wall-clock rates.

## Targets

${targets(r)}

## Montecell's engine (one thread, after compiling)

The kernel alone, timed on trials past the first 100,000 (whose input samples are kept for sensitivity),
seed ${SEED}. Compile time covers parsing, the graph, compiling, the deterministic cells and generating the kernel.

${engineTable(r)}

## Against recalculating the workbook once per trial (IronCalc)

IronCalc (\`@ironcalc/wasm\`) holds the same workbook with every distribution cell replaced by a number and
\`RiskOutput(…)+\` removed. Each trial sets the input cells (\`setUserInput\`) to samples drawn in JavaScript,
recalculates (\`evaluate\`) and reads the outputs, as recalculation-driven tools do. The samples are
Montecell's own (same seed, streams and inverse CDFs), so the last column compares the two engines'
outputs trial by trial.

${ironCalcTable(r)}

## Against hand-written JavaScript (model a)

bench/dcf-handwritten.ts computes model (a)'s NPV and project IRR in a plain loop (Newton's method for
the IRR, as Excel).

${handWrittenTable(r)}

## The CLI (model a, including start-up and loading the file)

\`${r.cli.million?.command ?? 'node bin/montecell.js simulate bench/models/dcf.xlsx --iterations 1000000 --json'}\`,
timed from outside the process; peak RSS from \`process.resourceUsage().maxRSS\` (bench/max-rss.cjs).

${cliTable(r)}

## The service (issue 4's targets, model a)

${serviceSection(r)}
`;
}

function printSummary(r: Results): void {
  console.log(`\n${r.machine}; ${r.date}; ${r.commit}\n`);
  for (const [title, body] of [
    ['Targets', targets(r)],
    ['Engine', engineTable(r)],
    ['IronCalc', ironCalcTable(r)],
    ['Hand-written', handWrittenTable(r)],
    ['CLI', cliTable(r)],
    ['Service', serviceSection(r)],
  ])
    console.log(`## ${title}\n\n${body}\n`);
}

function machine(): string {
  const cores = cpus();
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  return `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), ${platform()} ${release()}, Node ${process.version}; load average at the end ${load}`;
}

function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' (with local changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '3' },
      'force-10m': { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const models = benchModels();
  writeBenchModels(ROOT, models);
  const log = (text: string) => process.stderr.write(`${text}\n`);

  const engines: EngineBench[] = [];
  const ironCalc: IronCalcBench[] = [];
  for (const model of models) {
    log(`${model.name}: Montecell…`);
    const engine = await engineBench(model, seconds);
    engines.push(engine);
    log(`${model.name}: IronCalc…`);
    ironCalc.push(await ironCalcBench(engine, seconds));
  }
  log('dcf: hand-written JavaScript…');
  const handWritten = await handWrittenBench(engines[0], seconds);

  const cli: Results['cli'] = {};
  if (values.quick) cli.skipped = 'the CLI runs (--quick)';
  else {
    log('dcf: CLI, 1,000,000 trials, three times…');
    const million = cliRuns(models[0], 1_000_000, 3);
    cli.million = million.median;
    cli.millionBest = million.best;
    const estimate = cli.million.cpuSeconds * 10;
    if (estimate > LONG_RUN_LIMIT_S && !values['force-10m'])
      cli.skipped = `10,000,000 trials (estimated ${fmt(estimate)} s at this speed; run with --force-10m)`;
    else {
      log('dcf: CLI, 10,000,000 trials…');
      cli.tenMillion = cliRun(models[0], 10_000_000);
    }
  }

  let service: ServiceBench | undefined;
  if (!values.quick) {
    log('dcf: the service, 10,000 trials…');
    service = serviceBench(models[0]);
  }

  const results: Results = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: commit(),
    machine: machine(),
    engines,
    ironCalc,
    handWritten,
    cli,
    ...(service ? { service } : {}),
  };
  printSummary(results);
  const doc = resolve(ROOT, 'docs/benchmarks.md');
  writeFileSync(doc, markdown(results) + sectionsByHand(doc));
  log(`wrote ${relative(ROOT, doc)}`);
}

/** Sections measured by other commands, after this marker in the document: kept as they are. */
const HAND_WRITTEN = '<!-- Sections below are written by hand; npm run bench keeps them. -->';

function sectionsByHand(doc: string): string {
  const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
  const at = text.indexOf(HAND_WRITTEN);
  return `\n${at >= 0 ? text.slice(at) : `${HAND_WRITTEN}\n`}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
