import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OUTPUT_CALL } from '../../shared/functions/psi';
import type { SimulationResults, WorkbookModel } from '../../shared/model';
import {
  cellValueText,
  formulaCellCount,
  namedCell,
  REPORT_SHEET_NAME,
  reportTable,
} from '../../shared/model';
import { gpuBuildSettings } from '../config';
import { nvccToolchain } from '../engine/backends/cuda/compiler';
import { detectGpu, GpuFailure, type GpuInfo } from '../engine/backends/cuda/device';
import { MAX_GPU_ITERATIONS, simulateOnGpu } from '../engine/backends/cuda/simulate-gpu';
import { simulateTfjs } from '../engine/backends/tfjs/kernel';
import { loadTfjs, NATIVE_TFJS_PACKAGES, TFJS_ENV } from '../engine/backends/tfjs/loader';
import { BackendUnsupported } from '../engine/compile/backend-unsupported';
import { type AssembledRun, assembledResults, describeAssembled } from '../engine/runtime/assembled-run';
import { defaultThreadCount } from '../engine/runtime/engine-pool';
import {
  afterGpuFailure,
  detectedAvailability,
  type EngineDecision,
  selectEngine,
  whyNotGpu,
} from '../engine/runtime/engine-selection';
import { simulateOnThreads } from '../engine/runtime/threaded-run';
import {
  compile,
  type EngineRequest,
  type EngineResult,
  MAX_ITERATIONS,
  simulate,
  simulationCount,
} from '../engine/simulate';
import type { EnginesUsed } from '../engine/statistics/results';
import { XlsxError } from '../xlsx/package-reader';
import { writeCellValues } from '../xlsx/write-cell-values';
import { UsageError } from './errors';
import { loadWorkbookFile } from './load-workbook';
import { ProgressLine } from './progress-line';
import { textHistogram } from './text-histogram';

