/**
 * Chunks dispatched by engine with a usable "GPU" (the g++ emulation): chunk results assemble into exactly
 * the CPU backend's run, input samples (sensitivity) included; a failing GPU run fails "gpu" and falls
 * back to the CPU, with a note, for "auto".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CudaToolchain } from '../../server/engine/backends/cuda/compiler';
import { compareResults, type GpuInfo } from '../../server/engine/backends/cuda/device';
import { GpuEngine } from '../../server/engine/backends/cuda/engine';
import {
  assembleResult,
  type PreparedRun,
  prepareRun,
  runRange,
  simulate,
} from '../../server/engine/simulate';
import { ChunkEngines, type ChunkHooks, type ChunkSource } from '../../server/gpu/chunk-engines';
import type { GpuStatus } from '../../server/gpu/gpu-status';
import { emulationToolchain, scriptToolchain } from './emulate';
import { SMALL_MODELS } from './models';

const device: GpuInfo = {
  name: 'emulated',
  memoryTotal: '0 MiB',
  computeCapability: '9.0',
  driverVersion: '-',
};
const dir = mkdtempSync(join(tmpdir(), 'montecell-gpu-chunk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usable(toolchain: CudaToolchain): Promise<GpuStatus> {
  return Promise.resolve({ usable: true, device, engine: new GpuEngine({ cacheDir: dir, toolchain }) });
}

const cpuRuns: string[] = [];
/** The run as the service's workers hand it over; the CPU path runs in-process here. */
const source = (run: PreparedRun): ChunkSource => ({
  prepared: async () => run,
  cpu: (start, end) => {
    cpuRuns.push(`${start}-${end}`);
    return runRange(run, start, end);
  },
});
const hooks = (): ChunkHooks => ({ onProgress: () => {}, signal: new AbortController().signal });

describe('ChunkEngines with a usable GPU', () => {
  it('runs chunks on the GPU; assembled, they equal a CPU run, input samples included', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    // Input samples are recorded below trial 100,000: the second chunk straddles it, the third is past it.
    const request = { targets, iterations: 120_000, seed: 11 };
    const run = prepareRun(model, request);
    const engines = new ChunkEngines(usable(emulationToolchain()));
    cpuRuns.length = 0;
    const chunks = [];
    for (const [start, end] of [
      [0, 50_000],
      [50_000, 110_000],
      [110_000, 120_000],
    ]) {
      const { chunk, used } = await engines.run('gpu', source(run), start, end, hooks());
      expect(used).toEqual({ engine: 'cuda' });
      chunks.push(chunk);
    }
    // The CPU ran only the trials whose input samples sensitivity records (below 100,000).
    expect(cpuRuns).toEqual(['0-50000', '50000-100000']);
    const gpu = assembleResult(run, chunks, 0);
    const reference = await simulate(model, request);
    const asBackend = (r: typeof gpu) => ({
      values: r.outputs.map((o) => o.values),
      outcomes: r.outputs.map((o) => o.outcomes),
    });
    expect(compareResults(asBackend(gpu), asBackend(reference), 1e-9)).toEqual([]);
    expect(run.recordLimit).toBe(100_000);
    expect(gpu.inputs.map((i) => i.values)).toEqual(reference.inputs.map((i) => i.values));
    // "cpu" never touches the GPU.
    cpuRuns.length = 0;
    expect((await engines.run('cpu', source(run), 0, 10, hooks())).used).toEqual({ engine: 'cpu' });
    expect(cpuRuns).toEqual(['0-10']);
  }, 60_000);

  it('a model outside the CUDA subset: "gpu" fails with the reason, "auto" runs on the CPU with a note', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const run = prepareRun(model, { targets, iterations: 100, seed: 1, sampling: 'latin_hypercube' });
    const engines = new ChunkEngines(usable(emulationToolchain()));
    await expect(engines.run('gpu', source(run), 0, 100, hooks())).rejects.toThrow(
      'engine "gpu" was requested but the CUDA backend does not support Latin hypercube sampling',
    );
    const { used } = await engines.run('auto', source(run), 0, 100, hooks());
    expect(used).toEqual({
      engine: 'cpu',
      note: 'ran on the CPU: the CUDA backend does not support Latin hypercube sampling',
    });
  });

  it('a GPU run that fails: "gpu" fails with the error, "auto" falls back to the CPU with a note', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const run = prepareRun(model, { targets, iterations: 100, seed: 1 });
    const broken = scriptToolchain('echo "error out of memory" >&2; exit 1');
    const engines = new ChunkEngines(usable(broken));
    await expect(engines.run('gpu', source(run), 0, 100, hooks())).rejects.toMatchObject({
      code: 'gpu-failed',
      message: expect.stringMatching(
        /^the GPU run failed: the GPU program .* exited with status 1: out of memory$/,
      ),
    });
    cpuRuns.length = 0;
    const { chunk, used } = await engines.run('auto', source(run), 0, 100, hooks());
    expect(used).toMatchObject({
      engine: 'cpu',
      note: expect.stringMatching(/^ran on the CPU: the GPU run failed: /),
    });
    // The input samples alongside the failed GPU run, then the whole chunk.
    expect(cpuRuns).toEqual(['0-100', '0-100']);
    expect(chunk.values[0]).toEqual((await runRange(run, 0, 100)).values[0]);
  });
});
