import { logicalFunctions } from '../../../server/engine/functions/logical';
import { Errors, type Value } from '../../../server/engine/values/value';
import { call, m, range } from '../../helpers/function-context';

const run = (name: string, ...args: Value[]) =>
  call(
    logicalFunctions.find((d) => d.name === name),
    args,
  );

describe('AND, OR, XOR (AND_OR_XOR.xlsx)', () => {
  it('convert written numbers and TRUE/FALSE text', () => {
    expect(run('AND', -0.1)).toBe(true);
    expect(run('OR', 0, 0)).toBe(false);
    expect(run('XOR', 1, 1, 1)).toBe(true);
    expect(run('XOR', true, true)).toBe(false);
    expect(run('OR', 'TRUE')).toBe(true);
    expect(run('AND', '0')).toBe(Errors.VALUE);
  });
  it('skip text and blanks in ranges, and a written empty string', () => {
    expect(run('AND', range([[true, 'x', null, 1]]))).toBe(true);
    expect(run('OR', '', true)).toBe(true);
    expect(run('OR', '')).toBe(Errors.VALUE);
    expect(run('AND', range([['x', null]]))).toBe(Errors.VALUE);
    expect(run('OR', m([[false, Errors.DIV0]]))).toBe(Errors.DIV0);
  });
  it('NOT, TRUE, FALSE', () => {
    expect(run('NOT', 0)).toBe(true);
    expect(run('NOT', 'abc')).toBe(Errors.VALUE);
    expect(run('TRUE')).toBe(true);
    expect(run('FALSE')).toBe(false);
  });
});
