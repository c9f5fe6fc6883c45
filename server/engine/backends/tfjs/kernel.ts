/**
 * The tfjs backend: a compiled program run batch by batch as float32 tensor operations. The samples of
 * every input are drawn here on the CPU, with the same Philox streams and distributions as the CPU
 * backend, so both backends see the same trials; they reach the tensors rounded to float32, and every
 * formula is then computed in float32. See docs/gpu-tfjs.md for what that costs in accuracy.
 */
import type * as TfModule from '@tensorflow/tfjs';
import { createDistribution, type Distribution } from '../../../../shared/distributions/distribution';
import type { WorkbookModel } from '../../../../shared/model';
import type { CompiledModel } from '../../compile/compile-model';
import type { Expr, Program } from '../../compile/ir';
import { EngineError } from '../../errors';
import {
  assembleResult,
  type EngineHooks,
  type EngineRequest,
  type EngineResult,
  type PreparedRun,
  planRun,
  runRange,
  type TrialKernel,
  uniformSource,
} from '../../simulate';
import type { TrialBuffers } from '../cpu/kernel';
import { type InputDraws, inputDraws, OUTCOME_CODES, type UniformSource } from '../cpu/runtime';
import type { Tf } from './loader';
import { type Batch, type Env, type TranslatedProgram, translateProgram } from './translate';

type Tensor = TfModule.Tensor;

export interface TfjsOptions {
  /** Trials per batch of tensors (default 4,096): memory grows with it, launch overhead shrinks. */
  batchSize?: number;
}

const NUM = OUTCOME_CODES.indexOf('#NUM!');

export class TfjsKernel implements TrialKernel {
  private readonly translated: TranslatedProgram;
  private readonly distributions: (Distribution | undefined)[];
  /** For each cell, the slots whose last reader it is (freed after it). */
  private readonly freeAfter: number[][];
  private readonly batchSize: number;
  private readonly program: Program;
  /** Each input's draws (its own seed's with RiskSeed). */
  private readonly draws: InputDraws[];

  constructor(
    private readonly tf: Tf,
    compiled: CompiledModel,
    uniform: UniformSource,
    options: TfjsOptions = {},
  ) {
    this.program = compiled.program;
    this.draws = inputDraws(compiled.program, uniform);
    const program = this.program;
    // Everything the backend cannot run is reported here, before a single trial.
    this.translated = translateProgram(program, (ref) => compiled.interpreter.referenceValuesComputed(ref));
    this.batchSize = options.batchSize ?? 4096;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1)
      throw new EngineError('invalid-request', 'the tfjs batch size must be a whole number from 1');
    this.distributions = program.inputs.map((input) => {
      if (input.source.kind !== 'distribution') return undefined;
      const d = createDistribution(input.source.spec, { manyDraws: true });
      if ('error' in d)
        throw new Error(`internal: invalid distribution reached the tfjs backend: ${d.error}`);
      return d;
    });
    this.freeAfter = lastReaders(program);
  }

  runTrials(buffers: TrialBuffers, start: number, end: number, base: number): void {
    for (let from = start; from < end; from += this.batchSize)
      this.runBatch(buffers, from, Math.min(end, from + this.batchSize), base);
  }

  private runBatch(buffers: TrialBuffers, from: number, to: number, base: number): void {
    const tf = this.tf;
    const count = to - from;
    const samples = new Float64Array(count);
    const overflow = new Float32Array(count);
    const inputs: Tensor[] = [];
    const inputCodes: (Tensor | null)[] = [];
    this.draws.forEach(({ source, stream }, k) => {
      source.fill(samples, stream, from, to);
      const d = this.distributions[k];
      if (d) for (let i = 0; i < count; i++) samples[i] = d.inverseCdf(samples[i]);
      const record = buffers.inputSamples[k];
      for (let t = from; t < Math.min(to, buffers.recordLimit); t++) record[t - base] = samples[t - from];
      const single = Float32Array.from(samples);
      // A sample beyond float32's range cannot be carried: those trials are #NUM! here.
      let overflows = false;
      for (let i = 0; i < count; i++) {
        overflow[i] = Number.isFinite(single[i]) ? 0 : NUM;
        if (overflow[i]) overflows = true;
      }
      inputs.push(tf.tensor1d(single));
      inputCodes.push(overflows ? tf.tensor1d(overflow) : null);
    });
    const env: Env = {
      tf,
      batch: count,
      slots: new Array(this.program.slotCount),
      inputs,
      inputCodes,
      locals: new Array(this.program.localCount),
    };
    try {
      this.translated.cells.forEach((cell, i) => {
        tf.tidy(() => {
          const result = cell.run(env);
          // A copy, so that freeing this slot never frees a tensor another slot or an input shares.
          const kept: Batch = { v: tf.keep(tf.clone(result.v)), c: result.c && tf.keep(tf.clone(result.c)) };
          env.slots[cell.slot] = kept;
        });
        for (const slot of this.freeAfter[i]) dispose(env.slots[slot]);
      });
      tf.tidy(() => {
        this.translated.outputs.forEach((run, j) => {
          const r = run(env);
          const values = tf.broadcastTo(r.v, [count]).dataSync();
          const codes = r.c ? tf.broadcastTo(r.c, [count]).dataSync() : undefined;
          const out = buffers.values[j];
          const outcomes = buffers.outcomes[j];
          for (let i = 0; i < count; i++) {
            const c = codes ? codes[i] : 0;
            out[from - base + i] = c === 0 ? values[i] : Number.NaN;
            outcomes[from - base + i] = c;
          }
        });
      });
    } finally {
      for (const slot of env.slots) dispose(slot);
      for (const t of inputs) t.dispose();
      for (const c of inputCodes) c?.dispose();
    }
  }
}

