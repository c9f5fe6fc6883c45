/**
 * Bad input: each answers its status code and an error body, the server stays up, and nothing is left
 * half-written (no keys appear in Redis for a refused request).
 */
import { zipSync } from 'fflate';
import { Redis } from 'ioredis';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import { api, smallModel, startTestService, type TestService, upload } from './helpers';

let svc: TestService;
let redis: Redis;
beforeAll(async () => {
  svc = await startTestService();
  redis = new Redis(svc.config.redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await svc.stop();
});

async function serviceKeys(): Promise<number> {
  return (await redis.keys(`${svc.config.redisPrefix}:*`)).filter((k) => !k.endsWith(':workers')).length;
}

/** Runs the request and checks the status, the error body, that nothing was stored and that the server is up. */
async function refused(
  send: () => Promise<{ status: number; body: unknown }>,
  status: number,
  code?: string,
) {
  const before = await serviceKeys();
  const reply = await send();
  expect(reply.status).toBe(status);
  expect(reply.body).toMatchObject({
    error: { code: code ?? expect.any(String), message: expect.any(String) },
  });
  expect(await serviceKeys()).toBe(before);
  expect((await api(svc.url, '/api/health')).status).toBe(200);
  return reply.body as { error: { code: string; message: string; details?: unknown } };
}

const run = (body: unknown) => () => api(svc.url, '/api/simulations/run', { body });
const valid = { model: smallModel(), target_cells: ['B1'], iterations: 10 };

describe('uploads', () => {
  test('not an xlsx → 415', async () => {
    await refused(() => upload(svc.url, Buffer.from('name,value\na,1\n'), 'data.csv'), 415, 'not-xlsx');
    await refused(() => upload(svc.url, Buffer.from('just text, not a zip'), 'fake.xlsx'), 415, 'not-xlsx');
  });

  test('a corrupt zip → 422', async () => {
    const bytes = Buffer.from(writeWorkbook(smallModel()));
    const damaged = Buffer.concat([bytes.subarray(0, 40), Buffer.alloc(200, 7), bytes.subarray(240, 400)]);
    await refused(() => upload(svc.url, damaged, 'damaged.xlsx'), 422, 'corrupt');
  });

  test('a zip bomb (declares more than 200 MB uncompressed) → 413', async () => {
    const bomb = Buffer.from(
      zipSync({
        'xl/workbook.xml': new Uint8Array(1_000),
        'xl/worksheets/sheet1.xml': new Uint8Array(1_000),
      }),
    );
    // Make the central directory claim 300 MB for the sheet, as a bomb's headers do.
    const central = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(300 * 2 ** 20, central + 24);
    await refused(() => upload(svc.url, bomb, 'bomb.xlsx'), 413, 'too-large');
  });

  test('a 30 MB file → 413', async () => {
    await refused(() => upload(svc.url, Buffer.alloc(30 * 2 ** 20, 1), 'huge.xlsx'), 413, 'too-large');
  });
});

describe('run requests', () => {
  test.each([0, -5, 1e12, 'abc', 1.5])('iterations %p → 400 naming the field', async (iterations) => {
    const body = await refused(run({ ...valid, iterations }), 400, 'invalid-request');
    expect(body.error.message).toMatch(/^iterations/);
  });

  test('an unknown sheet in a target → 422 naming the cell', async () => {
    const body = await refused(run({ ...valid, target_cells: ['Sheet9!Z1'] }), 422, 'unknown-target');
    expect(body.error.message).toContain('Sheet9');
  });

  test('a circular model → 422', async () => {
    const model = smallModel();
    model.sheets[0].cells.D1 = { formula: '=D2+A1' };
    model.sheets[0].cells.D2 = { formula: '=D1*2' };
    const body = await refused(run({ ...valid, model, target_cells: ['D1'] }), 422, 'circular-reference');
    expect(body.error.message).toMatch(/D1|D2/);
  });

  test('an unknown function → 422 naming the cell', async () => {
    const model = smallModel();
    model.sheets[0].cells.D1 = { formula: '=NOTAFUNCTION(A1)' };
    const body = await refused(run({ ...valid, model, target_cells: ['D1'] }), 422, 'unsupported-function');
    expect(body.error.message).toContain('NOTAFUNCTION (Sheet1!D1)');
    expect(body.error.details).toEqual({
      functions: [{ name: 'NOTAFUNCTION', cells: ['Sheet1!D1'], more: 0 }],
    });
  });

  test('invalid JSON → 400', async () => {
    await refused(
      () => api(svc.url, '/api/simulations/run', { body: '{"iterations": 10,' }),
      400,
      'invalid-json',
    );
  });

  test('10,000 targets → 400', async () => {
    const targets = Array.from({ length: 10_000 }, (_, i) => `A${i + 1}`);
    await refused(run({ ...valid, target_cells: targets }), 400, 'invalid-request');
  });

  test('a missing file → 404, neither file_id nor model → 400', async () => {
    const { model: _model, ...withoutModel } = valid;
    await refused(
      run({ ...withoutModel, file_id: '6f1c2a9e-8a3b-4c1d-9e2f-0a1b2c3d4e5f' }),
      404,
      'not-found',
    );
    await refused(run(withoutModel), 400, 'invalid-request');
  });

  test('unknown ids → 404 on every simulation route', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/progress/${id}`, `/${id}`, `/${id}/samples`])
      await refused(() => api(svc.url, `/api/simulations${path}`), 404, 'not-found');
    await refused(() => api(svc.url, `/api/simulations/${id}/cancel`, { method: 'POST' }), 404, 'not-found');
    await refused(() => api(svc.url, '/api/nothing-here'), 404, 'not-found');
  });
});
