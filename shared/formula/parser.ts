/**
 * Recursive-descent parser for Excel formulas (A1 notation, en-US separators).
 *
 * Precedence, loosest first: comparisons, `&`, `+ -`, `* /`, `^` (all left-associative), postfix `%`,
 * prefix `- + @`, intersection (space), range `:`, postfix `#`. Union `,` only exists inside
 * parentheses, where it is the loosest operator. Every AST returned is at most MAX_DEPTH nodes high,
 * so recursive consumers (the printer, the compiler) cannot overflow the stack.
 */
import type {
  ArrayElement,
  BinaryOperator,
  CellCoordinate,
  CellNode,
  FormulaNode,
  SheetPrefix,
  StructuredRefNode,
  UnaryNode,
} from './ast';
import { FormulaParseError } from './errors';
import { type Operator, type Token, tokenize } from './lexer';
import { tryParseCellAddress } from './references';

/** Deepest nesting accepted; Excel itself allows 64 levels of function nesting. */
export const MAX_DEPTH = 1024;

const BINARY_PRECEDENCE: Partial<Record<Operator, number>> = {
  '=': 1,
  '<>': 1,
  '<': 1,
  '<=': 1,
  '>': 1,
  '>=': 1,
  '&': 2,
  '+': 3,
  '-': 3,
  '*': 4,
  '/': 4,
  '^': 5,
};

const FUNCTION_PREFIX = /^(?:_xlfn\.|_xlws\.|_xlpm\.)+/i;
/** LAMBDA/LET parameters are stored as `_xlpm.x`, optional LAMBDA parameters as `_xlop.x`. */
const PARAMETER_PREFIX = /^_xl(?:pm|op)\./i;

/** Parses a formula, with or without its leading `=`. Throws FormulaParseError on invalid syntax. */
export function parseFormula(text: string): FormulaNode {
  let start = 0;
  while (text[start] === ' ' || text[start] === '\n' || text[start] === '\r' || text[start] === '\t') start++;
  if (text[start] === '=') start++;
  return new Parser(tokenize(text, start)).parseFormula(start);
}

/** Upper-cased function name without the `_xlfn.` / `_xlws.` storage prefixes: `_xlfn.NORM.INV` → `NORM.INV`. */
export function normalizeFunctionName(name: string): string {
  return name.replace(FUNCTION_PREFIX, '').toUpperCase();
}

type OpToken = Extract<Token, { kind: 'op' }>;

class Parser {
  private index = 0;
  private depth = 0;
  /** Height of every composite node built so far; leaves are height 1. */
  private readonly heights = new Map<FormulaNode, number>();

  constructor(private readonly tokens: Token[]) {}

  parseFormula(start: number): FormulaNode {
    if (this.peek().kind === 'eof') throw new FormulaParseError('Empty formula', start, 'empty');
    const node = this.parseExpression();
    const next = this.peek();
    if (next.kind !== 'eof') this.unexpected(next);
    return node;
  }

  // ---- token helpers

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private peekOp(op: Operator): OpToken | undefined {
    const token = this.tokens[this.index];
    return token.kind === 'op' && token.op === op ? token : undefined;
  }

  /** The next token is `(` written directly after the previous one: a call or an invocation. */
  private peekAdjacentOpen(): boolean {
    const token = this.tokens[this.index];
    return token.kind === 'op' && token.op === '(' && !token.spaceBefore;
  }

