/**
 * A summary program (./host.ts, `summary` mode) running as a child process: progress while the trials
 * run, then each output's facts, then questions about its sorted values, which stay in GPU memory,
 * answered one line at a time. Killed at once (SIGKILL) when the run is aborted; any other end than a
 * clean exit after "quit" fails every question still waiting, naming what the program said.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SimulationCancelled } from '../../simulate';
import type { Moments } from '../../statistics/summary';
import { readResults } from './child-run';
import { type BackendResult, GpuFailure } from './device';

export interface SummaryRunRequest {
  binary: string;
  outputs: number;
  seed: number;
  iterations: number;
  /** Trials per kernel launch; a progress line follows each. */
  batch: number;
  /** The first trials whose values and outcomes come back whole (sensitivity, the CPU check). */
  record: number;
}

export interface SummaryRunHooks {
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
}

/** What the device found of one output over every trial. */
export interface OutputFacts {
  /** Trials whose value was a number. */
  numeric: number;
  /** Their moments; undefined when there were none. */
  moments: Moments | undefined;
  /** Trials by error outcome code (OUTCOME_CODES index), only the codes that occurred. */
  errorCodes: Map<number, number>;
}

export class DeviceSummaryRun {
  private readonly waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  private failure?: Error;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly exited: Promise<void>,
    readonly device: string,
    readonly facts: OutputFacts[],
    /** Values and outcomes of trials [0, record). */
    readonly recorded: BackendResult,
  ) {}

  /** Starts the program and waits until every output is prepared on the device. */
  static async start(request: SummaryRunRequest, hooks: SummaryRunHooks = {}): Promise<DeviceSummaryRun> {
    const { binary, outputs, seed, iterations, batch, record } = request;
    if (hooks.signal?.aborted) throw new SimulationCancelled('the simulation was cancelled');
    const dir = await mkdtemp(join(tmpdir(), 'montecell-gpu-summary-')).catch((error: Error) => {
      throw new GpuFailure(`no room for the GPU program's results: ${error.message}`);
    });
    const recordFile = join(dir, 'recorded.bin');
    const child = spawn(binary, ['summary', seed, iterations, batch, record, recordFile].map(String), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Its errors (a failed start, a failed kill) are reported through 'close' and `ready`, not thrown.
    child.on('error', () => {});
    // Out of file descriptors, Node gives a process without pid or pipes (and an 'error' event later).
    if (child.pid === undefined || !child.stdin || !child.stdout || !child.stderr) {
      await rm(dir, { recursive: true, force: true });
      throw new GpuFailure(
        `the GPU program ${binary} could not start (no process or pipes: out of file descriptors?)`,
      );
    }
    // A question written after the program died fails here; its end is reported by 'close'.
    child.stdin.on('error', () => {});
    let run: DeviceSummaryRun | undefined;
    /** Why the program ended, once it has: every question from then on fails with it. */
    let ended: Error | undefined;
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      child.kill('SIGKILL');
    };
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const said: string[] = [];
    let device = '';
    createInterface({ input: child.stderr }).on('line', (line) => {
      const [kind = '', ...rest] = line.trim().split(' ');
      if (kind === 'progress') hooks.onProgress?.(Number(rest[0]));
      else if (kind === 'device') device = rest.join(' ');
      else if (kind === 'error') said.push(rest.join(' '));
    });
    const facts: OutputFacts[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (run) return run.answered(line);
        if (line === 'ready') return resolve();
        try {
          facts.push(parseFacts(line, facts.length));
        } catch (error) {
          child.kill('SIGKILL');
          reject(error);
        }
      });
      child.once('error', (error) =>
        reject(new GpuFailure(`the GPU program could not start: ${error.message}`)),
      );
    });
    const exited = new Promise<void>((resolve, reject) => {
      child.once('close', (code, signal) => {
        hooks.signal?.removeEventListener('abort', onAbort);
        void rm(dir, { recursive: true, force: true });
        if (code === 0 && run?.closing) return resolve();
        const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
        const detail = said.length > 0 ? `: ${said.join('; ')}` : '';
        ended = aborted
          ? new SimulationCancelled('the simulation was cancelled')
          : new GpuFailure(`the GPU program ${binary} (${iterations} trials) ${how}${detail}`);
        run?.fail(ended);
        reject(ended);
      });
    });
    exited.catch(() => {});
    try {
      await Promise.race([ready, exited]);
      if (facts.length !== outputs)
        throw new GpuFailure(`the GPU program reported ${facts.length} of ${outputs} outputs`);
      const recorded = readResults(await readFile(recordFile), outputs, record);
      run = new DeviceSummaryRun(child, exited, device, facts, recorded);
      // The program may have ended while its recorded trials were read.
      if (ended) throw ended;
      return run;
    } catch (error) {
      child.kill('SIGKILL');
      await exited.catch(() => {});
      if (aborted) throw new SimulationCancelled('the simulation was cancelled');
      throw error instanceof GpuFailure
        ? error
        : new GpuFailure(`the GPU run failed: ${(error as Error).message}`);
    }
  }

  /** The values of the given ranks among output j's numbers in ascending order. */
  async valuesAt(j: number, ranks: number[]): Promise<number[]> {
    return parseAnswer(await this.ask(`at ${j} ${ranks.join(' ')}`), 'values', ranks.length);
  }

  /** How many of output j's numbers are below (or, `inclusive`, at most) each x. */
  async countsBelow(j: number, xs: number[], inclusive: boolean): Promise<number[]> {
    const verb = inclusive ? 'atorbelow' : 'below';
    return parseAnswer(await this.ask(`${verb} ${j} ${xs.join(' ')}`), 'counts', xs.length);
  }

  /** Set once the program was asked to end: only then is its exit not a failure. */
  closing = false;

  /** Ends the program (its device memory is freed with it). */
  async close(): Promise<void> {
    this.closing = true;
    this.child.stdin.end('quit\n');
    await this.exited;
  }

  /** Stops the program now, whatever it is doing. */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  private ask(question: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${question}\n`);
    });
  }

  private answered(line: string): void {
    this.waiting.shift()?.resolve(line);
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const waiting of this.waiting.splice(0)) waiting.reject(error);
  }
}

/** "facts J NUMERIC MEAN M2 M3 M4 [CODE:COUNT ...]" */
function parseFacts(line: string, j: number): OutputFacts {
  const [kind, index, ...fields] = line.split(' ');
  // Moments of huge values overflow to Infinity or NaN, as on the CPU; the count is always a number.
  const numbers = fields.slice(0, 5).map(parseDouble);
  const [count, mean, m2, m3, m4] = numbers;
  if (
    kind !== 'facts' ||
    Number(index) !== j ||
    numbers.length !== 5 ||
    mean === undefined ||
    m2 === undefined ||
    m3 === undefined ||
    m4 === undefined ||
    !Number.isSafeInteger(count)
  )
    throw new GpuFailure(`the GPU program's statistics are malformed: "${line.slice(0, 200)}"`);
  const errorCodes = new Map<number, number>();
  for (const pair of fields.slice(5)) {
    const [code, trials] = pair.split(':').map(Number);
    if (!(Number.isInteger(code) && Number.isInteger(trials)))
      throw new GpuFailure(`the GPU program's outcome counts are malformed: "${line.slice(0, 200)}"`);
    errorCodes.set(code, trials);
  }
  const numeric = count as number;
  return { numeric, moments: numeric > 0 ? { mean, m2, m3, m4 } : undefined, errorCodes };
}

function parseAnswer(line: string, kind: string, expected: number): number[] {
  const [said, ...fields] = line.split(' ');
  const numbers = fields.map(parseDouble);
  if (said !== kind || numbers.length !== expected || numbers.includes(undefined))
    throw new GpuFailure(
      `the GPU program answered "${line.slice(0, 200)}" where ${expected} ${kind} were due`,
    );
  return numbers as number[];
}

/** A number as the program prints it (%.17g, Infinity, -Infinity or NaN); undefined if it is not one. */
function parseDouble(text: string): number | undefined {
  if (text === 'NaN') return Number.NaN;
  const x = text === '' ? Number.NaN : Number(text);
  return Number.isNaN(x) ? undefined : x;
}
