/**
 * The engine's entry point: a workbook and a request in, per-output samples out. Stages: parse the
 * model, build the graph and compile the random part, generate the CPU kernel, run the trials in
 * chunks (reporting progress after each), and hand the samples to the statistics stage.
 */
import type { Sampling, Variable, WorkbookModel } from '../../shared/model';
import { CpuKernel, type TrialBuffers } from './backends/cpu/kernel';
import { OUTCOME_CODES } from './backends/cpu/runtime';
import { type CompiledModel, compileModel } from './compile/compile-model';
import { EngineError } from './errors';
import { parseModel } from './parse/parse-model';
import { lhsUniform } from './sampling/latin-hypercube';
import { uniform } from './sampling/philox';

export interface EngineRequest {
  targets: string[];
  variables?: Variable[];
  iterations: number;
  seed?: number;
  sampling?: Sampling;
}

export interface EngineHooks {
  /** Called after each chunk with the number of trials done so far. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between chunks; a run stops with `SimulationCancelled` when it is aborted. */
  signal?: AbortSignal;
  /** Trials per chunk (default: about 1 % of the run, at least 1,000). */
  chunkSize?: number;
}

export interface OutputSamples {
  label: string;
  values: Float64Array;
  outcomes: Uint8Array;
  /** Trials whose value was not a number, by outcome ("#DIV/0!", "text"…). */
  nonNumeric: Record<string, number>;
}

export interface InputSamples {
  label: string;
  name?: string;
  /** Samples of the first trials (at most SENSITIVITY_TRIALS). */
  values: Float64Array;
}

export interface EngineResult {
  iterations: number;
  seed: number;
  sampling: Sampling;
  elapsedMs: number;
  outputs: OutputSamples[];
  inputs: InputSamples[];
}

export class SimulationCancelled extends Error {
  override name = 'SimulationCancelled';
}

/** Input samples kept for sensitivity analysis: enough for stable rank correlations, bounded memory. */
export const SENSITIVITY_TRIALS = 100_000;

export function compile(
  model: WorkbookModel,
  request: Pick<EngineRequest, 'targets' | 'variables'>,
): CompiledModel {
  return compileModel(parseModel(model), { targets: request.targets, variables: request.variables });
}

export function uniformSource(seed: number, sampling: Sampling, iterations: number) {
  return sampling === 'latin_hypercube'
    ? (stream: number, trial: number) => lhsUniform(seed, stream, trial, iterations)
    : (stream: number, trial: number) => uniform(seed, stream, trial);
}

export async function simulate(
  model: WorkbookModel,
  request: EngineRequest,
  hooks: EngineHooks = {},
): Promise<EngineResult> {
  const started = performance.now();
  const iterations = request.iterations;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000)
    throw new EngineError('invalid-request', 'iterations must be a whole number from 1 to 10,000,000');
  const seed = request.seed ?? Math.floor(Math.random() * 2 ** 31);
  const sampling = request.sampling ?? 'monte_carlo';
  const compiled = compile(model, request);
  const program = compiled.program;
  const recordLimit = Math.min(iterations, SENSITIVITY_TRIALS);
  const buffers: TrialBuffers = {
    values: program.outputs.map(() => new Float64Array(iterations)),
    outcomes: program.outputs.map(() => new Uint8Array(iterations)),
    inputSamples: program.inputs.map(() => new Float64Array(recordLimit)),
    recordLimit,
  };
  const kernel = new CpuKernel(compiled, uniformSource(seed, sampling, iterations), buffers);
  const chunk = hooks.chunkSize ?? Math.max(1_000, Math.ceil(iterations / 100));
  for (let start = 0; start < iterations; start += chunk) {
    if (hooks.signal?.aborted) throw new SimulationCancelled('the simulation was cancelled');
    const end = Math.min(iterations, start + chunk);
    kernel.runTrials(start, end);
    hooks.onProgress?.(end, iterations);
    // Let timers, sockets and cancel requests run between chunks.
    if (end < iterations) await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    iterations,
    seed,
    sampling,
    elapsedMs: performance.now() - started,
    outputs: program.outputs.map((o, j) => ({
      label: o.label,
      values: buffers.values[j],
      outcomes: buffers.outcomes[j],
      nonNumeric: countOutcomes(buffers.outcomes[j]),
    })),
    inputs: program.inputs.map((input, k) => ({
      label: input.label,
      ...(input.name !== undefined ? { name: input.name } : {}),
      values: buffers.inputSamples[k],
    })),
  };
}

function countOutcomes(outcomes: Uint8Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < outcomes.length; i++)
    if (outcomes[i] !== 0) {
      const name = OUTCOME_CODES[outcomes[i]];
      counts[name] = (counts[name] ?? 0) + 1;
    }
  return counts;
}
