/**
 * A minimal Montecell service for the browser tests, speaking the shared protocol (shared/model): REST
 * under /api, the WebSocket at /ws with hello → client-linked events → subscribe/snapshot → ordered
 * deltas with seq → heartbeats. It runs the real engine on the model the pane sends, in slices paced by
 * `sliceDelayMs`, so progress and results are genuine. Faults (a dropped socket, a silent service) are
 * injected between browser and service by the tests, so they apply to the real service alike.
 *
 * The tests only depend on `ServiceUnderTest` ({ url, close }): swapping this for the real service
 * (issue 4, started with Redis) is the one `startService` line in pane.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { assembleResult, type ChunkResult, prepareRun, runRange } from '../../../server/engine/simulate';
import { spearman } from '../../../server/engine/statistics/ranks';
import { summarizeOutput } from '../../../server/engine/statistics/summary';
import { type Progress, type ServerMessage, SimulationRequest } from '../../../shared/model';

export interface ServiceUnderTest {
  url: string;
  close(): Promise<void>;
}

export interface FakeServiceOptions {
  /** Trials per slice and pause after each: how long a run takes. */
  sliceTrials?: number;
  sliceDelayMs?: number;
  heartbeatMs?: number;
}

type TerminalEvent = Progress & { type: 'completed' | 'failed' | 'cancelled'; summary?: unknown };

