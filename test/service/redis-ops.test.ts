/**
 * Redis as operators run it, on private redis-servers: an outage logs one line when it starts and one
 * when it ends per process (never ioredis's stack per reconnect attempt); settings BullMQ needs or that
 * lose runs on a restart are warned about once, at start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connections, outages } from '../../server/redis/connect';
import { startRedisServer } from '../../server/redis/embedded';
import { api, startTestService, type TestService, waitFor } from './helpers';

type PrivateRedis = Awaited<ReturnType<typeof startRedisServer>>;
const servers: PrivateRedis[] = [];
const services: TestService[] = [];
let lines: string[] = [];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'montecell-redis-ops-'));
});
beforeEach(() => {
  lines = [];
  for (const method of ['log', 'info', 'warn', 'error'] as const)
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
});
afterEach(async () => {
  jest.restoreAllMocks();
  for (const svc of services.splice(0)) await svc.stop();
  for (const server of servers.splice(0)) await server.stop?.();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function privateRedis(args: string[] = [], port?: number): Promise<PrivateRedis> {
  const server = await startRedisServer(args, port);
  servers.push(server);
  return server;
}

async function service(url: string, parts = { api: true, workers: true }): Promise<TestService> {
  const svc = await startTestService({ redisUrl: url }, parts);
  services.push(svc);
  return svc;
}

const matching = (pattern: RegExp) => lines.filter((line) => pattern.test(line));

test('an outage: one line when Redis goes, one when it is back, no "Unhandled error event"', async () => {
  const first = await privateRedis();
  const svc = await service(first.url);
  const errorsBefore = outages.errors;
  await first.stop?.();
  // Many reconnect attempts of every connection (API, gateway, workers, queues) have failed by now.
  await waitFor(
    async () => (outages.errors - errorsBefore >= 40 ? true : undefined),
    15_000,
    'reconnect attempts',
  );
  expect(matching(/Unhandled error event/)).toEqual([]);
  expect(matching(/is unreachable \(ECONNREFUSED\)/)).toHaveLength(1);
  expect((await api(svc.url, '/api/health')).status).toBe(503);

  await privateRedis([], first.port);
  await waitFor(async () => (matching(/answers again/).length > 0 ? true : undefined), 15_000, 'recovery');
  await waitFor(
    async () => ((await api(svc.url, '/api/health')).status === 200 ? true : undefined),
    15_000,
    'health',
  );
  expect(matching(/answers again/)).toHaveLength(1);
  expect(matching(/is unreachable/)).toHaveLength(1);
  expect(matching(/Unhandled error event/)).toEqual([]);
});

test('a stop while Redis is down closes every connection, the copies BullMQ made of them included', async () => {
  const before = connections.count;
  const redis = await privateRedis();
  const svc = await service(redis.url);
  expect(connections.count).toBeGreaterThan(before);
  const errorsBefore = outages.errors;
  await redis.stop?.();
  await waitFor(async () => (outages.errors - errorsBefore >= 10 ? true : undefined), 15_000, 'outage');
  // BullMQ's own close cannot finish without Redis; a connection left reconnecting would keep the
  // process (and the test runner) alive for good.
  await svc.stop();
  services.splice(services.indexOf(svc), 1);
  expect(connections.count).toBe(before);
});

test('maxmemory-policy other than noeviction: one clear warning at start', async () => {
  const redis = await privateRedis([
    '--maxmemory-policy',
    'allkeys-lru',
    '--appendonly',
    'yes',
    '--dir',
    dir,
  ]);
  await service(redis.url);
  expect(matching(/maxmemory-policy "allkeys-lru"; BullMQ needs "noeviction"/)).toHaveLength(1);
  expect(matching(/no persistence/)).toEqual([]);
});

test('no persistence (no AOF, no RDB snapshots): one clear warning at start, once per process', async () => {
  const redis = await privateRedis(['--save', '', '--appendonly', 'no']);
  await service(redis.url, { api: true, workers: false });
  await service(redis.url, { api: false, workers: true });
  expect(matching(/no persistence \(appendonly no, no save rules\): a restart loses every run/)).toHaveLength(
    1,
  );
  expect(matching(/maxmemory-policy/)).toEqual([]);
});

test('the production settings (AOF, noeviction): no warning', async () => {
  const redis = await privateRedis(['--appendonly', 'yes', '--dir', dir, '--maxmemory-policy', 'noeviction']);
  await service(redis.url);
  expect(matching(/montecell: Redis/)).toEqual([]);
});
