/**
 * Excel's criteria matching, shared by the *IF(S) functions and the D* database functions. A criterion is
 * compiled once into a predicate over cell values, since it is applied to every cell of a range.
 *
 * Excel's rules, as the reference workbooks show them:
 * - a number matches numbers equal to it, and text that reads as that number ("23" matches 23);
 * - a boolean matches only booleans, an error only the same error;
 * - an empty criterion cell means 0;
 * - text may start with an operator (=, <>, <, <=, >, >=); the rest is read as a number, a boolean, an
 *   error or text. Text compares case-insensitively, with wildcards (* ? ~) for = and <>;
 * - "" matches empty cells and empty text, "=" only empty cells, "<>" any non-empty cell;
 * - <> is true for every cell that is not equal, whatever its type (text "23" is not equal to 23 here).
 */
import { ERROR_LITERALS } from '../../../shared/formula/lexer';
import { parseNumber } from '../values/coerce';
import { type ErrorCode, ExcelError, type Scalar } from '../values/value';
import { hasWildcards, WildcardPattern } from './wildcards';

export type CellPredicate = (cell: Scalar) => boolean;

type Operator = '=' | '<>' | '<' | '<=' | '>' | '>=';

const OPERATORS: Operator[] = ['<>', '<=', '>=', '=', '<', '>'];

/** A criterion naming an error ("#N/A") matches that error. */
const ERROR_CODES: ReadonlySet<string> = new Set(ERROR_LITERALS);

export interface CriterionOptions {
  /**
   * Plain text without an operator matches text that begins with it, as in database criteria ranges
   * (D* functions): "Berlin" matches "Berlino".
   */
  textPrefix?: boolean;
}

export function compileCriterion(criterion: Scalar, options: CriterionOptions = {}): CellPredicate {
  if (criterion === null) return equalsNumber(0);
  if (typeof criterion === 'number') return equalsNumber(criterion);
  if (typeof criterion === 'boolean') return (cell) => cell === criterion;
  if (criterion instanceof ExcelError) return (cell) => cell === criterion;
  return compileText(criterion, options.textPrefix === true);
}

/** Whether a cell meets a criterion; for one-off checks (compile once when scanning a range). */
export function matchesCriterion(cell: Scalar, criterion: Scalar): boolean {
  return compileCriterion(criterion)(cell);
}

function equalsNumber(n: number): CellPredicate {
  return (cell) => cell === n || (typeof cell === 'string' && parseNumber(cell) === n);
}

function compileText(text: string, textPrefix: boolean): CellPredicate {
  const op = OPERATORS.find((o) => text.startsWith(o));
  const operand = op ? text.slice(op.length) : text;
  const operator: Operator = op ?? '=';
  if (operand === '') return emptyOperand(op);
  return operandPredicate(operand, operator, textPrefix && op === undefined);
}

function emptyOperand(op: Operator | undefined): CellPredicate {
  if (op === undefined) return (cell) => cell === null || cell === '';
  if (op === '=') return (cell) => cell === null;
  if (op === '<>') return (cell) => cell !== null;
  // "<" and friends with nothing after them match nothing that Excel can compare.
  return () => false;
}

/** The predicate for an operator and the text after it, read as a number, boolean, error or text. */
function operandPredicate(operand: string, operator: Operator, prefix: boolean): CellPredicate {
  const number = parseNumber(operand);
  if (number !== undefined) return numberComparison(operator, number);
  // The type check and comparison; typed() negates the equality for <>.
  const relation: Operator = operator === '<>' ? '=' : operator;
  const upper = operand.toUpperCase();
  if (upper === 'TRUE' || upper === 'FALSE') {
    const flag = upper === 'TRUE';
    return typed(
      operator,
      (cell) => typeof cell === 'boolean' && holds(relation, compareBooleans(cell, flag)),
    );
  }
  if (ERROR_CODES.has(upper)) {
    const error = ExcelError.of(upper as ErrorCode);
    return typed(operator, (cell) => cell === error);
  }
  const usesWildcards = prefix || ((operator === '=' || operator === '<>') && hasWildcards(operand));
  if (usesWildcards) {
    const pattern = WildcardPattern.parse(prefix ? `${operand}*` : operand);
    return typed(operator, (cell) => typeof cell === 'string' && pattern.matches(cell));
  }
  const lower = operand.toLowerCase();
  return typed(
    operator,
    (cell) => typeof cell === 'string' && holds(relation, compareText(cell.toLowerCase(), lower)),
  );
}

/**
 * `<>` holds for every cell the equality does not, whatever its type; the other operators hold only for
 * cells of the operand's type, which `test` checks.
 */
function typed(operator: Operator, test: CellPredicate): CellPredicate {
  return operator === '<>' ? (cell) => !test(cell) : test;
}

function numberComparison(op: Operator, n: number): CellPredicate {
  if (op === '=') return equalsNumber(n);
  // Unlike =, <> does not read text as a number: "23" is not equal to 23 here.
  if (op === '<>') return (cell) => cell !== n;
  return (cell) => typeof cell === 'number' && holds(op, cell === n ? 0 : cell < n ? -1 : 1);
}

function compareBooleans(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? 1 : -1;
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function holds(op: Operator, order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}