  private unexpected(token: Token): never {
    if (token.kind === 'eof')
      throw new FormulaParseError('Unexpected end of formula', token.start, 'missing-operand');
    const text = token.kind === 'op' ? token.op : 'operand';
    throw new FormulaParseError(`Unexpected ${text}`, token.start, 'unexpected-token');
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_DEPTH) throw tooDeep(token.start);
  }

  private leave(): void {
    this.depth--;
  }

  /** Records the height of a composite node, refusing trees higher than MAX_DEPTH. */
  private built<T extends FormulaNode>(node: T, position: number, children: readonly FormulaNode[]): T {
    let height = 0;
    for (const child of children) height = Math.max(height, this.heights.get(child) ?? 1);
    if (height + 1 > MAX_DEPTH) throw tooDeep(position);
    this.heights.set(node, height + 1);
    return node;
  }

  private binary(op: BinaryOperator, left: FormulaNode, right: FormulaNode, at: Token): FormulaNode {
    return this.built({ type: 'binary', op, left, right }, at.start, [left, right]);
  }

  private unary(op: UnaryNode['op'], operand: FormulaNode, at: Token): FormulaNode {
    return this.built({ type: 'unary', op, operand }, at.start, [operand]);
  }

  // ---- expressions

  private parseExpression(): FormulaNode {
    this.enter(this.peek());
    const node = this.parseBinary(1);
    this.leave();
    return node;
  }

  /** Precedence climbing over the left-associative arithmetic, text and comparison operators. */
  private parseBinary(minPrecedence: number): FormulaNode {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      const precedence = token.kind === 'op' ? BINARY_PRECEDENCE[token.op] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.next();
      const right = this.parseBinary(precedence + 1);
      left = this.binary((token as OpToken).op as BinaryOperator, left, right, token);
    }
  }

  /** Prefix `- + @` (binding tighter than `^`: `-2^2` is 4), then postfix `%`. */
  private parseUnary(): FormulaNode {
    const prefixes: OpToken[] = [];
    for (;;) {
      const token = this.peekOp('-') ?? this.peekOp('+') ?? this.peekOp('@');
      if (!token) break;
      prefixes.push(token);
      this.next();
    }
    let node = this.parseIntersection();
    for (let i = prefixes.length - 1; i >= 0; i--) {
      node = this.unary(prefixes[i].op as UnaryNode['op'], node, prefixes[i]);
    }
    for (let token = this.peekOp('%'); token; token = this.peekOp('%')) {
      this.next();
      node = this.unary('%', node, token);
    }
    return node;
  }

  /** A space between two reference operands is the intersection operator. */
  private parseIntersection(): FormulaNode {
    let left = this.parseRange();
    for (let token = this.peek(); isIntersection(left, token); token = this.peek()) {
      left = this.binary(' ', left, this.parseRange(), token);
    }
    return left;
  }

  private parseRange(): FormulaNode {
    let left = this.parsePostfix();
    for (let token = this.peekOp(':'); token; token = this.peekOp(':')) {
      this.next();
      const right = this.parsePostfix();
      left = this.rangeOf(left, right) ?? this.binary(':', left, right, token);
    }
    return left;
  }

  /** `A1:B2` with plain cell ends (the right end unqualified or on the same sheet) is a RangeNode. */
  private rangeOf(left: FormulaNode, right: FormulaNode): FormulaNode | undefined {
    if (left.type !== 'cell' || right.type !== 'cell') return undefined;
    if (right.sheet && !sameSheet(left.sheet, right.sheet)) return undefined;
    const range: FormulaNode = { type: 'range', start: coordinate(left), end: coordinate(right) };
    return left.sheet ? { type: 'range', sheet: left.sheet, start: range.start, end: range.end } : range;
  }

  /** Postfix spill operator: `A1#`, `Sheet1!A1#`, `Name#`. */
  private parsePostfix(): FormulaNode {
    let node = this.parsePrimary();
    for (let token = this.peekOp('#'); token && !token.spaceBefore; token = this.peekOp('#')) {
      this.next();
      node = this.unary('#', node, token);
    }
    return node;
  }

  private parsePrimary(): FormulaNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { type: 'number', value: token.value };
      case 'string':
        return { type: 'string', value: token.value };
      case 'error':
        return { type: 'error', code: token.code };
      case 'area':
        return { type: 'range', start: token.first, end: token.last };
      case 'structured':
        return structured(token, undefined);
      case 'prefix':
        return this.parseQualified(token.sheet);
      case 'word':
        return this.parseWord(token);
      case 'op':
        if (token.op === '(') return this.parseParenthesized(token);
        if (token.op === '{') return this.parseArray(token);
        return this.unexpected(token);
      case 'eof':
        return this.unexpected(token);
    }
  }

  /** The operand after `Sheet1!`: a cell, a range, a name, a structured reference or `#REF!`. */
  private parseQualified(sheet: SheetPrefix): FormulaNode {
    const token = this.next();
    if (token.spaceBefore) this.unexpected(token);
    switch (token.kind) {
      case 'word': {
        if (this.peekAdjacentOpen()) this.unexpected(this.peek());
        const cell = tryParseCellAddress(token.text);
        if (cell) return { type: 'cell', sheet, ...cell };
        return { type: 'name', sheet, name: this.nameOf(token) };
      }
      case 'area':
        return { type: 'range', sheet, start: token.first, end: token.last };
      case 'structured':
        return structured(token, sheet);
      case 'error':
        // `Sheet1!#REF!` is what Excel writes for a deleted reference; its value is just the error.
        return { type: 'error', code: token.code };
      default:
        return this.unexpected(token);
    }
  }

  private parseWord(token: Extract<Token, { kind: 'word' }>): FormulaNode {
    if (this.peekAdjacentOpen()) return this.parseCall(token);
    const upper = token.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { type: 'boolean', value: upper === 'TRUE' };
    const cell = tryParseCellAddress(token.text);
    if (cell) return { type: 'cell', ...cell };
    return { type: 'name', name: this.nameOf(token) };
  }

  /** Defined names keep their spelling; LAMBDA/LET parameters lose their `_xlpm.` storage prefix. */
  private nameOf(token: Extract<Token, { kind: 'word' }>): string {
    if (token.text.includes('$')) {
      throw new FormulaParseError(`Invalid reference "${token.text}"`, token.start, 'unknown-token');
    }
    return token.text.replace(PARAMETER_PREFIX, '');
  }

  private parseCall(token: Extract<Token, { kind: 'word' }>): FormulaNode {
    const open = this.next();
    const args = this.parseArguments(open);
    const name = normalizeFunctionName(token.text);
    const stored = /^_xlfn\./i.test(token.text);
    let node: FormulaNode;
    // Excel stores the `@` and spill operators of dynamic-array formulas as these two functions.
    if (stored && name === 'SINGLE' && args.length === 1) node = this.unary('@', args[0], token);
    else if (stored && name === 'ANCHORARRAY' && args.length === 1) node = this.unary('#', args[0], token);
    else node = this.built({ type: 'call', name, args }, token.start, args);
    return this.parseInvocations(node);
  }

  /** `LAMBDA(x,x+1)(2)`: a call or parenthesized expression directly followed by an argument list. */
  private parseInvocations(callee: FormulaNode): FormulaNode {
    while (this.peekAdjacentOpen()) {
      const open = this.next();
      const args = this.parseArguments(open);
      callee = this.built({ type: 'invoke', callee, args }, open.start, [callee, ...args]);
    }
    return callee;
  }

  /** After `(`: comma-separated arguments, any of them omitted (`IF(A1,,2)`), up to `)`. */
  private parseArguments(open: Token): FormulaNode[] {
    this.enter(open);
    const args: FormulaNode[] = [];
    if (this.peekOp(')')) {
      this.next();
      this.leave();
      return args;
    }
    for (;;) {
      const omitted = this.peekOp(',') ?? this.peekOp(')');
      args.push(omitted ? { type: 'empty' } : this.parseExpression());
      const token = this.next();
      if (token.kind === 'op' && token.op === ')') break;
      if (token.kind === 'op' && token.op === ',') continue;
      if (token.kind === 'eof') throw unbalanced(open);
      this.unexpected(token);
    }
    this.leave();
    return args;
  }

  /** `( … )`, where a comma is the union operator: `(A1,B1:B3)`. */
  private parseParenthesized(open: Token): FormulaNode {
    this.enter(open);
    let node = this.parseExpression();
    for (let comma = this.peekOp(','); comma; comma = this.peekOp(',')) {
      this.next();
      node = this.binary(',', node, this.parseExpression(), comma);
    }
    const close = this.next();
    if (close.kind === 'eof') throw unbalanced(open);
    if (close.kind !== 'op' || close.op !== ')') this.unexpected(close);
    this.leave();
    return this.parseInvocations(node);
  }

  /** `{1,2;3,4}`: rows of literals separated by `;`, elements by `,`; all rows the same length. */
  private parseArray(open: Token): FormulaNode {
    const rows: ArrayElement[][] = [[]];
    for (;;) {
      rows[rows.length - 1].push(this.parseArrayElement());
      const token = this.next();
      if (token.kind === 'eof') throw new FormulaParseError('Unclosed "{"', open.start, 'unbalanced-braces');
      if (token.kind !== 'op') this.unexpected(token);
      if (token.op === '}') break;
      if (token.op === ';') rows.push([]);
      else if (token.op !== ',') this.unexpected(token);
    }
    if (rows.some((row) => row.length !== rows[0].length)) {
      throw new FormulaParseError('Array constant rows differ in length', open.start, 'invalid-array');
    }
    return { type: 'array', rows };
  }

  private parseArrayElement(): ArrayElement {
    const token = this.next();
    const sign = token.kind === 'op' && (token.op === '-' || token.op === '+') ? token.op : undefined;
    const literal = sign ? this.next() : token;
    if (literal.kind === 'number')
      return { type: 'number', value: sign === '-' ? -literal.value : literal.value };
    if (!sign) {
      if (literal.kind === 'string') return { type: 'string', value: literal.value };
      if (literal.kind === 'error') return { type: 'error', code: literal.code };
      const upper = literal.kind === 'word' ? literal.text.toUpperCase() : '';
      if (upper === 'TRUE' || upper === 'FALSE') return { type: 'boolean', value: upper === 'TRUE' };
    }
    if (literal.kind === 'eof') return this.unexpected(literal);
    throw new FormulaParseError('Array constants hold only literal values', literal.start, 'invalid-array');
  }
}

