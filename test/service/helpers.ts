/** Test harness for the service: real Redis, real HTTP and WebSocket on loopback, one prefix per file. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { loadConfig, type ServiceConfig } from '../../server/config';
import { deleteKeysMatching } from '../../server/redis/delete-prefix';
import { type RunningService, startService } from '../../server/service';
import type { ServerMessage, WorkbookModel } from '../../shared/model';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export function testConfig(overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  const prefix = `montecell-test-${randomBytes(4).toString('hex')}`;
  return {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    queuePrefix: `{${prefix}}`,
    lockDurationMs: 3_000,
    stalledIntervalMs: 1_000,
    ...overrides,
  };
}

/** The environment that points a service process (npm start, npm run worker) at a test's Redis and prefix. */
export function serviceEnv(config: ServiceConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: config.redisUrl,
    REDIS_PREFIX: config.redisPrefix,
    QUEUE_PREFIX: config.queuePrefix,
    LOCK_DURATION_MS: String(config.lockDurationMs),
    STALLED_INTERVAL_MS: String(config.stalledIntervalMs),
    ...extra,
  };
}

export interface TestService {
  url: string;
  wsUrl: string;
  config: ServiceConfig;
  service: RunningService;
  stop(): Promise<void>;
}

export async function startTestService(
  overrides: Partial<ServiceConfig> = {},
  parts = { api: true, workers: true },
): Promise<TestService> {
  const config = testConfig(overrides);
  const service = await startService(config, parts);
  const url = service.url ?? '';
  return {
    url,
    wsUrl: `${url.replace('http', 'ws')}/ws`,
    config,
    service,
    stop: async () => {
      await service.close();
      await deleteKeys(config);
    },
  };
}

/** Removes every key of a test's prefixes (service keys and BullMQ keys). */
export async function deleteKeys(config: ServiceConfig): Promise<void> {
  // Redis may be gone (fault tests); nothing to clean then.
  await deleteKeysMatching(config.redisUrl, [`${config.redisPrefix}:*`, `${config.queuePrefix}:*`]).catch(
    () => {},
  );
}

/** A small model: B1 = 2·Normal(100,10) + U(0,1); C1 = B1 squared. */
export function smallModel(): WorkbookModel {
  return {
    version: 1,
    names: [],
    sheets: [
      {
        name: 'Sheet1',
        cells: {
          A1: { formula: '=RiskNormal(100,10)' },
          A2: { formula: '=RAND()' },
          B1: { formula: '=A1*2+A2' },
          C1: { formula: '=B1*B1' },
        },
      },
    ],
  };
}

/** A JSON reply; tests check its shape with assertions. */
// biome-ignore lint/suspicious/noExplicitAny: reply bodies are checked field by field by the tests
export type Body = any;

export async function api(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...init.headers },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: Body = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

/** Polls the progress endpoint until the run is final (or the deadline passes). */
export async function pollUntilDone(
  base: string,
  id: string,
  timeoutMs = 30_000,
  headers: Record<string, string> = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(base, `/api/simulations/progress/${id}`, { headers });
    if (['completed', 'failed', 'cancelled'].includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`simulation ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A slower model (about 5 µs a trial): a net present value over ten uncertain cash flows. */
export function slowModel(): WorkbookModel {
  const cells: WorkbookModel['sheets'][number]['cells'] = {};
  const flows: string[] = [];
  for (let i = 1; i <= 10; i++) {
    cells[`A${i}`] = { formula: `=RiskNormal(${100 + i},10)` };
    flows.push(`A${i}`);
  }
  cells.B1 = { formula: `=NPV(0.08,${flows.join(',')})` };
  cells.B2 = { formula: `=IF(B1>0,SQRT(B1),0)+SUMPRODUCT(A1:A10,A1:A10)/1000` };
  return { version: 1, names: [], sheets: [{ name: 'Sheet1', cells }] };
}

/** A WebSocket client that records every message with its arrival time. */
export class TestClient {
  readonly messages: { at: number; message: ServerMessage }[] = [];
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.messages.push({ at: Date.now(), message });
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const socket = new WebSocket(url, { headers });
    const client = new TestClient(socket);
    await client.next((m) => m.type === 'hello');
    return client;
  }

  get clientId(): string {
    const hello = this.messages.find((m) => m.message.type === 'hello')?.message;
    return hello && hello.type === 'hello' ? hello.client_id : '';
  }

  /** The first message (already received or to come) that passes the test. */
  next(test: (m: ServerMessage) => boolean, timeoutMs = 30_000): Promise<ServerMessage> {
    const seen = this.messages.find((m) => test(m.message));
    if (seen) return Promise.resolve(seen.message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('timed out waiting for a WebSocket message')),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  final(id: string, timeoutMs = 30_000): Promise<ServerMessage> {
    return this.next(
      (m) =>
        'simulation_id' in m &&
        m.simulation_id === id &&
        ['completed', 'failed', 'cancelled'].includes(m.type),
      timeoutMs,
    );
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  events(id: string) {
    return this.messages.filter((m) => 'simulation_id' in m.message && m.message.simulation_id === id);
  }

  close(): void {
    this.socket.terminate();
  }
}

export async function upload(
  base: string,
  bytes: Uint8Array,
  filename: string,
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), filename);
  const response = await fetch(`${base}/api/files/upload`, { method: 'POST', body: form, headers });
  return { status: response.status, body: await response.json() };
}

/**
 * A real worker process (`npm run worker`) on the test's prefix; resolves once it is ready. `env` adds
 * variables (e.g. the MONTECELL_FAKE_GPU test hook).
 */
export function startWorker(
  config: ServiceConfig,
  children: ChildProcess[],
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', join(__dirname, '../../server/worker-main.ts')],
    {
      env: serviceEnv(config, {
        STALL_AFTER_MS: String(config.stallAfterMs),
        HEARTBEAT_MS: String(config.heartbeatMs),
        WORKER_CONCURRENCY: String(config.chunkConcurrency),
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes('ready')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
}

export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * Polls `probe` until it answers: for states no event announces (a process restarted elsewhere, a
 * Redis coming back), never where an event can be awaited.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
