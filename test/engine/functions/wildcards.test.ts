import { WildcardPattern } from '../../../server/engine/functions/wildcards';
import { recalculate } from '../../../server/engine/recalc';
import type { CellModel } from '../../../shared/model';

const recalc = (cells: Record<string, CellModel>) =>
  recalculate({ version: 1, sheets: [{ name: 'Sheet1', cells }], names: [] }).cells;

describe('wildcard matching', () => {
  it.each([
    ['a*c', 'ABBC', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['a~*', 'a*', true],
    ['a~*', 'ab', false],
    ['~?', '?', true],
    ['a~b', 'a~b', true],
    ['a~', 'a~', true],
    ['*x*y', 'axbxcy', true],
    ['*x*y', 'axbxc', false],
    ['**a**', 'bab', true],
  ])('%j matches %j: %s', (pattern, text, expected) => {
    expect(WildcardPattern.parse(pattern).matches(text)).toBe(expected);
  });

  it('SEARCH finds the first start, with ~ escaping any character', () => {
    expect(WildcardPattern.parse('b*d').search('abcdbd')).toBe(1);
    expect(WildcardPattern.parse('?c').search('abcd')).toBe(1);
    expect(WildcardPattern.parse('z').search('abcd')).toBe(-1);
    expect(WildcardPattern.parse('~x', 'any').search('axb')).toBe(1);
    expect(WildcardPattern.parse('*', 'any').search('abc')).toBe(0);
  });

  it('takes linear time where a backtracking RegExp blows up', () => {
    const hostile = `${'*a'.repeat(14)}*b`;
    const text = 'a'.repeat(60);
    const start = performance.now();
    const cells = recalc({
      B1: { value: text },
      B2: { value: 'xaaaab' },
      A1: { formula: `=COUNTIF(B1:B2,"${hostile}")` },
      A2: { formula: `=IFERROR(MATCH("${hostile}",B1:B2,0),-1)` },
      A3: { formula: `=IFERROR(SEARCH("${hostile}",B1),-1)` },
      A4: { formula: `=IFERROR(XLOOKUP("${hostile}",B1:B2,B1:B2,"none",2),"none")` },
      A5: { formula: `=COUNTIF(B1:B2,"*a*a*a*b")` },
    });
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(cells.get('Sheet1!A1')).toBe(0);
    expect(cells.get('Sheet1!A2')).toBe(-1);
    expect(cells.get('Sheet1!A3')).toBe(-1);
    expect(cells.get('Sheet1!A4')).toBe('none');
    expect(cells.get('Sheet1!A5')).toBe(1);
  });

  it('matches long texts against long patterns in polynomial time', () => {
    const text = `${'ab'.repeat(16_000)}c`;
    const pattern = WildcardPattern.parse(`${'*a?'.repeat(100)}*d`);
    const start = performance.now();
    expect(pattern.matches(text)).toBe(false);
    expect(pattern.search(text)).toBe(-1);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
