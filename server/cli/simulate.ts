import { parseArgs } from 'node:util';
import { formulaCellCount } from '../../shared/model';
import { gpuBuildSettings } from '../config';
import { defaultThreadCount, simulateParallel } from '../engine/backends/cpu/pool';
import { nvccToolchain } from '../engine/backends/cuda/compiler';
import { detectGpu, GpuFailure, type GpuInfo } from '../engine/backends/cuda/device';
import {
  type GpuEngineResult,
  MAX_GPU_ITERATIONS,
  simulateOnGpu,
} from '../engine/backends/cuda/simulate-gpu';
import { simulateTfjs } from '../engine/backends/tfjs/kernel';
import { loadTfjs, NATIVE_TFJS_PACKAGES, TFJS_ENV } from '../engine/backends/tfjs/loader';
import { EngineError } from '../engine/errors';
import { type EngineRequest, type EngineResult, MAX_ITERATIONS, simulate } from '../engine/simulate';
import { describeResults, type EnginesUsed } from '../engine/statistics/results';
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
    threads > 1 &&
    untilPrecision === undefined &&
    iterations * workbook.model.sheets.reduce((n, sheet) => n + formulaCellCount(sheet), 0) >=
      PARALLEL_FROM_CELL_TRIALS;
  const onCpu = () =>
    parallel
      ? simulateParallel(workbook.model, request, { threads, onProgress })
      : simulate(workbook.model, request, { onProgress });
  const onGpu = async (device?: GpuInfo) =>
    simulateOnGpu(workbook.model, request, { ...(await gpuOptions(device)), threads }, { onProgress });
  let note: string | undefined;
  // As the service's "auto": the GPU when there is one that can run this, else the CPU, saying why.
  const onGpuElseCpu = async (): Promise<EngineResult> => {
    const tried = await onGpuIfUsable(onGpu);
    if ('result' in tried) return tried.result;
    if (iterations > MAX_ITERATIONS)
      throw new UsageError(`--iterations above 10,000,000 need the GPU, and ${tried.why}`);
    note = `ran on the CPU: ${tried.why}`;
    return onCpu();
  };
  const result: EngineResult = tfjs
    ? await simulateTfjs(tfjs.tf, workbook.model, request, { onProgress })
    : engine === 'gpu'
      ? await onGpu()
      : engine === 'auto'
        ? await onGpuElseCpu()
        : await onCpu();
  progress?.done();

  // As the service names the backend that computed the trials.
  const engines: EnginesUsed = {
    engine_used: 'device' in result ? 'cuda' : engine === 'tfjs' ? 'tfjs' : 'cpu',
    ...(note ? { engine_note: note } : {}),
  };
  const results = await describeResults(result, engines);
  if (values.json) {
    // The service's results, and on a GPU its name.
    const device = 'device' in result ? { device: (result as GpuEngineResult).device } : {};
    process.stdout.write(`${JSON.stringify({ ...results, ...device }, null, 2)}\n`);
    return 0;
  }
  const on = 'device' in result ? ` on ${(result as GpuEngineResult).device}` : '';
  process.stdout.write(
    `${result.iterations.toLocaleString('en-US')} trials, seed ${result.seed}, ${result.sampling}, ${Math.round(result.elapsedMs)} ms${on}\n${note ? `(${note})\n` : ''}\n`,
  );
  for (const [label, { statistics, percentiles, histogram, errors }] of Object.entries(results.outputs)) {
    process.stdout.write(`${label}\n`);
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
    if (top.length > 0) process.stdout.write('  most influential inputs (rank correlation):\n');
    for (const s of top)
      process.stdout.write(
        `    ${s.rank_correlation.toFixed(3).padStart(7)}  ${s.name ? `${s.name} (${s.input})` : s.input}\n`,
      );
  }
  return 0;
}

/**
 * The GPU's result if there is a GPU that can run this model and request; otherwise why not (no GPU, a
 * model or request only the CPU engine runs, a GPU that failed), for the CPU to run it instead.
 */
async function onGpuIfUsable(
  onGpu: (device: GpuInfo) => Promise<EngineResult>,
): Promise<{ result: EngineResult } | { why: string }> {
  const detection = await detectGpu();
  if (!detection.available) return { why: `no GPU detected (${detection.reason})` };
  try {
    return { result: await onGpu(detection.devices[0]) };
  } catch (error) {
    const gpuOnly =
      error instanceof GpuFailure || (error instanceof EngineError && error.code === 'gpu-unsupported');
    if (!gpuOnly) throw error;
    return { why: error.message };
  }
}

/** The GPU given, or the first nvidia-smi lists, built for by nvcc; no GPU is a one-line error (exit 2). */
async function gpuOptions(found?: GpuInfo) {
  let device = found;
  if (!device) {
    const detection = await detectGpu();
    if (!detection.available) throw new UsageError(`--engine gpu needs an NVIDIA GPU: ${detection.reason}`);
    device = detection.devices[0];
  }
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
