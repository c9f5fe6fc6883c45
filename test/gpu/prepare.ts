/**
 * Step one of test/gpu/run.sh (not part of npm test): for each benchmark model the CUDA backend can
 * generate, writes DIR/NAME.cu (kernel + host program) and DIR/NAME.cpu (the CPU backend's results for the
 * same seed, in the host program's layout), and lists "NAME OUTPUTS" lines in DIR/models.txt.
 *
 *   npx tsx test/gpu/prepare.ts DIR SEED ITERATIONS
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchModels } from '../../bench/models';
import { generateCudaKernel } from '../../server/engine/backends/cuda/codegen';
import { generateHostProgram } from '../../server/engine/backends/cuda/host';
import { compile, simulate } from '../../server/engine/simulate';
import type { WorkbookModel } from '../../shared/model';

const [dir, seedText, iterationsText] = process.argv.slice(2);
const seed = Number(seedText);
const iterations = Number(iterationsText);

const candidates = benchModels().map((m): [string, WorkbookModel, string[]] => [
  m.name,
  m.workbook,
  m.outputs,
]);

async function main(): Promise<void> {
  const listed: string[] = [];
  for (const [name, workbook, targets] of candidates) {
    const kernel = generateCudaKernel(compile(workbook, { targets }).program);
    if ('unsupported' in kernel) {
      console.log(`${name}: not generated (${kernel.unsupported})`);
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
  }
  writeFileSync(join(dir, 'models.txt'), `${listed.join('\n')}\n`);
}

void main();
