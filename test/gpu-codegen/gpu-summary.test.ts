/**
 * The GPU engine's summary run (`simulateOnGpu`, the CLI's `--engine gpu`) end to end without a GPU: the
 * model's summary program is built with g++ and the device statistics library with Thrust's sequential
 * CPP system (emulate.ts), so the same Thrust calls count, compact, reduce, sort and search as on a GPU.
 * Its results must be the CPU backend's, statistic by statistic.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dcfModel } from '../../bench/models';
import { GPUValidationError, GpuFailure } from '../../server/engine/backends/cuda/device';
import { simulateOnGpu } from '../../server/engine/backends/cuda/simulate-gpu';
import { DeviceSummaryRun } from '../../server/engine/backends/cuda/summary-run';
import { type EngineRequest, SimulationCancelled, simulate } from '../../server/engine/simulate';
import { describeResults } from '../../server/engine/statistics/results';
import type { OutputResults, WorkbookModel } from '../../shared/model';
import { alteredToolchain, cancelAtFirstProgress, emulationToolchain, scriptToolchain } from './emulate';
import { book, SMALL_MODELS } from './models';

const cacheDir = mkdtempSync(join(tmpdir(), 'montecell-gpu-summary-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
const toolchain = emulationToolchain();

/** Within a relative 1e-9: the device's sums run in another order than the CPU's loop. */
function close(gpu: number | null, cpu: number | null): void {
  if (cpu === null) {
    expect(gpu).toBeNull();
    return;
  }
  // Infinity and NaN (moments and edges of values that overflow) and the sign of a zero exactly.
  if (!Number.isFinite(cpu) || cpu === 0) {
    expect(gpu).toBe(cpu);
    return;
  }
  expect(gpu).not.toBeNull();
  expect(Math.abs((gpu as number) - cpu)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(cpu)));
}

function expectSameResults(gpu: OutputResults, cpu: OutputResults): void {
  expect(gpu.errors).toEqual(cpu.errors);
  expect(gpu.non_numeric).toEqual(cpu.non_numeric);
  const { ci95, ...statistics } = cpu.statistics;
  for (const [name, value] of Object.entries(statistics))
    close(gpu.statistics[name as keyof typeof statistics], value);
  for (const [i, bound] of (ci95 ?? []).entries()) close(gpu.statistics.ci95?.[i] ?? null, bound);
  expect(Object.keys(gpu.percentiles)).toEqual(Object.keys(cpu.percentiles));
  for (const [p, value] of Object.entries(cpu.percentiles)) close(gpu.percentiles[p], value);
  expect(gpu.histogram.counts).toEqual(cpu.histogram.counts);
  for (const [i, edge] of cpu.histogram.edges.entries()) close(gpu.histogram.edges[i], edge);
  expect(gpu.cdf.map(({ p }) => p)).toEqual(cpu.cdf.map(({ p }) => p));
  for (const [i, { x }] of cpu.cdf.entries()) close(gpu.cdf[i].x, x);
}

const dcf = dcfModel();
// [name, model, targets, trials, threads for the CPU's share]
const cases: [string, WorkbookModel, string[], number, number][] = [
  ['model (a), dcf, the CPU share on 2 threads', dcf.workbook, dcf.outputs, 30_000, 2],
  ['model (a), dcf, the CPU share on this thread', dcf.workbook, dcf.outputs, 3_000, 1],
  ['numbers and a 0/1 flag', ...SMALL_MODELS.sumOfNormals, 20_000, 1],
  ['errors mixed with numbers', ...SMALL_MODELS.errorsAndBranches, 20_000, 1],
  ['outputs that are never numbers', ...SMALL_MODELS.outcomes, 5_000, 1],
  [
    'huge values: moments that overflow, a range that overflows, -0 beside +0',
    book({
      A1: { formula: '=RAND()' },
      A2: { formula: '=RiskNormal(0,1)*1E80' },
      A3: { formula: '=IF(A1<0.5,-1,1)*1.7E308*RAND()' },
      A4: { formula: '=IF(A1<0.3,-1*(A1*0),IF(A1<0.6,A1*0,A1))' },
    }),
    ['A2', 'A3', 'A4'],
    4_000,
    1,
  ],
];

