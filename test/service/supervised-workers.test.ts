/**
 * `npm start` (build/server/main.js): the workers run in a child process, so a worker that dies does
 * not take the API with it; the child is started again and the next runs complete.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { api, deleteKeys, pollUntilDone, serviceEnv, smallModel, testConfig } from './helpers';

const config = testConfig();
let service: ChildProcess;
let output = '';
/** Resolves with the first match of `pattern` in the service's output from `from` on. */
const printed = (pattern: RegExp, from = 0) =>
  new Promise<RegExpMatchArray>((resolve, reject) => {
    const check = () => {
      const match = output.slice(from).match(pattern);
      if (!match) return false;
      service.stdout?.off('data', check);
      service.off('exit', exited);
      resolve(match);
      return true;
    };
    const exited = () => reject(new Error(`the service exited: ${output}`));
    if (check()) return;
    service.stdout?.on('data', check);
    service.once('exit', exited);
  });

beforeAll(async () => {
  service = spawn(process.execPath, [join(__dirname, '../../build/server/main.js')], {
    env: serviceEnv(config, { HOST: '127.0.0.1', PORT: '0', WORKER_THREADS: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  service.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await printed(/ready/);
});
afterAll(async () => {
  if (service.exitCode === null) {
    const exited = new Promise((resolve) => service.once('exit', resolve));
    service.kill('SIGKILL');
    await exited;
  }
  await deleteKeys(config);
});

async function completesARun(url: string): Promise<void> {
  const { status, body } = await api(url, '/api/simulations/run', {
    body: { model: smallModel(), target_cells: ['B1'], iterations: 50 },
  });
  expect(status).toBe(202);
  expect(await pollUntilDone(url, body.simulation_id, 30_000)).toMatchObject({
    status: 'completed',
    current_iteration: 50,
  });
}

test('a worker process killed outright leaves the API answering; the workers restart and runs complete', async () => {
  const url = (await printed(/API and WebSocket on (http:\/\/[\d.:]+)/))[1];
  const firstPid = Number((await printed(/workers started in process (\d+)/))[1]);
  await completesARun(url);

  const mark = output.length;
  process.kill(firstPid, 'SIGKILL');
  await printed(new RegExp(`process ${firstPid} was killed by SIGKILL; the API is unaffected`), mark);
  expect((await api(url, '/api/health')).status).toBeLessThan(600);
  const secondPid = Number((await printed(/workers started in process (\d+)/, mark))[1]);
  expect(secondPid).not.toBe(firstPid);
  await completesARun(url);

  // SIGTERM drains both processes and ends the service.
  const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
  service.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(() => process.kill(secondPid, 0)).toThrow();
});
