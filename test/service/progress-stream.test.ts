/**
 * The progress stream: a client connected before submission sees every event of its run in `seq`
 * order, percentages never go down, events never pause for long; subscribe, reconnect, cancel, GPU.
 */
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { expectedFinishingMs, FinishingTimes } from '../../server/progress/finishing-time';
import { Keys } from '../../server/redis/keys';
import type { ServerMessage } from '../../shared/model';
import {
  api,
  kill,
  slowModel,
  smallModel,
  startTestService,
  startWorker,
  TestClient,
  type TestService,
} from './helpers';

let svc: TestService;
const clients: TestClient[] = [];
const workers: ChildProcess[] = [];
// The workers run in their own process, as deployed: the test's event loop only serves API and sockets.
beforeAll(async () => {
  svc = await startTestService({ heartbeatMs: 300 }, { api: true, workers: false });
  await startWorker(svc.config, workers);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(workers.map(kill));
  await svc.stop();
});

async function client(): Promise<TestClient> {
  const c = await TestClient.connect(svc.wsUrl);
  clients.push(c);
  return c;
}

async function submit(body: Record<string, unknown>): Promise<string> {
  const run = await api(svc.url, '/api/simulations/run', {
    body: { model: smallModel(), target_cells: ['B1'], seed: 3, ...body },
  });
  expect(run.status).toBe(202);
  return run.body.simulation_id;
}

const seqOf = (m: ServerMessage) => ('seq' in m ? m.seq : -1);

test('a client connected before submission sees queued, running, progress and completed in order', async () => {
  const c = await client();
  const id = await submit({
    model: slowModel(),
    target_cells: ['B2'],
    // Long enough (over a second, on a machine 4× faster than a 2-core one) for the gaps to mean something.
    iterations: 1_200_000,
    client_id: c.clientId,
  });
  const final = await c.final(id);
  expect(final.type).toBe('completed');
  const events = c.events(id);
  const messages = events.map((e) => e.message);
  expect(messages[0]).toMatchObject({ type: 'progress', status: 'queued', seq: 1, current_iteration: 0 });
  expect(messages.some((m) => m.type === 'progress' && m.status === 'running')).toBe(true);
  expect(messages.filter((m) => m.type === 'progress' && m.current_iteration > 0).length).toBeGreaterThan(2);
  const seqs = messages.map(seqOf);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  const percentages = messages.map((m) => ('progress_percentage' in m ? m.progress_percentage : 0));
  for (let i = 1; i < percentages.length; i++)
    expect(percentages[i]).toBeGreaterThanOrEqual(percentages[i - 1]);
  const runningFrom = events.findIndex((e) => e.message.type !== 'progress' || e.message.status !== 'queued');
  for (let i = runningFrom + 1; i < events.length; i++)
    expect(events[i].at - events[i - 1].at).toBeLessThan(1_500);
  expect(events[events.length - 1].at - events[0].at).toBeGreaterThan(1_000);
  expect(final).toMatchObject({
    status: 'completed',
    current_iteration: 1_200_000,
    progress_percentage: 100,
  });
  if (final.type === 'completed') expect(final.summary.B2.errors).toBe(0);
});

test('live records say how long the service expects from the last trial to the results; each run teaches it', async () => {
  const redis = new Redis(svc.config.redisUrl);
  const times = new FinishingTimes(redis, new Keys(svc.config.redisPrefix));
  try {
    const c = await client();
    const before = await times.model();
    // slowModel: 10 inputs and B2, so 11 values a trial; 200,000 trials teach the part per value
    const id = await submit({
      model: slowModel(),
      target_cells: ['B2'],
      iterations: 200_000,
      client_id: c.clientId,
    });
    expect((await c.final(id)).type).toBe('completed');
    const live = c.events(id).map((e) => e.message);
    for (const m of live)
      if ('status' in m && (m.status === 'queued' || m.status === 'running'))
        expect(m).toMatchObject({ finishing_ms: expectedFinishingMs(before, 200_000 * 11) });
    // the final record makes no claim about a wait that is over
    expect(live[live.length - 1]).not.toHaveProperty('finishing_ms');
    const after = await times.model();
    expect(after.nsPerValue).not.toBe(before.nsPerValue);
    expect(after.fixedMs).toBe(before.fixedMs);
  } finally {
    redis.disconnect();
  }
});

