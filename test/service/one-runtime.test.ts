/**
 * One runtime: the CLI (on this thread, or on the engine's threads) and the service (chunks on its
 * workers' engine threads, assembled on one of them) give bit-identical results for the same model,
 * seed and trial count, whatever the thread or chunk counts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SimulationResults } from '../../shared/model';
import { api, startTestService, TestClient, type TestService, upload } from './helpers';

const root = resolve(__dirname, '../..');
const WORKBOOK = join(root, 'examples', 'project-npv.xlsx');
const TRIALS = 30_011;
const SEED = 20_261_207;

/** What `montecell simulate --json` prints: the service's results schema. */
function cli(...flags: string[]): SimulationResults {
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
  const json = SimulationResults.parse(JSON.parse(run.stdout));
  expect(json).toMatchObject({ iterations: TRIALS, seed: SEED, engine_used: 'cpu' });
  return json;
}

/** Everything but the time it took. */
const computed = ({ elapsed_ms: _, ...rest }: SimulationResults) => rest;

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
    expect(computed(onTwoThreads)).toEqual(computed(onThisThread));

    const file = await upload(svc.url, readFileSync(WORKBOOK), 'project-npv.xlsx');
    expect(file.status).toBe(200);
    const labels = Object.keys(onThisThread.outputs);
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
    // Statistics, percentiles, histogram, CDF, error counts, sensitivity and the workbook's statistics
    // cells (RiskMean, RiskPercentile…): every number the same bits.
    expect(Object.keys(onThisThread.cells ?? {})).toEqual([
      'Model!H11',
      'Model!H12',
      'Model!H13',
      'Model!H14',
      'Model!H15',
      'Model!H16',
    ]);
    expect(computed(SimulationResults.parse(done.body.results))).toEqual(computed(onThisThread));
  });
});
