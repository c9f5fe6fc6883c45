/**
 * A whole run on the GPU, statistics included (the CLI's `--engine gpu`): the trials stay in device
 * memory, where each output is counted, sorted and reduced (a summary run), and only its summary and
 * the first trials' values come back. The CPU backend computes those first trials too, alongside: their
 * input samples give the sensitivity, and their outputs check the GPU's, so a single recorded trial that
 * disagrees fails the run with a GPUValidationError instead of reporting numbers nobody checked.
 */

import type { WorkbookModel } from '../../../../shared/model';
import { BackendUnsupported } from '../../compile/backend-unsupported';
import { cellLabel } from '../../graph/model-graph';
import { rangesOnThreads } from '../../runtime/threaded-run';
import {
  assembleResult,
  type EngineHooks,
  type EngineRequest,
  type EngineResult,
  labelledCell,
  planRun,
  type RunPlan,
  recordedInputs,
  runRange,
  SimulationCancelled,
  withCpuKernel,
} from '../../simulate';
import { OUTCOME_CODES } from '../cpu/runtime';
import { generateCudaKernel } from './codegen';
import { BinaryCache, type CudaToolchain } from './compiler';
import { type BackendResult, GpuFailure, type GpuInfo, validateDevice } from './device';
import { DEVICE_STATISTICS_SOURCE } from './device-statistics';
import { summarizeOnDevice } from './device-summary';
import { generateSummaryProgram } from './host';
import { DeviceSummaryRun } from './summary-run';

/** Beyond the CPU backend's limit: no trial is kept in this process, only in the GPU's memory. */
export const MAX_GPU_ITERATIONS = 1_000_000_000;

export interface GpuSimulationOptions {
  toolchain: CudaToolchain;
  cacheDir: string;
  /** The device as detected, named in a validation failure. */
  device?: GpuInfo;
  /** Trials per kernel launch (default: about a hundredth of the run, 65,536 to 10^7). */
  batch?: number;
  /**
   * Threads for the CPU backend's share, the recorded trials and their rank correlations, done while
   * the GPU runs (default 1: on this thread, the correlations afterwards).
   */
  threads?: number;
}

export interface GpuEngineResult extends EngineResult {
  /** The device's name, as the CUDA runtime gave it. */
  device: string;
}

