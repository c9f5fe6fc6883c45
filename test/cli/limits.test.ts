/**
 * Hostile workbooks of a few kilobytes through the CLI: each ends in one line on stderr and exit 2 (or a
 * normal run where the formula is valid Excel within the limits), within 10 s and a 1 GB heap.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import type { CellModel, WorkbookModel } from '../../shared/model';

const root = resolve(__dirname, '../..');
const cli = join(root, 'bin/montecell.js');
const dir = mkdtempSync(join(tmpdir(), 'montecell-limits-'));

function montecell(...args: string[]) {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', cli, ...args], {
    encoding: 'utf8',
    cwd: root,
    timeout: 20_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { ...r, ms: performance.now() - start };
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const book = (cells: Record<string, CellModel>, names: WorkbookModel['names'] = []) =>
  writeWorkbook({ version: 1, sheets: [{ name: 'Sheet1', cells }], names });

/** The workbook with xl/workbook.xml rewritten. */
function withWorkbookXml(bytes: Uint8Array, edit: (xml: string) => string): Uint8Array {
  const files = unzipSync(bytes);
  files['xl/workbook.xml'] = strToU8(edit(strFromU8(files['xl/workbook.xml'])));
  return zipSync(files);
}

function expectOneLineError(r: ReturnType<typeof montecell>, message: RegExp) {
  expect(r.signal).toBeNull();
  expect(r.ms).toBeLessThan(10_000);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.status).toBe(2);
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root });
});

const doubling = [
  ...Array.from({ length: 40 }, (_, k) => ({ name: `Lol_${k}`, ref: `=Lol_${k + 1}+Lol_${k + 1}` })),
  { name: 'Lol_40', ref: '=1' },
];

describe('montecell on hostile workbooks', () => {
  it('40 levels of doubling names: recalc and simulate finish at once', () => {
    const path = save(
      'names.xlsx',
      book({ A1: { formula: '=Lol_0' }, B1: { formula: '=Lol_0+RAND()' } }, doubling),
    );
    const recalc = montecell('recalc', path, '--json');
    expect(recalc.status).toBe(0);
    expect(JSON.parse(recalc.stdout).cells['Sheet1!A1']).toBe(2 ** 40);
    expect(recalc.ms).toBeLessThan(10_000);
    const simulate = montecell('simulate', path, '--output', 'Sheet1!B1', '--iterations', '100', '--json');
    expect(simulate.status).toBe(0);
    expect(simulate.ms).toBeLessThan(10_000);
  });

  it('huge arrays are #NUM! or one clean error', () => {
    const path = save(
      'arrays.xlsx',
      book({
        A1: { formula: '=ROWS(SEQUENCE(1000000000))' },
        A2: { formula: '=ROWS(MAKEARRAY(100000,100000,LAMBDA(r,c,1)))' },
        A3: { formula: '=SUM(B2:XFD1048576)' },
        XFD1048576: { value: 4 },
      }),
    );
    const r = montecell('recalc', path, '--json');
    expect(r.status).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
    const cells = JSON.parse(r.stdout).cells;
    expect(cells['Sheet1!A1']).toEqual({ error: '#NUM!' });
    expect(cells['Sheet1!A2']).toEqual({ error: '#NUM!' });
    expect(cells['Sheet1!A3']).toBe(4);
    const whole = save('whole-grid.xlsx', book({ A1: { formula: '=1', array_ref: 'A1:XFD1048576' } }));
    expectOneLineError(montecell('recalc', whole), /Sheet1!A1: array formulas fill more than/);
    const cells200: Record<string, CellModel> = {};
    for (let i = 1; i <= 200; i++) cells200[`A${i}`] = { formula: '=1', array_ref: 'B1:P1000000' };
    expectOneLineError(montecell('recalc', save('many-arrays.xlsx', book(cells200))), /array formulas fill/);
  });

  it('a catastrophic wildcard pattern counts at once', () => {
    const path = save(
      'wildcard.xlsx',
      book({
        B1: { value: 'a'.repeat(60) },
        A1: { formula: `=COUNTIF(B1,"${'*a'.repeat(14)}*b")` },
      }),
    );
    const r = montecell('recalc', path, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).cells['Sheet1!A1']).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('SUM over 20,000 scattered cells completes', () => {
    const cells: Record<string, CellModel> = {};
    for (let i = 0; i < 20_000; i++) cells[`B${2 + i * 3}`] = { formula: i % 2 ? '=RAND()' : '=1' };
    cells.A1 = { formula: '=SUM(B2:B60000)' };
    const r = montecell(
      'simulate',
      save('sum.xlsx', book(cells)),
      '--output',
      'Sheet1!A1',
      '--iterations',
      '100',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
  });

  it.each([
    [
      'a sheet without a name',
      (xml: string) => xml.replace(/<sheet name="Sheet1"/, '<sheet'),
      /sheet .*has no name/,
    ],
    [
      'a defined name without a name',
      (xml: string) => xml.replace(/<definedName name="X"/, '<definedName'),
      /defined name .*has no name/,
    ],
  ])('%s is one clean error', (_what, edit, message) => {
    const bytes = withWorkbookXml(book({ A1: { formula: '=X' } }, [{ name: 'X', ref: '=1' }]), edit);
    expectOneLineError(montecell('recalc', save('no-name.xlsx', bytes)), message);
  });

  it('a recursive LAMBDA name is one clean error; 1E+309 and CHOOSE with 100,000 choices run', () => {
    const recursive = book({ A1: { formula: '=Forever(1)' } }, [
      { name: 'Forever', ref: '=LAMBDA(n,Forever(n+1))' },
    ]);
    expectOneLineError(
      montecell('recalc', save('recursive.xlsx', recursive)),
      /Sheet1!A1: LAMBDA calls nest/,
    );
    const choices = Array.from({ length: 100_000 }, () => '1').join(',');
    const path = save(
      'literals.xlsx',
      book({ A1: { formula: '=RAND()+1E+309' }, A2: { formula: `=CHOOSE(2,${choices})+RAND()` } }),
    );
    const r = montecell(
      'simulate',
      path,
      '--output',
      'Sheet1!A1',
      '--output',
      'Sheet1!A2',
      '--iterations',
      '100',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
  });
});
