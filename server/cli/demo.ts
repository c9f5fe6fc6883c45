/**
 * `npm run demo`: simulates the bundled example workbook with the engine and prints live progress and
 * the results. (When the service lands, this submits the workbook through the REST API and WebSocket.)
 */
import { resolve } from 'node:path';
import { simulate } from '../engine/simulate';
import { summarizeOutput } from '../engine/statistics/summary';
import { loadWorkbookFile } from './load-workbook';
import { textHistogram } from './text-histogram';

async function main(): Promise<void> {
  const path = resolve(__dirname, '../../../examples/project-npv.xlsx');
  const workbook = loadWorkbookFile(path);
  const iterations = 100_000;
  console.log(`Montecell demo: ${iterations.toLocaleString('en-US')} trials of ${path}`);
  let reported = -1;
  const result = await simulate(
    workbook.model,
    { targets: ['Model!B22', 'Model!B23'], iterations, seed: 42, sampling: 'latin_hypercube' },
    {
      chunkSize: 5_000,
      onProgress: (done, total) => {
        const pct = Math.floor((100 * done) / total);
        if (pct >= reported + 10 || done === total) {
          reported = pct;
          console.log(
            `progress ${String(pct).padStart(3)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} trials`,
          );
        }
      },
    },
  );
  console.log(`completed in ${Math.round(result.elapsedMs)} ms (seed ${result.seed}, Latin hypercube)\n`);
  for (const output of result.outputs) {
    const s = summarizeOutput(output.values, output.outcomes);
    const f = (n: number | null) =>
      (n === null ? 'n/a' : n).toLocaleString('en-US', { maximumSignificantDigits: 6 });
    console.log(
      `${output.label}: mean ${f(s.mean)}  sd ${f(s.std)}  P5 ${f(s.percentiles['5'])}  P50 ${f(s.percentiles['50'])}  P95 ${f(s.percentiles['95'])}  errors ${s.errors}`,
    );
    console.log(textHistogram(s.histogram, 40, 12));
    console.log();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