function dispose(x: Batch | undefined): void {
  x?.v.dispose();
  x?.c?.dispose();
}

/** For each cell (index), the slots read for the last time by it; outputs count as after every cell. */
function lastReaders(program: Program): number[][] {
  const last = new Map<number, number>();
  const visit = (e: Expr, at: number): void => {
    switch (e.op) {
      case 'slot':
        last.set(e.slot, at);
        return;
      case 'area':
        for (const f of e.fill) last.set(f.slot, at);
        return;
      default:
        for (const value of Object.values(e))
          if (Array.isArray(value)) {
            for (const x of value) if (x && typeof x === 'object') visit('op' in x ? x : x.value, at);
          } else if (value && typeof value === 'object' && 'op' in value) visit(value as Expr, at);
    }
  };
  program.cells.forEach((cell, i) => {
    visit(cell.expr, i);
  });
  for (const o of program.outputs) visit(o.expr, program.cells.length);
  const readers: number[][] = program.cells.map(() => []);
  program.cells.forEach((cell, i) => {
    const at = last.get(cell.slot);
    // A slot nobody reads is freed at once.
    if (at === undefined) readers[i].push(cell.slot);
    else if (at < program.cells.length) readers[at].push(cell.slot);
  });
  return readers;
}

/** A request compiled for the tfjs backend; runRange and assembleResult drive it like the CPU kernel. */
export function prepareTfjsRun(
  tf: Tf,
  model: WorkbookModel,
  request: EngineRequest,
  options: TfjsOptions = {},
): PreparedRun {
  if (request.autoStop)
    throw new EngineError('invalid-request', 'auto-stop is not available on the tfjs backend');
  const plan = planRun(model, request);
  const uniform = uniformSource(plan.seed, plan.sampling, plan.iterations);
  return { ...plan, kernel: new TfjsKernel(tf, plan.compiled, uniform, options) };
}

/** A whole run on the tfjs backend, on this thread. */
export async function simulateTfjs(
  tf: Tf,
  model: WorkbookModel,
  request: EngineRequest,
  hooks: EngineHooks = {},
  options: TfjsOptions = {},
): Promise<EngineResult> {
  const started = performance.now();
  const run = prepareTfjsRun(tf, model, request, options);
  const chunk = await runRange(run, 0, run.iterations, hooks);
  return assembleResult(run, [chunk], performance.now() - started);
}
