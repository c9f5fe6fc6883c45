/**
 * What the fault drill found, each reproduced: a store wiped mid-run ends the stream `failed` (never a
 * silent socket); a worker killed mid-chunk leaves no gap over a second in the stream; a cancelled run
 * leaves no chunk results behind.
 */
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../server/config';
import { CHUNK_QUEUE } from '../../server/queue/queues';
import { startRedisServer } from '../../server/redis/embedded';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import type { ServerMessage } from '../../shared/model';
import {
  api,
  kill,
  slowModel,
  startTestService,
  startWorker,
  TestClient,
  type TestService,
  upload,
  waitFor,
} from './helpers';

const children: ChildProcess[] = [];
const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(children.map(kill));
});

async function connect(svc: TestService): Promise<TestClient> {
  const c = await TestClient.connect(svc.wsUrl);
  clients.push(c);
  return c;
}

async function submit(svc: TestService, body: Record<string, unknown>): Promise<string> {
  const run = await api(svc.url, '/api/simulations/run', {
    body: { target_cells: ['B2'], seed: 5, ...body },
  });
  expect(run.status).toBe(202);
  return run.body.simulation_id;
}

const liveWork = (id: string) => (m: ServerMessage) =>
  m.type === 'progress' && m.simulation_id === id && m.current_iteration > 0;

describe('the store wiped mid-run', () => {
  test('FLUSHALL: followers of a run (from a model or an upload) get failed "lost: the queue\'s store was reset"', async () => {
    const redis = await startRedisServer();
    children.push(redis.process);
    const svc = await startTestService({ redisUrl: redis.url, chunkTrials: 20_000 });
    try {
      const c = await connect(svc);
      const fromModel = await submit(svc, {
        model: slowModel(),
        iterations: 5_000_000,
        client_id: c.clientId,
      });
      const file = await upload(svc.url, writeWorkbook(slowModel()), 'slow.xlsx');
      expect(file.status).toBe(200);
      const fromFile = await submit(svc, {
        file_id: file.body.file_id,
        iterations: 5_000_000,
        client_id: c.clientId,
      });
      await c.next(liveWork(fromModel));
      const admin = new Redis(redis.url);
      const wipedAt = Date.now();
      await admin.flushall();
      admin.disconnect();
      for (const id of [fromModel, fromFile]) {
        const final = await c.final(id, 5_000);
        expect(final).toMatchObject({
          type: 'failed',
          status: 'failed',
          error: { code: 'lost', message: "lost: the queue's store was reset" },
        });
      }
      expect(Date.now() - wipedAt).toBeLessThan(3_000);
      // REST agrees: the run and its upload are gone.
      expect((await api(svc.url, `/api/simulations/progress/${fromModel}`)).status).toBe(404);
      expect((await api(svc.url, `/api/simulations/progress/${fromFile}`)).status).toBe(404);
    } finally {
      await svc.stop();
      await redis.stop?.();
    }
  });

  test('a restart without persistence: the follower gets failed with the same reason', async () => {
    const first = await startRedisServer();
    children.push(first.process);
    const svc = await startTestService({ redisUrl: first.url, chunkTrials: 20_000 });
    let second: Awaited<ReturnType<typeof startRedisServer>> | undefined;
    try {
      const c = await connect(svc);
      const id = await submit(svc, { model: slowModel(), iterations: 5_000_000, client_id: c.clientId });
      await c.next(liveWork(id));
      await first.stop?.();
      second = await startRedisServer([], first.port);
      children.push(second.process);
      const final = await c.final(id, 10_000);
      expect(final).toMatchObject({
        type: 'failed',
        error: { code: 'lost', message: "lost: the queue's store was reset" },
      });
    } finally {
      await svc.stop();
      await second?.stop?.();
    }
  });
});