function positiveInteger(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1, got "${text}"`);
  return n;
}

export async function runSimulate(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', multiple: true },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      sampling: { type: 'string' },
      threads: { type: 'string' },
      'until-precision': { type: 'string' },
      engine: { type: 'string' },
      json: { type: 'boolean', default: false },
      write: { type: 'string' },
      simulations: { type: 'string' },
    },
  });
  const engine = values.engine ?? 'cpu';
  if (engine !== 'cpu' && engine !== 'tfjs' && engine !== 'gpu' && engine !== 'auto')
    throw new UsageError('--engine must be cpu, gpu, auto or tfjs');
  const iterations = positiveInteger(values.iterations, '--iterations', 10_000);
  // The GPU keeps the trials in its own memory, so its runs may be larger.
  const mayUseGpu = engine === 'gpu' || engine === 'auto';
  const maxIterations = mayUseGpu ? MAX_GPU_ITERATIONS : MAX_ITERATIONS;
  if (iterations > maxIterations)
    throw new UsageError(
      `--iterations must be at most ${maxIterations.toLocaleString('en-US')}${mayUseGpu ? '' : ' (up to 1,000,000,000 with --engine gpu)'}`,
    );
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a whole number ≥ 0, got "${values.seed}"`);
  const samplingFlag = values.sampling ?? 'mc';
  if (samplingFlag !== 'mc' && samplingFlag !== 'lhs') throw new UsageError('--sampling must be mc or lhs');
  const threads = positiveInteger(values.threads, '--threads', defaultThreadCount());
  const untilPrecision =
    values['until-precision'] === undefined ? undefined : Number(values['until-precision']);
  if (untilPrecision !== undefined && !(untilPrecision > 0 && untilPrecision < 1))
    throw new UsageError(
      '--until-precision must be a share between 0 and 1, e.g. 0.01 for ±1 % on the means',
    );

  if (engine === 'gpu' && untilPrecision !== undefined)
    throw new UsageError('--until-precision needs the CPU engine');
  // The float32 tfjs backend only where the operator installed a native build and turned it on.
  const tfjs = engine === 'tfjs' ? loadTfjs() : undefined;
  if (engine === 'tfjs' && !tfjs)
    throw new UsageError(
      `--engine tfjs needs ${TFJS_ENV}=1 and ${NATIVE_TFJS_PACKAGES.join(' or ')} installed (see docs/gpu-tfjs.md)`,
    );

  const workbook = loadWorkbookFile(positionals[0]);
  if (values.write !== undefined) checkWritable(values.write, positionals[0]);
  const targets = values.output?.length ? values.output : riskOutputs(workbook.model);
  if (targets.length === 0)
    throw new UsageError(
      'no outputs: name them with --output (e.g. --output "Sheet1!B10") or mark cells with RiskOutput()',
    );

  const progress = !values.json && process.stderr.isTTY ? new ProgressLine(process.stderr) : undefined;
  const request: EngineRequest = {
    targets,
    iterations,
    seed,
    sampling: samplingFlag === 'lhs' ? 'latin_hypercube' : 'monte_carlo',
    ...(untilPrecision !== undefined ? { autoStop: { relativeTolerance: untilPrecision } } : {}),
  };
  // RiskSimtable: one simulation per entry of its list, unless --simulations says how many.
  const simulations = countSimulations(
    workbook.model,
    request,
    values.simulations === undefined ? undefined : positiveInteger(values.simulations, '--simulations', 1),
  );
  if (simulations > 1 && untilPrecision !== undefined)
    throw new UsageError('--until-precision runs one simulation: the model has several (RiskSimtable)');
  let simulationsDone = 0;
  const onProgress = (done: number, total: number) =>
    progress?.update(simulationsDone * total + done, simulations * total);
  // Small runs finish before threads would even start; auto-stop decides slice by slice on this thread.
  const parallel =
    untilPrecision === undefined &&
    (values.threads !== undefined
      ? threads > 1
      : threads > 1 &&
        iterations * workbook.model.sheets.reduce((n, sheet) => n + formulaCellCount(sheet), 0) >=
          PARALLEL_FROM_CELL_TRIALS);
  // The results name the backend that computed the trials, as the service's do.
  // A run of several simulations: the last computes every simulation's statistics cells (RiskMean(B3, 2)).
  const runs: Ran[] = [];
  const simulationOf = (request: EngineRequest) => {
    const index = request.simulation ?? 1;
    const earlier = index === simulations ? runs.map((r) => r.exported) : [];
    return { index, count: simulations, earlier };
  };
  const described = (result: EngineResult, request: EngineRequest, engines: EnginesUsed) =>
    describeAssembled(result, request.targets, {
      engines,
      keyByTargets: false,
      simulation: simulationOf(request),
    });
  const onCpu = async (request: EngineRequest, note?: string): Promise<Ran> => {
    const engines: EnginesUsed = { engine_used: 'cpu', ...(note ? { engine_note: note } : {}) };
    return parallel
      ? await simulateOnThreads(workbook.model, request, {
          threads,
          onProgress,
          engines,
          simulation: simulationOf(request),
        })
      : await described(await simulate(workbook.model, request, { onProgress }), request, engines);
  };
  const onGpu = async (request: EngineRequest, device: GpuInfo): Promise<Ran> => {
    const result = await simulateOnGpu(
      workbook.model,
      request,
      { ...gpuOptions(device), threads },
      { onProgress },
    );
    return { ...(await described(result, request, { engine_used: 'cuda' })), device: result.device };
  };
  const onTfjs = async (request: EngineRequest, tf: NonNullable<typeof tfjs>['tf']): Promise<Ran> =>
    described(await simulateTfjs(tf, workbook.model, request, { onProgress }), request, {
      engine_used: 'tfjs',
    });
  // The service's engine selection: the GPU when there is one that can run this, else the CPU saying why.
  const onEngine = async (request: EngineRequest): Promise<Ran> => {
    const detection = await detectGpu();
    let decision: EngineDecision = selectEngine(engine, detectedAvailability(detection), undefined);
    // Refused before anything ran (no GPU): the request cannot be met here, as a usage error.
    if ('fail' in decision) throw new UsageError(decision.fail);
    if (decision.engine === 'cuda' && detection.available)
      try {
        return await onGpu(request, detection.devices[0]);
      } catch (error) {
        if (error instanceof BackendUnsupported) decision = selectEngine(engine, { usable: true }, error);
        else if (error instanceof GpuFailure) decision = afterGpuFailure(engine, error.message);
        else throw error;
      }
    // The GPU failed or cannot run this model: one line, exit 1 (the machine, not the input).
    if ('fail' in decision) throw new GpuFailure(decision.fail);
    if (decision.engine === 'cuda') throw new Error('internal: the GPU was chosen without a device');
    if (iterations > MAX_ITERATIONS)
      throw new UsageError(
        `--iterations above 10,000,000 need the GPU, and ${whyNotGpu(decision.note ?? 'the CPU was chosen')}`,
      );
    return onCpu(request, decision.note);
  };
  for (let simulation = 1; simulation <= simulations; simulation++) {
    const one = simulations === 1 ? request : { ...request, simulation };
    runs.push(tfjs ? await onTfjs(one, tfjs.tf) : engine === 'cpu' ? await onCpu(one) : await onEngine(one));
    simulationsDone = simulation;
  }
  progress?.done();

  const ran = runs[0];
  const results = assembledResults(runs);
  for (const warning of results.warnings ?? []) process.stderr.write(`montecell: warning: ${warning}\n`);
  if (values.write !== undefined) writeCopy(workbook.bytes, values.write, results);
  if (values.json) {
    // The service's results, and on a GPU its name.
    const device = ran.device !== undefined ? { device: ran.device } : {};
    process.stdout.write(`${JSON.stringify({ ...results, ...device }, null, 2)}\n`);
    return 0;
  }
  const on = ran.device !== undefined ? ` on ${ran.device}` : '';
  process.stdout.write(
    `${results.iterations.toLocaleString('en-US')} trials, seed ${results.seed}, ${results.sampling}, ${results.elapsed_ms} ms${on}\n${results.engine_note ? `(${results.engine_note})\n` : ''}\n`,
  );
  for (const [label, { name, statistics, percentiles, histogram, errors }] of Object.entries(
    results.outputs,
  )) {
    process.stdout.write(`${namedCell(label, name)}\n`);
    const rows: [string, number | null][] = [
      ['mean', statistics.mean],
      ['std dev', statistics.std],
      ['min', statistics.min],
      ['max', statistics.max],
      ...Object.entries(percentiles).map(([p, v]): [string, number | null] => [`P${p}`, v]),
    ];
    for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(8)} ${formatNumber(value)}\n`);
    if (errors > 0) process.stdout.write(`  errors   ${errors} trials were not numbers\n`);
    process.stdout.write(`${textHistogram(histogram)}\n`);
    const top = results.sensitivity[label].slice(0, 5);
    if (top.length > 0)
      process.stdout.write(
        '  most influential inputs (rank correlation, regression coefficient, contribution to variance):\n',
      );
    for (const s of top)
      process.stdout.write(
        `    ${s.rank_correlation.toFixed(3).padStart(7)}  ${optional(s.regression, (r) => r.toFixed(3)).padStart(7)}  ${optional(s.contribution_to_variance, (c) => `${(100 * c).toFixed(1)} %`).padStart(7)}  ${namedCell(s.input, s.name)}\n`,
      );
  }
  // Above: simulation 1. The scenarios side by side, by output.
  if (results.simulations) {
    process.stdout.write(`${results.simulations.length} simulations (RiskSimtable), same seed:\n`);
    for (const [label, { name }] of Object.entries(results.outputs)) {
      process.stdout.write(`  ${namedCell(label, name)}\n`);
      for (const { index, outputs } of results.simulations) {
        const { statistics, percentiles } = outputs[label];
        process.stdout.write(
          `    #${String(index).padEnd(3)} mean ${formatNumber(statistics.mean)}  P5 ${formatNumber(percentiles['5'] ?? null)}  P95 ${formatNumber(percentiles['95'] ?? null)}\n`,
        );
      }
    }
  }
  const cells = Object.entries(results.cells ?? {});
  if (cells.length > 0)
    process.stdout.write(`statistics cells after the run${results.simulations ? ' (simulation 1)' : ''}:\n`);
  for (const [cell, value] of cells) process.stdout.write(`  ${cell.padEnd(14)} ${cellValueText(value)}\n`);
  return 0;
}

