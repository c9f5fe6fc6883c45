/**
 * Hostile or huge models: each gives its answer or one clean EngineError quickly, never a hang, a fatal
 * heap abort or an internal TypeError.
 */
import { EngineError } from '../../server/engine/errors';
import { MAX_ARRAY_FORMULA_CELLS } from '../../server/engine/limits';
import { recalculate } from '../../server/engine/recalc';
import { compile, prepareRun } from '../../server/engine/simulate';
import type { CellModel, WorkbookModel } from '../../shared/model';

const book = (cells: Record<string, CellModel>, names: WorkbookModel['names'] = []): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Sheet1', cells }],
  names,
});

const recalcValue = (model: WorkbookModel, cell = 'Sheet1!A1') => recalculate(model).cells.get(cell);

function engineError(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

/** Lol_0 = Lol_1+Lol_1, …, Lol_{depth-1} = leaf: 2^depth uses if names were expanded at each use. */
function doublingNames(depth: number, leaf: string): WorkbookModel['names'] {
  const names = Array.from({ length: depth }, (_, k) => ({
    name: `Lol_${k}`,
    ref: `=Lol_${k + 1}+Lol_${k + 1}`,
  }));
  return [...names, { name: `Lol_${depth}`, ref: leaf }];
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

describe('defined names are evaluated once per use site, not expanded', () => {
  it('recalculates 40 levels of doubling names at once', () => {
    const { result, ms } = timed(() =>
      recalcValue(book({ A1: { formula: '=Lol_0' } }, doublingNames(40, '=1'))),
    );
    expect(result).toBe(2 ** 40);
    expect(ms).toBeLessThan(10_000);
  });

  it('compiles 40 levels of doubling names over a random cell', () => {
    const model = book(
      { B1: { formula: '=RiskNormal(0,1)' }, A1: { formula: '=Lol_0+RiskOutput()' } },
      doublingNames(40, '=Sheet1!$B$1'),
    );
    const { result, ms } = timed(() => compile(model, { targets: ['A1'] }));
    expect(result.program.outputs).toHaveLength(1);
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses a chain of names deeper than the limit, naming a name', () => {
    const names = Array.from({ length: 200 }, (_, k) => ({ name: `Deep_${k}`, ref: `=Deep_${k + 1}` }));
    names.push({ name: 'Deep_200', ref: '=1' });
    const error = engineError(() => recalculate(book({ A1: { formula: '=Deep_0' } }, names)));
    expect(error.code).toBe('model-too-complex');
    expect(error.message).toMatch(/Sheet1!A1: .*Deep_\d+/);
  });
});

describe('arrays stay inside the grid and the memory budget', () => {
  it('SEQUENCE and MAKEARRAY beyond the budget are #NUM!', () => {
    expect(recalcValue(book({ A1: { formula: '=ROWS(SEQUENCE(1000000000))' } }))).toEqual({ error: '#NUM!' });
    expect(recalcValue(book({ A1: { formula: '=SEQUENCE(1,20000)' } }))).toEqual({ error: '#NUM!' });
    expect(recalcValue(book({ A1: { formula: '=ROWS(MAKEARRAY(100000,100000,LAMBDA(r,c,1)))' } }))).toEqual({
      error: '#NUM!',
    });
    expect(recalcValue(book({ A1: { formula: '=ROWS(SEQUENCE(1000))' } }))).toBe(1000);
  });

  it('an element-wise operation whose result would exceed the budget is #NUM!', () => {
    const formula = '=ROWS(SEQUENCE(100000)*SEQUENCE(1,1000))';
    expect(recalcValue(book({ A1: { formula } }))).toEqual({ error: '#NUM!' });
  });

  it('sums a range that spans the whole grid from the cells present', () => {
    const { result, ms } = timed(() =>
      recalcValue(
        book({ XFD1048576: { value: 5 }, C3: { value: 2 }, A1: { formula: '=SUM(B2:XFD1048576)' } }),
      ),
    );
    expect(result).toBe(7);
    expect(ms).toBeLessThan(10_000);
    const counts = book({
      XFD1048576: { value: 5 },
      A1: { formula: '=COUNTBLANK(B2:XFD1048576)' },
      A2: { formula: '=COUNT(B2:XFD1048576)' },
    });
    expect(recalculate(counts).cells.get('Sheet1!A2')).toBe(1);
  });

  it('refuses an array formula whose area exceeds the budget, naming the cell', () => {
    const error = engineError(() => recalculate(book({ A1: { formula: '=1', array_ref: 'A1:XFD1048576' } })));
    expect(error.code).toBe('model-too-complex');
    expect(error.message).toMatch(/^Sheet1!A1: /);
    const cells: Record<string, CellModel> = {};
    for (let i = 0; i < 200; i++) cells[`A${i + 1}`] = { formula: '=1', array_ref: 'B1:P1000000' };
    expect(engineError(() => recalculate(book(cells))).code).toBe('model-too-complex');
    const fits = Math.floor(MAX_ARRAY_FORMULA_CELLS / 2);
    expect(recalcValue(book({ A1: { formula: '=SEQUENCE(10)', array_ref: `A1:A${fits}` } }))).toBe(1);
  });
});

describe('the range walk', () => {
  it('compiles a SUM over 100,000 scattered formula cells in linear time', () => {
    const cells: Record<string, CellModel> = {};
    let row = 2;
    for (let i = 0; i < 100_000; i++) {
      row += 1 + ((i * 7919) % 5);
      cells[`B${row}`] = { formula: i % 10 === 0 ? '=RAND()' : `=${i % 10}` };
    }
    cells.B1 = { formula: '=RiskNormal(0,1)' };
    cells.A1 = { formula: `=B1+SUM(B2:B${row})` };
    const { result, ms } = timed(() => compile(book(cells), { targets: ['A1'] }));
    expect(result.program.outputs).toHaveLength(1);
    expect(ms).toBeLessThan(10_000);
  });

  it('builds the kernel of a SUM over 100,000 random cells (no argument spread of 100,000 lines)', () => {
    const cells: Record<string, CellModel> = {};
    for (let i = 0; i < 100_000; i++) cells[`B${2 + i * 3}`] = { formula: '=RAND()' };
    cells.A1 = { formula: '=SUM(B2:B300001)' };
    const run = prepareRun(book(cells), { targets: ['A1'], iterations: 10, seed: 1 });
    const values = [new Float64Array(10)];
    const outcomes = [new Uint8Array(10)];
    run.kernel.runTrials({ values, outcomes, inputSamples: [], recordLimit: 0 }, 0, 10, 0);
    // The sum of 100,000 uniforms: 50,000 give or take a few hundred.
    for (const total of values[0]) expect(Math.abs(total - 50_000)).toBeLessThan(600);
  });
});

describe('clean errors for formulas beyond the engine', () => {
  it('a recursive LAMBDA name without an end is refused, not a stack overflow', () => {
    const names = [{ name: 'Forever', ref: '=LAMBDA(n,Forever(n+1))' }];
    const error = engineError(() => recalculate(book({ A1: { formula: '=Forever(1)' } }, names)));
    expect(error.code).toBe('model-too-complex');
    expect(error.message).toMatch(/^Sheet1!A1: /);
  });

  it('a recursive LAMBDA within the limit works', () => {
    const names = [{ name: 'Fact', ref: '=LAMBDA(n,IF(n<=1,1,n*Fact(n-1)))' }];
    expect(recalcValue(book({ A1: { formula: '=Fact(10)' } }, names))).toBe(3628800);
  });

  it('CHOOSE with 100,000 choices', () => {
    const choices = Array.from({ length: 100_000 }, (_, i) => i + 1).join(',');
    expect(recalcValue(book({ A1: { formula: `=CHOOSE(3,${choices})` } }))).toBe(3);
    const random = book({ A1: { formula: `=CHOOSE(1+RAND()*2,${choices})+RiskOutput()` } });
    expect(compile(random, { targets: ['A1'] }).program.outputs).toHaveLength(1);
  });

  it('a literal beyond the double range is #NUM!, in recalc and in a random formula', () => {
    expect(recalcValue(book({ A1: { formula: '=1E+309' } }))).toEqual({ error: '#NUM!' });
    const random = book({ A1: { formula: '=RAND()+1E+309' } });
    expect(compile(random, { targets: ['A1'] }).program.outputs).toHaveLength(1);
  });
});
