/** Where a worker-thread entry lives: bundled next to the service and CLI, or its source under tsx (tests). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The server/ folder in a source checkout (this file is server/engine/runtime/thread-script.ts). */
const SERVER_SOURCE = join(__dirname, '..', '..');

/**
 * `name` is the entry's base name under server/`folder` (e.g. "engine-thread" under "engine/runtime");
 * scripts/build-server.mjs must list it.
 */
export function threadScript(name: string, folder: string): { path: string; execArgv: string[] } {
  if (__filename.endsWith('.ts'))
    return { path: join(SERVER_SOURCE, folder, `${name}.ts`), execArgv: ['--require', 'tsx/cjs'] };
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    for (const candidate of [
      join(dir, `${folder}/${name}.js`),
      join(dir, `build/server/${folder}/${name}.js`),
    ])
      if (existsSync(candidate)) return { path: candidate, execArgv: [] };
    dir = dirname(dir);
  }
  throw new Error(`internal: the ${name} script is not built (run npm run build:server)`);
}