function tooDeep(position: number): FormulaParseError {
  return new FormulaParseError(`Formula nested deeper than ${MAX_DEPTH} levels`, position, 'too-deep');
}

function unbalanced(open: Token): FormulaParseError {
  return new FormulaParseError('Unclosed "("', open.start, 'unbalanced-parentheses');
}

function coordinate(cell: CellNode): CellCoordinate {
  return { row: cell.row, col: cell.col, rowAbsolute: cell.rowAbsolute, colAbsolute: cell.colAbsolute };
}

function sameSheet(a: SheetPrefix | undefined, b: SheetPrefix): boolean {
  return a !== undefined && a.workbook === b.workbook && a.sheet === b.sheet && a.sheetEnd === b.sheetEnd;
}

function structured(
  token: Extract<Token, { kind: 'structured' }>,
  sheet: SheetPrefix | undefined,
): FormulaNode {
  const node: StructuredRefNode = { type: 'structured', items: token.items, columns: token.columns };
  if (token.table !== undefined) node.table = token.table;
  if (sheet) node.sheet = sheet;
  return node;
}

/** Can `node` be a reference, so that a space after it is the intersection operator? */
function yieldsReference(node: FormulaNode): boolean {
  switch (node.type) {
    case 'cell':
    case 'range':
    case 'name':
    case 'structured':
    case 'call':
    case 'invoke':
      return true;
    case 'binary':
      return node.op === ':' || node.op === ' ' || node.op === ',';
    case 'unary':
      return node.op === '#';
    default:
      return false;
  }
}

function startsReference(token: Token): boolean {
  switch (token.kind) {
    case 'word':
    case 'area':
    case 'prefix':
    case 'structured':
      return true;
    case 'op':
      return token.op === '(';
    default:
      return false;
  }
}

function isIntersection(left: FormulaNode, token: Token): boolean {
  return token.spaceBefore && startsReference(token) && yieldsReference(left);
}