test('subscribe mid-run: snapshot first, then only higher seq; a dropped socket resubscribes to the end', async () => {
  const id = await submit({ iterations: 150_000 });
  const first = await client();
  first.send({ type: 'subscribe', simulation_id: id });
  await first.next((m) => m.type === 'progress' && m.current_iteration > 0);
  first.close(); // dropped mid-run

  const again = await client();
  again.send({ type: 'subscribe', simulation_id: id });
  const final = await again.final(id);
  expect(final.type).toBe('completed');
  const messages = again.events(id).map((e) => e.message);
  expect(messages[0].type).toBe('snapshot');
  const seqs = messages.map(seqOf);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);

  const late = await client();
  late.send({ type: 'subscribe', simulation_id: id });
  expect(await late.next((m) => m.type === 'snapshot')).toMatchObject({
    status: 'completed',
    current_iteration: 150_000,
  });
});

test('cancel stops the run within a second and ends cancelled', async () => {
  const c = await client();
  const id = await submit({ iterations: 5_000_000, client_id: c.clientId });
  await c.next((m) => m.type === 'progress' && m.simulation_id === id && m.current_iteration > 0);
  const asked = Date.now();
  const cancel = await api(svc.url, `/api/simulations/${id}/cancel`, { method: 'POST' });
  expect(cancel.status).toBe(202);
  const final = await c.final(id);
  expect(final.type).toBe('cancelled');
  expect(Date.now() - asked).toBeLessThan(1_000);
  const stoppedAt = (await api(svc.url, `/api/simulations/progress/${id}`)).body;
  expect(stoppedAt.status).toBe('cancelled');
  await new Promise((r) => setTimeout(r, 300));
  expect((await api(svc.url, `/api/simulations/progress/${id}`)).body.current_iteration).toBe(
    stoppedAt.current_iteration,
  );
});

test('engine "gpu" without a GPU fails loudly, never completes on the CPU', async () => {
  const c = await client();
  const id = await submit({ iterations: 1_000, engine: 'gpu', client_id: c.clientId });
  const final = await c.final(id);
  expect(final.type).toBe('failed');
  if (final.type === 'failed') expect(final.error).toMatchObject({ code: 'gpu-unavailable' });
  expect((await api(svc.url, `/api/simulations/progress/${id}`)).body).toMatchObject({
    status: 'failed',
    error: { code: 'gpu-unavailable' },
  });
});

test('"ultra" (the old name of "auto") is read as "auto": the run is on the CPU and says so', async () => {
  const id = await submit({ iterations: 100, engine: 'ultra' });
  const c = await client();
  c.send({ type: 'subscribe', simulation_id: id });
  await c.next(
    (m) =>
      (m.type === 'snapshot' && m.status === 'completed') ||
      (m.type === 'completed' && m.simulation_id === id),
  );
  const full = await api(svc.url, `/api/simulations/${id}`);
  expect(full.body).toMatchObject({ status: 'completed', engine: 'auto', results: { engine_used: 'cpu' } });
});

test('unknown simulations and bad messages answer an error message, the socket stays open', async () => {
  const c = await client();
  c.send({ type: 'subscribe', simulation_id: 'nope' });
  expect(await c.next((m) => m.type === 'error')).toMatchObject({ error: { code: 'not-found' } });
  c.socket.send('not json');
  expect(await c.next((m) => m.type === 'error' && m.error.code === 'invalid-message')).toBeDefined();
});
