/**
 * `npm start` runs the workers in a child process of the API's, so a worker that dies (a fatal V8
 * error in an engine thread, the kernel's out-of-memory killer) never takes the API with it. The child
 * is started again at once, then with a growing delay if it keeps dying; the chunks it held go back to
 * the queue when their BullMQ locks expire.
 */
import { type ChildProcess, fork } from 'node:child_process';

const MAX_RESTART_DELAY_MS = 30_000;
/** A child that lived this long counts as healthy again: the next death restarts it at once. */
const HEALTHY_AFTER_MS = 60_000;

export class SupervisedWorkers {
  private child?: ChildProcess;
  private stopping = false;
  private deathsInARow = 0;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (line: string) => void = console.log,
  ) {}

  start(): void {
    const startedAt = Date.now();
    const child = fork(this.script, [], { env: this.env, stdio: 'inherit' });
    this.child = child;
    this.log(`montecell: workers started in process ${child.pid}`);
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      if (Date.now() - startedAt > HEALTHY_AFTER_MS) this.deathsInARow = 0;
      const delay =
        this.deathsInARow === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 1_000 * 2 ** this.deathsInARow);
      this.deathsInARow++;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.log(
        `montecell: the workers' process ${child.pid} ${how}; the API is unaffected, restarting the workers${
          delay ? ` in ${delay / 1000} s` : ''
        }`,
      );
      this.restartTimer = setTimeout(() => this.start(), delay);
    });
  }

  /** Drains the workers (SIGTERM: running chunks finish) and waits for their process to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
