/**
 * `npm run bench:assembly`: the time from a 2,000,000-trial run's last chunk to its results, for model
 * (a) stand-in examples/project-npv.xlsx (two outputs, four inputs), side by side in one process:
 *   - the assembly alone (decode 40 chunks, put the run together, statistics and sensitivity), with the
 *     chunks as they were stored before (the assembly sorts each output) and as they are now (each
 *     chunk thread sorted its values; the assembly reads the sorted runs without merging them);
 *   - end to end through the service (Redis, workers, WebSocket): last trial reported → `completed`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleRun } from '../server/engine/runtime/assembled-run';
import { decodeChunk, encodeChunk } from '../server/engine/runtime/chunk-codec';
import { prepareRun, runRange } from '../server/engine/simulate';
import { numericTrials, sortedCopy } from '../server/engine/statistics/summary';
import { readWorkbook } from '../server/xlsx/read-workbook';
import { api, startTestService, TestClient, upload } from '../test/service/helpers';

const WORKBOOK = join(__dirname, '..', 'examples', 'project-npv.xlsx');
const TARGETS = ['Model!B22', 'Model!B23'];
const TRIALS = 2_000_000;
const CHUNK = 50_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function assemblyAlone(): Promise<{ before: number; after: number }> {
  const { model } = readWorkbook(readFileSync(WORKBOOK));
  const run = prepareRun(model, { targets: TARGETS, iterations: TRIALS, seed: 1 });
  const stored: { plain: Buffer[]; sorted: Buffer[] } = { plain: [], sorted: [] };
  for (let start = 0; start < TRIALS; start += CHUNK) {
    const chunk = await runRange(run, start, start + CHUNK);
    stored.plain.push(encodeChunk(chunk));
    const sorted = chunk.values.map((values, j) => sortedCopy(numericTrials(values, chunk.outcomes[j])));
    stored.sorted.push(encodeChunk({ ...chunk, sorted }));
  }
  const time = async (chunks: Buffer[]) => {
    const start = performance.now();
    await assembleRun(run, TARGETS, chunks.map(decodeChunk), 0, {
      engines: { engine_used: 'cpu' },
      keyByTargets: true,
    });
    return performance.now() - start;
  };
  const before: number[] = [];
  const after: number[] = [];
  for (let k = 0; k < 5; k++) {
    before.push(await time(stored.plain));
    after.push(await time(stored.sorted));
  }
  return { before: median(before), after: median(after) };
}

/** The last trial → `completed` gaps, and what the service expected of each (its record's `finishing_ms`). */
async function endToEnd(): Promise<{ measured: number; expected: number }> {
  const service = await startTestService();
  const client = await TestClient.connect(service.wsUrl);
  try {
    const file = await upload(service.url, readFileSync(WORKBOOK), 'project-npv.xlsx');
    const gaps: number[] = [];
    const expected: number[] = [];
    for (let k = 0; k < 5; k++) {
      const { body } = await api(service.url, '/api/simulations/run', {
        body: {
          file_id: file.body.file_id,
          target_cells: TARGETS,
          iterations: TRIALS,
          client_id: client.clientId,
        },
      });
      const done = await client.final(body.simulation_id, 120_000);
      const allTrials = client
        .events(body.simulation_id)
        .find((e) => e.message.type === 'progress' && e.message.current_iteration === TRIALS);
      const completedAt = client.events(body.simulation_id).find((e) => e.message === done)?.at ?? 0;
      const first = client.events(body.simulation_id)[0]?.message;
      if (allTrials && k > 0) {
        gaps.push(completedAt - allTrials.at); // the first run warms the threads
        expected.push(first && 'finishing_ms' in first ? (first.finishing_ms ?? Number.NaN) : Number.NaN);
      }
    }
    return { measured: median(gaps), expected: median(expected) };
  } finally {
    client.close();
    await service.stop();
  }
}

async function main(): Promise<void> {
  const alone = await assemblyAlone();
  const service = await endToEnd();
  console.log(`npm run bench:assembly, ${new Date().toISOString().slice(0, 10)}, node ${process.version}\n`);
  console.log(
    '| 2,000,000 trials, 2 outputs, 40 chunks | before (assembly sorts) | now (chunks sorted) | ratio |',
  );
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| assembly alone (median of 5) | ${alone.before.toFixed(0)} ms | ${alone.after.toFixed(0)} ms | ${(alone.before / alone.after).toFixed(1)}x |`,
  );
  console.log(`| service: last trial → completed (median of 4) | | ${service.measured.toFixed(0)} ms | |`);
  console.log(
    `| the service's expectation of it (finishing_ms, median of 4) | | ${service.expected.toFixed(0)} ms | |`,
  );
}

void main();
