import { informationFunctions } from '../../../server/engine/functions/information';
import { Errors, Reference, type Value } from '../../../server/engine/values/value';
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
