/**
 * The task pane's bundle holds what addin/src imports: the add-in reads the engine's catalogue and
 * function names from shared/, never from server/ (which would pull the engine into the pane).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../..');
const addin = join(root, 'addin/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The project file a relative specifier names, as the bundler resolves it; undefined for packages. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = ['.ts', '.tsx', '/index.ts', '/index.tsx', ''].map((ending) => base + ending);
  const found = candidates.find((path) => existsSync(path) && statSync(path).isFile());
  if (!found) throw new Error(`${relative(root, from)}: cannot resolve ${specifier}`);
  return found;
}

/** Every project file the add-in's sources reach, with the file that first imported it. */
function reachableFiles(): Map<string, string | undefined> {
  const reached = new Map<string, string | undefined>(sourceFiles(addin).map((file) => [file, undefined]));
  const pending = [...reached.keys()];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      const target = resolveImport(file, fileName);
      if (target === undefined || reached.has(target)) continue;
      reached.set(target, file);
      pending.push(target);
    }
  }
  return reached;
}

test('nothing the add-in imports, directly or through shared/, is under server/', () => {
  const reached = reachableFiles();
  const server = [...reached]
    .filter(([file]) => relative(root, file).startsWith('server/'))
    .map(([file, by]) => `${relative(root, file)} (imported by ${by ? relative(root, by) : '?'})`);
  expect(server).toEqual([]);
  // The walk does reach shared/: the catalogue the pane needs comes from there.
  expect([...reached.keys()].map((file) => relative(root, file))).toContain(
    'shared/distributions/distribution.ts',
  );
});
