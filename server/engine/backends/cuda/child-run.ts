/**
 * Runs a built CUDA program (./host.ts) as a child process for one range of trials: streams its
 * "progress" lines to a callback, kills it (SIGKILL) the moment the run is aborted, and reads its result
 * file. Anything short of a clean exit with a complete file is an error naming what went wrong.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulationCancelled } from '../../simulate';
import type { BackendResult } from './device';

export interface ChildRunRequest {
  binary: string;
  outputs: number;
  seed: number;
  /** Trials [start, end) of the run keyed by `seed`. */
  start: number;
  end: number;
  /** Trials per kernel launch; a progress line follows each. */
  batch: number;
}

export interface ChildRunHooks {
  /** Trials of the range done so far. */
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
  /** The "device NAME" line. */
  onDevice?: (name: string) => void;
}

export async function runCudaChild(
  request: ChildRunRequest,
  hooks: ChildRunHooks = {},
): Promise<BackendResult> {
  const { binary, outputs, seed, start, end, batch } = request;
  const count = end - start;
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && count > 0))
    throw new Error(`internal: bad trial range [${start}, ${end})`);
  if (!(Number.isSafeInteger(batch) && batch > 0)) throw new Error(`internal: bad batch size ${batch}`);
  if (hooks.signal?.aborted) throw new SimulationCancelled('the simulation was cancelled');
  const dir = await mkdtemp(join(tmpdir(), 'montecell-gpu-run-'));
  const outFile = join(dir, 'results.bin');
  try {
    await spawnAndWait(
      binary,
      [seed, start, count, batch, outFile].map(String),
      hooks,
      () => `${binary} (trials ${start} to ${end})`,
    );
    return readResults(await readFile(outFile).catch(() => Buffer.alloc(0)), outputs, count);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnAndWait(
  binary: string,
  args: string[],
  hooks: ChildRunHooks,
  what: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      child.kill('SIGKILL');
    };
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const errors: string[] = [];
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, ...rest] = line.trim().split(' ');
        if (kind === 'progress') hooks.onProgress?.(Number(rest[0]));
        else if (kind === 'device') hooks.onDevice?.(rest.join(' '));
        else if (kind === 'error' || kind === 'mismatch') errors.push(rest.join(' '));
      }
    });
    child.once('error', (error) => {
      hooks.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`the GPU program could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      hooks.signal?.removeEventListener('abort', onAbort);
      if (aborted) return reject(new SimulationCancelled('the simulation was cancelled'));
      if (code === 0) return resolve();
      const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      const detail = errors.length > 0 ? `: ${errors.join('; ')}` : '';
      reject(new Error(`the GPU program ${what()} ${how}${detail}`));
    });
  });
}

/** The host program's layout: per output, `count` doubles then `count` outcome bytes. */
export function readResults(bytes: Buffer, outputs: number, count: number): BackendResult {
  const expected = outputs * count * 9;
  if (bytes.length !== expected)
    throw new Error(
      `the GPU program's results are ${bytes.length} bytes, not the ${expected} of ${count} trials × ${outputs} outputs`,
    );
  const result: BackendResult = { values: [], outcomes: [] };
  for (let j = 0; j < outputs; j++) {
    const at = j * 9 * count;
    // Copies: a Float64Array needs an 8-byte aligned offset, which a Buffer slice does not promise.
    result.values.push(new Float64Array(Uint8Array.from(bytes.subarray(at, at + 8 * count)).buffer));
    result.outcomes.push(Uint8Array.from(bytes.subarray(at + 8 * count, at + 9 * count)));
  }
  return result;
}
