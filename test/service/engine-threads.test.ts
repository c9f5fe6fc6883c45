/**
 * Chunks run on engine threads: a chunk of heavy trials (tens of ms each) leaves the worker's event loop
 * free, so the WebSocket keeps delivering events and a cancel ends the run at once; threads keep a run
 * compiled between its chunks, give the same bits as one in-process run, and a thread that runs out of
 * memory fails its chunk with a clear error instead of hanging.
 */

import { EngineError } from '../../server/engine/errors';
import { EnginePool } from '../../server/engine/runtime/engine-pool';
import type { RunSpec } from '../../server/engine/runtime/run-spec';
import { prepareRun, runRange, simulate } from '../../server/engine/simulate';
import { describeResults } from '../../server/engine/statistics/results';
import { RunError } from '../../server/workers/run-error';
import type { WorkbookModel } from '../../shared/model';
import { api, slowModel, startTestService, TestClient, type TestService } from './helpers';

/** One random input broadcast over a constant array: about 30–100 ms a trial. */
function heavyModel(length: number): WorkbookModel {
  return {
    version: 1,
    names: [],
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskNormal(100,10)' },
          B1: { formula: `=SUM(SEQUENCE(${length})*A1)` },
        },
      },
    ],
  };
}

function storedRun(model: WorkbookModel, targets: string[], iterations: number, seed: number): string {
  return JSON.stringify({ model, request: { targets, iterations, seed } } satisfies RunSpec);
}

describe('the service', () => {
  let svc: TestService;
  const clients: TestClient[] = [];
  // Workers and the WebSocket gateway share this process's event loop: a blocked loop would show as a gap.
  beforeAll(async () => {
    svc = await startTestService({ heartbeatMs: 300, chunkTrials: 1_000_000 });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await svc.stop();
  });

  test('a chunk of heavy trials keeps events coming every second, and cancel ends it at once', async () => {
    const c = await TestClient.connect(svc.wsUrl);
    clients.push(c);
    const run = await api(svc.url, '/api/simulations/run', {
      body: {
        model: heavyModel(500_000),
        target_cells: ['B1'],
        iterations: 400,
        seed: 1,
        client_id: c.clientId,
      },
    });
    expect(run.status).toBe(202);
    const id: string = run.body.simulation_id;
    const running = await c.next(
      (m) => m.type === 'progress' && m.simulation_id === id && m.status === 'running',
    );
    const runningAt = c.messages.find((m) => m.message === running)?.at ?? 0;
    // Three seconds of the one chunk: in-process slices of 4+ trials would block the loop that long.
    const later = await c.next(
      (m) => 'simulation_id' in m && m.simulation_id === id && Date.now() - runningAt > 3_000,
      20_000,
    );
    expect(later.type === 'progress' || later.type === 'heartbeat').toBe(true);
    const asked = Date.now();
    expect((await api(svc.url, `/api/simulations/${id}/cancel`, { method: 'POST' })).status).toBe(202);
    const final = await c.final(id);
    expect(final.type).toBe('cancelled');
    expect(Date.now() - asked).toBeLessThan(1_000);

    const events = c.events(id).filter((e) => e.at >= runningAt);
    for (let i = 1; i < events.length; i++) expect(events[i].at - events[i - 1].at).toBeLessThan(1_000);
    const counts = events.map((e) => ('current_iteration' in e.message ? e.message.current_iteration : 0));
    expect(Math.max(...counts)).toBeGreaterThan(0);
    expect(final).toMatchObject({ status: 'cancelled' });
    if (final.type === 'cancelled') expect(final.current_iteration).toBeLessThan(400);
  });
});

