/**
 * Building a model's CUDA program into an executable, once per model: binaries are cached on disk under
 * the SHA-256 of the generated source and the toolchain, so every chunk of a run (and every later run of
 * the same model, in any worker process sharing the directory) reuses one nvcc build.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NVCC_FLAGS } from './codegen';

/** Turns CUDA source files into objects and executables. */
export interface CudaToolchain {
  /** Part of the cache key: a binary built for one target is never reused for another. */
  readonly id: string;
  /** An executable from one source file and objects this toolchain built. */
  compile(sourceFile: string, outputFile: string, objects?: readonly string[]): Promise<void>;
  /** An object file, to be linked into executables (a library the same for every model). */
  compileObject(sourceFile: string, objectFile: string): Promise<void>;
}

export const DEFAULT_NVCC_TIMEOUT_MS = 15 * 60_000;

/** "9.0" → "90": the compute capability as nvcc's arch suffix. */
export function archOf(computeCapability: string): string {
  const match = /^(\d+)\.(\d+)$/.exec(computeCapability.trim());
  if (!match) throw new Error(`unrecognised compute capability "${computeCapability}" (expected e.g. "9.0")`);
  return `${match[1]}${match[2]}`;
}

/**
 * nvcc for the detected device: machine code for its compute capability plus PTX for newer ones, with the
 * flags test/gpu/run.sh uses (no fused multiply-add, so arithmetic rounds as in the CPU backend).
 */
export function nvccToolchain(
  computeCapability: string,
  options: { nvcc?: string; timeoutMs?: number } = {},
): CudaToolchain {
  const arch = archOf(computeCapability);
  const nvcc = options.nvcc ?? 'nvcc';
  const args = [`-gencode`, `arch=compute_${arch},code=[sm_${arch},compute_${arch}]`, ...NVCC_FLAGS, '-w'];
  const timeoutMs = options.timeoutMs ?? DEFAULT_NVCC_TIMEOUT_MS;
  return {
    id: `nvcc ${args.join(' ')}`,
    compile: (sourceFile, outputFile, objects = []) =>
      runCompiler(nvcc, [...args, '-o', outputFile, sourceFile, ...objects], timeoutMs),
    compileObject: (sourceFile, objectFile) =>
      runCompiler(nvcc, [...args, '-c', '-o', objectFile, sourceFile], timeoutMs),
  };
}

/** Runs a compiler; a failure carries the tail of its output (the first errors are what matter). */
export function runCompiler(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const why = error.killed
        ? `timed out after ${Math.round(timeoutMs / 1000)} s`
        : String(stderr).trim().slice(0, 2_000) || error.message;
      reject(new Error(`${command} failed: ${why}`));
    });
  });
}

export function defaultCacheDir(): string {
  return join(tmpdir(), 'montecell-cuda');
}

export class BinaryCache {
  /** Builds under way in this process, so concurrent chunks of one model wait for one build. */
  private readonly building = new Map<string, Promise<string>>();

  constructor(
    readonly dir: string,
    private readonly toolchain: CudaToolchain,
  ) {}

  /** The executable built from `source` and `libraries` (sources built once each): cached, or built now. */
  binaryFor(source: string, libraries: readonly string[] = []): Promise<string> {
    const hash = this.key(source, ...libraries);
    return this.once(hash, () =>
      this.build(hash, source, async (file, output) => {
        const objects = await Promise.all(libraries.map((library) => this.objectFor(library)));
        await this.toolchain.compile(file, output, objects);
      }),
    );
  }

  private objectFor(library: string): Promise<string> {
    const hash = `${this.key(library)}.o`;
    return this.once(hash, () =>
      this.build(hash, library, (file, output) => this.toolchain.compileObject(file, output)),
    );
  }

  private key(...sources: string[]): string {
    const hash = createHash('sha256').update(this.toolchain.id);
    for (const source of sources) hash.update('\0').update(source);
    return hash.digest('hex');
  }

  private once(hash: string, build: () => Promise<string>): Promise<string> {
    const pending = this.building.get(hash);
    if (pending) return pending;
    const started = build().finally(() => this.building.delete(hash));
    this.building.set(hash, started);
    return started;
  }

  private async build(
    name: string,
    source: string,
    compile: (sourceFile: string, outputFile: string) => Promise<void>,
  ): Promise<string> {
    const built = join(this.dir, name);
    if (await exists(built)) return built;
    await mkdir(this.dir, { recursive: true });
    // Built under a private name and renamed into place, so another process never uses a partial file.
    const scratch = join(this.dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await writeFile(`${scratch}.cu`, source);
      await compile(`${scratch}.cu`, scratch);
      await chmod(scratch, 0o755);
      await rename(scratch, built);
    } finally {
      await rm(`${scratch}.cu`, { force: true });
      await rm(scratch, { force: true });
    }
    return built;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
