/**
 * A built CUDA values program (./host.ts) serving ranges of trials from one long-lived child process
 * (`serve` mode), so the device is set up once for the chunks of a model instead of once per chunk. The
 * ranges run one after another (the device would take their kernels in turn anyway), each streaming its
 * progress lines. An aborted range kills the process (SIGKILL) at once; so does a failed one, whose error
 * names what the program said. Either way the next range starts a new process. An idle process quits
 * after IDLE_MS and never keeps the worker alive by itself.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SimulationCancelled } from '../../simulate';
import type { BackendResult } from './device';

export interface ChildRunRequest {
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
}

/** How long a process waits for the next range before it quits (its device memory goes with it). */
const IDLE_MS = 15_000;

/** The range being run: where its process's progress, answer and end go. */
interface RunningRange {
  child: ChildProcessWithoutNullStreams;
  onProgress?: (done: number) => void;
  said: string[];
  finished: () => void;
  stopped: (how: string) => void;
}

export class ServingProgram {
  private child?: ChildProcessWithoutNullStreams;
  private running?: RunningRange;
  private queue: Promise<unknown> = Promise.resolve();
  private idle?: NodeJS.Timeout;
  /** Processes started so far (the tests count them). */
  starts = 0;

  constructor(
    readonly binary: string,
    private readonly outputs: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Trials [start, end) of the run keyed by `seed`, after the ranges asked for before it. */
  run(request: ChildRunRequest, hooks: ChildRunHooks = {}): Promise<BackendResult> {
    const turn = this.queue;
    // A range cancelled while it waits for its turn ends at once; the next still waits for the real turn.
    const result = waitTurn(turn, hooks.signal).then(() => this.runNow(request, hooks));
    this.queue = turn.then(() => result).catch(() => {});
    return result;
  }

  /** Ends the process, if any (a range still running fails). */
  close(): void {
    clearTimeout(this.idle);
    if (this.child) this.kill(this.child);
  }

  /** Kills a process and retires it: no range is handed to it from now on. */
  private kill(child: ChildProcessWithoutNullStreams): void {
    if (this.child === child) this.child = undefined;
    child.kill('SIGKILL');
  }

  private async runNow(request: ChildRunRequest, hooks: ChildRunHooks): Promise<BackendResult> {
    const { seed, start, end, batch } = request;
    const count = end - start;
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && count > 0))
      throw new Error(`internal: bad trial range [${start}, ${end})`);
    if (!(Number.isSafeInteger(batch) && batch > 0)) throw new Error(`internal: bad batch size ${batch}`);
    if (hooks.signal?.aborted) throw new SimulationCancelled('the simulation was cancelled');
    clearTimeout(this.idle);
    const dir = await mkdtemp(join(tmpdir(), 'montecell-gpu-run-'));
    const outFile = join(dir, 'results.bin');
    try {
      // The program reads one line of at most 4,000 characters per request.
      if (outFile.length > 3_000 || /\s/.test(outFile))
        throw new Error(
          `the GPU results cannot go to ${outFile.slice(0, 100)}: set TMPDIR to a short path without spaces`,
        );
      await this.ask(
        `run ${seed} ${start} ${count} ${batch} ${outFile}`,
        hooks,
        `(trials ${start} to ${end})`,
      );
      return readResults(await readFile(outFile).catch(() => Buffer.alloc(0)), this.outputs, count);
    } finally {
      await rm(dir, { recursive: true, force: true });
      this.waitIdle();
    }
  }

  private ask(line: string, hooks: ChildRunHooks, what: string): Promise<void> {
    // Cancelled while its results file was being set up.
    if (hooks.signal?.aborted) return Promise.reject(new SimulationCancelled('the simulation was cancelled'));
    const child = this.started();
    holdEventLoop(child, true);
    return new Promise<void>((resolve, reject) => {
      let aborted = false;
      const onAbort = () => {
        aborted = true;
        this.kill(child);
      };
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (error?: Error) => {
        hooks.signal?.removeEventListener('abort', onAbort);
        this.running = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.running = {
        child,
        ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
        said: [],
        finished: () => settle(),
        stopped: (how) => {
          if (aborted) return settle(new SimulationCancelled('the simulation was cancelled'));
          const said = this.running?.said ?? [];
          const detail = said.length > 0 ? `: ${said.join('; ')}` : '';
          settle(new Error(`the GPU program ${this.binary} ${what} ${how}${detail}`));
        },
      };
      child.stdin.write(`${line}\n`);
    });
  }

  /** The live process, started now if there is none. */
  private started(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.binary, ['serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.starts++;
    // Errors of the process (a failed start, a failed kill) are reported by the range's end, not thrown.
    child.on('error', () => {});
    // Out of file descriptors, Node gives a process without pid or pipes (and an 'error' event later).
    if (child.pid === undefined || !child.stdin || !child.stdout || !child.stderr)
      throw new Error(
        `the GPU program ${this.binary} could not start (no process or pipes: out of file descriptors?)`,
      );
    this.child = child;
    // A process that exits between ranges is simply replaced; one writing to its closed stdin is not news.
    child.stdin.on('error', () => {});
    // Only the range running in this process hears from it: a process killed or retired earlier may
    // still be ending while the next range runs in a new one.
    const range = () => (this.running?.child === child ? this.running : undefined);
    createInterface({ input: child.stderr }).on('line', (line) => {
      const [kind, ...rest] = line.trim().split(' ');
      // One stream for progress and the end, so a range never ends before its progress is heard.
      if (kind === 'progress') range()?.onProgress?.(Number(rest[0]));
      else if (kind === 'finished') range()?.finished();
      else if (kind === 'error' || kind === 'mismatch') range()?.said.push(rest.join(' '));
    });
    child.stdout.resume();
    child.on('error', (error) => {
      if (this.child === child) this.child = undefined;
      range()?.stopped(`could not start: ${error.message}`);
    });
    child.once('close', (code, signal) => {
      if (this.child === child) this.child = undefined;
      range()?.stopped(signal ? `was killed by ${signal}` : `exited with status ${code}`);
    });
    return child;
  }

  /** Lets an idle process quit after idleMs, and not hold the worker's event loop meanwhile. */
  private waitIdle(): void {
    const child = this.child;
    if (!child || this.running) return;
    holdEventLoop(child, false);
    this.idle = setTimeout(() => {
      // Retired at once: a range asked for from now on starts a new process, never one that is quitting.
      if (this.child === child) this.child = undefined;
      child.stdin.end('quit\n');
    }, this.idleMs);
    this.idle.unref();
  }
}

/** Resolves when `turn` has, or rejects with SimulationCancelled as soon as the signal aborts. */
function waitTurn(turn: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new SimulationCancelled('the simulation was cancelled'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Whether a child process (and its pipes) keeps this process's event loop alive. */
function holdEventLoop(child: ChildProcessWithoutNullStreams, hold: boolean): void {
  if (hold) child.ref();
  else child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    const handle = stream as unknown as { ref?: () => void; unref?: () => void } | null;
    if (hold) handle?.ref?.();
    else handle?.unref?.();
  }
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
