// `npm run bench [-- options]`: bundles the CLI and the benchmark with esbuild, as the CLI ships (so the
// engine runs the same code as in production, not a per-module transform), then runs bench/run.ts.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

await import('../scripts/build-server.mjs');
await build({
  entryPoints: ['bench/run.ts'],
  outfile: 'build/bench/run.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['@ironcalc/wasm'],
  logLevel: 'warning',
});
const run = spawnSync(
  process.execPath,
  ['--enable-source-maps', 'build/bench/run.js', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exitCode = run.status ?? 1;
