import { dcfModel } from '../../bench/models';
import { generateCudaKernel } from '../../server/engine/backends/cuda/codegen';
import { type BackendResult, validateDevice } from '../../server/engine/backends/cuda/device';
import { simulate } from '../../server/engine/simulate';
import type { WorkbookModel } from '../../shared/model';
import { emulateKernel, hasCompiler } from './emulate';
import { program, SMALL_MODELS } from './models';

const SEED = 2026;
const TRIALS = 2000;

async function cpuResults(model: WorkbookModel, targets: string[]): Promise<BackendResult> {
  const result = await simulate(model, { targets, iterations: TRIALS, seed: SEED });
  return { values: result.outputs.map((o) => o.values), outcomes: result.outputs.map((o) => o.outcomes) };
}

const dcf = dcfModel();
const cases: [string, WorkbookModel, string[]][] = [
  ['model (a), dcf', dcf.workbook, dcf.outputs],
  ...Object.entries(SMALL_MODELS).map(([name, [model, targets]]): [string, WorkbookModel, string[]] => [
    name,
    model,
    targets,
  ]),
];

describe('generated CUDA kernels, emulated on the CPU', () => {
  it.each(cases)(
    '%s: every trial matches the CPU backend (values within 1e-9, identical outcomes)',
    async (_, model, targets) => {
      const kernel = generateCudaKernel(program(model, targets));
      if ('unsupported' in kernel) throw kernel.unsupported;
      const cpu = await cpuResults(model, targets);
      if (!(await hasCompiler())) {
        console.log('g++ not found, emulation not run');
        expect(kernel.outputs).toBe(targets.length);
        return;
      }
      const emulated = await emulateKernel(kernel.source, kernel.outputs, SEED, TRIALS);
      await validateDevice({ run: async () => emulated }, cpu, { seed: SEED, iterations: TRIALS });
    },
    30_000,
  );

  it("rounding: every value is the CPU backend's exactly (a ROUND one ulp off would pass 1e-9)", async () => {
    const [model, targets] = SMALL_MODELS.rounding;
    const kernel = generateCudaKernel(program(model, targets));
    if ('unsupported' in kernel) throw kernel.unsupported;
    const cpu = await cpuResults(model, targets);
    if (!(await hasCompiler())) {
      console.log('g++ not found, emulation not run');
      return;
    }
    const emulated = await emulateKernel(kernel.source, kernel.outputs, SEED, TRIALS);
    expect(emulated.outcomes).toEqual(cpu.outcomes);
    const differing = cpu.values.flatMap((values, j) =>
      [...values].flatMap((v, i) =>
        cpu.outcomes[j][i] === 0 && !Object.is(v, emulated.values[j][i]) ? [[j, i]] : [],
      ),
    );
    expect(differing).toEqual([]);
  }, 30_000);

  it('covers error outcomes: #DIV/0!, #NUM! and booleans arrive as the CPU backend codes them', async () => {
    const [model, targets] = SMALL_MODELS.outcomes;
    const cpu = await cpuResults(model, targets);
    expect([...new Set(cpu.outcomes[0])]).toEqual([2]);
    expect([...new Set(cpu.outcomes[1])]).toEqual([6]);
    expect([...new Set(cpu.outcomes[2])]).toEqual([11]);
  });
});
