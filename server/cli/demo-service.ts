/**
 * The demo through the service: starts it on embedded defaults (a Redis at REDIS_URL, or an embedded
 * redis-server), uploads examples/project-npv.xlsx through POST /api/files/upload, opens the WebSocket
 * before submitting, runs 100,000 trials, prints the live progress it is sent and the results.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import { cellValueText, namedCell, type ServerMessage, SimulationResults } from '../../shared/model';
import { loadConfig } from '../config';
import { deleteKeysMatching } from '../redis/delete-prefix';
import { ensureRedis } from '../redis/embedded';
import { startService } from '../service';
import { textHistogram } from './text-histogram';

const TARGETS = ['Model!B22', 'Model!B23'];
const ITERATIONS = 100_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const redis = process.env.REDIS_URL
    ? { url: config.redisUrl, stop: undefined }
    : await ensureRedis(config.redisUrl);
  const prefix = `montecell-demo-${process.pid}`;
  const service = await startService(
    {
      ...config,
      redisUrl: redis.url,
      port: 0,
      host: '127.0.0.1',
      redisPrefix: prefix,
      queuePrefix: `{${prefix}}`,
      apiKeys: [],
    },
    { api: true, workers: true },
  );
  const base = service.url ?? '';
  try {
    const path = resolve(__dirname, '../../../examples/project-npv.xlsx');
    console.log(`Montecell demo through the service at ${base} (Redis ${redis.url})`);
    const form = new FormData();
    form.append('file', new Blob([readFileSync(path)]), 'project-npv.xlsx');
    const uploaded = await json(await fetch(`${base}/api/files/upload`, { method: 'POST', body: form }));
    console.log(
      `uploaded ${uploaded.filename}: ${uploaded.sheets.map((s: { name: string; formula_cells: number }) => `${s.name} (${s.formula_cells} formulas)`).join(', ')}`,
    );

    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    const messages: ServerMessage[] = [];
    let notify = () => {};
    socket.on('message', (data) => {
      messages.push(JSON.parse(data.toString()) as ServerMessage);
      notify();
    });
    const next = (test: (m: ServerMessage) => boolean) =>
      new Promise<ServerMessage>((done) => {
        const check = () => {
          const found = messages.find(test);
          if (found) done(found);
        };
        notify = check;
        check();
      });
    const hello = await next((m) => m.type === 'hello');
    const clientId = hello.type === 'hello' ? hello.client_id : '';

    const submitted = await json(
      await fetch(`${base}/api/simulations/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          file_id: uploaded.file_id,
          target_cells: TARGETS,
          iterations: ITERATIONS,
          seed: 42,
          sampling: 'latin_hypercube',
          client_id: clientId,
        }),
      }),
    );
    console.log(
      `simulation ${submitted.simulation_id}: ${ITERATIONS.toLocaleString('en-US')} trials, Latin hypercube, seed 42`,
    );
    let shown = -10;
    const final = await next((m) => {
      if (m.type === 'progress' && m.progress_percentage >= shown + 10) {
        shown = m.progress_percentage;
        console.log(
          `progress ${m.progress_percentage.toFixed(0).padStart(3)}%  ${m.current_iteration.toLocaleString('en-US')}/${m.total_iterations.toLocaleString('en-US')} trials  (seq ${m.seq}, ${m.status})`,
        );
      }
      return m.type === 'completed' || m.type === 'failed' || m.type === 'cancelled';
    });
    socket.close();
    if (final.type !== 'completed')
      throw new Error(
        `the simulation ended ${final.type}${final.type === 'failed' ? `: ${final.error.message}` : ''}`,
      );
    const full = await json(await fetch(`${base}/api/simulations/${submitted.simulation_id}`));
    const results = SimulationResults.parse(full.results);
    console.log(`completed in ${results.elapsed_ms} ms on the ${results.engine_used.toUpperCase()}\n`);
    const f = (n: number | null) => n?.toLocaleString('en-US', { maximumSignificantDigits: 6 }) ?? 'n/a';
    for (const [cell, output] of Object.entries(results.outputs)) {
      const s = output.statistics;
      console.log(
        `${namedCell(cell, output.name)}: mean ${f(s.mean)}  sd ${f(s.std)}  P5 ${f(output.percentiles['5'])}  P50 ${f(output.percentiles['50'])}  P95 ${f(output.percentiles['95'])}  errors ${output.errors}`,
      );
      console.log(textHistogram(output.histogram, 40, 12));
      console.log();
    }
    // The workbook's statistics functions (RiskMean…), as Excel with @RISK would show them now.
    for (const [cell, value] of Object.entries(results.cells ?? {}))
      console.log(`${cell}: ${cellValueText(value)}`);
  } finally {
    await service.close();
    await deleteKeysMatching(redis.url, [`${prefix}:*`, `{${prefix}}:*`]);
    await redis.stop?.();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the demo reads documented reply fields
async function json(response: Response): Promise<any> {
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${body.error?.message ?? JSON.stringify(body)}`);
  return body;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
