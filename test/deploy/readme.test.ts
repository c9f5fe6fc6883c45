/** The README's two commands are what a newcomer types, and CI runs the test line exactly. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## The CLI'));
const commands = [...quickStart.matchAll(/^(npm run setup && npm (?:run demo|test))\s+#/gm)].map((m) => m[1]);
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

it('gives the demo and the test command, each starting with the set-up step', () => {
  expect(commands).toEqual(['npm run setup && npm run demo', 'npm run setup && npm test']);
  for (const name of ['setup', 'demo', 'test']) expect(scripts[name]).toBeDefined();
});

it('is what .ci/run runs, verbatim, as its last command', () => {
  const lines = readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
    .trim()
    .split('\n');
  expect(lines[lines.length - 1]).toBe(commands[1]);
});

it('keeps the sideloading tools out of npm ci (they install on first use)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const installed = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
  expect(installed).not.toHaveProperty('office-addin-debugging');
  expect(installed).not.toHaveProperty('office-addin-dev-certs');
  const lock = readFileSync(join(ROOT, 'package-lock.json'), 'utf8');
  expect(lock).not.toMatch(/"node_modules\/keytar"/);
  expect(scripts.sideload).toBe('node scripts/office-tools.mjs start desktop');
});
