import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dcfModel, lookupModel, portfolioModel } from '../../bench/models';
import {
  generateCudaKernel,
  KERNEL_NAME,
  KERNEL_SIGNATURE,
  NVCC_FLAGS,
} from '../../server/engine/backends/cuda/codegen';
import { BinaryCache, nvccToolchain } from '../../server/engine/backends/cuda/compiler';
import { AS241, cudaDouble, PHILOX } from '../../server/engine/backends/cuda/device-library';
import { DEVICE_STATISTICS_SOURCE } from '../../server/engine/backends/cuda/device-statistics';
import { generateSummaryProgram } from '../../server/engine/backends/cuda/host';
import { philox4x32 } from '../../server/engine/sampling/philox';
import type { WorkbookModel } from '../../shared/model';
import { normInv } from '../../shared/numeric/special';
import { book, kernel, program, SMALL_MODELS } from './models';

function findNvcc(): string | undefined {
  for (const candidate of ['nvcc', '/usr/local/bin/nvcc', '/usr/local/cuda/bin/nvcc']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

describe('CUDA kernel generator', () => {
  it('mirrors the Philox constants of philox.ts: the JS generator rebuilt from them gives the same words', () => {
    // One Philox round sequence from the exported constants, with BigInt products (independent of philox.ts).
    const block = (c: number[], k: number[]): number[] => {
      let [c0, c1, c2, c3] = c.map(BigInt);
      let [k0, k1] = k.map(BigInt);
      const mask = 0xffffffffn;
      for (let round = 0; round < PHILOX.ROUNDS; round++) {
        if (round > 0) {
          k0 = (k0 + BigInt(PHILOX.W0)) & mask;
          k1 = (k1 + BigInt(PHILOX.W1)) & mask;
        }
        const p0 = BigInt(PHILOX.M0) * c0;
        const p1 = BigInt(PHILOX.M1) * c2;
        [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & mask, (p0 >> 32n) ^ c3 ^ k1, p0 & mask];
      }
      return [c0, c1, c2, c3].map(Number);
    };
    for (const [c, k] of [
      [
        [0, 0, 0, 0],
        [0, 0],
      ],
      [
        [123456, 7, 42, 0],
        [0xdeadbeef, 0x1fffff],
      ],
    ] as [number[], number[]][])
      expect(block(c, k)).toEqual(philox4x32(c as [number, number, number, number], k as [number, number]));
  });

  it('uses the AS241 coefficients of special.ts (Horner in the same order gives normInv bit for bit)', () => {
    const poly = (c: readonly number[], x: number) => {
      let r = c[c.length - 1];
      for (let i = c.length - 2; i >= 0; i--) r = r * x + c[i];
      return r;
    };
    const mirror = (p: number) => {
      const q = p - 0.5;
      if (Math.abs(q) <= 0.425) {
        const r = 0.180625 - q * q;
        return (q * poly(AS241.A, r)) / poly(AS241.B, r);
      }
      const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
      const x =
        r <= 5
          ? poly(AS241.C, r - 1.6) / poly(AS241.D, r - 1.6)
          : poly(AS241.E, r - 5) / poly(AS241.F, r - 5);
      return q < 0 ? -x : x;
    };
    for (const p of [1e-300, 1e-20, 0.001, 0.02, 0.3, 0.5, 0.7, 0.97, 0.999999, 1 - 2 ** -53])
      expect(mirror(p)).toBe(normInv(p));
  });

  it('serialises constants as double literals that read back exactly', () => {
    expect(cudaDouble(5)).toBe('5.0');
    expect(cudaDouble(-0.1)).toBe('(-0.1)');
    expect(cudaDouble(1e21)).toBe('1e+21');
    expect(cudaDouble(2 ** -1074)).toBe('5e-324');
    expect(() => cudaDouble(Number.NaN)).toThrow();
  });

  it('generates a grid-stride kernel over a trial range with the Philox stream of each input', () => {
    const source = kernel(...SMALL_MODELS.sumOfNormals);
    expect(source).toContain(KERNEL_SIGNATURE);
    expect(source).toContain('i += stride');
    expect(source).toMatch(/mc_uniform\(t, \d+u, k0, k1\)/);
    expect(source).toContain('mc_norm_inv');
  });

  it('reports what it cannot generate instead of guessing', () => {
    const cases: [WorkbookModel, string, string][] = [
      [
        book({ A1: { formula: '=RiskNormal(0,1)' }, A2: { formula: '=VLOOKUP(A1,{1,2},1)' } }),
        'A2',
        'the CUDA backend does not support VLOOKUP (Sheet1!A2)',
      ],
      [
        book({ A1: { formula: '=RiskGamma(2,3)' } }),
        'A1',
        'the CUDA backend does not support the gamma distribution (Sheet1!A1 RISKGAMMA)',
      ],
      [
        book({ A1: { formula: '=RiskNormal(0,1)' }, A2: { formula: '=A1&"x"' } }),
        'A2',
        'the CUDA backend does not support text concatenation with & (Sheet1!A2)',
      ],
    ];
    for (const [model, target, reason] of cases) {
      const result = generateCudaKernel(program(model, [target]));
      expect('unsupported' in result && result.unsupported.message).toBe(reason);
    }
    const sampled = generateCudaKernel(program(...SMALL_MODELS.sumOfNormals), {
      sampling: 'latin_hypercube',
    });
    expect('unsupported' in sampled && sampled.unsupported.message).toBe(
      'the CUDA backend does not support Latin hypercube sampling',
    );
  });

  it('never puts workbook text in the source: names, labels, strings and sheet names stay out', () => {
    const hostile = '*/ } asm("trap"); /* "; system("rm -rf /"); //';
    const model: WorkbookModel = {
      version: 1,
      sheets: [
        {
          name: 'Evil_Sheet_x',
          cells: {
            A1: { formula: '=RiskNormal(10,1)' },
            B1: { value: hostile },
            A2: { formula: `=IF(B1="${hostile.replace(/"/g, '""')}",A1*2,A1)` },
            A3: { formula: '=SUM(A1:B2)' },
          },
        },
      ],
      names: [{ name: 'evil_name_zz', ref: 'Evil_Sheet_x!A1' }],
    };
    const result = generateCudaKernel(program(model, ['Evil_Sheet_x!A2', 'Evil_Sheet_x!A3']));
    const text = 'source' in result ? result.source : result.unsupported.message;
    for (const fragment of ['asm', 'trap', 'rm -rf', 'system(', 'Evil_Sheet', 'evil_name', 'RiskNormal'])
      expect(text).not.toContain(fragment);
  });

  describe('nvcc compile check', () => {
    const nvcc = findNvcc();
    const required = process.env.MONTECELL_REQUIRE_NVCC === '1';
    const sources = (): [string, string][] => {
      const dcf = dcfModel();
      const list: [string, string][] = [['dcf', kernel(dcf.workbook, dcf.outputs)]];
      for (const [name, [model, targets]] of Object.entries(SMALL_MODELS))
        list.push([name, kernel(model, targets)]);
      return list;
    };

    it('generates model (b) and reports what model (c) needs (lookups)', () => {
      const portfolio = portfolioModel();
      const lookup = lookupModel();
      expect(generateCudaKernel(program(portfolio.workbook, portfolio.outputs))).toHaveProperty('source');
      const refused = generateCudaKernel(program(lookup.workbook, lookup.outputs));
      expect('unsupported' in refused && refused.unsupported).toMatchObject({
        backend: 'cuda',
        construct: 'VLOOKUP',
      });
    });

    it('compiles every generated kernel to PTX for sm_90 and sm_80 (or says nvcc is absent)', async () => {
      const all = sources();
      if (!nvcc) {
        if (required) throw new Error('MONTECELL_REQUIRE_NVCC=1 but nvcc was not found');
        console.log('nvcc not found, compile check not run (set MONTECELL_REQUIRE_NVCC=1 to make this fail)');
        for (const [, source] of all) expect(source).toContain(KERNEL_SIGNATURE);
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'montecell-cuda-'));
      try {
        // All kernels in one translation unit (each in its own namespace, its kernel renamed) and one nvcc
        // run per architecture, emitting PTX: nvcc's front end and code generation for that architecture.
        // ptxas on model (a) alone takes over 10 s on a two-core machine, too slow for npm test;
        // test/gpu/run.sh builds the full binaries.
        const file = join(dir, 'kernels.cu');
        const units = all.map(
          ([, source], n) =>
            `namespace kernel${n} {\n${source.replace(KERNEL_NAME, `${KERNEL_NAME}_${n}`)}\n}`,
        );
        writeFileSync(file, units.join('\n'));
        const run = promisify(execFile);
        await Promise.all(
          ['sm_90', 'sm_80'].map((arch) =>
            run(nvcc, [`-arch=${arch}`, ...NVCC_FLAGS, '-ptx', file, '-o', `${file}.${arch}.ptx`]),
          ),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);

    it('builds a summary program with the device statistics library (Thrust) for sm_90, as a GPU host does', async () => {
      const [model, targets] = SMALL_MODELS.sumOfNormals;
      const generated = generateCudaKernel(program(model, targets));
      if ('unsupported' in generated) throw generated.unsupported;
      if (!nvcc) {
        if (required) throw new Error('MONTECELL_REQUIRE_NVCC=1 but nvcc was not found');
        console.log('nvcc not found, summary program build not run');
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'montecell-cuda-summary-'));
      try {
        const cache = new BinaryCache(dir, nvccToolchain('9.0', { nvcc }));
        const binary = await cache.binaryFor(generated.source + generateSummaryProgram(generated.outputs), [
          DEVICE_STATISTICS_SOURCE,
        ]);
        // No GPU here: the program starts, finds none and says so on one line, with status 1.
        const ran = await promisify(execFile)(binary, [
          'summary',
          '1',
          '1000',
          '100',
          '10',
          join(dir, 'recorded'),
        ]).then(
          () => ({ code: 0, stderr: '' }),
          (error: { code: number; stderr: string }) => error,
        );
        expect(ran.code).toBe(1);
        expect(ran.stderr).toMatch(/^error [^\n]+\n$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 240_000);
  });
});