describe('simulateOnGpu: statistics computed where the trials are (g++ + Thrust CPP emulation)', () => {
  it.each(cases)(
    '%s: every statistic, percentile, bin, cdf point and sensitivity equals the CPU backend’s',
    async (_, model, targets, iterations, threads) => {
      const request: EngineRequest = { targets, iterations, seed: 4242 };
      const progress: number[] = [];
      const gpu = await simulateOnGpu(
        model,
        request,
        { toolchain, cacheDir, batch: 4_096, threads },
        { onProgress: (done) => progress.push(done) },
      );
      const cpu = await describeResults(await simulate(model, request), { engine_used: 'cpu' });
      const described = await describeResults(gpu, { engine_used: 'cuda' });
      expect(gpu.device).toBe('CPU emulation');
      expect(described.iterations).toBe(iterations);
      expect(progress[progress.length - 1]).toBe(iterations);
      expect(progress.length).toBe(Math.ceil(iterations / 4_096));
      for (const label of Object.keys(cpu.outputs))
        expectSameResults(described.outputs[label], cpu.outputs[label]);
      expect(Object.keys(described.sensitivity)).toEqual(Object.keys(cpu.sensitivity));
      for (const [label, rows] of Object.entries(cpu.sensitivity)) {
        expect(described.sensitivity[label].map((r) => r.input)).toEqual(rows.map((r) => r.input));
        for (const [i, row] of rows.entries())
          close(described.sensitivity[label][i].rank_correlation, row.rank_correlation);
      }
    },
    120_000,
  );

  it('a device whose numbers are off fails the run with a GPUValidationError carrying them', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const offByHalf = alteredToolchain(/: x; outcomes\[/g, ': x + 0.5; outcomes[');
    const running = simulateOnGpu(
      model,
      { targets, iterations: 3_000, seed: 1 },
      { toolchain: offByHalf, cacheDir },
    );
    await expect(running).rejects.toBeInstanceOf(GPUValidationError);
    await expect(running).rejects.toThrow(
      /results differ from the CPU backend beyond 1e-9: output 0 trial 0: GPU /,
    );
  }, 60_000);

  it('a device that accounts for fewer trials than requested fails the run: completed means all of them', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const oneShort = alteredToolchain('j, facts.numeric);', 'j, facts.numeric - 1);');
    const running = simulateOnGpu(
      model,
      { targets, iterations: 2_000, seed: 1 },
      { toolchain: oneShort, cacheDir },
    );
    await expect(running).rejects.toBeInstanceOf(GpuFailure);
    await expect(running).rejects.toThrow(
      'the GPU accounted for 1999 trials of output Sheet1!A4, not the 2000 requested',
    );
  }, 60_000);

  it('a program that fails is a GpuFailure naming what it said; one that lies about its outputs too', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const request = { targets, iterations: 1_000, seed: 1 };
    const failing = simulateOnGpu(model, request, {
      cacheDir,
      toolchain: scriptToolchain('echo "error the GPU\'s memory cannot hold 1000 trials" >&2; exit 1'),
    });
    await expect(failing).rejects.toBeInstanceOf(GpuFailure);
    await expect(failing).rejects.toThrow(/exited with status 1: the GPU's memory cannot hold 1000 trials$/);
    await expect(
      simulateOnGpu(model, request, {
        cacheDir,
        toolchain: scriptToolchain('echo "facts 0 nonsense"; exec sleep 5'),
      }),
    ).rejects.toThrow(/the GPU program's statistics are malformed: "facts 0 nonsense"/);
  }, 60_000);

  it('a cancelled run kills the program and ends SimulationCancelled', async () => {
    const [model, targets] = SMALL_MODELS.cashFlows;
    const cancel = cancelAtFirstProgress();
    const running = simulateOnGpu(
      model,
      { targets, iterations: 5_000_000, seed: 3 },
      { toolchain, cacheDir, batch: 2_000 },
      cancel,
    );
    await expect(running).rejects.toBeInstanceOf(SimulationCancelled);
    expect(cancel.abortedAt()).toBeGreaterThan(0);
    expect(Date.now() - cancel.abortedAt()).toBeLessThan(1_000);
  }, 60_000);

  it('refuses more than 10^9 trials (the CPU backend: 10^7) and a precision target', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    await expect(
      simulateOnGpu(model, { targets, iterations: 1_000_000_001 }, { toolchain, cacheDir }),
    ).rejects.toThrow('iterations must be a whole number from 1 to 1,000,000,000');
    await expect(
      simulateOnGpu(
        model,
        { targets, iterations: 1_000, autoStop: { relativeTolerance: 0.01 } },
        { toolchain, cacheDir },
      ),
    ).rejects.toThrow('the CUDA backend does not support stopping at a precision target');
    await expect(simulate(model, { targets, iterations: 20_000_000 })).rejects.toThrow(
      'iterations must be a whole number from 1 to 10,000,000',
    );
  });
  it('a cancel that arrives during the build stops the run before any trial', async () => {
    const [model, targets] = SMALL_MODELS.sumOfNormals;
    const controller = new AbortController();
    controller.abort();
    await expect(
      simulateOnGpu(
        model,
        { targets, iterations: 200_000 },
        { toolchain, cacheDir },
        { signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(SimulationCancelled);
  });
});

describe('DeviceSummaryRun: a program that dies mid-conversation', () => {
  /** A stand-in program: prints one output's facts, then does what `then` says. */
  function program(then: string): string {
    const file = join(cacheDir, `program-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, `#!/bin/sh\n: > "$6"\necho "facts 0 10 1 2 3 4"\necho ready\n${then}\n`, {
      mode: 0o755,
    });
    return file;
  }
  const request = (binary: string) => ({ binary, outputs: 1, seed: 1, iterations: 10, batch: 10, record: 0 });

  it('a question after it died fails with why, and does not take this process down (EPIPE)', async () => {
    const run = await DeviceSummaryRun.start(request(program('read q; echo "values 5"; kill -KILL $$')));
    expect(await run.valuesAt(0, [3])).toEqual([5]);
    await expect(run.valuesAt(0, [4])).rejects.toThrow(/was killed by SIGKILL/);
    await expect(run.countsBelow(0, [1.5], false)).rejects.toBeInstanceOf(GpuFailure);
  });

  it('dying right after "ready" fails the start or the first question, never leaves it waiting', async () => {
    const attempt = DeviceSummaryRun.start(request(program('kill -KILL $$'))).then((run) =>
      run.valuesAt(0, [1]),
    );
    await expect(attempt).rejects.toThrow(/was killed by SIGKILL/);
  });
});