interface Simulation {
  record: Progress;
  clientId?: string;
  subscribers: Set<WebSocket>;
  cancelled: boolean;
  results?: Record<string, unknown>;
  samples: Map<string, Float64Array>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeService(options: FakeServiceOptions = {}): Promise<ServiceUnderTest> {
  const sliceTrials = options.sliceTrials ?? 500;
  const sliceDelayMs = options.sliceDelayMs ?? 60;
  const heartbeatMs = options.heartbeatMs ?? 400;
  const simulations = new Map<string, Simulation>();
  const clients = new Map<string, WebSocket>();

  // terminal events carry the final record too (the protocol as the service implements it)
  const send = (socket: WebSocket | undefined, message: ServerMessage | TerminalEvent) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  const publish = (sim: Simulation, type: 'progress' | 'heartbeat') => {
    const now = new Date().toISOString();
    sim.record = { ...sim.record, seq: sim.record.seq + 1, updated_at: now, heartbeat_at: now };
    for (const socket of audience(sim)) send(socket, { type, ...sim.record });
  };

  const finish = (sim: Simulation, message: TerminalEvent) => {
    for (const socket of audience(sim)) send(socket, message);
  };

  const audience = (sim: Simulation) => {
    const sockets = new Set(sim.subscribers);
    const linked = sim.clientId ? clients.get(sim.clientId) : undefined;
    if (linked) sockets.add(linked);
    return sockets;
  };

  async function execute(sim: Simulation, request: SimulationRequest): Promise<void> {
    const id = sim.record.simulation_id;
    const heartbeat = setInterval(() => publish(sim, 'heartbeat'), heartbeatMs);
    try {
      const model = request.model!;
      const run = prepareRun(model, {
        targets: request.target_cells,
        variables: request.variables,
        iterations: request.iterations,
        seed: request.seed,
        sampling: request.sampling,
      });
      sim.record = { ...sim.record, status: 'running' };
      publish(sim, 'progress');
      const started = Date.now();
      const chunks: ChunkResult[] = [];
      for (let from = 0; from < run.iterations; ) {
        if (sim.cancelled) {
          sim.record = { ...sim.record, status: 'cancelled', seq: sim.record.seq + 1 };
          finish(sim, { ...sim.record, type: 'cancelled' });
          return;
        }
        const to = Math.min(run.iterations, from + sliceTrials);
        chunks.push(await runRange(run, from, to));
        from = to;
        sim.record = {
          ...sim.record,
          current_iteration: to,
          progress_percentage: Math.min(
            to < run.iterations ? 99.99 : 100,
            Math.floor((to / run.iterations) * 10_000) / 100,
          ),
          children: [
            { id: `${id}:0`, status: 'running', current_iteration: to, total_iterations: run.iterations },
          ],
        };
        publish(sim, 'progress');
        await sleep(sliceDelayMs);
      }
      const result = assembleResult(run, chunks, Date.now() - started);
      const { results, summary } = buildResults(result, request.target_cells, sim.samples);
      sim.results = results;
      sim.record = { ...sim.record, status: 'completed', seq: sim.record.seq + 1, stalled: false };
      finish(sim, { ...sim.record, type: 'completed', summary });
    } catch (e) {
      const error = { code: 'model', message: e instanceof Error ? e.message : String(e) };
      sim.record = { ...sim.record, status: 'failed', error, seq: sim.record.seq + 1 };
      finish(sim, { ...sim.record, type: 'failed', error });
    } finally {
      clearInterval(heartbeat);
    }
  }

  const server = createServer(async (req, res) => {
    cors(res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean); // api, simulations, :id, …
    if (url.pathname === '/api/health')
      return json(res, 200, { status: 'ok', redis: 'fake', workers: 1, engines: ['cpu'] });
    if (req.method === 'POST' && url.pathname === '/api/simulations/run') {
      const parsed = SimulationRequest.safeParse(await body(req));
      if (!parsed.success)
        return json(res, 400, {
          error: { code: 'invalid_request', message: parsed.error.issues[0].message },
        });
      const request = parsed.data;
      const id = randomUUID();
      const now = new Date().toISOString();
      const sim: Simulation = {
        record: {
          simulation_id: id,
          status: 'queued',
          current_iteration: 0,
          total_iterations: request.iterations,
          progress_percentage: 0,
          stalled: false,
          children: [],
          engine: 'cpu',
          seq: 0,
          updated_at: now,
          heartbeat_at: null,
        },
        clientId: request.client_id,
        subscribers: new Set(),
        cancelled: false,
        samples: new Map(),
      };
      simulations.set(id, sim);
      publish(sim, 'progress'); // `queued` reaches the client before the 202 does, as with the real service
      json(res, 202, { simulation_id: id, status: 'queued', total_iterations: request.iterations });
      void execute(sim, request);
      return;
    }
    const sim = parts[0] === 'api' && parts[1] === 'simulations' ? simulations.get(parts[2]) : undefined;
    if (!sim) return json(res, 404, { error: { code: 'not_found', message: 'no such simulation' } });
    if (req.method === 'POST' && parts[3] === 'cancel') {
      sim.cancelled = true;
      return json(res, 202, { simulation_id: sim.record.simulation_id, status: sim.record.status });
    }
    if (parts[3] === 'samples') {
      const samples = sim.samples.get(url.searchParams.get('output') ?? '');
      if (!samples) return json(res, 404, { error: { code: 'not_found', message: 'no such output' } });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      return void res.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    }
    return json(res, 200, { ...sim.record, ...(sim.results ? { results: sim.results } : {}) });
  });

  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => {
    const clientId = randomUUID();
    clients.set(clientId, socket);
    socket.on('close', () => clients.delete(clientId));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; simulation_id: string };
      const sim = simulations.get(message.simulation_id);
      if (!sim)
        return send(socket, { type: 'error', error: { code: 'not_found', message: 'no such simulation' } });
      if (message.type === 'subscribe') {
        sim.subscribers.add(socket);
        send(socket, { type: 'snapshot', ...sim.record });
      } else sim.subscribers.delete(socket);
    });
    send(socket, { type: 'hello', client_id: clientId });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const sim of simulations.values()) sim.cancelled = true;
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function cors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-API-Key, Accept');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The results in the service's shape (issue 4: statistics, percentiles, histogram, cdf, sensitivity). */
function buildResults(
  result: ReturnType<typeof assembleResult>,
  targets: string[],
  samples: Map<string, Float64Array>,
) {
  const outputs: Record<string, unknown> = {};
  const summary: Record<string, unknown> = {};
  const sensitivity: Record<string, unknown[]> = {};
  result.outputs.forEach((output, j) => {
    const key = result.outputs.length === targets.length ? targets[j] : output.label;
    const s = summarizeOutput(output.values, output.outcomes);
    samples.set(key, output.values);
    outputs[key] = {
      statistics: {
        count: s.count,
        mean: s.mean,
        std: s.std,
        min: s.min,
        max: s.max,
        skewness: s.skewness,
        kurtosis: s.kurtosis,
      },
      percentiles: s.percentiles,
      histogram: s.histogram,
      cdf: s.cdf,
      errors: s.errors,
    };
    summary[key] = {
      mean: s.mean,
      std: s.std,
      min: s.min,
      max: s.max,
      percentiles: s.percentiles,
      errors: s.errors,
    };
    sensitivity[key] = result.inputs
      .map((input) => ({
        input: input.label,
        ...(input.name ? { name: input.name } : {}),
        rank_correlation: spearman(input.values, output.values.subarray(0, input.values.length)),
      }))
      .sort((a, b) => Math.abs(b.rank_correlation) - Math.abs(a.rank_correlation));
  });
  return {
    results: {
      outputs,
      sensitivity,
      elapsed_ms: Math.round(result.elapsedMs),
      engine_used: 'cpu',
      iterations: result.iterations,
      seed: result.seed,
    },
    summary,
  };
}
