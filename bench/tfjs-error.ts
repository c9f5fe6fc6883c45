/**
 * `npx tsx bench/tfjs-error.ts [--trials N] [--seed S] [--batch B] [--models dcf,portfolio,lookup]`
 *
 * The float32 error the tfjs backend adds on the three benchmark models: each model runs the same
 * trials on the CPU backend (float64) and on tfjs, and the outputs are compared trial by trial and in
 * their mean and percentiles. tfjs is the native build when MONTECELL_TFJS=1 finds one, else the
 * pure-JavaScript @tensorflow/tfjs (same float32 arithmetic, far slower). Prints a Markdown table.
 */

import { compareRuns } from '../server/engine/backends/tfjs/accuracy';
import { simulateTfjs } from '../server/engine/backends/tfjs/kernel';
import { loadTfjs } from '../server/engine/backends/tfjs/loader';
import { simulate } from '../server/engine/simulate';
import { benchModels } from './models';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function exp(x: number): string {
  return Number.isFinite(x) ? x.toExponential(1) : 'n/a';
}

async function main(): Promise<void> {
  const trials = Number(option('trials', '10000'));
  const seed = Number(option('seed', '12345'));
  const batchSize = Number(option('batch', '4096'));
  const wanted = option('models', 'dcf,portfolio,lookup').split(',');
  const loaded = loadTfjs({ allowPureJs: true });
  if (!loaded) throw new Error('no tfjs package could be loaded');
  const tf = loaded.tf;
  await tf.ready();
  console.log(
    `tfjs ${tf.version_core} (${loaded.packageName}, backend ${tf.getBackend()}), ${trials} trials, seed ${seed}\n`,
  );
  const rows: string[] = [
    '| Model | Output | Mismatched outcomes | Max rel. error | Mean rel. error | Max error / mean abs | Mean: rel. error | Mean: error / std. error | P5 rel. error | P50 rel. error | P95 rel. error | CPU s | tfjs s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const model of benchModels().filter((m) => wanted.includes(m.name))) {
    const request = { targets: model.outputs, iterations: trials, seed };
    const cpu = await simulate(model.workbook, request);
    const other = await simulateTfjs(tf, model.workbook, request, {}, { batchSize });
    for (const e of compareRuns(cpu, other))
      rows.push(
        `| ${model.name} | ${e.label} | ${e.outcomeMismatches} | ${exp(e.maxRelative)} | ${exp(e.meanRelative)} | ${exp(e.maxScaled)} | ${exp(e.meanRelativeError)} | ${exp(e.meanErrorInStandardErrors)} | ${exp(e.percentileRelativeError['5'])} | ${exp(e.percentileRelativeError['50'])} | ${exp(e.percentileRelativeError['95'])} | ${(cpu.elapsedMs / 1000).toFixed(1)} | ${(other.elapsedMs / 1000).toFixed(1)} |`,
      );
    console.error(`${model.name} done`);
  }
  console.log(rows.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
