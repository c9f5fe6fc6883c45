/**
 * `npm run bench:intake`: how long the API's event loop is held while heavy requests are read and
 * compiled, side by side: the same work done in the intake threads (as the service does it) and on
 * the event loop (as it was done before). Measured with perf_hooks' event-loop delay histogram.
 *
 *   requests: a model whose compile walks 10 million references; an .xlsx of 1,000,001 cells
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { unzipSync, zipSync } from 'fflate';
import { ModelIntake } from '../server/intake/model-intake';
import { prepareSubmission, readUpload } from '../server/intake/tasks';
import { writeWorkbook } from '../server/xlsx/write-workbook';
import type { WorkbookModel } from '../shared/model';

function heavyModel(): WorkbookModel {
  const cells: WorkbookModel['sheets'][number]['cells'] = { A1: { formula: '=RiskNormal(0,1)' } };
  for (let r = 2; r <= 2_000; r++) cells[`A${r}`] = { formula: `=A${r - 1}+RiskUniform(0,1)` };
  for (let r = 1; r <= 2_000; r++) cells[`B${r}`] = { formula: '=SUMPRODUCT(A1:A2000,A1:A2000)' };
  return { version: 1, names: [], sheets: [{ name: 'Sheet1', cells }] };
}

function millionCells(): Uint8Array {
  const rows: string[] = [];
  for (let r = 1; r <= 1_000_001; r++) rows.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
  const base = unzipSync(
    writeWorkbook({ version: 1, names: [], sheets: [{ name: 'Sheet1', cells: { A1: { value: 1 } } }] }),
  );
  const xml = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
  return zipSync({ ...base, 'xl/worksheets/sheet1.xml': new TextEncoder().encode(xml) }, { level: 1 });
}

/** The longest the event loop was held, and the wall time, while `work` ran. */
async function held(
  work: () => Promise<unknown>,
): Promise<{ maxMs: number; wallMs: number; outcome: string }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // Let the histogram's timer start before the work does.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const start = performance.now();
  let outcome = 'accepted';
  try {
    await work();
  } catch (error) {
    outcome = `refused: ${(error as Error).message.slice(0, 60)}`;
  }
  // One more turn of the loop so the last delay is recorded.
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  return { maxMs: histogram.max / 1e6, wallMs: performance.now() - start, outcome };
}

async function main(): Promise<void> {
  const body = new TextEncoder().encode(
    JSON.stringify({ model: heavyModel(), target_cells: ['Sheet1!B2000'], iterations: 100 }),
  );
  const xlsx = millionCells();
  const intake = new ModelIntake({ threads: 2, timeoutMs: 60_000, memoryMb: 1024, maxWaiting: 64 });
  const owner = 'bench';
  const cases = [
    {
      name: 'compile a model (10 M references)',
      thread: () => intake.prepareSubmission({ body, owner }),
      loop: async () => prepareSubmission({ kind: 'submission', body, owner }),
    },
    {
      name: 'upload of 1,000,001 cells (4.4 MB)',
      thread: () => intake.readUpload({ bytes: xlsx, maxUncompressedBytes: 200 * 2 ** 20 }),
      loop: async () => readUpload({ kind: 'upload', bytes: xlsx, maxUncompressedBytes: 200 * 2 ** 20 }),
    },
  ];
  // Warm the threads (their start is paid once per process, not per request).
  await intake.prepareSubmission({ body, owner });
  console.log(`npm run bench:intake, ${new Date().toISOString().slice(0, 10)}, node ${process.version}\n`);
  console.log(
    '| request | event loop held, intake thread | on the event loop | ratio | wall time (thread) | outcome |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const c of cases) {
    const thread = await held(c.thread);
    const loop = await held(c.loop);
    console.log(
      `| ${c.name} | ${thread.maxMs.toFixed(1)} ms | ${loop.maxMs.toFixed(0)} ms | ${(loop.maxMs / thread.maxMs).toFixed(0)}x | ${thread.wallMs.toFixed(0)} ms | ${thread.outcome} |`,
    );
  }
  await intake.close();
}

void main();