describe('the engine pool', () => {
  const pools: EnginePool[] = [];
  const pool = (options: Partial<ConstructorParameters<typeof EnginePool>[0]> = {}) => {
    const p = new EnginePool({ threads: 1, warmRuns: 2, memoryMb: 0, trialTimeoutMs: 60_000, ...options });
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  test('a thread compiles a run once for all its chunks, and chunks equal one in-process run bit for bit', async () => {
    const text = storedRun(slowModel(), ['B1', 'B2'], 20_000, 7);
    let loads = 0;
    const load = async () => {
      loads++;
      return text;
    };
    const threads = pool({ threads: 2 });
    const ranges = [0, 5_000, 10_000, 15_000].map((start) => ({ start, end: start + 5_000 }));
    const progress: number[] = [];
    const chunks = [];
    for (const range of ranges)
      chunks.push(await threads.runRange('sim-a', range, load, { onProgress: (d) => progress.push(d) }));
    // Sequential chunks go to the thread that has the run warm: one load, one compile.
    expect(loads).toBe(1);

    const whole = await runRange(
      prepareRun(slowModel(), { targets: ['B1', 'B2'], iterations: 20_000, seed: 7 }),
      0,
      20_000,
    );
    for (let j = 0; j < 2; j++) {
      const joined = new Float64Array(20_000);
      for (const chunk of chunks) joined.set(chunk.values[j], chunk.start);
      expect(Buffer.from(joined.buffer).equals(Buffer.from(whole.values[j].buffer))).toBe(true);
    }
    expect(chunks[1].inputSamples[0]).toEqual(whole.inputSamples[0].subarray(5_000, 10_000));

    // Assembled on a thread, the chunks give the results of one in-process run, keyed by the targets.
    const engines = { engine_used: 'cpu' };
    const assembled = await threads.assemble('sim-a', chunks, 0, load, { engines, keyByTargets: true });
    expect(Object.keys(assembled.results.outputs)).toEqual(['B1', 'B2']);
    const reference = await describeResults(
      await simulate(slowModel(), { targets: ['B1', 'B2'], iterations: 20_000, seed: 7 }),
      engines,
      { keys: ['B1', 'B2'] },
    );
    expect({ ...assembled.results, elapsed_ms: 0 }).toEqual({ ...reference, elapsed_ms: 0 });

    threads.forget('sim-a');
    const before = loads;
    await threads.runRange('sim-a', ranges[0], load);
    expect(loads).toBe(before + 1);
  });

  test('a model error keeps its code; a run that is gone fails with the loader’s error', async () => {
    const threads = pool();
    const bad = storedRun(slowModel(), ['Nope!A1'], 10, 1);
    await expect(threads.runRange('sim-bad', { start: 0, end: 10 }, async () => bad)).rejects.toMatchObject({
      name: 'EngineError',
      code: 'unknown-target',
    });
    const gone = threads.runRange('sim-gone', { start: 0, end: 10 }, async () => {
      throw new RunError('expired', 'the simulation’s request is no longer stored');
    });
    await expect(gone).rejects.toMatchObject({ code: 'expired' });
  });

  test('a thread that runs out of memory fails its chunk with out-of-memory; the next chunk gets a new thread', async () => {
    const threads = pool({ memoryMb: 48 });
    // A small request (so that reading it fits: an allocation Node cannot interrupt would take the
    // whole process down past the limit) whose compiling needs far more than 48 MB, a little at a time:
    // 2,000 formulas each summing the same 5,000 random cells.
    const cells: WorkbookModel['sheets'][number]['cells'] = {};
    for (let i = 1; i <= 5_000; i++) cells[`A${i}`] = { formula: '=RiskNormal(1,1)' };
    for (let i = 1; i <= 2_000; i++) cells[`B${i}`] = { formula: `=SUM($A$1:$A$5000)+${i}` };
    cells.C1 = { formula: '=SUM(B1:B2000)' };
    const model: WorkbookModel = { version: 1, names: [], sheets: [{ name: 'Sheet1', cells }] };
    const huge = storedRun(model, ['C1'], 10, 1);
    const failed = threads.runRange('sim-huge', { start: 0, end: 10 }, async () => huge);
    await expect(failed).rejects.toBeInstanceOf(EngineError);
    await expect(failed).rejects.toMatchObject({ code: 'out-of-memory' });
    const small = storedRun(slowModel(), ['B1'], 100, 1);
    const chunk = await threads.runRange('sim-small', { start: 0, end: 100 }, async () => small);
    expect(chunk.values[0]).toHaveLength(100);
  });

  test('a request too large to read within the thread’s heap limit fails out-of-memory before the thread reads it', async () => {
    const threads = pool({ memoryMb: 16 });
    const cells: WorkbookModel['sheets'][number]['cells'] = { A1: { formula: '=RiskNormal(1,1)' } };
    for (let i = 2; i <= 100_000; i++) cells[`A${i}`] = { formula: `=A${i - 1}+1` };
    const model: WorkbookModel = { version: 1, names: [], sheets: [{ name: 'Sheet1', cells }] };
    const large = storedRun(model, ['A100000'], 10, 1);
    expect(large.length).toBeGreaterThan(2 * 2 ** 20);
    const failed = threads.runRange('sim-large', { start: 0, end: 10 }, async () => large);
    await expect(failed).rejects.toMatchObject({
      code: 'out-of-memory',
      message: expect.stringContaining('too large to read'),
    });
    const small = storedRun(slowModel(), ['B1'], 100, 1);
    const chunk = await threads.runRange('sim-small', { start: 0, end: 100 }, async () => small);
    expect(chunk.values[0]).toHaveLength(100);
  });

  test('a cancel stops the thread’s chunk within a second and the thread takes the next chunk', async () => {
    const threads = pool();
    const heavy = storedRun(heavyModel(500_000), ['B1'], 1_000, 1);
    const controller = new AbortController();
    let started: () => void = () => {};
    const progressed = new Promise<void>((resolve) => (started = resolve));
    const cancelled = threads.runRange('sim-heavy', { start: 0, end: 1_000 }, async () => heavy, {
      signal: controller.signal,
      onProgress: () => started(),
    });
    await progressed;
    const asked = Date.now();
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'SimulationCancelled' });
    const next = await threads.runRange('sim-heavy', { start: 0, end: 2 }, async () => heavy);
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(next.values[0]).toHaveLength(2);
  });

  test('a trial that never ends (a backtracking regular expression) is stopped after trialTimeoutMs; the next chunk runs', async () => {
    const threads = pool({ trialTimeoutMs: 1_500 });
    const endless = storedRun(
      {
        version: 1,
        names: [],
        sheets: [
          {
            name: 'Sheet1',
            cells: {
              A1: { formula: '=RAND()' },
              // 2^40 ways to split the a's before the match fails at "!": it never finishes.
              B1: { formula: '=REGEXTEST(REPT("a",40)&IF(A1<2,"!",""),"^(a+)+$")' },
            },
          },
        ],
      },
      ['B1'],
      10,
      1,
    );
    const asked = Date.now();
    await expect(
      threads.runRange('sim-endless', { start: 0, end: 10 }, async () => endless),
    ).rejects.toMatchObject({
      name: 'EngineError',
      code: 'model-too-complex',
      message: expect.stringMatching(/more than 1.5 s without finishing/),
    });
    expect(Date.now() - asked).toBeLessThan(10_000);
    const small = storedRun(slowModel(), ['B1'], 100, 1);
    const next = await threads.runRange('sim-small', { start: 0, end: 100 }, async () => small);
    expect(next.values[0]).toHaveLength(100);
  });
});
