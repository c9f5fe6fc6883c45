/** API keys isolate owners; CORS and WebSocket Origin allow-lists; rate limits; the admin API's token. */
import WebSocket from 'ws';
import { api, pollUntilDone, smallModel, startTestService, TestClient, type TestService } from './helpers';

let svc: TestService;
const A = { 'x-api-key': 'key-a' };
const B = { 'x-api-key': 'key-b' };
beforeAll(async () => {
  svc = await startTestService({
    apiKeys: ['key-a', 'key-b'],
    adminToken: 'admin-secret',
    rateLimitPerMinute: 60,
  });
});
afterAll(async () => {
  await svc.stop();
});

test('a key sees only its own simulations; other keys and no key are refused', async () => {
  const run = await api(svc.url, '/api/simulations/run', {
    headers: A,
    body: { model: smallModel(), target_cells: ['B1'], iterations: 50 },
  });
  expect(run.status).toBe(202);
  const id = run.body.simulation_id;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  await pollUntilDone(svc.url, id, 10_000, A);
  expect((await api(svc.url, `/api/simulations/${id}`, { headers: B })).status).toBe(404);
  expect((await api(svc.url, `/api/simulations/progress/${id}`, { headers: B })).status).toBe(404);
  expect((await api(svc.url, `/api/simulations/${id}/cancel`, { method: 'POST', headers: B })).status).toBe(
    404,
  );
  expect((await api(svc.url, '/api/simulations', { headers: B })).body.simulations).toEqual([]);
  expect((await api(svc.url, `/api/simulations/${id}`)).status).toBe(401);
  expect((await api(svc.url, `/api/simulations/${id}`, { headers: { 'x-api-key': 'nope' } })).status).toBe(
    401,
  );

  const other = await TestClient.connect(`${svc.wsUrl}?api_key=key-b`);
  other.send({ type: 'subscribe', simulation_id: id });
  expect(await other.next((m) => m.type === 'error')).toMatchObject({ error: { code: 'not-found' } });
  other.close();
  const owner = await TestClient.connect(svc.wsUrl, A);
  owner.send({ type: 'subscribe', simulation_id: id });
  expect(await owner.next((m) => m.type === 'snapshot')).toMatchObject({ status: 'completed' });
  owner.close();
});

test('WebSocket connections need a key and an allowed Origin', async () => {
  const refusedWith = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(svc.wsUrl, { headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
  expect(await refusedWith({})).toBe(401);
  expect(await refusedWith({ ...A, origin: 'https://evil.example' })).toBe(403);
  expect(await refusedWith({ ...A, origin: 'https://localhost:3000' })).toBe(101);
});

test('CORS answers only allow-listed origins', async () => {
  const allowed = await fetch(`${svc.url}/api/health`, { headers: { origin: 'https://localhost:3000' } });
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://localhost:3000');
  const other = await fetch(`${svc.url}/api/health`, { headers: { origin: 'https://evil.example' } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const preflight = await fetch(`${svc.url}/api/simulations/run`, {
    method: 'OPTIONS',
    headers: { origin: 'https://localhost:3000', 'access-control-request-method': 'POST' },
  });
  expect(preflight.status).toBe(204);
  // answered once for ten minutes, not before every run
  expect(preflight.headers.get('access-control-max-age')).toBe('600');
  const refused = await fetch(`${svc.url}/api/simulations/run`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  expect(refused.headers.get('access-control-max-age')).toBeNull();
});

test('admin API: 401 without token, 403 with a wrong one, data with the right one', async () => {
  expect((await api(svc.url, '/api/admin/queues')).status).toBe(401);
  expect(
    (await api(svc.url, '/api/admin/queues', { headers: { authorization: 'Bearer wrong' } })).status,
  ).toBe(403);
  const auth = { authorization: 'Bearer admin-secret' };
  const queues = await api(svc.url, '/api/admin/queues', { headers: auth });
  expect(queues.body.chunks.counts).toBeDefined();
  const workers = await api(svc.url, '/api/admin/workers', { headers: auth });
  expect(workers.body.workers[0]).toMatchObject({ pid: process.pid, engine: 'cpu' });
  const metrics = await fetch(`${svc.url}/metrics`, { headers: auth });
  expect(await metrics.text()).toContain('montecell_queue_jobs');
  const board = await fetch(`${svc.url}/admin/queues`, { headers: auth });
  expect(board.status).toBe(200);
  expect((await fetch(`${svc.url}/admin/queues`)).status).toBe(401);
  const list = await api(svc.url, '/api/admin/simulations?status=completed', { headers: auth });
  expect(list.body.simulations.length).toBeGreaterThan(0);
  const one = await api(svc.url, `/api/admin/simulations/${list.body.simulations[0].simulation_id}`, {
    headers: auth,
  });
  expect(one.body).toMatchObject({ progress: { status: 'completed' }, job: { state: 'completed' } });
  expect((await api(svc.url, '/api/admin/queues/pause', { method: 'POST', headers: auth })).body.paused).toBe(
    true,
  );
  expect(
    (await api(svc.url, '/api/admin/queues/resume', { method: 'POST', headers: auth })).body.paused,
  ).toBe(false);
});

test('rate limits answer 429 with an error body', async () => {
  let last = 0;
  for (let i = 0; i < 70 && last !== 429; i++)
    last = (await api(svc.url, '/api/simulations', { headers: B })).status;
  expect(last).toBe(429);
  expect((await api(svc.url, '/api/simulations', { headers: B })).body).toMatchObject({
    error: { code: 'rate-limited' },
  });
});

test('without ADMIN_TOKEN the admin API is off and says so', async () => {
  const plain = await startTestService({}, { api: true, workers: false });
  try {
    const reply = await api(plain.url, '/api/admin/queues', { headers: { authorization: 'Bearer x' } });
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('admin-disabled');
  } finally {
    await plain.stop();
  }
});
