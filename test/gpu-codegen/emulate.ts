/**
 * Runs a generated CUDA kernel on the CPU: the source is compiled as plain C++ (g++) with a few lines
 * standing in for the CUDA built-ins, one "thread" walking every trial. It checks the generated code's
 * numbers against the CPU backend on machines without a GPU; only the CUDA math library is not covered.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CudaToolchain } from '../../server/engine/backends/cuda/compiler';
import type { BackendResult } from '../../server/engine/backends/cuda/device';

const run = promisify(execFile);

const SHIM = `
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define __device__
#define __global__
#define __forceinline__ inline
#define __restrict__
struct mc_dim { unsigned int x; };
static mc_dim blockIdx = {0}, threadIdx = {0}, gridDim = {1}, blockDim = {1};
static inline unsigned int __umulhi(unsigned int a, unsigned int b) { return (unsigned int)(((unsigned long long)a * b) >> 32); }
static inline double __longlong_as_double(long long x) { double d; memcpy(&d, &x, 8); return d; }
static inline long long __double_as_longlong(double x) { long long d; memcpy(&d, &x, 8); return d; }
`;

/** Stand-ins for the CUDA runtime calls of the host program (./host.ts), which then calls the kernel. */
const RUNTIME_SHIM = `
#define MONTECELL_EMULATE
typedef int cudaError_t;
static const cudaError_t cudaSuccess = 0;
enum cudaMemcpyKind { cudaMemcpyDeviceToHost };
struct cudaDeviceProp { char name[64]; };
static inline const char* cudaGetErrorString(cudaError_t) { return "emulated CUDA error"; }
static inline cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int) { strcpy(p->name, "CPU emulation"); return 0; }
template <class T> static inline cudaError_t cudaMalloc(T** p, size_t n) { *p = (T*)malloc(n); return *p ? 0 : 2; }
static inline cudaError_t cudaFree(void* p) { free(p); return 0; }
static inline cudaError_t cudaMemGetInfo(size_t* free, size_t* total) { *free = *total = (size_t)1 << 40; return 0; }
static inline cudaError_t cudaMemcpy(void* d, const void* s, size_t n, cudaMemcpyKind) { memcpy(d, s, n); return 0; }
static inline cudaError_t cudaGetLastError() { return 0; }
static inline cudaError_t cudaDeviceSynchronize() { return 0; }
`;

/**
 * A toolchain that builds the whole generated program (kernel + host program) with g++, so the
 * GpuEngine's child-process path runs for real on a machine without a GPU.
 */
export function emulationToolchain(): CudaToolchain {
  return {
    id: 'g++ emulation',
    compile: async (sourceFile, outputFile, objects = []) => {
      const cpp = `${outputFile}.cpp`;
      writeFileSync(cpp, `${SHIM}\n${RUNTIME_SHIM}\n${readFileSync(sourceFile, 'utf8')}`);
      try {
        await run('g++', ['-std=c++17', '-O1', '-ffp-contract=off', '-w', '-o', outputFile, cpp, ...objects]);
      } finally {
        rmSync(cpp, { force: true });
      }
    },
    // The device statistics library: Thrust's own code, run sequentially in host memory.
    compileObject: async (sourceFile, objectFile) => {
      const includes = thrustIncludes();
      await run('g++', [
        '-x',
        'c++',
        '-std=c++17',
        '-O2',
        '-w',
        '-DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_CPP',
        ...includes.map((dir) => `-I${dir}`),
        '-c',
        '-o',
        objectFile,
        sourceFile,
      ]);
    },
  };
}

/**
 * Where Thrust is: a CUDA toolkit's (CCCL, with the headers it includes), or else Debian's
 * libthrust-dev, which `npm run setup` installs on a machine without the toolkit.
 */
