/**
 * One runtime: the CLI (on this thread, or on the engine's threads) and the service (chunks on its
 * workers' engine threads, assembled on one of them) give bit-identical results for the same model,
 * seed and trial count, whatever the thread or chunk counts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { api, startTestService, TestClient, type TestService, upload } from './helpers';

const root = resolve(__dirname, '../..');
const WORKBOOK = join(root, 'examples', 'project-npv.xlsx');
const TRIALS = 30_011;
const SEED = 20_261_207;

interface Summary {
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  percentiles: Record<string, number>;
  errors: number;
  /** Input → rank correlation, most influential first. */
  sensitivity: [string, number][];
}

/** What `montecell simulate --json` prints, per output. */
function cli(...flags: string[]): Record<string, Summary> {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'bin/montecell.js'),
      'simulate',
      WORKBOOK,
      '--iterations',
      String(TRIALS),
      '--seed',
      String(SEED),
      '--json',
      ...flags,
    ],
    { encoding: 'utf8', cwd: root },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const json = JSON.parse(run.stdout);
  expect(json).toMatchObject({ iterations: TRIALS, seed: SEED, engine_used: 'cpu' });
  const out: Record<string, Summary> = {};
  for (const [label, o] of Object.entries<Omit<Summary, 'sensitivity'>>(json.outputs))
    out[label] = {
      ...o,
      sensitivity: json.sensitivity[label].map((s: { input: string; rankCorrelation: number }) => [
        s.input,
        s.rankCorrelation,
      ]),
    };
  return out;
}

describe('the CLI and the service run one runtime', () => {
  let svc: TestService;
  let client: TestClient;
  beforeAll(async () => {
    // Chunks of 4,000 trials (8 of them) on two engine threads.
    svc = await startTestService({ chunkTrials: 4_000, chunkThreads: 2 });
    client = await TestClient.connect(svc.wsUrl);
  });
  afterAll(async () => {
    client.close();
    await svc.stop();
  });

  it('gives bit-identical statistics and sensitivity, on 1 or 2 threads, in 1 or 8 chunks', async () => {
    const onThisThread = cli('--threads', '1');
    const onTwoThreads = cli('--threads', '2');
    expect(onTwoThreads).toEqual(onThisThread);

    const file = await upload(svc.url, readFileSync(WORKBOOK), 'project-npv.xlsx');
    expect(file.status).toBe(200);
    const labels = Object.keys(onThisThread);
    expect(labels.length).toBeGreaterThan(0);
    const { status, body } = await api(svc.url, '/api/simulations/run', {
      body: {
        file_id: file.body.file_id,
        target_cells: labels,
        iterations: TRIALS,
        seed: SEED,
        engine: 'cpu',
        client_id: client.clientId,
      },
    });
    expect(status).toBe(202);
    expect((await client.final(body.simulation_id)).type).toBe('completed');
    const done = await api(svc.url, `/api/simulations/${body.simulation_id}`);
    expect(done.body.children).toHaveLength(8);
    const { results } = done.body;
    const fromService: Record<string, Summary> = {};
    for (const label of labels) {
      const o = results.outputs[label];
      fromService[label] = {
        mean: o.statistics.mean,
        std: o.statistics.std,
        min: o.statistics.min,
        max: o.statistics.max,
        percentiles: o.percentiles,
        errors: o.errors,
        sensitivity: results.sensitivity[label].map((s: { input: string; rank_correlation: number }) => [
          s.input,
          s.rank_correlation,
        ]),
      };
    }
    expect(fromService).toEqual(onThisThread);
  });
});
