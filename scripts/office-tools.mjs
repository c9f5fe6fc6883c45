#!/usr/bin/env node
// The Office sideloading tools (office-addin-debugging, office-addin-dev-certs), installed on first use
// rather than by `npm ci`: they pull in keytar, whose install downloads a prebuilt binary from outside
// the npm registry or else compiles against libsecret, and either can fail on a locked-down machine.
// Nothing else in the project needs them, so they must never be able to break the install.
//
//   node scripts/office-tools.mjs ensure                  install them if missing (dev server, sideload)
//   node scripts/office-tools.mjs start desktop|web       sideload the add-in (npm run sideload[:web])
//   node scripts/office-tools.mjs stop                    npm run sideload:stop
//
// Exit codes: 0 done, 2 the tools are missing and could not be installed (the message says what to do).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Pinned, as package-lock.json would pin them. */
const OFFICE_TOOLS = { 'office-addin-debugging': '7.0.0', 'office-addin-dev-certs': '3.0.0' };
const DEV_SERVER_PORT = '3000';

const root = process.cwd();
const requireHere = createRequire(join(root, 'package.json'));

function missingTools() {
  return Object.keys(OFFICE_TOOLS).filter((name) => {
    try {
      requireHere.resolve(`${name}/package.json`);
      return false;
    } catch {
      return true;
    }
  });
}

function ensureTools() {
  const missing = missingTools();
  if (missing.length === 0) return;
  const specs = missing.map((name) => `${name}@${OFFICE_TOOLS[name]}`);
  const command = ['npm', 'install', '--no-save', ...specs];
  console.log(`office-tools: installing ${missing.join(', ')} on first use: ${command.join(' ')}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, command.slice(1), { stdio: 'inherit', cwd: root });
  if (result.status === 0 && missingTools().length === 0) return;
  const lines = [
    `office-tools: ${missing.join(' and ')} could not be installed, so the add-in cannot be sideloaded yet.`,
    `  Retry with: ${command.join(' ')}`,
  ];
  if (process.platform === 'linux')
    lines.push(
      '  On Linux, keytar (a dependency of office-addin-debugging) compiles against libsecret when its',
      '  prebuilt binary cannot be downloaded: sudo apt-get install -y libsecret-1-dev pkg-config g++ make python3',
    );
  console.error(lines.join('\n'));
  process.exit(2);
}

function officeAddinDebugging(args) {
  const bin = join(root, 'node_modules', '.bin', 'office-addin-debugging');
  if (!existsSync(bin)) {
    console.error(`office-tools: ${bin} is missing after install`);
    process.exit(2);
  }
  const result = spawnSync(bin, args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  process.exit(result.status ?? 1);
}

const [verb, target] = process.argv.slice(2);
if (verb === 'ensure') {
  ensureTools();
} else if (verb === 'start' && (target === 'desktop' || target === 'web')) {
  ensureTools();
  officeAddinDebugging(['start', 'manifest.xml', target, '--dev-server-port', DEV_SERVER_PORT]);
} else if (verb === 'stop') {
  ensureTools();
  officeAddinDebugging(['stop', 'manifest.xml']);
} else {
  console.error('usage: node scripts/office-tools.mjs ensure | start desktop|web | stop');
  process.exit(2);
}
