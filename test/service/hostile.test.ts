/**
 * Hostile and huge models against the service: each gets its clear 4xx (or runs, where it is valid
 * Excel within the limits) within 10 s, while /api/health keeps answering within 1 s, and a normal
 * simulation completes right after. Models are read and compiled in the intake threads, under a
 * time and a memory limit (server/intake), never on the API's event loop.
 */
import { get } from 'node:http';
import { unzipSync, zipSync } from 'fflate';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import type { WorkbookModel } from '../../shared/model';
import {
  api,
  type Body,
  pollUntilDone,
  smallModel,
  startTestService,
  type TestService,
  upload,
} from './helpers';

const INTAKE_TIMEOUT_MS = 4_000;
let svc: TestService;
/** 1,000,001 cells in 4.4 MB: built before the service starts, as it holds this process for seconds. */
let millionCells: Uint8Array;
beforeAll(async () => {
  const rows = 1_000_001;
  const cellsXml: string[] = [];
  for (let r = 1; r <= rows; r++) cellsXml.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
  const base = unzipSync(writeWorkbook(smallModel()));
  const sheetXml = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cellsXml.join('')}</sheetData></worksheet>`;
  millionCells = zipSync(
    { ...base, 'xl/worksheets/sheet1.xml': new TextEncoder().encode(sheetXml) },
    { level: 1 },
  );
  svc = await startTestService({ intakeTimeoutMs: INTAKE_TIMEOUT_MS, intakeMemoryMb: 256 });
});
afterAll(async () => {
  await svc.stop();
});

/**
 * Polls /api/health back to back while `work` runs; the slowest answer tells how long the event loop
 * was held. Each poll opens its own connection: a kept-alive one may be closed under it by the server's
 * idle timeout, which would say nothing about the API.
 */
async function whileHealthAnswers<T>(
  work: () => Promise<T>,
): Promise<{ result: T; slowestHealthMs: number; ms: number }> {
  let done = false;
  let slowestHealthMs = 0;
  const monitor = (async () => {
    while (!done) {
      const start = performance.now();
      expect([200, 503]).toContain(await healthStatus());
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - start);
    }
  })();
  const start = performance.now();
  try {
    const result = await work();
    return { result, slowestHealthMs, ms: performance.now() - start };
  } finally {
    done = true;
    await monitor;
  }
}

function healthStatus(): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(`${svc.url}/api/health`, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

async function refusedWithin10s(
  send: () => Promise<{ status: number; body: Body }>,
  status: number,
  code: string,
): Promise<{ error: { message: string } }> {
  const { result, slowestHealthMs, ms } = await whileHealthAnswers(send);
  expect(result.body).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(result.status).toBe(status);
  expect(ms).toBeLessThan(10_000);
  expect(slowestHealthMs).toBeLessThan(1_000);
  return result.body;
}

const runModel =
  (model: WorkbookModel, target = 'Sheet1!B1') =>
  () =>
    api(svc.url, '/api/simulations/run', { body: { model, target_cells: [target], iterations: 20 } });

function sheet(cells: Record<string, string | number>): WorkbookModel {
  return {
    version: 1,
    names: [],
    sheets: [
      {
        name: 'Sheet1',
        cells: Object.fromEntries(
          Object.entries(cells).map(([a, v]) => [a, typeof v === 'string' ? { formula: v } : { value: v }]),
        ),
      },
    ],
  };
}

describe('the intake: limits of time and memory', () => {
  test('a model that takes longer than the intake time limit to compile → 422 model-too-complex, API responsive', async () => {
    // 5,000 cells each summing a random range 2,000 cells long: compiling it walks 10 million references.
    const cells: Record<string, string | number> = { A1: '=RiskNormal(0,1)' };
    for (let r = 2; r <= 2_000; r++) cells[`A${r}`] = `=A${r - 1}+RiskUniform(0,1)`;
    for (let r = 1; r <= 5_000; r++)
      cells[`B${r}`] = `=SUMPRODUCT(A1:A2000,A1:A2000)+B${Math.max(1, r - 1)}*0`;
    const body = await refusedWithin10s(runModel(sheet(cells), 'Sheet1!B5000'), 422, 'model-too-complex');
    expect(body.error.message).toMatch(/took longer than 4 s/);
  });

  test('an upload of more than 1,000,000 cells → 413 too-large at once, nothing stored', async () => {
    const body = await refusedWithin10s(() => upload(svc.url, millionCells, 'huge.xlsx'), 413, 'too-large');
    expect(body.error.message).toMatch(/more than 1,000,000 cells/);
  });

  test('a request that is not JSON → 415 / 400 with a clear error', async () => {
    const notJson = await api(svc.url, '/api/simulations/run', {
      body: '{"model":',
    });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'invalid-json' } } });
    const form = await fetch(`${svc.url}/api/simulations/run`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'iterations=10',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'not-json' } });
  });
});

describe('afterwards', () => {
  test('after all of the above, a normal simulation runs to the end', async () => {
    const { status, body } = await api(svc.url, '/api/simulations/run', {
      body: { model: smallModel(), target_cells: ['B1'], iterations: 20 },
    });
    expect(status).toBe(202);
    const final = await pollUntilDone(svc.url, body.simulation_id);
    expect(final).toMatchObject({ status: 'completed', current_iteration: 20 });
  });
});
