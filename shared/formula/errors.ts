/** Why a formula could not be parsed; stable strings that callers and tests can match on. */
export type FormulaParseErrorCode =
  | 'empty'
  | 'unterminated-string'
  | 'unterminated-sheet-name'
  | 'unbalanced-parentheses'
  | 'unbalanced-braces'
  | 'unbalanced-brackets'
  | 'unexpected-token'
  | 'missing-operand'
  | 'unknown-token'
  | 'invalid-array'
  | 'invalid-structured-reference'
  | 'too-deep';

/** A formula that is not valid Excel syntax. `position` is the 0-based offset in the text given to the parser. */
export class FormulaParseError extends Error {
  override readonly name = 'FormulaParseError';

  constructor(
    message: string,
    readonly position: number,
    readonly code: FormulaParseErrorCode,
  ) {
    super(`${message} (at offset ${position})`);
  }
}
