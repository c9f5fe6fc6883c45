/**
 * The GpuEngine's child-process path, end to end without a GPU: the generated kernel + host program are
 * built with g++ (emulate.ts) and run as the "device" binary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CudaToolchain } from '../../server/engine/backends/cuda/compiler';
import { compareResults, validateDevice } from '../../server/engine/backends/cuda/device';
import { GpuEngine } from '../../server/engine/backends/cuda/engine';
import {
  VALIDATION_SEED,
  VALIDATION_TARGETS,
  VALIDATION_TRIALS,
  validationModel,
  validationReference,
} from '../../server/engine/backends/cuda/validation-model';
import { compile, prepareRun, runRange, SimulationCancelled } from '../../server/engine/simulate';
import { cancelAtFirstProgress, emulationToolchain, scriptToolchain } from './emulate';
import { SMALL_MODELS } from './models';

const dirs: string[] = [];
function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'montecell-gpu-engine-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function counting(toolchain: CudaToolchain): CudaToolchain & { builds: number } {
  const counted = {
    id: toolchain.id,
    builds: 0,
    compile: (source: string, output: string) => {
      counted.builds++;
      return toolchain.compile(source, output);
    },
    compileObject: toolchain.compileObject,
  };
  return counted;
}

describe('GpuEngine (g++ emulation as the device)', () => {
  it('runs a trial range in a child process: progress per batch, results equal to the CPU backend, one build', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const run = prepareRun(model, { targets, iterations: 20_000, seed: 77 });
    const toolchain = counting(emulationToolchain());
    const dir = cacheDir();
    const engine = new GpuEngine({ cacheDir: dir, toolchain, batch: 1_000 });
    expect(engine.unsupported(run)).toBeUndefined();
    const progress: number[] = [];
    // A range that does not start at 0: the draws must be keyed by trial index as on the CPU.
    const gpu = await engine.runRange(run, 5_000, 12_500, { onProgress: (done) => progress.push(done) });
    const cpu = await runRange(run, 5_000, 12_500);
    expect(compareResults(gpu, cpu, 1e-9)).toEqual([]);
    expect(progress).toEqual(Array.from({ length: 8 }, (_, i) => Math.min(7_500, (i + 1) * 1_000)));
    // Ranges asked for together run in turn in the same process: the device is set up once.
    const [first, second] = await Promise.all([engine.runRange(run, 0, 100), engine.runRange(run, 100, 300)]);
    expect(compareResults(first, await runRange(run, 0, 100), 1e-9)).toEqual([]);
    expect(compareResults(second, await runRange(run, 100, 300), 1e-9)).toEqual([]);
    expect(toolchain.builds).toBe(1);
    expect(engine.processStarts).toBe(1);
    engine.close();
    // Another engine over the same cache directory finds the binary on disk.
    const again = counting(emulationToolchain());
    const other = new GpuEngine({ cacheDir: dir, toolchain: again });
    await other.runRange(run, 0, 10);
    other.close();
    expect(again.builds).toBe(0);
  }, 60_000);

  it('after an aborted or failed range, the next one runs in a new process and succeeds', async () => {
    const [model, targets] = SMALL_MODELS.cashFlows;
    const run = prepareRun(model, { targets, iterations: 2_000_000, seed: 5 });
    const engine = new GpuEngine({ cacheDir: cacheDir(), toolchain: emulationToolchain(), batch: 2_000 });
    try {
      const cancel = cancelAtFirstProgress();
      const cancelled = engine.runRange(run, 0, 2_000_000, cancel);
      // Asked for while the first runs: it waits its turn, then gets a process of its own.
      const next = engine.runRange(run, 10, 1_010);
      await expect(cancelled).rejects.toBeInstanceOf(SimulationCancelled);
      expect(compareResults(await next, await runRange(run, 10, 1_010), 1e-9)).toEqual([]);
      expect(engine.processStarts).toBe(2);
      // A range the program refuses: its seed is beyond the 53 bits a trial's key holds.
      const badSeed = prepareRun(model, { targets, iterations: 100, seed: 2 ** 53 });
      await expect(engine.runRange(badSeed, 0, 10)).rejects.toThrow(/exited with status 1: bad arguments$/);
      // One too large for the host's memory fails with the reason, not an abort.
      await expect(engine.runRange(run, 0, 2 ** 53 - 1)).rejects.toThrow(
        /exited with status 1: .*\(host memory for 9007199254740991 trials of 3 outputs\)$/,
      );
      expect(compareResults(await engine.runRange(run, 0, 50), await runRange(run, 0, 50), 1e-9)).toEqual([]);
      expect(engine.processStarts).toBe(4);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('a range cancelled while it waits for its turn ends at once, not when the range before it does', async () => {
    const [model, targets] = SMALL_MODELS.cashFlows;
    const run = prepareRun(model, { targets, iterations: 400_000, seed: 4 });
    const engine = new GpuEngine({ cacheDir: cacheDir(), toolchain: emulationToolchain(), batch: 2_000 });
    try {
      const waiting = new AbortController();
      const ended: string[] = [];
      const first = engine
        .runRange(run, 0, 400_000, { onProgress: () => waiting.abort() })
        .then(() => ended.push('first'));
      const second = engine
        .runRange(run, 0, 10, { signal: waiting.signal })
        .catch((error: unknown) =>
          ended.push(error instanceof SimulationCancelled ? 'second cancelled' : 'second?'),
        );
      await Promise.all([first, second]);
      expect(ended).toEqual(['second cancelled', 'first']);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('a process quitting idle is never handed the next range: ranges one after another all succeed', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const run = prepareRun(model, { targets, iterations: 2_000, seed: 9 });
    // Idle for 0 ms: each range's process is told to quit just as the next range may be asking for it.
    const engine = new GpuEngine({ cacheDir: cacheDir(), toolchain: emulationToolchain(), idleMs: 0 });
    try {
      for (let start = 0; start < 2_000; start += 100) {
        const gpu = await engine.runRange(run, start, start + 100);
        expect(compareResults(gpu, await runRange(run, start, start + 100), 1e-9)).toEqual([]);
      }
      expect(engine.processStarts).toBeGreaterThan(1);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('an abort kills the child process within a second', async () => {
    const [model, targets] = SMALL_MODELS.cashFlows;
    const run = prepareRun(model, { targets, iterations: 2_000_000, seed: 3 });
    const engine = new GpuEngine({ cacheDir: cacheDir(), toolchain: emulationToolchain(), batch: 2_000 });
    const cancel = cancelAtFirstProgress();
    const running = engine.runRange(run, 0, 2_000_000, cancel);
    await expect(running).rejects.toBeInstanceOf(SimulationCancelled);
    expect(cancel.abortedAt()).toBeGreaterThan(0);
    expect(Date.now() - cancel.abortedAt()).toBeLessThan(1_000);
  }, 60_000);

  it('a failing device, a crash or a short result file is an error naming what happened', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const run = prepareRun(model, { targets, iterations: 1_000, seed: 1 });
    const failing = new GpuEngine({
      cacheDir: cacheDir(),
      toolchain: scriptToolchain(
        'echo "device Fake" >&2; read request; echo "error an illegal memory access was encountered" >&2; exit 1',
      ),
    });
    await expect(failing.runRange(run, 0, 1_000)).rejects.toThrow(
      /exited with status 1: an illegal memory access was encountered/,
    );
    const crashing = new GpuEngine({
      cacheDir: cacheDir(),
      toolchain: scriptToolchain('read request; kill -SEGV $$'),
    });
    await expect(crashing.runRange(run, 0, 1_000)).rejects.toThrow(/was killed by SIGSEGV/);
    const short = new GpuEngine({
      cacheDir: cacheDir(),
      toolchain: scriptToolchain(
        'read verb seed start count batch out; printf 12345678 > "$out"; echo "progress 1000 1000" >&2; echo finished >&2; read next',
      ),
    });
    await expect(short.runRange(run, 0, 1_000)).rejects.toThrow(
      "the GPU program's results are 8 bytes, not the 18000 of 1000 trials × 2 outputs",
    );
  }, 30_000);

  it('the worker-start validation model passes validateDevice through the engine’s runner', async () => {
    const engine = new GpuEngine({ cacheDir: cacheDir(), toolchain: emulationToolchain() });
    const program = compile(validationModel(), { targets: VALIDATION_TARGETS }).program;
    const reference = await validationReference();
    // The outcomes the model is meant to cover all occur: numbers, #DIV/0!, #NUM! and booleans.
    const outcomes = new Set(reference.outcomes.flatMap((o) => [...new Set(o)]));
    expect([...outcomes].sort((a, b) => a - b)).toEqual([0, 2, 6, 11]);
    await validateDevice(engine.runner(program), reference, {
      seed: VALIDATION_SEED,
      iterations: VALIDATION_TRIALS,
    });
  }, 60_000);

  it('refuses a model outside the CUDA subset with the reason', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const run = prepareRun(model, { targets, iterations: 100, seed: 1, sampling: 'latin_hypercube' });
    const engine = new GpuEngine({ cacheDir: cacheDir(), toolchain: emulationToolchain() });
    expect(engine.unsupported(run)?.message).toBe(
      'the CUDA backend does not support Latin hypercube sampling',
    );
    await expect(engine.runRange(run, 0, 100)).rejects.toThrow(
      'the CUDA backend does not support Latin hypercube sampling',
    );
  });
});
