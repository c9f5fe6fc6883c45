/**
 * Single-pass tokenizer for Excel formulas. Reference-shaped text that only makes sense as a whole
 * (sheet prefixes, whole-column and whole-row ranges, structured references) is recognised here, so
 * that the parser only deals with operators and operands.
 */
import type { CellCoordinate, ErrorLiteral, SheetPrefix } from './ast';
import { FormulaParseError } from './errors';
import { tryParseCellAddress, tryParseColumnReference, tryParseRowReference } from './references';

export type Operator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '^'
  | '&'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '%'
  | ':'
  | ','
  | ';'
  | '('
  | ')'
  | '{'
  | '}'
  | '@'
  | '#';

interface TokenBase {
  /** Offset of the first character in the text given to the parser. */
  start: number;
  end: number;
  /** Whitespace precedes the token: decides between the intersection operator and nothing. */
  spaceBefore: boolean;
}

export type Token = TokenBase &
  (
    | { kind: 'number'; value: number }
    | { kind: 'string'; value: string }
    | { kind: 'error'; code: ErrorLiteral }
    /** A name, a cell reference, a function name or TRUE/FALSE: the parser decides from what follows. */
    | { kind: 'word'; text: string }
    /** A whole-column (`A:C`) or whole-row (`1:3`) range. */
    | { kind: 'area'; first: CellCoordinate; last: CellCoordinate }
    /** `Sheet1!`, `'My Sheet'!`, `Sheet1:Sheet3!`, `[1]Sheet1!`, `[1]!`: always followed by an operand. */
    | { kind: 'prefix'; sheet: SheetPrefix }
    | { kind: 'structured'; table?: string; items: string[]; columns: string[] }
    | { kind: 'op'; op: Operator }
    | { kind: 'eof' }
  );

/**
 * The errors in Excel's own numbering: ERROR.TYPE gives position + 1, and the rich values of newer
 * workbooks (`errorType`) give the position. #BUSY! has no number.
 */
export const NUMBERED_ERRORS: readonly ErrorLiteral[] = [
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CONNECT!',
  '#BLOCKED!',
  '#UNKNOWN!',
  '#FIELD!',
  '#CALC!',
];

/** Every error literal a formula may hold. */
export const ERROR_LITERALS: readonly ErrorLiteral[] = [...NUMBERED_ERRORS, '#BUSY!'];

/** Structured-reference special items, keyed by their lower-case spelling. */
const SPECIAL_ITEMS = new Map(
  ['#All', '#Data', '#Headers', '#Totals', '#This Row'].map((item) => [item.toLowerCase(), item]),
);
export const THIS_ROW = '#This Row';

