import { parseArgs } from 'node:util';
import { formulaCellCount } from '../../shared/model';
import { gpuBuildSettings } from '../config';
import { nvccToolchain } from '../engine/backends/cuda/compiler';
import { detectGpu, GpuFailure, type GpuInfo } from '../engine/backends/cuda/device';
import { MAX_GPU_ITERATIONS, simulateOnGpu } from '../engine/backends/cuda/simulate-gpu';
import { simulateTfjs } from '../engine/backends/tfjs/kernel';
import { loadTfjs, NATIVE_TFJS_PACKAGES, TFJS_ENV } from '../engine/backends/tfjs/loader';
import { BackendUnsupported } from '../engine/compile/backend-unsupported';
import { defaultThreadCount } from '../engine/runtime/engine-pool';
import {
  afterGpuFailure,
  detectedAvailability,
  type EngineDecision,
  selectEngine,
  whyNotGpu,
} from '../engine/runtime/engine-selection';
import { simulateOnThreads } from '../engine/runtime/threaded-run';
import { type EngineRequest, MAX_ITERATIONS, simulate } from '../engine/simulate';
import { describeResults, type SimulationResults } from '../engine/statistics/results';
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
  const onProgress = (done: number, total: number) => progress?.update(done, total);
  // Small runs finish before threads would even start; auto-stop decides slice by slice on this thread.
  const parallel =
    untilPrecision === undefined &&
    (values.threads !== undefined
      ? threads > 1
      : threads > 1 &&
        iterations * workbook.model.sheets.reduce((n, sheet) => n + formulaCellCount(sheet), 0) >=
          PARALLEL_FROM_CELL_TRIALS);
  const onCpu = async (): Promise<SimulationResults> =>
    parallel
      ? (await simulateOnThreads(workbook.model, request, { threads, onProgress })).results
      : describeResults(await simulate(workbook.model, request, { onProgress }));
  const onGpu = async (device: GpuInfo): Promise<Ran> => {
    const result = await simulateOnGpu(
      workbook.model,
      request,
      { ...gpuOptions(device), threads },
      { onProgress },
    );
    return { results: describeResults(result), device: result.device };
  };
  // The service's engine selection: the GPU when there is one that can run this, else the CPU saying why.
  const onEngine = async (): Promise<Ran & { note?: string }> => {
    const detection = await detectGpu();
    let decision: EngineDecision = selectEngine(engine, detectedAvailability(detection), undefined);
    // Refused before anything ran (no GPU): the request cannot be met here, as a usage error.
    if ('fail' in decision) throw new UsageError(decision.fail);
    if (decision.engine === 'cuda' && detection.available)
      try {
        return await onGpu(detection.devices[0]);
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
    return { results: await onCpu(), ...(decision.note ? { note: decision.note } : {}) };
  };
  const ran: Ran & { note?: string } = tfjs
    ? { results: describeResults(await simulateTfjs(tfjs.tf, workbook.model, request, { onProgress })) }
    : engine === 'cpu'
      ? { results: await onCpu() }
      : await onEngine();
  progress?.done();

  const { results, note } = ran;
  const { sensitivity } = results;
  const outputs = Object.entries(results.outputs).map(
    ([label, { statistics, percentiles, histogram, errors }]) => ({
      label,
      stats: { ...statistics, percentiles, histogram, errors: errors.total },
    }),
  );
  if (values.json) {
    const json = {
      iterations: results.iterations,
      seed: results.seed,
      elapsed_ms: results.elapsed_ms,
      // As the service names the backend that computed the trials.
      engine_used: ran.device !== undefined ? 'cuda' : engine === 'tfjs' ? 'tfjs' : 'cpu',
      ...(ran.device !== undefined ? { device: ran.device } : {}),
      ...(note ? { engine_note: note } : {}),
      outputs: Object.fromEntries(
        outputs.map(({ label, stats }) => [
          label,
          {
            mean: stats.mean,
            std: stats.std,
            min: stats.min,
            max: stats.max,
            percentiles: stats.percentiles,
            errors: stats.errors,
          },
        ]),
      ),
      sensitivity,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const on = ran.device !== undefined ? ` on ${ran.device}` : '';
  process.stdout.write(
    `${results.iterations.toLocaleString('en-US')} trials, seed ${results.seed}, ${results.sampling}, ${results.elapsed_ms} ms${on}\n${note ? `(${note})\n` : ''}\n`,
  );
  for (const { label, stats } of outputs) {
    process.stdout.write(`${label}\n`);
    const rows: [string, number | null][] = [
      ['mean', stats.mean],
      ['std dev', stats.std],
      ['min', stats.min],
      ['max', stats.max],
      ...Object.entries(stats.percentiles).map(([p, v]) => [`P${p}`, v] as [string, number]),
    ];
    for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(8)} ${formatNumber(value)}\n`);
    if (stats.errors > 0) process.stdout.write(`  errors   ${stats.errors} trials were not numbers\n`);
    process.stdout.write(`${textHistogram(stats.histogram)}\n`);
    const top = sensitivity[label].slice(0, 5);
    if (top.length > 0) process.stdout.write('  most influential inputs (rank correlation):\n');
    for (const s of top)
      process.stdout.write(
        `    ${s.rankCorrelation.toFixed(3).padStart(7)}  ${s.name ? `${s.name} (${s.input})` : s.input}\n`,
      );
  }
  return 0;
}

/** What a run on one engine gives the report: the statistics, and the GPU's name when it ran there. */
interface Ran {
  results: SimulationResults;
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

function formatNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumSignificantDigits: 8 });
}

/** Cells whose formula contains RiskOutput(), in workbook order. */
export function riskOutputs(model: {
  sheets: { name: string; cells: Record<string, { formula?: string } | object> }[];
}): string[] {
  const out: string[] = [];
  for (const sheet of model.sheets)
    for (const [address, cell] of Object.entries(sheet.cells))
      if ('formula' in cell && typeof cell.formula === 'string' && /RISKOUTPUT\s*\(/i.test(cell.formula))
        out.push(`'${sheet.name.replace(/'/g, "''")}'!${address}`);
  return out;
}

/**
 * Threads pay for their start (each compiles the model) once a run computes about this many formula
 * cells in all: 50,000 trials of a 500-cell model, or 2,500 of a 10,000-cell one.
 */
const PARALLEL_FROM_CELL_TRIALS = 25_000_000;
