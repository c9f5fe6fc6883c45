/** Smoke: upload a small workbook, run 20 iterations, poll progress until completed with every trial. */
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import { SimulationResults } from '../../shared/model';
import { api, pollUntilDone, smallModel, startTestService, type TestService, upload } from './helpers';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

test('upload → run 20 iterations → completed with current_iteration == 20', async () => {
  const uploaded = await upload(svc.url, writeWorkbook(smallModel()), 'small.xlsx');
  expect(uploaded.status).toBe(200);
  expect(uploaded.body).toMatchObject({
    filename: 'small.xlsx',
    sheets: [{ name: 'Sheet1', formula_cells: 4, value_cells: 0 }],
  });
  const run = await api(svc.url, '/api/simulations/run', {
    body: { file_id: uploaded.body.file_id, target_cells: ['B1', 'Sheet1!C1'], iterations: 20, seed: 7 },
  });
  expect(run.status).toBe(202);
  expect(run.body).toMatchObject({ status: 'queued', total_iterations: 20 });
  const done = await pollUntilDone(svc.url, run.body.simulation_id);
  expect(done).toMatchObject({
    status: 'completed',
    current_iteration: 20,
    total_iterations: 20,
    progress_percentage: 100,
  });

  const full = await api(svc.url, `/api/simulations/${run.body.simulation_id}`);
  // What the task pane validates the results with.
  expect(SimulationResults.safeParse(full.body.results).success).toBe(true);
  expect(full.body.results.engine_used).toBe('cpu');
  expect(Object.keys(full.body.results.outputs)).toEqual(['B1', 'Sheet1!C1']);
  expect(full.body.results.outputs.B1.statistics.count).toBe(20);
  expect(full.body.results.sensitivity.B1[0].input).toContain('A1');
});

test('the same seed gives the same statistics with 1 chunk or many', async () => {
  const request = { model: smallModel(), target_cells: ['B1'], iterations: 3_000, seed: 11 };
  const one = await api(svc.url, '/api/simulations/run', { body: request });
  await pollUntilDone(svc.url, one.body.simulation_id);
  const other = await startTestService({ chunkTrials: 250 });
  try {
    const many = await api(other.url, '/api/simulations/run', { body: request });
    const progress = await pollUntilDone(other.url, many.body.simulation_id);
    expect(progress.children).toHaveLength(12);
    const a = (await api(svc.url, `/api/simulations/${one.body.simulation_id}`)).body.results;
    const b = (await api(other.url, `/api/simulations/${many.body.simulation_id}`)).body.results;
    expect(b.outputs).toEqual(a.outputs);
    const samples = await fetch(`${other.url}/api/simulations/${many.body.simulation_id}/samples?output=B1`);
    expect(new Float64Array(await samples.arrayBuffer())).toHaveLength(3_000);
    const csv = await fetch(`${other.url}/api/simulations/${many.body.simulation_id}/samples?output=B1`, {
      headers: { accept: 'text/csv' },
    });
    expect((await csv.text()).split('\n')[0]).toBe('B1');
  } finally {
    await other.stop();
  }
});

test('the results name each output by RiskOutput and each input by RiskName or its row label', async () => {
  const model = smallModel();
  Object.assign(model.sheets[0].cells, {
    A1: { formula: '=RiskNormal(100,10)' },
    A2: { formula: '=RiskNormal(A1,5,RiskName("Cost"))' },
    B1: { formula: '=RiskOutput("Profit")+A1*2-A2' },
    D1: { value: 'Demand' },
    E1: { formula: '=RiskUniform(0,1)' },
    C1: { formula: '=B1+E1' },
  });
  const run = await api(svc.url, '/api/simulations/run', {
    body: { model, target_cells: ['B1', 'C1'], iterations: 200, seed: 3 },
  });
  expect(run.status).toBe(202);
  await pollUntilDone(svc.url, run.body.simulation_id);
  const { results } = (await api(svc.url, `/api/simulations/${run.body.simulation_id}`)).body;
  expect(SimulationResults.parse(results)).toEqual(results);
  expect(results.outputs.B1.name).toBe('Profit');
  expect(results.outputs.C1).not.toHaveProperty('name');
  const names = Object.fromEntries(
    results.sensitivity.C1.map((s: { input: string; name?: string }) => [s.input, s.name]),
  );
  expect(names).toEqual({
    'Sheet1!A1 RISKNORMAL': undefined,
    'Sheet1!A2 RISKNORMAL': 'Cost',
    'Sheet1!E1 RISKUNIFORM': 'Demand',
  });
});

test('health, openapi and the caller’s list', async () => {
  expect((await api(svc.url, '/api/health')).body).toMatchObject({ status: 'ok', redis: 'up', workers: 1 });
  const doc = (await api(svc.url, '/api/openapi.json')).body;
  expect(doc.components.schemas.SimulationRequest).toBeDefined();
  expect(doc.components.schemas.SimulationResults.properties.outputs).toBeDefined();
  const list = await api(svc.url, '/api/simulations');
  expect(list.body.simulations.length).toBeGreaterThanOrEqual(2);
});
