/**
 * Multiple simulations (RiskSimtable, issue 15 item 5): one simulation per entry of the list, all from
 * the same seed, so the differences are the scenario's. The CLI and the service give the same numbers;
 * the service streams progress over every simulation's trials.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import { SimulationResults, type WorkbookModel } from '../../shared/model';
import { api, startTestService, TestClient, type TestService } from './helpers';

const root = resolve(__dirname, '../..');
const TRIALS = 4_001;

/** Revenue = price × demand, the price a scenario: 10, 20 or 30. */
const model: WorkbookModel = {
  version: 1,
  sheets: [
    {
      name: 'Model',
      cells: {
        A1: { value: 'Price' },
        B1: { formula: '=RiskSimtable({10,20,30})' },
        A2: { value: 'Demand' },
        B2: { formula: '=RiskNormal(100,10)' },
        B3: { formula: '=RiskOutput("Revenue")+B1*B2' },
        D1: { formula: '=RiskMean(B3)' },
        // a comparison across simulations, as @RISK users build one
        D2: { formula: '=RiskMean(B3,2)' },
        D3: { formula: '=RiskPercentile("Revenue",0.9,3)-RiskPercentile(B3,0.9,1)' },
      },
    },
  ],
  names: [],
};

function cli(...flags: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'montecell-simtable-'));
  const book = join(dir, 'simtable.xlsx');
  writeFileSync(book, writeWorkbook(model));
  return spawnSync(
    process.execPath,
    [
      join(root, 'bin/montecell.js'),
      'simulate',
      book,
      '--iterations',
      String(TRIALS),
      '--seed',
      '5',
      ...flags,
    ],
    { encoding: 'utf8', cwd: root },
  );
}

describe('RiskSimtable: one simulation per scenario', () => {
  let svc: TestService;
  let client: TestClient;
  let fromCli: SimulationResults;
  beforeAll(async () => {
    const run = cli('--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    fromCli = SimulationResults.parse(JSON.parse(run.stdout));
    svc = await startTestService({ chunkTrials: 1_000 });
    client = await TestClient.connect(svc.wsUrl);
  });
  afterAll(async () => {
    client.close();
    await svc.stop();
  });

  it('runs each entry of the list from the same seed: the scenarios differ by their price alone', () => {
    const simulations = fromCli.simulations ?? [];
    expect(simulations.map((s) => s.index)).toEqual([1, 2, 3]);
    const mean = (k: number) => simulations[k].outputs['Model!B3'].statistics.mean as number;
    // Doubling is exact in binary, so the same demand draws give exactly twice the revenue.
    expect(mean(1)).toBe(2 * mean(0));
    expect(mean(2)).toBeCloseTo(3 * mean(0), 9);
    for (const s of simulations) expect(s.outputs['Model!B3'].statistics.count).toBe(TRIALS);
    // The top level is simulation 1, as a run of one shows it.
    expect(fromCli.outputs).toEqual(simulations[0].outputs);
    // Each simulation's statistics cells are computed from its own values.
    expect(simulations.map((s) => s.cells?.['Model!D1'])).toEqual([mean(0), mean(1), mean(2)]);
  });

  it('statistics naming a simulation read that simulation’s values, in every simulation’s cells', () => {
    const simulations = fromCli.simulations ?? [];
    const p90 = (k: number) => simulations[k].outputs['Model!B3'].percentiles['90'] as number;
    for (const s of simulations) {
      expect(s.cells?.['Model!D2']).toBe(simulations[1].outputs['Model!B3'].statistics.mean);
      expect(s.cells?.['Model!D3']).toBeCloseTo(p90(2) - p90(0), 9);
    }
    // the same demand draws at three times the price: the spread of the 90th percentiles is twice the first's
    expect(p90(2) - p90(0)).toBeCloseTo(2 * p90(0), 9);
    expect(fromCli.warnings).toBeUndefined();
    // the same cells when the CLI assembles each simulation on a thread
    const threaded = SimulationResults.parse(JSON.parse(cli('--json', '--threads', '2').stdout));
    expect(threaded.simulations?.map((s) => s.cells)).toEqual(simulations.map((s) => s.cells));
  });

  it('the service gives the same numbers and streams progress over every simulation', async () => {
    const { status, body } = await api(svc.url, '/api/simulations/run', {
      body: {
        model,
        target_cells: ['Model!B3'],
        iterations: TRIALS,
        seed: 5,
        engine: 'cpu',
        client_id: client.clientId,
      },
    });
    expect(status).toBe(202);
    expect(body.total_iterations).toBe(3 * TRIALS);
    expect((await client.final(body.simulation_id)).type).toBe('completed');
    const done = await api(svc.url, `/api/simulations/${body.simulation_id}`);
    expect(done.body).toMatchObject({ status: 'completed', current_iteration: 3 * TRIALS });
    expect(done.body.children).toHaveLength(15);
    const results = SimulationResults.parse(done.body.results);
    const outputs = (r: SimulationResults) => r.simulations?.map((s) => [s.outputs, s.cells]);
    expect(outputs(results)).toEqual(outputs(fromCli));
  });

  it('--simulations and the API’s simulations set the count; a list too short for it is refused before running', async () => {
    const two = SimulationResults.parse(JSON.parse(cli('--json', '--simulations', '2').stdout));
    expect(two.simulations).toHaveLength(2);
    const four = cli('--simulations', '4');
    expect(four.status).toBe(2);
    expect(four.stderr).toBe(
      "montecell: RiskSimtable in Model!B1 lists 3 values, fewer than the run's 4 simulations\n",
    );
    const refused = await api(svc.url, '/api/simulations/run', {
      body: { model, target_cells: ['Model!B3'], iterations: 100, simulations: 4 },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe(
      "RiskSimtable in Model!B1 lists 3 values, fewer than the run's 4 simulations",
    );
  });
});
