/**
 * The service on a real 3-master Redis Cluster (REDIS_URL=redis+cluster://…): upload → run → progress over
 * WebSocket → completed, a run of many chunks, and cancel. BullMQ's keys share the `{prefix}` hash tag and
 * each simulation's keys the `{id}` tag, so every script and transaction stays in one slot; progress and
 * cancel messages cross nodes through the cluster's pub/sub.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { loadConfig } from '../../server/config';
import { dataNodes, durableConnection, parseClusterUrl } from '../../server/redis/connect';
import { freePort, type RedisHandle, startRedisServer } from '../../server/redis/embedded';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import {
  api,
  slowModel,
  smallModel,
  startTestService,
  TestClient,
  type TestService,
  upload,
  waitFor,
} from './helpers';

const run = promisify(execFile);
const nodes: RedisHandle[] = [];
const dirs: string[] = [];
let url = '';
let svc: TestService;
const clients: TestClient[] = [];

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'montecell-cluster-'));
    dirs.push(dir);
    // An explicit bus port: the default (port + 10000) may be taken or past 65535.
    const bus = await freePort();
    nodes.push(
      await startRedisServer([
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-port',
        String(bus),
        '--dir',
        dir,
      ]),
    );
  }
  const addresses = nodes.map((n) => new URL(n.url).host);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
  for (const address of addresses) {
    const [host, port] = address.split(':');
    await waitFor(
      async () => {
        const { stdout } = await run('redis-cli', ['-h', host, '-p', port, 'cluster', 'info']);
        return stdout.includes('cluster_state:ok') ? true : undefined;
      },
      15_000,
      `cluster_state:ok on ${address}`,
    );
  }
  url = `redis+cluster://${addresses.join(',')}`;
  svc = await startTestService({ redisUrl: url, heartbeatMs: 300, chunkTrials: 2_000 });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await svc?.stop();
  await Promise.all(nodes.map((n) => n.stop?.()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function client(): Promise<TestClient> {
  const c = await TestClient.connect(svc.wsUrl);
  clients.push(c);
  return c;
}

test('the connection is a cluster of three masters', async () => {
  const redis = durableConnection(url);
  try {
    expect(redis).toBeInstanceOf(Cluster);
    await waitFor(async () => (redis.status === 'ready' ? true : undefined), 5_000, 'the cluster connection');
    expect(dataNodes(redis)).toHaveLength(3);
    expect(await redis.cluster('INFO')).toContain('cluster_known_nodes:3');
  } finally {
    redis.disconnect();
  }
});

test('upload → run 20 iterations → WebSocket progress → completed', async () => {
  const c = await client();
  const uploaded = await upload(svc.url, writeWorkbook(smallModel()), 'small.xlsx');
  expect(uploaded.status).toBe(200);
  const submitted = await api(svc.url, '/api/simulations/run', {
    body: {
      file_id: uploaded.body.file_id,
      target_cells: ['B1', 'Sheet1!C1'],
      iterations: 20,
      seed: 7,
      client_id: c.clientId,
    },
  });
  expect(submitted.status).toBe(202);
  const id: string = submitted.body.simulation_id;
  const final = await c.final(id);
  expect(final).toMatchObject({ type: 'completed', current_iteration: 20, progress_percentage: 100 });
  const messages = c.events(id).map((e) => e.message);
  expect(messages[0]).toMatchObject({ type: 'progress', status: 'queued', seq: 1 });
  const seqs = messages.map((m) => ('seq' in m ? m.seq : -1));
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  const full = await api(svc.url, `/api/simulations/${id}`);
  expect(full.body.results.outputs.B1.statistics.count).toBe(20);
  expect((await api(svc.url, `/api/simulations/progress/${id}`)).body.status).toBe('completed');
});

test('a run of many chunks streams progress to a subscriber and completes with every trial', async () => {
  const submitted = await api(svc.url, '/api/simulations/run', {
    body: { model: slowModel(), target_cells: ['B2'], iterations: 40_000, seed: 3 },
  });
  expect(submitted.status).toBe(202);
  const id: string = submitted.body.simulation_id;
  const c = await client();
  c.send({ type: 'subscribe', simulation_id: id });
  const final = await c.final(id);
  expect(final).toMatchObject({ type: 'completed', current_iteration: 40_000 });
  const messages = c.events(id).map((e) => e.message);
  expect(messages[0].type).toBe('snapshot');
  if (final.type === 'completed') expect(final.children).toHaveLength(20);
  const samples = await fetch(`${svc.url}/api/simulations/${id}/samples?output=B2`);
  expect((await samples.arrayBuffer()).byteLength).toBe(40_000 * 8);
});

test('cancel reaches the workers through the cluster and ends the run cancelled', async () => {
  const c = await client();
  const submitted = await api(svc.url, '/api/simulations/run', {
    body: { model: slowModel(), target_cells: ['B2'], iterations: 2_000_000, seed: 3, client_id: c.clientId },
  });
  const id: string = submitted.body.simulation_id;
  await c.next((m) => m.type === 'progress' && m.simulation_id === id && m.current_iteration > 0);
  const asked = Date.now();
  expect((await api(svc.url, `/api/simulations/${id}/cancel`, { method: 'POST' })).status).toBe(202);
  expect((await c.final(id)).type).toBe('cancelled');
  expect(Date.now() - asked).toBeLessThan(1_000);
});

test('cluster URLs: nodes, credentials and TLS; a malformed one is refused with the expected form', () => {
  expect(parseClusterUrl('redis://127.0.0.1:6379')).toBeUndefined();
  expect(parseClusterUrl('rediss+cluster://app:s%40cret@a.example:7000,b.example')).toEqual({
    nodes: [
      { host: 'a.example', port: 7000 },
      { host: 'b.example', port: 6379 },
    ],
    options: { username: 'app', password: 's@cret', tls: {} },
  });
  expect(() => parseClusterUrl('redis+cluster://')).toThrow(/redis\+cluster:\/\/\[user:password@\]host:port/);
  expect(() => parseClusterUrl('redis+cluster://a:99999')).toThrow(/"a:99999" is not host:port/);
  expect(() => loadConfig({ REDIS_URL: 'redis+cluster://a:7000', QUEUE_PREFIX: 'mc' })).toThrow(
    'QUEUE_PREFIX must contain a hash tag such as "{mc}" on a Redis Cluster',
  );
  expect(loadConfig({ REDIS_URL: 'redis+cluster://a:7000' }).queuePrefix).toBe('{montecell}');
});
