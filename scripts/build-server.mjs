// Bundles the Node entry points (CLI, engine worker threads, service) into build/ with esbuild.
// Type checking is a separate step (`npm run typecheck`); this only needs to be fast.

import { existsSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
const entryPoints = [
  'server/cli/main.ts',
  'server/engine/runtime/engine-thread.ts',
  'server/main.ts',
  'server/worker-main.ts',
  'server/api-main.ts',
  'server/intake/intake-thread.ts',
  'server/cli/demo-service.ts',
  'scripts/load-service.ts',
].filter((p) => existsSync(p));

await build({
  entryPoints,
  outdir: 'build',
  outbase: '.',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});
