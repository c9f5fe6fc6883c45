/**
 * Step one of test/gpu/run.sh (not part of npm test), on a machine with nvcc and no GPU needed. For each
 * benchmark model the CUDA backend can generate, it writes
 *   DIR/NAME.cu   kernel + values program (built by run.sh), and DIR/NAME.cpu, the CPU backend's results
 *                 for the same seed in that program's layout, for the trial-by-trial comparison;
 *   DIR/cache/    the summary program of DIR/models/NAME.xlsx as `montecell simulate --engine gpu` builds
 *                 it (same source, same toolchain id for compute capability 9.0), so the CLI on the GPU
 *                 host finds it built, and DIR/NAME.summary naming it;
 * and lists "NAME OUTPUTS" lines in DIR/models.txt. Models: MONTECELL_GPU_MODELS (default "dcf").
 *
 *   npx tsx test/gpu/prepare.ts DIR SEED ITERATIONS
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { benchModels, modelPath } from '../../bench/models';
import { loadWorkbookFile } from '../../server/cli/load-workbook';
import { riskOutputs } from '../../server/cli/simulate';
import { gpuBuildSettings } from '../../server/config';
import { generateCudaKernel } from '../../server/engine/backends/cuda/codegen';
import { nvccToolchain } from '../../server/engine/backends/cuda/compiler';
import { generateHostProgram } from '../../server/engine/backends/cuda/host';
import { buildSummaryProgram } from '../../server/engine/backends/cuda/simulate-gpu';
import { compile, simulate } from '../../server/engine/simulate';

const [dir, seedText, iterationsText] = process.argv.slice(2);
const seed = Number(seedText);
const iterations = Number(iterationsText);
const ROOT = join(__dirname, '../..');
/** Model (b)'s kernel (10,001 cells in one function) takes nvcc over 10 minutes: only on request. */
const MODELS = (process.env.MONTECELL_GPU_MODELS ?? 'dcf').split(',');

async function main(): Promise<void> {
  const listed: string[] = [];
  const toolchain = nvccToolchain('9.0', { timeoutMs: gpuBuildSettings().nvccTimeoutMs });
  for (const model of benchModels().filter((m) => MODELS.includes(m.name))) {
    const { name, workbook, outputs: targets } = model;
    const kernel = generateCudaKernel(compile(workbook, { targets }).program);
    if ('unsupported' in kernel) {
      console.log(`${name}: not generated (${kernel.unsupported.message})`);
      continue;
    }
    writeFileSync(join(dir, `${name}.cu`), kernel.source + generateHostProgram(kernel.outputs));
    const started = performance.now();
    const cpu = await simulate(workbook, { targets, iterations, seed });
    const ms = performance.now() - started;
    console.log(
      `${name}: CPU backend ${iterations} trials in ${ms.toFixed(0)} ms (${((iterations / ms) * 1000).toExponential(3)} trials/s, one thread)`,
    );
    const parts = cpu.outputs.flatMap((o) => [Buffer.from(o.values.buffer), Buffer.from(o.outcomes.buffer)]);
    writeFileSync(join(dir, `${name}.cpu`), Buffer.concat(parts));
    listed.push(`${name} ${kernel.outputs}`);

    // The CLI's own path to the source: the .xlsx file, its RiskOutput() cells, Monte Carlo sampling.
    const file = loadWorkbookFile(modelPath(ROOT, model)).model;
    const cliKernel = generateCudaKernel(compile(file, { targets: riskOutputs(file) }).program, {
      sampling: 'monte_carlo',
    });
    if ('unsupported' in cliKernel) throw new Error(`${name}.xlsx: ${cliKernel.unsupported.message}`);
    const built = performance.now();
    const summary = await buildSummaryProgram(cliKernel, { cacheDir: join(dir, 'cache'), toolchain }).catch(
      (error: Error) => {
        console.log(`${name}: summary program not built (${error.message.slice(0, 300)})`);
        return undefined;
      },
    );
    if (!summary) continue;
    writeFileSync(join(dir, `${name}.summary`), `${relative(dir, summary)}\n`);
    console.log(`${name}: summary program built in ${((performance.now() - built) / 1000).toFixed(0)} s`);
  }
  writeFileSync(join(dir, 'models.txt'), `${listed.join('\n')}\n`);
}

void main();
