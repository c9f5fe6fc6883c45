import { informationFunctions } from '../../../server/engine/functions/information';
import { recalculate } from '../../../server/engine/recalc';
import { Errors, Reference, type Value } from '../../../server/engine/values/value';
import type { WorkbookModel } from '../../../shared/model';
import { call, m, range, testContext } from '../../helpers/function-context';

const ctx = testContext({ A1: 3.4, A2: 'text', B5: true });
const withFormula = {
  ...ctx,
  formulaText: (ref: Reference) => (ref.top === 1 ? '=_xlfn.SEQUENCE(2)' : undefined),
};
const run = (name: string, ...args: Value[]) =>
  call(
    informationFunctions.find((d) => d.name === name),
    args,
    withFormula,
  );
const ref = (top: number, left: number, bottom = top, right = left) =>
  new Reference('Sheet1', top, left, bottom, right);

describe('predicates (IS_INFORMATION.xlsx, ISREF_ISFORMULA_ISODD_ISEVEN.xlsx)', () => {
  it('classify values', () => {
    expect(run('ISBLANK', null)).toBe(true);
    expect(run('ISBLANK', '')).toBe(false);
    expect(run('ISERR', Errors.NA)).toBe(false);
    expect(run('ISERROR', Errors.NA)).toBe(true);
    expect(run('ISNA', Errors.NA)).toBe(true);
    expect(run('ISNONTEXT', null)).toBe(true);
    expect(run('ISLOGICAL', false)).toBe(true);
    expect(run('ISODD', 3.9)).toBe(true);
    expect(run('ISEVEN', -2)).toBe(true);
    expect(run('ISODD', true)).toBe(Errors.VALUE);
  });
  it('inspect references', () => {
    expect(run('ISREF', ref(1, 1))).toBe(true);
    expect(run('ISREF', 12)).toBe(false);
    expect(run('ISFORMULA', ref(1, 1))).toBe(true);
    expect(run('ISFORMULA', ref(2, 1))).toBe(false);
    expect(run('FORMULATEXT', ref(1, 1))).toBe('=SEQUENCE(2)');
    expect(run('FORMULATEXT', ref(2, 1))).toBe(Errors.NA);
  });
});

describe('values (N.xlsx, TYPE.xlsx, ERROR.TYPE.xlsx)', () => {
  it('N, TYPE, ERROR.TYPE, NA', () => {
    expect(run('N', 12)).toBe(12);
    expect(run('N', true)).toBe(1);
    expect(run('N', 'x')).toBe(0);
    expect(run('N', Errors.DIV0)).toBe(Errors.DIV0);
    expect(run('TYPE', 'a')).toBe(2);
    expect(run('TYPE', m([[1, 2]]))).toBe(64);
    expect(run('TYPE', range([[true]]))).toBe(4);
    expect(run('ERROR.TYPE', Errors.DIV0)).toBe(2);
    expect(run('ERROR.TYPE', 1)).toBe(Errors.NA);
    expect(run('NA')).toBe(Errors.NA);
  });
});

describe('CELL, SHEET, SHEETS (CELL.xlsx, SHEET_SHEETS.xlsx)', () => {
  it('CELL reports on the top-left cell', () => {
    expect(run('CELL', 'address', ref(2, 1, 4, 1))).toBe('$A$2');
    expect(run('CELL', 'col', ref(8, 1, 8, 3))).toBe(1);
    expect(run('CELL', 'contents', ref(1, 1, 5, 1))).toBe(3.4);
    expect(run('CELL', 'contents', ref(9, 9))).toBe(0);
    expect(run('CELL', 'TYPE', ref(2, 1))).toBe('l');
    expect(run('CELL', 'type', ref(9, 9))).toBe('b');
    expect(run('CELL', 'hello', ref(1, 1))).toBe(Errors.VALUE);
    expect(run('CELL', true)).toBe(Errors.VALUE);
  });
  it('SHEET and SHEETS', () => {
    expect(run('SHEET')).toBe(1);
    expect(run('SHEET', 'sheet1')).toBe(1);
    expect(run('SHEET', '')).toBe(Errors.NA);
    expect(run('SHEET', 0)).toBe(Errors.NA);
    expect(run('SHEETS')).toBe(1);
  });
});

describe('reference arguments that are no precedents (CELL.xlsx, FORMULATEXT.xlsx)', () => {
  const sheet = (cells: Record<string, string>): WorkbookModel => ({
    version: 1,
    sheets: [
      {
        name: 'Sheet1',
        cells: Object.fromEntries(Object.entries(cells).map(([a, formula]) => [a, { formula }])),
      },
    ],
    names: [],
  });
  const values = (model: WorkbookModel) => recalculate(model).cells;

  it('FORMULATEXT of a cell that depends back on it is no circular reference', () => {
    const cells = values(sheet({ E1: '=FORMULATEXT(F1)&" NOT CIRCULAR!"', F1: '=E1', A1: '=E1-6+3' }));
    expect(cells.get('Sheet1!E1')).toBe('=E1 NOT CIRCULAR!');
    expect(cells.get('Sheet1!F1')).toBe('=E1 NOT CIRCULAR!');
    expect(cells.get('Sheet1!A1')).toEqual({ error: '#VALUE!' });
  });

  it('CELL with an unknown info type is #VALUE!, in its own cell too', () => {
    const cells = values(sheet({ B1: '=CELL("hello")', B2: '=CELL("")', B3: '=CELL("row")' }));
    expect(cells.get('Sheet1!B1')).toEqual({ error: '#VALUE!' });
    expect(cells.get('Sheet1!B2')).toEqual({ error: '#VALUE!' });
    expect(cells.get('Sheet1!B3')).toBe(3);
  });
});
