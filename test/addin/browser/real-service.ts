/**
 * The real Montecell service behind the browser tests, on the Redis at REDIS_URL under a key prefix of
 * its own (removed afterwards), accepting the pane's origin for CORS and the WebSocket Origin check:
 * either in this process (API, WebSocket gateway and workers, engine threads from the TypeScript
 * sources), or as deployed (`npm start`: build/server/main.js, its workers in a child process, every
 * thread from the bundle), which is what a timing the user would see must measure.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deleteKeys, serviceEnv, startTestService, testConfig } from '../../service/helpers';

export interface ServiceUnderTest {
  url: string;
  close(): Promise<void>;
}

export type ServiceKind = 'in-process' | 'deployed';

const ROOT = join(__dirname, '../../..');
const DEPLOYED_ENTRY = join(ROOT, 'build/server/main.js');

/** The most recently changed TypeScript source under the given folders of the checkout. */
function newestSource(folders: string[]): { path: string; mtimeMs: number } {
  let newest = { path: '', mtimeMs: 0 };
  for (const folder of folders)
    for (const entry of readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const path = join(entry.parentPath, entry.name);
      const { mtimeMs } = statSync(path);
      if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  return newest;
}

export async function startRealService(
  paneOrigin: string,
  kind: ServiceKind = 'in-process',
): Promise<ServiceUnderTest> {
  if (kind === 'deployed') return startDeployedService(paneOrigin);
  const service = await startTestService({ allowedOrigins: [paneOrigin] });
  return { url: service.url, close: () => service.stop() };
}

async function startDeployedService(paneOrigin: string): Promise<ServiceUnderTest> {
  if (!existsSync(DEPLOYED_ENTRY))
    throw new Error(`${DEPLOYED_ENTRY} is missing: run npm run build:server first`);
  // npm test builds first; a file run alone after editing the service must not time the old code
  const source = newestSource(['server', 'shared']);
  if (source.mtimeMs > statSync(DEPLOYED_ENTRY).mtimeMs)
    throw new Error(`${source.path} is newer than ${DEPLOYED_ENTRY}: run npm run build:server first`);
  const config = testConfig();
  const child = spawn(process.execPath, [DEPLOYED_ENTRY], {
    env: serviceEnv(config, { HOST: '127.0.0.1', PORT: '0', ALLOWED_ORIGINS: paneOrigin }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const api = /API and WebSocket on (http:\/\/[\d.:]+)/.exec(output);
      // the workers' own process says when its queues are listened to
      if (api && /montecell: workers ready/.test(output)) resolve(api[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the deployed service exited: ${output}`)));
  });
  return {
    url,
    close: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await deleteKeys(config);
    },
  };
}
