import { FormulaParseError, MAX_DEPTH, parseFormula, printFormula } from '../../shared/formula';

function errorOf(text: string): FormulaParseError {
  try {
    parseFormula(text);
  } catch (error) {
    if (error instanceof FormulaParseError) return error;
    throw error;
  }
  throw new Error(`"${text}" parsed without error`);
}

describe('parse errors carry a code and the offset in the input', () => {
  it.each([
    ['=', 'empty', 1],
    ['   ', 'empty', 3],
    ['="abc', 'unterminated-string', 1],
    ["='My Sheet!A1", 'unterminated-sheet-name', 1],
    ["='My Sheet'A1", 'unexpected-token', 11],
    ['=SUM(1,2', 'unbalanced-parentheses', 4],
    ['=(1+2', 'unbalanced-parentheses', 1],
    ['=1+2)', 'unexpected-token', 4],
    ['={1,2', 'unbalanced-braces', 1],
    ['={1,2;3}', 'invalid-array', 1],
    ['={1,A1}', 'invalid-array', 4],
    ['=T[[#Headers],[A]', 'unbalanced-brackets', 2],
    ['=T[#Everything]', 'invalid-structured-reference', 3],
    ['=1 ~ 2', 'unknown-token', 3],
    ['=1+', 'missing-operand', 3],
    ['=1+*2', 'unexpected-token', 3],
    ['=A1,B1', 'unexpected-token', 3],
    ['=1 A1', 'unexpected-token', 3],
    ['=$A$B', 'unknown-token', 1],
  ])('%s → %s at %d', (text, code, position) => {
    const error = errorOf(text);
    expect(error.code).toBe(code);
    expect(error.position).toBe(position);
  });

  it.each([
    ['parentheses', `${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['negations', `${'-('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['bare negations', `${'-'.repeat(10_000)}1`],
    ['calls', `${'F('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['long operator chains', Array(10_000).fill('1').join('+')],
    ['percent chains', `1${'%'.repeat(10_000)}`],
    ['invocations', `F()${'()'.repeat(10_000)}`],
  ])('10,000 nested %s are too deep, not a stack overflow', (_, text) => {
    expect(errorOf(text).code).toBe('too-deep');
  });

  it('accepts nesting just below the limit and prints it back', () => {
    // Each call level is two nesting steps: its argument list and the expression inside.
    const depth = MAX_DEPTH / 2 - 2;
    const nested = `${'F('.repeat(depth)}1${')'.repeat(depth)}`;
    expect(printFormula(parseFormula(nested))).toBe(nested);
    const chain = Array(MAX_DEPTH - 2)
      .fill('1')
      .join('-');
    expect(printFormula(parseFormula(chain))).toBe(chain);
  });
});