export async function simulateOnGpu(
  model: WorkbookModel,
  request: EngineRequest,
  options: GpuSimulationOptions,
  hooks: EngineHooks = {},
): Promise<GpuEngineResult> {
  const started = performance.now();
  if (request.autoStop) throw new BackendUnsupported('cuda', 'stopping at a precision target');
  const plan = planRun(model, request, MAX_GPU_ITERATIONS);
  const { program, statisticsCells } = plan.compiled;
  // The device's summary keeps the trials on the GPU; the statistics cells read them on the CPU.
  if (statisticsCells)
    throw new BackendUnsupported(
      'cuda',
      'statistics functions in cells (RiskMean, RiskPercentile…)',
      cellLabel(statisticsCells.book, statisticsCells.cells[0]),
    );
  const kernel = generateCudaKernel(program, { sampling: plan.sampling });
  if ('unsupported' in kernel) throw kernel.unsupported;
  const binary = await buildSummaryProgram(kernel, options).catch((error: Error) => {
    // One line: the compiler's first complaints are what matter.
    const why = error.message.replace(/\s*\n\s*/g, ' | ').slice(0, 500);
    throw new GpuFailure(`the model's GPU program could not be built: ${why}`);
  });
  // A build takes seconds to minutes, and cannot be stopped half way: a cancel waits for it.
  if (hooks.signal?.aborted) throw new SimulationCancelled('the simulation was cancelled');

  // Either half failing stops the other: the GPU program is killed, the CPU loop stops between slices.
  const both = new AbortController();
  const stop = () => both.abort();
  hooks.signal?.addEventListener('abort', stop, { once: true });
  const cpuSide = recordedOnCpu(model, request, plan, options.threads ?? 1, both.signal);
  const gpuSide = DeviceSummaryRun.start(
    {
      binary,
      outputs: kernel.outputs,
      seed: plan.seed,
      iterations: plan.iterations,
      batch: options.batch ?? Math.min(10_000_000, Math.max(65_536, Math.ceil(plan.iterations / 100))),
      record: plan.recordLimit,
    },
    { signal: both.signal, onProgress: (done) => hooks.onProgress?.(done, plan.iterations) },
  );
  try {
    const [run, cpu] = await Promise.all([gpuSide, cpuSide]).catch(async (error: unknown) => {
      both.abort();
      await Promise.allSettled([gpuSide, cpuSide]);
      throw error;
    });
    try {
      await validateDevice({ run: async () => run.recorded }, cpu, {
        seed: plan.seed,
        iterations: plan.recordLimit,
        ...(options.device ? { device: options.device } : {}),
      });
      const outputs: EngineResult['outputs'] = [];
      for (const [j, output] of program.outputs.entries()) {
        const facts = run.facts[j];
        // Completed means every requested trial was computed: the device's counts must say so.
        let counted = facts.numeric;
        for (const trials of facts.errorCodes.values()) counted += trials;
        if (counted !== plan.iterations)
          throw new GpuFailure(
            `the GPU accounted for ${counted} trials of output ${output.label}, not the ${plan.iterations} requested`,
          );
        const summary = await summarizeOnDevice(run, j, facts);
        const nonNumeric: Record<string, number> = {};
        for (const [code, count] of facts.errorCodes)
          nonNumeric[OUTCOME_CODES[code] ?? `code ${code}`] = count;
        outputs.push({
          ...labelledCell(output),
          values: run.recorded.values[j],
          outcomes: run.recorded.outcomes[j],
          nonNumeric,
          summary: { ...summary, errors: plan.iterations - facts.numeric },
        });
      }
      await run.close();
      return {
        iterations: plan.iterations,
        seed: plan.seed,
        sampling: plan.sampling,
        elapsedMs: performance.now() - started,
        outputs,
        inputs: recordedInputs(plan, cpu.inputSamples),
        device: run.device,
      };
    } catch (error) {
      run.kill();
      throw error;
    }
  } finally {
    hooks.signal?.removeEventListener('abort', stop);
  }
}

/** The summary program of a generated kernel, from the cache or built now (test/gpu/run.sh prepares it). */
export function buildSummaryProgram(
  kernel: { source: string; outputs: number },
  options: Pick<GpuSimulationOptions, 'cacheDir' | 'toolchain'>,
): Promise<string> {
  return new BinaryCache(options.cacheDir, options.toolchain).binaryFor(
    kernel.source + generateSummaryProgram(kernel.outputs),
    [DEVICE_STATISTICS_SOURCE],
  );
}

/** The recorded trials as the CPU backend computes them. */
interface RecordedOnCpu extends BackendResult {
  inputSamples: Float64Array[];
}

async function recordedOnCpu(
  model: WorkbookModel,
  request: EngineRequest,
  plan: RunPlan,
  threads: number,
  signal: AbortSignal,
): Promise<RecordedOnCpu> {
  if (threads <= 1) {
    const chunk = await runRange(withCpuKernel(plan), 0, plan.recordLimit, { signal });
    return { values: chunk.values, outcomes: chunk.outcomes, inputSamples: chunk.inputSamples };
  }
  // A run of only the recorded trials draws exactly what the whole run draws for them (Philox is keyed
  // by trial) and records all of them.
  const recorded = { ...plan, iterations: plan.recordLimit };
  const chunks = await rangesOnThreads(
    model,
    { ...request, seed: plan.seed, iterations: plan.recordLimit },
    { threads, signal },
  );
  const result = assembleResult(recorded, chunks, 0);
  return {
    values: result.outputs.map((o) => o.values),
    outcomes: result.outputs.map((o) => o.outcomes),
    inputSamples: result.inputs.map((input) => input.values),
  };
}
