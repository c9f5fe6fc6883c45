/**
 * Hostile and huge models against the service: each gets its clear 4xx (or runs, where it is valid
 * Excel within the limits) within 10 s, while /api/health keeps answering within 1 s, and a normal
 * simulation completes right after. Models are read and compiled in the intake threads, under a
 * time and a memory limit (server/intake), never on the API's event loop.
 */
import { get } from 'node:http';
import { unzipSync, zipSync } from 'fflate';
import { Redis } from 'ioredis';
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
  svc = await startTestService({
    intakeTimeoutMs: INTAKE_TIMEOUT_MS,
    intakeMemoryMb: 256,
    // Long enough for the 20,000-cell model to compile on a loaded CI machine (the watchdog covers compiling).
    trialTimeoutMs: 6_000,
  });
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

/** The service's keys but the worker registry: a refused request must leave none behind. */
async function serviceKeys(): Promise<string[]> {
  const redis = new Redis(svc.config.redisUrl);
  try {
    return (await redis.keys(`${svc.config.redisPrefix}:*`)).filter((k) => !k.endsWith(':workers')).sort();
  } finally {
    redis.disconnect();
  }
}

async function refusedWithin10s(
  send: () => Promise<{ status: number; body: Body }>,
  status: number,
  code: string,
): Promise<{ error: { message: string } }> {
  const keysBefore = await serviceKeys();
  const { result, slowestHealthMs, ms } = await whileHealthAnswers(send);
  expect(await serviceKeys()).toEqual(keysBefore);
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

  test('statistics cells whose dependents take too long to find → 422 model-too-complex before the run', async () => {
    // One RiskMean cell, and 10,000 cells each summing 20,000 formula cells: finding what depends on the
    // statistic walks 200 million references, which the intake's time limit stops.
    const cells: Record<string, string | number> = {
      A1: '=RiskNormal(0,1)',
      B1: '=RiskOutput()+A1',
      C1: '=RiskMean(B1)',
    };
    for (let r = 1; r <= 20_000; r++) cells[`E${r}`] = '=1';
    for (let r = 2; r <= 10_001; r++) cells[`D${r}`] = '=SUM($E$1:$E$20000)+C1';
    const body = await refusedWithin10s(runModel(sheet(cells), 'Sheet1!B1'), 422, 'model-too-complex');
    expect(body.error.message).toMatch(/took longer than 4 s/);
  });

  test('an upload of more than 1,000,000 cells → 413 too-large at once, nothing stored', async () => {
    const body = await refusedWithin10s(() => upload(svc.url, millionCells, 'huge.xlsx'), 413, 'too-large');
    expect(body.error.message).toMatch(/more than 1,000,000 cells/);
  });

  test('an upload is held to the schema and limits of an inline model → 422 invalid-workbook', async () => {
    const long = `=${Array.from({ length: 3_000 }, () => 'A1').join('+')}`;
    const tooLongFormula = writeWorkbook(sheet({ A1: 1, B1: long }));
    const body = await refusedWithin10s(
      () => upload(svc.url, tooLongFormula, 'long.xlsx'),
      422,
      'invalid-workbook',
    );
    expect(body.error.message).toMatch(/formula must be at most 8192 characters/);
    const base = unzipSync(writeWorkbook(smallModel()));
    const workbookXml = new TextDecoder()
      .decode(base['xl/workbook.xml'])
      .replace(/name="Sheet1"/, `name="${'S'.repeat(40)}"`);
    const longName = zipSync({ ...base, 'xl/workbook.xml': new TextEncoder().encode(workbookXml) });
    const named = await refusedWithin10s(
      () => upload(svc.url, longName, 'name.xlsx'),
      422,
      'invalid-workbook',
    );
    expect(named.error.message).toMatch(/sheet name must be at most 31 characters/);
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

/** Submits the model and follows it to its end; the run is accepted, final within 10 s, the API responsive. */
async function runsWithin10s(model: WorkbookModel, target = 'Sheet1!B1'): Promise<Body> {
  const { result, slowestHealthMs, ms } = await whileHealthAnswers(async () => {
    const { status, body } = await runModel(model, target)();
    expect(body).toMatchObject({ status: 'queued' });
    expect(status).toBe(202);
    const final = await pollUntilDone(svc.url, body.simulation_id, 10_000);
    return (await api(svc.url, `/api/simulations/${final.simulation_id ?? body.simulation_id}`)).body;
  });
  expect(ms).toBeLessThan(10_000);
  expect(slowestHealthMs).toBeLessThan(1_000);
  return result;
}

/** The xlsx of `model` with xl/workbook.xml rewritten. */
function withWorkbookXml(model: WorkbookModel, edit: (xml: string) => string): Uint8Array {
  const files = unzipSync(writeWorkbook(model));
  files['xl/workbook.xml'] = new TextEncoder().encode(
    edit(new TextDecoder().decode(files['xl/workbook.xml'])),
  );
  return zipSync(files);
}

/** Each row of the review's table (issue 13), through the service. */
describe('hostile models of a few kilobytes', () => {
  test('40 levels of doubling defined names (a 2 KB model): names are evaluated once, the run completes', async () => {
    const model = sheet({ A1: '=RiskNormal(0,1)', B1: '=Lol_0+A1' });
    model.names = [
      ...Array.from({ length: 40 }, (_, k) => ({ name: `Lol_${k}`, ref: `=Lol_${k + 1}+Lol_${k + 1}` })),
      { name: 'Lol_40', ref: '=1' },
    ];
    expect(JSON.stringify(model).length).toBeLessThan(2_500);
    const done = await runsWithin10s(model);
    expect(done).toMatchObject({ status: 'completed', current_iteration: 20 });
    expect(done.results.outputs['Sheet1!B1'].statistics.mean).toBeGreaterThan(2 ** 40 - 10);
  });

  test('SEQUENCE(10^9) and MAKEARRAY(100000,100000) are #NUM! as in Excel; nothing is allocated', async () => {
    for (const formula of ['=ROWS(SEQUENCE(1000000000))', '=ROWS(MAKEARRAY(100000,100000,LAMBDA(r,c,1)))']) {
      const done = await runsWithin10s(sheet({ A1: '=RiskNormal(0,1)', B1: `=A1+${formula.slice(1)}` }));
      expect(done.status).toBe('completed');
      expect(done.results.outputs['Sheet1!B1']).toMatchObject({ errors: 20, non_numeric: { '#NUM!': 20 } });
    }
  });

  test('one value at XFD1048576 and SUM(B2:XFD1048576): the sum of the present cells', async () => {
    const done = await runsWithin10s(
      sheet({ A1: '=RiskUniform(0,1)', XFD1048576: 4, B1: '=SUM(B2:XFD1048576)+A1*0' }),
    );
    expect(done.status).toBe('completed');
    expect(done.results.outputs['Sheet1!B1'].statistics).toMatchObject({ min: 4, max: 4 });
  });

  test('a backtracking wildcard in COUNTIF over 60 × "a" counts at once', async () => {
    const model = sheet({ A1: '=RiskUniform(0,1)', B1: `=COUNTIF(C1,"${'*a'.repeat(14)}*b")+A1*0` });
    model.sheets[0].cells.C1 = { value: 'a'.repeat(60) };
    const done = await runsWithin10s(model);
    expect(done.status).toBe('completed');
    expect(done.results.outputs['Sheet1!B1'].statistics).toMatchObject({ min: 0, max: 0 });
  });

  test('an array formula over the whole grid, inline or uploaded → 422 model-too-complex', async () => {
    const whole = sheet({ A1: '=RiskNormal(0,1)' });
    whole.sheets[0].cells.B1 = { formula: '=A1', array_ref: 'B1:XFD1048576' };
    const inline = await refusedWithin10s(runModel(whole), 422, 'model-too-complex');
    expect(inline.error.message).toMatch(/array formulas fill more than/);
    const { status, body } = await upload(svc.url, writeWorkbook(whole), 'whole-grid.xlsx');
    expect(status).toBe(200);
    const uploaded = await refusedWithin10s(
      () =>
        api(svc.url, '/api/simulations/run', {
          body: { file_id: body.file_id, target_cells: ['Sheet1!B1'], iterations: 20 },
        }),
      422,
      'model-too-complex',
    );
    expect(uploaded.error.message).toMatch(/array formulas fill more than/);
  });

  test('SUM over 20,000 scattered random cells compiles and runs', async () => {
    const cells: Record<string, string | number> = {};
    for (let i = 0; i < 20_000; i++) cells[`C${2 + i * 3}`] = i % 2 ? '=RAND()' : 1;
    cells.B1 = '=SUM(C2:C60000)';
    const done = await runsWithin10s(sheet(cells));
    expect(done).toMatchObject({ status: 'completed', current_iteration: 20 });
    const { min, max } = done.results.outputs['Sheet1!B1'].statistics;
    expect(min).toBeGreaterThan(10_000);
    expect(max).toBeLessThan(20_000);
  });

  test('a sheet or a defined name without a name in the upload → 422 with what is wrong', async () => {
    const model = sheet({ A1: '=X' });
    model.names = [{ name: 'X', ref: '=1' }];
    const noSheetName = withWorkbookXml(model, (xml) => xml.replace(/<sheet name="Sheet1"/, '<sheet'));
    const sheetBody = await refusedWithin10s(() => upload(svc.url, noSheetName, 'a.xlsx'), 422, 'corrupt');
    expect(sheetBody.error.message).toMatch(/sheet .*has no name/);
    const noName = withWorkbookXml(model, (xml) => xml.replace(/<definedName name="X"/, '<definedName'));
    const nameBody = await refusedWithin10s(() => upload(svc.url, noName, 'b.xlsx'), 422, 'corrupt');
    expect(nameBody.error.message).toMatch(/defined name .*has no name/);
  });

  test('1E+309 in a random formula is #NUM!, as Excel shows it', async () => {
    const done = await runsWithin10s(sheet({ A1: '=RiskNormal(0,1)', B1: '=A1+1E+309' }));
    expect(done.status).toBe('completed');
    expect(done.results.outputs['Sheet1!B1']).toMatchObject({ errors: 20, non_numeric: { '#NUM!': 20 } });
  });

  test('a recursive LAMBDA name → 422 model-too-complex naming the cell', async () => {
    const model = sheet({ A1: '=RiskNormal(0,1)', B1: '=A1+Forever(1)' });
    model.names = [{ name: 'Forever', ref: '=LAMBDA(n,Forever(n+1))' }];
    const body = await refusedWithin10s(runModel(model), 422, 'model-too-complex');
    expect(body.error.message).toMatch(/B1/);
  });

  test('CHOOSE with 100,000 choices: longer than Excel allows inline (400); within the limit it runs', async () => {
    const choices = Array.from({ length: 100_000 }, (_, i) => i + 1).join(',');
    const huge = await refusedWithin10s(
      runModel(sheet({ A1: '=RiskNormal(0,1)', B1: `=A1+CHOOSE(2,${choices})` })),
      400,
      'invalid-request',
    );
    expect(huge.error.message).toMatch(/at most 8192 characters/);
    const fits = Array.from({ length: 1_500 }, (_, i) => i + 1).join(',');
    const done = await runsWithin10s(sheet({ A1: '=RiskUniform(0,1)', B1: `=A1*0+CHOOSE(1500,${fits})` }));
    expect(done.results.outputs['Sheet1!B1'].statistics).toMatchObject({ min: 1500, max: 1500 });
  });

  test('a regular expression that backtracks forever in every trial: the run fails model-too-complex, the worker is freed', async () => {
    const done = await runsWithin10s(
      sheet({ A1: '=RAND()', B1: '=REGEXTEST(REPT("a",40)&IF(A1<2,"!",""),"^(a+)+$")' }),
    );
    expect(done).toMatchObject({ status: 'failed', error: { code: 'model-too-complex' } });
    expect(done.error.message).toMatch(/more than 6 s without finishing/);
  });

  test('a zip part whose header understates its size → refused as soon as it inflates past it', async () => {
    const files = unzipSync(writeWorkbook(smallModel()));
    // A sheet that inflates to 64 MB, its declared size rewritten to 1,000 bytes in both zip headers.
    files['xl/worksheets/sheet1.xml'] = new Uint8Array(64 * 2 ** 20).fill(0x20);
    const bytes = zipSync(files, { level: 9 });
    understateSize(bytes, 'xl/worksheets/sheet1.xml', 1_000);
    const body = await refusedWithin10s(() => upload(svc.url, bytes, 'liar.xlsx'), 422, 'corrupt');
    expect(body.error.message).toMatch(/damaged|declared/);
  });
});

/** Rewrites the uncompressed size of `name` in its local header and its central directory entry. */
function understateSize(zip: Uint8Array, name: string, size: number): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const nameBytes = new TextEncoder().encode(name);
  const matches = (at: number) => nameBytes.every((b, i) => zip[at + i] === b);
  for (let at = 0; at + 4 <= zip.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && matches(at + 30)) view.setUint32(at + 22, size, true);
    if (signature === 0x02014b50 && matches(at + 46)) view.setUint32(at + 24, size, true);
  }
}

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