function thrustIncludes(): string[] {
  const cudaHome = process.env.CUDA_HOME ?? '/usr/local/cuda';
  const candidates = [
    [join(cudaHome, 'include', 'cccl'), join(cudaHome, 'include')],
    [join(cudaHome, 'include')],
    ['/usr/include'],
  ];
  const found = candidates.find((dirs) => existsSync(join(dirs[0], 'thrust')));
  if (!found)
    throw new Error(
      `Thrust not found in ${cudaHome}/include or /usr/include: run npm run setup (libthrust-dev) or set CUDA_HOME`,
    );
  return found;
}

const MAIN = `
int main(int argc, char** argv) {
  const unsigned long long seed = strtoull(argv[1], 0, 10), count = strtoull(argv[2], 0, 10);
  const int outputs = atoi(argv[3]);
  double* values = (double*)malloc(8 * outputs * count);
  unsigned char* outcomes = (unsigned char*)malloc(outputs * count);
  montecell_trials(seed, 0, count, count, values, outcomes);
  for (int j = 0; j < outputs; j++) { fwrite(values + j * count, 8, count, stdout); fwrite(outcomes + j * count, 1, count, stdout); }
  return 0;
}
`;

export async function hasCompiler(): Promise<boolean> {
  try {
    await run('g++', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Trials [0, iterations) of a generated kernel under `seed`, computed on the CPU. */
export async function emulateKernel(
  source: string,
  outputs: number,
  seed: number,
  iterations: number,
): Promise<BackendResult> {
  const dir = mkdtempSync(join(tmpdir(), 'montecell-emulate-'));
  try {
    const file = join(dir, 'kernel.cpp');
    writeFileSync(file, `${SHIM}\n${source}\n${MAIN}`);
    // -ffp-contract=off: no fused multiply-add, as the kernel is built with nvcc -fmad=false.
    await run('g++', ['-std=c++17', '-O1', '-ffp-contract=off', '-w', '-o', join(dir, 'kernel'), file]);
    const { stdout } = await run(join(dir, 'kernel'), [String(seed), String(iterations), String(outputs)], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    const result: BackendResult = { values: [], outcomes: [] };
    for (let j = 0; j < outputs; j++) {
      const at = j * 9 * iterations;
      result.values.push(
        new Float64Array(
          stdout.buffer.slice(stdout.byteOffset + at, stdout.byteOffset + at + 8 * iterations),
        ),
      );
      result.outcomes.push(Uint8Array.from(stdout.subarray(at + 8 * iterations, at + 9 * iterations)));
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Hooks that cancel a run at its first progress report, and when that was (0: never). */
export function cancelAtFirstProgress(): {
  signal: AbortSignal;
  onProgress: () => void;
  abortedAt: () => number;
} {
  const controller = new AbortController();
  let abortedAt = 0;
  return {
    signal: controller.signal,
    onProgress: () => {
      if (abortedAt) return;
      abortedAt = Date.now();
      controller.abort();
    },
    abortedAt: () => abortedAt,
  };
}

/** A toolchain whose "binary" is a shell script: a device that misbehaves in a chosen way. */
export function scriptToolchain(script: string): CudaToolchain {
  return {
    id: `script ${script}`,
    compile: async (_source, output) => writeFileSync(output, `#!/bin/sh\n${script}\n`, { mode: 0o755 }),
    compileObject: async (_source, object) => writeFileSync(object, ''),
  };
}

/** The emulation with `from` replaced by `to` in every generated program: a device that computes wrong. */
export function alteredToolchain(from: string | RegExp, to: string): CudaToolchain {
  const emulation = emulationToolchain();
  return {
    ...emulation,
    id: `${emulation.id}, ${String(from)} -> ${to}`,
    compile: async (source, output, objects) => {
      const text = readFileSync(source, 'utf8');
      const altered = text.replace(from, to);
      if (altered === text) throw new Error(`test: ${String(from)} is not in the generated program`);
      writeFileSync(source, altered);
      await emulation.compile(source, output, objects);
    },
  };
}
