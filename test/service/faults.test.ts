/**
 * Faults, with real processes: a worker killed mid-run (SIGKILL) loses nothing; with every worker gone
 * the run shows stalled, then completes when a worker starts; Redis restarted mid-run ends the run
 * completed or failed with a reason, never stuck.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceConfig } from '../../server/config';
import { freePort } from '../../server/redis/embedded';
import {
  api,
  deleteKeys,
  kill,
  slowModel,
  startTestService,
  startWorker,
  TestClient,
  type TestService,
  testConfig,
  waitFor,
} from './helpers';

const FAST_RECOVERY: Partial<ServiceConfig> = {
  lockDurationMs: 2_000,
  stalledIntervalMs: 500,
  stallAfterMs: 2_000,
  chunkTrials: 8_000,
  chunkConcurrency: 2,
};

const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map(kill));
});

const progressOf = async (svc: TestService, id: string) =>
  (await api(svc.url, `/api/simulations/progress/${id}`)).body;

async function submit(svc: TestService, iterations: number): Promise<string> {
  const run = await api(svc.url, '/api/simulations/run', {
    body: { model: slowModel(), target_cells: ['B2'], iterations, seed: 5 },
  });
  expect(run.status).toBe(202);
  return run.body.simulation_id;
}

describe('worker processes', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(FAST_RECOVERY, { api: true, workers: false });
  });
  afterAll(async () => {
    await svc.stop();
  });

  test('SIGKILL of a worker mid-run: another worker takes its chunks and the run completes', async () => {
    const [first, second] = await Promise.all([
      startWorker(svc.config, children),
      startWorker(svc.config, children),
    ]);
    const id = await submit(svc, 48_000);
    await waitFor(
      async () => ((await progressOf(svc, id)).current_iteration > 2_000 ? true : undefined),
      20_000,
      'progress',
    );
    await kill(first);
    const done = await waitFor(
      async () => {
        const p = await progressOf(svc, id);
        return ['completed', 'failed'].includes(p.status) ? p : undefined;
      },
      60_000,
      'the end of the run',
    );
    expect(done).toMatchObject({ status: 'completed', current_iteration: 48_000 });
    await kill(second);
  });

  test('every worker killed → stalled: true; a new worker → completed', async () => {
    const worker = await startWorker(svc.config, children);
    const id = await submit(svc, 32_000);
    await waitFor(
      async () => ((await progressOf(svc, id)).current_iteration > 1_000 ? true : undefined),
      20_000,
      'progress',
    );
    const watcher = await TestClient.connect(svc.wsUrl);
    watcher.send({ type: 'subscribe', simulation_id: id });
    await watcher.next((m) => m.type === 'snapshot');
    await kill(worker);
    // Subscribers see it too: a progress event with stalled: true, from the gateway's sweep.
    await watcher.next((m) => m.type === 'progress' && m.stalled, 10_000);
    const stalled = await waitFor(
      async () => ((await progressOf(svc, id)).stalled ? await progressOf(svc, id) : undefined),
      10_000,
      'stalled',
    );
    expect(stalled.status).toBe('running');
    const replacement = await startWorker(svc.config, children);
    const done = await waitFor(
      async () => {
        const p = await progressOf(svc, id);
        return ['completed', 'failed'].includes(p.status) ? p : undefined;
      },
      60_000,
      'completion after a new worker started',
    );
    expect(done).toMatchObject({ status: 'completed', stalled: false, current_iteration: 32_000 });
    expect(await watcher.final(id)).toMatchObject({ type: 'completed', stalled: false });
    watcher.close();
    await kill(replacement);
  });

  test('SIGTERM drains a worker: its running chunks finish, nothing is lost', async () => {
    const worker = await startWorker(svc.config, children);
    const id = await submit(svc, 24_000);
    await waitFor(
      async () => ((await progressOf(svc, id)).current_iteration > 1_000 ? true : undefined),
      20_000,
      'progress',
    );
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = await progressOf(svc, id);
    const finishedChunks = after.children.filter((c: { status: string }) => c.status === 'completed').length;
    expect(finishedChunks).toBeGreaterThan(0);
    const replacement = await startWorker(svc.config, children);
    const done = await waitFor(
      async () => {
        const p = await progressOf(svc, id);
        return ['completed', 'failed'].includes(p.status) ? p : undefined;
      },
      30_000,
      'completion after the drain',
    );
    expect(done).toMatchObject({ status: 'completed', current_iteration: 24_000 });
    await kill(replacement);
  });
});

describe('Redis restarted mid-run', () => {
  let redis: ChildProcess;
  let port: number;
  let dir: string;
  let svc: TestService | undefined;

  const startRedis = async () => {
    redis = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    children.push(redis);
    const { Redis } = await import('ioredis');
    await waitFor(
      async () => {
        const probe = new Redis(port, '127.0.0.1', {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG' ? true : undefined;
        } finally {
          probe.disconnect();
        }
      },
      5_000,
      'redis-server',
    );
  };

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'montecell-redis-'));
    await startRedis();
  });
  afterAll(async () => {
    if (svc) await svc.stop();
    await kill(redis);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the service recovers and the run ends completed or failed with a reason', async () => {
    svc = await startTestService({ ...testConfig(FAST_RECOVERY), redisUrl: `redis://127.0.0.1:${port}` });
    const id = await submit(svc, 40_000);
    await waitFor(
      async () => ((await progressOf(svc!, id)).current_iteration > 1_000 ? true : undefined),
      20_000,
      'progress',
    );
    await new Promise<void>((resolve) => {
      redis.once('exit', () => resolve());
      redis.kill('SIGTERM');
    });
    expect((await api(svc.url, `/api/simulations/progress/${id}`)).status).toBe(503);
    await startRedis();
    const end = await waitFor(
      async () => {
        const p = await progressOf(svc!, id);
        return ['completed', 'failed', 'cancelled'].includes(p.status) ? p : undefined;
      },
      45_000,
      'the end of the run after the restart',
    );
    if (end.status === 'failed') expect(end.error.message.length).toBeGreaterThan(0);
    else expect(end).toMatchObject({ status: 'completed', current_iteration: 40_000 });
    await deleteKeys(svc.config);
  });
});