const SINGLE_CHAR_OPERATORS = new Set<string>([
  '+',
  '-',
  '*',
  '/',
  '^',
  '&',
  '=',
  '%',
  ':',
  ',',
  ';',
  '(',
  ')',
  '{',
  '}',
  '@',
]);

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isAsciiLetter(ch: string): boolean {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/** Letters beyond ASCII are allowed in names and unquoted sheet names (`Données`, `Ölpreis`). */
function isWideLetter(ch: string): boolean {
  return ch.charCodeAt(0) > 127 && ch !== '\u00a0';
}

/** First character of a name or reference word: `$` starts absolute references. */
function isWordStart(ch: string): boolean {
  return isAsciiLetter(ch) || ch === '_' || ch === '\\' || ch === '$' || isWideLetter(ch);
}

/** Excel name characters: letters, digits, `_`, `.`, `\`, `?`, plus `$` of absolute references. */
function isWordChar(ch: string): boolean {
  return isWordStart(ch) || isDigit(ch) || ch === '.' || ch === '?';
}

export function tokenize(text: string, from = 0): Token[] {
  return new Lexer(text, from).run();
}

class Lexer {
  private pos: number;
  private readonly tokens: Token[] = [];
  private spaceBefore = false;

  constructor(
    private readonly text: string,
    from: number,
  ) {
    this.pos = from;
  }

  run(): Token[] {
    const { text } = this;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (isWhitespace(ch)) {
        this.pos++;
        this.spaceBefore = true;
        continue;
      }
      this.lexToken(ch);
      this.spaceBefore = false;
    }
    this.push({ kind: 'eof' }, this.pos, this.pos);
    return this.tokens;
  }

  private push(token: DistributiveOmit<Token, keyof TokenBase>, start: number, end: number): void {
    // Completes the literal each call site made, rather than copying it: an object spread of many
    // shapes is V8's slow path, and this ran for every token of every formula (a model of 100,000
    // formulas spent most of its parsing here).
    const complete = token as Token;
    complete.start = start;
    complete.end = end;
    complete.spaceBefore = this.spaceBefore;
    this.tokens.push(complete);
    this.pos = end;
  }

  private lexToken(ch: string) {
    const start = this.pos;
    if (ch === '"') return this.lexString(start);
    if (ch === "'") return this.lexQuotedPrefix(start);
    if (ch === '#') return this.lexHash(start);
    if (ch === '[') return this.lexBracket(start);
    if (isDigit(ch) || (ch === '.' && isDigit(this.text[start + 1] ?? '')))
      return this.lexNumberOrRows(start);
    if (isWordStart(ch)) return this.lexWord(start);
    if (ch === '<' || ch === '>') return this.lexComparison(start, ch);
    if (SINGLE_CHAR_OPERATORS.has(ch)) return this.push({ kind: 'op', op: ch as Operator }, start, start + 1);
    throw new FormulaParseError(`Unknown character "${ch}"`, start, 'unknown-token');
  }

  private lexComparison(start: number, ch: string) {
    const next = this.text[start + 1];
    if (ch === '<' && (next === '>' || next === '=')) {
      return this.push({ kind: 'op', op: next === '>' ? '<>' : '<=' }, start, start + 2);
    }
    if (ch === '>' && next === '=') return this.push({ kind: 'op', op: '>=' }, start, start + 2);
    this.push({ kind: 'op', op: ch as Operator }, start, start + 1);
  }

  /** Reads a `quote`-delimited text where the quote is escaped by doubling it; returns the end offset. */
  private readQuoted(start: number, quote: string): { value: string; end: number } | undefined {
    const { text } = this;
    let value = '';
    let chunkStart = start + 1;
    for (;;) {
      const close = text.indexOf(quote, chunkStart);
      if (close < 0) return undefined;
      value += text.slice(chunkStart, close);
      if (text[close + 1] !== quote) return { value, end: close + 1 };
      value += quote;
      chunkStart = close + 2;
    }
  }

  private lexString(start: number): void {
    const quoted = this.readQuoted(start, '"');
    if (!quoted) throw new FormulaParseError('Unterminated string', start, 'unterminated-string');
    this.push({ kind: 'string', value: quoted.value }, start, quoted.end);
  }

  private lexQuotedPrefix(start: number): void {
    const quoted = this.readQuoted(start, "'");
    if (!quoted)
      throw new FormulaParseError('Unterminated quoted sheet name', start, 'unterminated-sheet-name');
    if (this.text[quoted.end] !== '!') {
      throw new FormulaParseError('Expected "!" after a quoted sheet name', quoted.end, 'unexpected-token');
    }
    this.push({ kind: 'prefix', sheet: sheetPrefixFromQuoted(quoted.value) }, start, quoted.end + 1);
  }

  /** An error literal (`#N/A`), or the spill operator after a reference (`A1#`). */
  private lexHash(start: number) {
    const { text } = this;
    for (const literal of ERROR_LITERALS) {
      if (text.slice(start, start + literal.length).toUpperCase() === literal) {
        return this.push({ kind: 'error', code: literal }, start, start + literal.length);
      }
    }
    this.push({ kind: 'op', op: '#' }, start, start + 1);
  }

  private lexNumberOrRows(start: number) {
    const { text } = this;
    let end = start;
    while (isDigit(text[end] ?? '')) end++;
    if (text[end] === ':' && this.tryLexArea(start, end)) return;
    if (text[end] === '.') {
      end++;
      while (isDigit(text[end] ?? '')) end++;
    }
    if (text[end] === 'e' || text[end] === 'E') {
      let exponent = end + 1;
      if (text[exponent] === '+' || text[exponent] === '-') exponent++;
      if (isDigit(text[exponent] ?? '')) {
        end = exponent;
        while (isDigit(text[end] ?? '')) end++;
      }
    }
    this.push({ kind: 'number', value: Number(text.slice(start, end)) }, start, end);
  }

  private scanWord(start: number): number {
    let end = start;
    while (end < this.text.length && isWordChar(this.text[end])) end++;
    return end;
  }

  /**
   * A word: a name, cell or function name; or, with what follows, a sheet prefix (`Sheet1!`,
   * `Sheet1:Sheet3!`), a whole-column range (`$A:$C`, `$2:$5`), or a structured reference (`Table1[…]`).
   */
  private lexWord(start: number) {
    const { text } = this;
    const end = this.scanWord(start);
    const word = text.slice(start, end);
    const next = text[end];
    if (next === '!') return this.push({ kind: 'prefix', sheet: { sheet: word } }, start, end + 1);
    if (next === '[') return this.lexStructured(start, end, word);
    if (next === ':' && (this.tryLex3dPrefix(start, start, end, undefined) || this.tryLexArea(start, end)))
      return;
    this.push({ kind: 'word', text: word }, start, end);
  }

  /**
   * `First:Last!` where the word `First` spans `firstStart` to `firstEnd`. Not after another prefix and not
   * from a cell address, so that `Sheet1!A1:Sheet1!B2` and `A1:Sheet2!B1` stay ranges.
   */
  private tryLex3dPrefix(start: number, firstStart: number, firstEnd: number, workbook?: string): boolean {
    const lastStart = firstEnd + 1;
    const lastEnd = this.scanWord(lastStart);
    if (lastEnd === lastStart || this.text[lastEnd] !== '!') return false;
    const sheet = this.text.slice(firstStart, firstEnd);
    const previous = this.tokens[this.tokens.length - 1];
    if (tryParseCellAddress(sheet) || (previous?.kind === 'prefix' && !this.spaceBefore)) return false;
    const sheetEnd = this.text.slice(lastStart, lastEnd);
    this.push({ kind: 'prefix', sheet: sheetPrefix(workbook, sheet, sheetEnd) }, start, lastEnd + 1);
    return true;
  }

  /** `$A:$C` or `1:3`, the first end ending at `firstEnd` just before the colon. */
  private tryLexArea(start: number, firstEnd: number): boolean {
    const { text } = this;
    const lastStart = firstEnd + 1;
    const lastEnd = this.scanWord(lastStart);
    if (text[lastEnd] === '(' || text[lastEnd] === '[' || text[lastEnd] === '!') return false;
    const first = text.slice(start, firstEnd);
    const last = text.slice(lastStart, lastEnd);
    const area = columnArea(first, last) ?? rowArea(first, last);
    if (!area) return false;
    this.push({ kind: 'area', first: area[0], last: area[1] }, start, lastEnd);
    return true;
  }

  /** `[1]Sheet1!`, `[1]!` (external workbook prefixes) or a structured reference without a table, `[@Col]`. */
  private lexBracket(start: number) {
    const { text } = this;
    const close = text.indexOf(']', start);
    if (close > start) {
      const workbook = text.slice(start + 1, close);
      const sheetStart = close + 1;
      if (text[sheetStart] === '!') {
        return this.push({ kind: 'prefix', sheet: { workbook } }, start, sheetStart + 1);
      }
      const sheetEnd = this.scanWord(sheetStart);
      if (sheetEnd > sheetStart && !workbook.includes('[')) {
        const sheet = text.slice(sheetStart, sheetEnd);
        if (text[sheetEnd] === '!') {
          return this.push({ kind: 'prefix', sheet: { workbook, sheet } }, start, sheetEnd + 1);
        }
        if (text[sheetEnd] === ':' && this.tryLex3dPrefix(start, sheetStart, sheetEnd, workbook)) return;
      }
    }
    this.lexStructured(start, start, undefined);
  }

  /** `Table1[…]`: `open` is the offset of the `[` and `table` the word before it, if any. */
  private lexStructured(start: number, open: number, table: string | undefined): void {
    const body = new StructuredBodyReader(this.text, open).read();
    const token = { kind: 'structured' as const, items: body.items, columns: body.columns };
    this.push(table === undefined ? token : { ...token, table }, start, body.end);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function sheetPrefix(
  workbook: string | undefined,
  sheet: string | undefined,
  sheetEnd?: string,
): SheetPrefix {
  const prefix: SheetPrefix = {};
  if (workbook !== undefined) prefix.workbook = workbook;
  if (sheet !== undefined && sheet !== '') prefix.sheet = sheet;
  if (sheetEnd !== undefined) prefix.sheetEnd = sheetEnd;
  return prefix;
}

/**
 * The text between the quotes of `'…'!`: `My Sheet`, `Jan:Mar` (sheet names cannot contain `:`),
 * `[Book 1.xlsx]Sheet1`, `C:\dir\[Book.xlsx]Sheet1` (the folder is kept in front of the workbook name).
 */
function sheetPrefixFromQuoted(content: string): SheetPrefix {
  let workbook: string | undefined;
  let sheets = content;
  const open = content.indexOf('[');
  const close = open < 0 ? -1 : content.indexOf(']', open);
  if (close > open) {
    workbook = content.slice(0, open) + content.slice(open + 1, close);
    sheets = content.slice(close + 1);
  }
  const colon = sheets.indexOf(':');
  if (colon < 0) return sheetPrefix(workbook, sheets);
  return sheetPrefix(workbook, sheets.slice(0, colon), sheets.slice(colon + 1));
}

function columnArea(first: string, last: string): [CellCoordinate, CellCoordinate] | undefined {
  const a = tryParseColumnReference(first);
  const b = a && tryParseColumnReference(last);
  if (!a || !b) return undefined;
  return [
    { col: a.col, rowAbsolute: false, colAbsolute: a.absolute },
    { col: b.col, rowAbsolute: false, colAbsolute: b.absolute },
  ];
}

function rowArea(first: string, last: string): [CellCoordinate, CellCoordinate] | undefined {
  const a = tryParseRowReference(first);
  const b = a && tryParseRowReference(last);
  if (!a || !b) return undefined;
  return [
    { row: a.row, rowAbsolute: a.absolute, colAbsolute: false },
    { row: b.row, rowAbsolute: b.absolute, colAbsolute: false },
  ];
}

/**
 * The bracketed part of a structured reference: `[]`, `[Col]`, `[#All]`, `[@Col]`, `[@[Col 2]]`,
 * `[[#Headers],[A]:[B]]`. Inside brackets `'` escapes the next character (`[`, `]`, `#`, `'`).
 */
class StructuredBodyReader {
  private pos: number;
  /** Where the part being read starts, for error positions. */
  private partStart: number;
  readonly items: string[] = [];
  readonly columns: string[] = [];

  constructor(
    private readonly text: string,
    private readonly open: number,
  ) {
    this.pos = open + 1;
    this.partStart = this.pos;
  }

  read(): { items: string[]; columns: string[]; end: number } {
    const ch = this.text[this.pos];
    if (ch === ']') {
      this.pos++;
    } else if (ch === '@') {
      this.pos++;
      this.items.push(THIS_ROW);
      this.readAfterThisRow();
    } else {
      this.skipSpaces();
      if (this.text[this.pos] === '[') this.readList();
      else this.addPart(this.text[this.pos] === '#', this.readUntilClose());
    }
    return { items: this.items, columns: this.columns, end: this.pos };
  }

  private readAfterThisRow(): void {
    const ch = this.text[this.pos];
    if (ch === ']') {
      this.pos++;
    } else if (ch === '[') {
      this.readColumnSpec();
      this.expect(']');
    } else {
      this.addColumn(this.readUntilClose());
    }
  }

  /** `[part],[part]:[part],…]` up to and including the outer closing bracket. */
  private readList(): void {
    for (;;) {
      this.skipSpaces();
      if (this.text[this.pos] !== '[') this.fail('Expected "[" in a structured reference');
      const start = this.pos;
      this.pos++;
      const special = this.text[this.pos] === '#';
      const part = this.readUntilClose();
      if (special) this.addPart(special, part);
      else {
        this.pos = start;
        this.readColumnSpec();
      }
      this.skipSpaces();
      const ch = this.text[this.pos++];
      if (ch === ']') return;
      if (ch !== ',') this.fail('Expected "," or "]" in a structured reference');
    }
  }

  /** `[A]` or `[A]:[B]`. */
  private readColumnSpec(): void {
    if (this.columns.length > 0) this.fail('A structured reference names one column or one column range');
    this.pos++;
    this.columns.push(this.readUntilClose());
    this.skipSpaces();
    if (this.text[this.pos] !== ':') return;
    this.pos++;
    this.skipSpaces();
    if (this.text[this.pos] !== '[') this.fail('Expected "[" after ":" in a structured reference');
    this.pos++;
    this.columns.push(this.readUntilClose());
  }

  /** A special item when written with a leading unescaped `#`, otherwise a column. */
  private addPart(special: boolean, part: string) {
    if (!special) return this.addColumn(part);
    const item = SPECIAL_ITEMS.get(part.toLowerCase());
    if (!item) {
      const message = `Unknown structured reference item "${part}"`;
      throw new FormulaParseError(message, this.partStart, 'invalid-structured-reference');
    }
    this.items.push(item);
  }

  private addColumn(column: string): void {
    if (this.columns.length > 0) this.fail('A structured reference names one column or one column range');
    this.columns.push(column);
  }

  /** Reads up to the next unescaped `]` and moves past it. */
  private readUntilClose(): string {
    const { text } = this;
    this.partStart = this.pos;
    let value = '';
    let chunkStart = this.pos;
    for (let i = this.pos; i < text.length; i++) {
      const ch = text[i];
      if (ch === "'") {
        value += text.slice(chunkStart, i);
        chunkStart = ++i;
      } else if (ch === ']') {
        this.pos = i + 1;
        return value + text.slice(chunkStart, i);
      }
    }
    throw new FormulaParseError('Unclosed "[" in a structured reference', this.open, 'unbalanced-brackets');
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`Expected "${ch}" in a structured reference`);
    this.pos++;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private fail(message: string): never {
    if (this.pos >= this.text.length) {
      throw new FormulaParseError('Unclosed "[" in a structured reference', this.open, 'unbalanced-brackets');
    }
    throw new FormulaParseError(message, this.pos, 'invalid-structured-reference');
  }
}