/** The simulations a run holds: compiled once to read its RiskSimtable lists, when it has any. */
function countSimulations(
  model: WorkbookModel,
  request: EngineRequest,
  requested: number | undefined,
): number {
  const listsScenarios = model.sheets.some((sheet) =>
    Object.values(sheet.cells).some((cell) => 'formula' in cell && /SIMTABLE\s*\(/i.test(cell.formula)),
  );
  if (!listsScenarios && requested === undefined) return 1;
  return simulationCount(compile(model, request), requested);
}

/** Refused before the run, not after it: a path the copy could not be written to. */
function checkWritable(path: string, input: string | undefined): void {
  if (!/\.xlsx$/i.test(path)) throw new UsageError(`--write needs an .xlsx path, got "${path}"`);
  if (input !== undefined && resolve(path) === resolve(input))
    throw new UsageError('--write must name a new file: the workbook itself is left as it is');
  if (!existsSync(dirname(resolve(path))))
    throw new UsageError(`cannot write ${path}: the folder ${dirname(path)} does not exist`);
}

/** The workbook again at `path`, its statistics cells holding the run's values, with the report sheet. */
function writeCopy(original: Uint8Array, path: string, results: SimulationResults): void {
  const cells = results.cells ?? {};
  try {
    writeFileSync(path, writeCellValues(original, cells, reportTable(results)));
  } catch (error) {
    if (error instanceof XlsxError) throw new UsageError(`cannot write ${path}: ${error.message}`);
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot write ${path} (${why})`);
  }
  const count = Object.keys(cells).length;
  process.stderr.write(
    `montecell: wrote ${path} with ${count === 0 ? 'no statistics cells (the model has none)' : `${count} cell${count === 1 ? '' : 's'} filled in from the simulation`} and the sheet "${REPORT_SHEET_NAME}"\n`,
  );
}

/** What a run on one engine gives the report: the statistics, and the GPU's name when it ran there. */
interface Ran extends Pick<AssembledRun, 'results' | 'exported' | 'earlierCells'> {
  device?: string;
}

/** How to build for the GPU found; settings that are not valid are a one-line error (exit 2). */
function gpuOptions(device: GpuInfo) {
  let config: ReturnType<typeof gpuBuildSettings>;
  try {
    config = gpuBuildSettings();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    toolchain: nvccToolchain(device.computeCapability, { timeoutMs: config.nvccTimeoutMs }),
    cacheDir: config.gpuCacheDir,
    device,
  };
}

/** A statistic the results may leave out (too few trials, too many inputs): "n/a" then. */
function optional(n: number | undefined, format: (n: number) => string): string {
  return n === undefined ? 'n/a' : format(n);
}

function formatNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumSignificantDigits: 8 });
}

/** Cells whose formula contains RiskOutput() (or Analytic Solver's PsiOutput()), in workbook order. */
export function riskOutputs(model: {
  sheets: { name: string; cells: Record<string, { formula?: string } | object> }[];
}): string[] {
  const out: string[] = [];
  for (const sheet of model.sheets)
    for (const [address, cell] of Object.entries(sheet.cells))
      if ('formula' in cell && typeof cell.formula === 'string' && OUTPUT_CALL.test(cell.formula))
        out.push(`'${sheet.name.replace(/'/g, "''")}'!${address}`);
  return out;
}

/**
 * Threads pay for their start (each compiles the model) once a run computes about this many formula
 * cells in all: 50,000 trials of a 500-cell model, or 2,500 of a 10,000-cell one.
 */
const PARALLEL_FROM_CELL_TRIALS = 25_000_000;
