/**
 * `npm run load`: 20 WebSocket clients submit 100 simulations to a service (LOAD_URL, or one started
 * here on embedded defaults); every run must complete and every client must get its final events.
 * Reports p50/p95 time from POST /run to the first progress event and to completion, then the
 * benchmark: a 10,000-trial run of the example DCF workbook through the service against the engine alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import { loadConfig } from '../server/config';
import { assembleRun } from '../server/engine/runtime/assembled-run';
import { prepareRun, runRange } from '../server/engine/simulate';
import { deleteKeysMatching } from '../server/redis/delete-prefix';
import { ensureRedis } from '../server/redis/embedded';
import { startService } from '../server/service';
import { readWorkbook } from '../server/xlsx/read-workbook';
import type { ServerMessage, WorkbookModel } from '../shared/model';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 20);
const SIMULATIONS = Number(process.env.LOAD_SIMULATIONS ?? 100);
const ITERATIONS = Number(process.env.LOAD_ITERATIONS ?? 10_000);
/** The benchmark's workbook and outputs (e.g. bench/models/dcf.xlsx with DCF!B62,DCF!B63). */
const BENCH_XLSX = process.env.LOAD_BENCH_XLSX ?? 'examples/project-npv.xlsx';
const BENCH_TARGETS = (process.env.LOAD_BENCH_TARGETS ?? 'Model!B22,Model!B23').split(',');

interface Timing {
  firstProgress: number;
  completed: number;
}

class Client {
  private listeners: ((m: ServerMessage) => void)[] = [];
  clientId = '';
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      for (const l of this.listeners) l(message);
    });
  }
  static async open(url: string): Promise<Client> {
    const client = new Client(new WebSocket(url, { headers: apiKeyHeader() }));
    const hello = await client.next((m) => m.type === 'hello');
    if (hello.type === 'hello') client.clientId = hello.client_id;
    return client;
  }
  on(listener: (m: ServerMessage) => void): void {
    this.listeners.push(listener);
  }
  next(test: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    return new Promise((resolveMessage) => {
      const listener = (m: ServerMessage) => {
        if (!test(m)) return;
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolveMessage(m);
      };
      this.listeners.push(listener);
    });
  }
}

function apiKeyHeader(): Record<string, string> {
  return process.env.LOAD_API_KEY ? { 'x-api-key': process.env.LOAD_API_KEY } : {};
}