describe('a worker killed mid-chunk', () => {
  let svc: TestService;
  beforeAll(async () => {
    // The lock and stall-check settings the service runs with (defaults, or LOCK_DURATION_MS and
    // STALLED_INTERVAL_MS to measure others): what operators get.
    const { lockDurationMs, stalledIntervalMs } = loadConfig(process.env);
    svc = await startTestService(
      { lockDurationMs, stalledIntervalMs, chunkTrials: 100_000, chunkConcurrency: 2 },
      { api: true, workers: false },
    );
  });
  afterAll(async () => {
    await svc.stop();
  });

  test('the stream never goes quiet for more than a second; it says it waits for the retry', async () => {
    const [doomed, survivor] = await Promise.all([
      startWorker(svc.config, children),
      startWorker(svc.config, children),
    ]);
    const c = await connect(svc);
    const id = await submit(svc, { model: slowModel(), iterations: 400_000, client_id: c.clientId });
    // Every chunk taken (two per worker) and counting: the killed worker's two are lost mid-chunk.
    await c.next(
      (m) =>
        m.type === 'progress' &&
        m.simulation_id === id &&
        m.children.every((ch) => ch.status === 'running' && ch.current_iteration > 0),
      30_000,
    );
    await kill(doomed);
    const killedAt = Date.now();
    const waiting = await c.next(
      (m) =>
        m.type !== 'hello' && m.type !== 'error' && m.waiting_for === 'waiting for a chunk to be retried',
      20_000,
    );
    if (waiting.type !== 'progress') throw new Error(`expected a progress event, got ${waiting.type}`);
    const final = await c.final(id, 60_000);
    expect(final).toMatchObject({ type: 'completed', current_iteration: 400_000 });
    const after = c.events(id).filter((e) => e.at >= killedAt);
    let maxGap = 0;
    for (let i = 1; i < after.length; i++) maxGap = Math.max(maxGap, after[i].at - after[i - 1].at);
    // The retried chunk's first report clears waiting_for.
    const retriedAt = after.find(
      (e) =>
        e.message.type === 'progress' && e.message.seq > waiting.seq && e.message.waiting_for === undefined,
    )?.at;
    process.stderr.write(
      `worker killed: ${after.length} events until completed ${Date.now() - killedAt} ms later; ` +
        `max gap ${maxGap} ms; work reported again after ${(retriedAt ?? 0) - killedAt} ms\n`,
    );
    expect(maxGap).toBeLessThanOrEqual(1_200);
    await kill(survivor);
  });
});

describe('cancel', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ chunkTrials: 20_000, chunkConcurrency: 2 });
  });
  afterAll(async () => {
    await svc.stop();
  });

  test("a cancelled run leaves none of its chunks' results in Redis", async () => {
    const c = await connect(svc);
    const id = await submit(svc, { model: slowModel(), iterations: 2_000_000, client_id: c.clientId });
    // Some chunks finished (their results stored), others still running.
    await c.next(
      (m) =>
        m.type === 'progress' &&
        m.simulation_id === id &&
        m.children.filter((ch) => ch.status === 'completed').length >= 3,
    );
    expect((await api(svc.url, `/api/simulations/${id}/cancel`, { method: 'POST' })).status).toBe(202);
    expect((await c.final(id)).type).toBe('cancelled');
    // The chunks that were running when the cancel came end (a state no event announces).
    const redis = new Redis(svc.config.redisUrl, { maxRetriesPerRequest: null });
    const chunks = new Queue(CHUNK_QUEUE, { connection: redis, prefix: svc.config.queuePrefix });
    await waitFor(async () => ((await chunks.getActiveCount()) === 0 ? true : undefined), 10_000, 'idle');
    await chunks.close();
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${svc.config.redisPrefix}:sim:{${id}}:*`);
      cursor = next;
      left.push(...found);
    } while (cursor !== '0');
    redis.disconnect();
    expect(left.filter((k) => k.includes(':chunk:') || k.endsWith(':engines'))).toEqual([]);
  });
});

describe('scale-out: an API-only process and two worker processes', () => {
  let svc: TestService;
  const auth = { authorization: 'Bearer drill-admin' };
  beforeAll(async () => {
    svc = await startTestService(
      { adminToken: 'drill-admin', chunkTrials: 20_000, chunkConcurrency: 2 },
      { api: true, workers: false },
    );
  });
  afterAll(async () => {
    await svc.stop();
  });

  test('the admin API names each worker (host, pid) and the worker that ran each chunk', async () => {
    const workers = await Promise.all([startWorker(svc.config, children), startWorker(svc.config, children)]);
    const pids = workers.map((w) => w.pid);
    const listed = await api(svc.url, '/api/admin/workers', { headers: auth });
    expect(listed.status).toBe(200);
    const names: string[] = listed.body.workers.map((w: { name: string }) => w.name);
    expect(listed.body.workers.map((w: { pid: number }) => w.pid).sort()).toEqual([...pids].sort());
    for (const w of listed.body.workers) expect(w.name).toBe(`${w.host}:${w.pid}:${w.name.split(':')[2]}`);

    const c = await connect(svc);
    const id = await submit(svc, { model: slowModel(), iterations: 160_000, client_id: c.clientId });
    expect((await c.final(id)).type).toBe('completed');
    const view = await api(svc.url, `/api/admin/simulations/${id}`, { headers: auth });
    expect(view.status).toBe(200);
    expect(view.body.chunks).toHaveLength(8);
    for (const chunk of view.body.chunks) {
      expect(names).toContain(chunk.worker);
      expect(chunk.logs).toContain(`attempt 1 on worker ${chunk.worker}`);
    }
    // Eight chunks, two per worker at a time: both processes took some.
    expect(new Set(view.body.chunks.map((ch: { worker: string }) => ch.worker)).size).toBe(2);
    await Promise.all(workers.map(kill));
  });
});
