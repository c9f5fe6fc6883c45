/**
 * POST /api/simulations/check: the request /run takes, compiled as /run compiles it and not run, so the
 * pane can show the engine's refusals and warnings before the user presses Run.
 */
import type { WorkbookModel } from '../../shared/model';
import { api, smallModel, startTestService, type TestService } from './helpers';

let service: TestService;

beforeAll(async () => {
  service = await startTestService({}, { api: true, workers: false });
});

afterAll(async () => {
  await service?.stop();
});

function withCells(cells: WorkbookModel['sheets'][number]['cells']): WorkbookModel {
  return { version: 1, names: [], sheets: [{ name: 'Sheet1', cells }] };
}

test('a runnable model: no warnings, and nothing is queued', async () => {
  const { status, body } = await api(service.url, '/api/simulations/check', {
    body: { model: smallModel(), target_cells: ['C1'], iterations: 1_000 },
  });
  expect(status).toBe(200);
  expect(body).toEqual({ runnable: true, warnings: [], simulations: 1, iterations: 1_000 });
  const recent = await api(service.url, '/api/simulations');
  expect(recent.body.simulations).toEqual([]);
});

test('a correlation matrix no variables could have: the adjusted-matrix warning, before any run', async () => {
  // x~y and y~z at 0.9 but x~z at -0.9: its determinant is negative, so it is not positive semi-definite
  const cells: WorkbookModel['sheets'][number]['cells'] = {
    A1: { formula: '=RiskNormal(0,1,RiskCorrmat(E1:G3,1))' },
    A2: { formula: '=RiskNormal(0,1,RiskCorrmat(E1:G3,2))' },
    A3: { formula: '=RiskNormal(0,1,RiskCorrmat(E1:G3,3))' },
    B1: { formula: '=A1+A2+A3' },
  };
  [
    [1, 0.9, -0.9],
    [0.9, 1, 0.9],
    [-0.9, 0.9, 1],
  ].forEach((row, r) => {
    row.forEach((value, c) => {
      cells[`${'EFG'[c]}${r + 1}`] = { value };
    });
  });
  const { status, body } = await api(service.url, '/api/simulations/check', {
    body: { model: withCells(cells), target_cells: ['B1'], iterations: 1_000 },
  });
  expect(status).toBe(200);
  expect(body.warnings).toHaveLength(1);
  expect(body.warnings[0]).toMatch(/not positive semi-definite/);
});

test('a function the engine does not evaluate: refused with 422 unsupported-function, naming it', async () => {
  const { status, body } = await api(service.url, '/api/simulations/check', {
    body: {
      model: withCells({ A1: { formula: '=RiskNormal(1,1)' }, B1: { formula: '=A1+WEBSERVICE("x")' } }),
      target_cells: ['B1'],
      iterations: 1_000,
    },
  });
  expect(status).toBe(422);
  expect(body.error.code).toBe('unsupported-function');
  expect(body.error.message).toMatch(/WEBSERVICE/);
});
