/**
 * The sideloading tools are not installed by `npm ci` (keytar, deep in their dependencies, downloads or
 * compiles a native module); `npm run sideload` installs them on first use and, when it cannot, says
 * what is missing and how to get it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'office-tools.mjs');

function runScript(cwd: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [join(cwd, 'office-tools.mjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run sideload without the Office tools', () => {
  let dir: string;
  let registry: Server;
  let registryUrl: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'montecell-office-tools-'));
    copyFileSync(SCRIPT, join(dir, 'office-tools.mjs'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sideload-check', private: true }));
    // A registry that refuses every request: the install on first use fails at once.
    registry = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const address = registry.address();
    registryUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(() => {
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tries to install them, then names what is missing and the command to run, exit 2', async () => {
    const { code, output } = await runScript(dir, ['start', 'web'], {
      npm_config_registry: registryUrl,
      npm_config_cache: join(dir, 'npm-cache'),
      npm_config_fetch_retries: '0',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    });
    expect(code).toBe(2);
    expect(output).toMatch(/installing office-addin-debugging, office-addin-dev-certs on first use/);
    expect(output).toMatch(/office-addin-debugging and office-addin-dev-certs could not be installed/);
    expect(output).toMatch(
      /Retry with: npm install --no-save office-addin-debugging@7\.0\.0 office-addin-dev-certs@3\.0\.0/,
    );
    if (process.platform === 'linux') expect(output).toMatch(/apt-get install -y libsecret-1-dev/);
  });

  it('refuses an unknown command with its usage, exit 2', async () => {
    const { code, output } = await runScript(dir, ['start', 'excel'], {});
    expect(code).toBe(2);
    expect(output).toMatch(/usage: node scripts\/office-tools\.mjs ensure \| start desktop\|web \| stop/);
  });
});