/** Submits through POST /run and times the stream the submitting client receives. */
async function timedRun(
  base: string,
  client: Client,
  model: WorkbookModel,
  targets: string[],
  iterations: number,
) {
  const events: { at: number; message: ServerMessage }[] = [];
  let id = '';
  const early: { at: number; message: ServerMessage }[] = [];
  client.on((message) => {
    if (!('simulation_id' in message)) return;
    (id && message.simulation_id === id ? events : early).push({ at: performance.now(), message });
  });
  const posted = performance.now();
  const response = await fetch(`${base}/api/simulations/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...apiKeyHeader() },
    body: JSON.stringify({ model, target_cells: targets, iterations, seed: 1, client_id: client.clientId }),
  });
  const body = (await response.json()) as { simulation_id: string };
  if (response.status !== 202)
    throw new Error(`POST /run answered ${response.status}: ${JSON.stringify(body)}`);
  id = body.simulation_id;
  events.unshift(...early.filter((e) => 'simulation_id' in e.message && e.message.simulation_id === id));
  const final = await client.next(
    (m) =>
      'simulation_id' in m && m.simulation_id === id && ['completed', 'failed', 'cancelled'].includes(m.type),
  );
  if (final.type !== 'completed') throw new Error(`simulation ${id} ended ${final.type}`);
  const first =
    events.find((e) => e.message.type === 'progress' && e.message.status === 'running') ?? events[0];
  const done = events.find((e) => e.message.type === 'completed') ?? { at: performance.now() };
  return {
    firstProgress: first.at - posted,
    completed: done.at - posted,
    firstEvent: (events[0]?.at ?? 0) - posted,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))];
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  let base = process.env.LOAD_URL;
  let stop = async () => {};
  if (!base) {
    const config = loadConfig();
    const redis = process.env.REDIS_URL ? { url: config.redisUrl } : await ensureRedis(config.redisUrl);
    const prefix = `montecell-load-${process.pid}`;
    const service = await startService(
      {
        ...config,
        redisUrl: redis.url,
        port: 0,
        host: '127.0.0.1',
        redisPrefix: prefix,
        queuePrefix: `{${prefix}}`,
        rateLimitPerMinute: 100_000,
      },
      { api: true, workers: true },
    );
    base = service.url ?? '';
    stop = async () => {
      await service.close();
      await deleteKeysMatching(redis.url, [`${prefix}:*`, `{${prefix}}:*`]);
      await redis.stop?.();
    };
  }
  const wsUrl = `${base.replace(/^http/, 'ws')}/ws`;
  if (SIMULATIONS > 0) await loadTest(base, wsUrl);
  await benchmark(base, wsUrl, readWorkbook(readFileSync(resolve(BENCH_XLSX))).model);
  await stop();
}

/** The load test runs the example workbook's two outputs. */
async function loadTest(base: string, wsUrl: string): Promise<void> {
  const model = readWorkbook(readFileSync(resolve('examples/project-npv.xlsx'))).model;
  const targets = ['Model!B22', 'Model!B23'];
  console.log(
    `load: ${CLIENTS} WebSocket clients, ${SIMULATIONS} simulations of ${ITERATIONS.toLocaleString('en-US')} trials against ${base}`,
  );
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => Client.open(wsUrl)));
  const started = performance.now();
  const timings: Timing[] = [];
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = c; i < SIMULATIONS; i += CLIENTS)
        timings.push(await timedRun(base, client, model, targets, ITERATIONS));
    }),
  );
  const wall = performance.now() - started;
  const first = timings.map((t) => t.firstProgress);
  const completed = timings.map((t) => t.completed);
  console.log(
    `  all ${timings.length} completed; every client received its final events (${(wall / 1000).toFixed(1)} s wall)`,
  );
  console.log(
    `  POST → first progress event: p50 ${ms(percentile(first, 0.5))}, p95 ${ms(percentile(first, 0.95))}`,
  );
  console.log(
    `  POST → completed event:      p50 ${ms(percentile(completed, 0.5))}, p95 ${ms(percentile(completed, 0.95))}`,
  );

  for (const client of clients) client.socket.close();
}

/** One run at a time on an idle service, against the engine alone in this process. */
async function benchmark(base: string, wsUrl: string, model: WorkbookModel): Promise<void> {
  const client = await Client.open(wsUrl);
  const solo: { firstProgress: number; completed: number }[] = [];
  for (let i = 0; i < 10; i++) solo.push(await timedRun(base, client, model, BENCH_TARGETS, 10_000));
  const engine: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const run = prepareRun(model, { targets: BENCH_TARGETS, iterations: 10_000, seed: 1 });
    const chunk = await runRange(run, 0, 10_000);
    await assembleRun(run, BENCH_TARGETS, [chunk], 0, {
      engines: { engine_used: 'cpu' },
      keyByTargets: true,
    });
    engine.push(performance.now() - t0);
  }
  const serviceMedian = percentile(
    solo.map((s) => s.completed),
    0.5,
  );
  const engineMedian = percentile(engine, 0.5);
  console.log(`benchmark: 10,000 trials of ${BENCH_XLSX}, one run at a time (median of 10)`);
  console.log(
    `  POST → first progress event: ${ms(
      percentile(
        solo.map((s) => s.firstProgress),
        0.5,
      ),
    )} (target < 100 ms)`,
  );
  console.log(`  POST → completed event:      ${ms(serviceMedian)} (target < 500 ms)`);
  console.log(
    `  engine alone (compile, run, statistics): ${ms(engineMedian)}; service/engine ratio ${(serviceMedian / engineMedian).toFixed(2)}`,
  );
  // For npm run bench, which runs this script and reports the numbers beside the engine's.
  if (process.env.LOAD_BENCH_JSON)
    writeFileSync(
      process.env.LOAD_BENCH_JSON,
      JSON.stringify({
        runs: solo.length,
        firstProgressMs: percentile(
          solo.map((s) => s.firstProgress),
          0.5,
        ),
        completedMs: serviceMedian,
        engineMs: engineMedian,
      }),
    );

  client.socket.close();
}

main().catch((error: unknown) => {
  console.error(`load failed: ${(error as Error).message}`);
  process.exit(1);
});
