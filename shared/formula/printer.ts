/**
 * Prints a formula AST back to formula text (without the leading `=`), with only the parentheses
 * that precedence requires, so that `parseFormula(printFormula(ast))` equals `ast` for any parsed AST.
 * Function names are printed as stored in the AST, without the `_xlfn.` prefixes of the file format.
 */
import type { ArrayElement, CellCoordinate, FormulaNode, SheetPrefix, StructuredRefNode } from './ast';
import { THIS_ROW } from './lexer';
import { formatCellAddress, numberToColumn, tryParseCellAddress } from './references';

/** Binding strength of what a node prints as; higher binds tighter. Mirrors the parser's levels. */
enum Level {
  Comparison = 1,
  Concat = 2,
  Additive = 3,
  Multiplicative = 4,
  Power = 5,
  Percent = 6,
  Prefix = 7,
  Intersection = 8,
  Range = 9,
  Spill = 10,
  Primary = 11,
}

const BINARY_LEVEL: Record<string, Level> = {
  '=': Level.Comparison,
  '<>': Level.Comparison,
  '<': Level.Comparison,
  '<=': Level.Comparison,
  '>': Level.Comparison,
  '>=': Level.Comparison,
  '&': Level.Concat,
  '+': Level.Additive,
  '-': Level.Additive,
  '*': Level.Multiplicative,
  '/': Level.Multiplicative,
  '^': Level.Power,
  ' ': Level.Intersection,
  ':': Level.Range,
};

export function printFormula(node: FormulaNode): string {
  switch (node.type) {
    case 'number':
      return printNumber(node.value);
    case 'string':
      return `"${node.value.replaceAll('"', '""')}"`;
    case 'boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'error':
      return node.code;
    case 'empty':
      return '';
    case 'array':
      return `{${node.rows.map((row) => row.map(printArrayElement).join(',')).join(';')}}`;
    case 'cell':
      return (
        printSheet(node.sheet) + formatCellAddress(node.row, node.col, node.rowAbsolute, node.colAbsolute)
      );
    case 'range':
      return `${printSheet(node.sheet)}${printCoordinate(node.start)}:${printCoordinate(node.end)}`;
    case 'name':
      return printSheet(node.sheet) + node.name;
    case 'structured':
      return printStructured(node);
    case 'call':
      return `${node.name}(${printArguments(node.args)})`;
    case 'invoke': {
      const callee = node.callee.type === 'call' || node.callee.type === 'invoke';
      return `${callee ? printFormula(node.callee) : `(${printFormula(node.callee)})`}(${printArguments(node.args)})`;
    }
    case 'unary':
      return printUnary(node.op, node.operand);
    case 'binary':
      return node.op === ',' ? `(${printUnion(node)})` : printBinary(node.op, node.left, node.right);
  }
}

function printNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

function printArrayElement(element: ArrayElement): string {
  return printFormula(element);
}

function printArguments(args: FormulaNode[]): string {
  return args.map(printFormula).join(',');
}

function levelOf(node: FormulaNode): Level {
  switch (node.type) {
    case 'binary':
      return node.op === ',' ? Level.Primary : BINARY_LEVEL[node.op];
    case 'unary':
      if (node.op === '%') return Level.Percent;
      return node.op === '#' ? Level.Spill : Level.Prefix;
    case 'range':
      // It prints with a colon: `A1:(B1:C2)` and `(A1:B2)#` need their parentheses.
      return Level.Range;
    default:
      return Level.Primary;
  }
}

function wrapBelow(node: FormulaNode, minimum: Level): string {
  const text = printFormula(node);
  return levelOf(node) < minimum ? `(${text})` : text;
}

function printUnary(op: '-' | '+' | '%' | '@' | '#', operand: FormulaNode): string {
  if (op === '%') return `${wrapBelow(operand, Level.Percent)}%`;
  if (op === '#') return `${wrapBelow(operand, Level.Spill)}#`;
  return op + wrapBelow(operand, Level.Prefix);
}

/** Left-associative: the left operand may be at the operator's own level, the right one must bind tighter. */
function printBinary(op: string, left: FormulaNode, right: FormulaNode): string {
  const level = BINARY_LEVEL[op];
  if (op === ' ') {
    return `${printIntersectionOperand(left, level)} ${printIntersectionOperand(right, level + 1)}`;
  }
  if (op === ':' && startsWithSheet(right) && left.type !== 'cell' && left.type !== 'range') {
    // `Name:Sheet2!A1` would read as the 3-D prefix `Name:Sheet2!`.
    return `${wrapBelow(left, level)}:(${printFormula(right)})`;
  }
  return `${wrapBelow(left, level)}${op}${wrapBelow(right, level + 1)}`;
}

/** Whether the node's text begins with a sheet prefix (itself, or its leftmost part: `Sheet1!A1#`). */
function startsWithSheet(node: FormulaNode): boolean {
  if ('sheet' in node && node.sheet !== undefined) return true;
  if (node.type === 'unary' && (node.op === '#' || node.op === '%')) return startsWithSheet(node.operand);
  if (node.type === 'binary') return startsWithSheet(node.left);
  return false;
}

/** An intersection operand that does not print as a reference is parenthesized: `A1 (B1)` stays one. */
function printIntersectionOperand(node: FormulaNode, minimum: Level): string {
  const referenceLike =
    node.type === 'cell' ||
    node.type === 'range' ||
    node.type === 'name' ||
    node.type === 'structured' ||
    node.type === 'call' ||
    node.type === 'invoke' ||
    node.type === 'binary' ||
    (node.type === 'unary' && node.op === '#');
  return referenceLike ? wrapBelow(node, minimum) : `(${printFormula(node)})`;
}

/** `(A1,B1,C1)` for a left-nested chain of unions. */
function printUnion(node: FormulaNode): string {
  if (node.type === 'binary' && node.op === ',')
    return `${printUnion(node.left)},${printFormula(node.right)}`;
  return printFormula(node);
}

function printCoordinate(end: CellCoordinate): string {
  const column = end.col === undefined ? '' : `${end.colAbsolute ? '$' : ''}${numberToColumn(end.col)}`;
  const row = end.row === undefined ? '' : `${end.rowAbsolute ? '$' : ''}${end.row}`;
  return column + row;
}

const PLAIN_SHEET_NAME = /^[\p{L}_\\][\p{L}\p{N}_.]*$/u;
const PLAIN_WORKBOOK = /^[\p{L}\p{N}_.]+$/u;

/** Sheet names print bare only when they cannot be misread (as a cell, a column range, a number…). */
function isPlainSheetName(name: string): boolean {
  return PLAIN_SHEET_NAME.test(name) && !tryParseCellAddress(name) && !/^[A-Za-z]{1,3}$/.test(name);
}

function printSheet(prefix: SheetPrefix | undefined): string {
  if (!prefix) return '';
  const sheets = prefix.sheetEnd === undefined ? (prefix.sheet ?? '') : `${prefix.sheet}:${prefix.sheetEnd}`;
  const plain =
    (prefix.sheet === undefined || isPlainSheetName(prefix.sheet)) &&
    (prefix.sheetEnd === undefined || isPlainSheetName(prefix.sheetEnd)) &&
    (prefix.workbook === undefined || PLAIN_WORKBOOK.test(prefix.workbook));
  const book = prefix.workbook === undefined ? '' : printWorkbook(prefix.workbook);
  if (plain) return `${book}${sheets}!`;
  return `'${(book + sheets).replaceAll("'", "''")}'!`;
}

/** `C:\dir\Book.xlsx` → `C:\dir\[Book.xlsx]`: the brackets go around the file name only. */
function printWorkbook(workbook: string): string {
  const folderEnd = Math.max(workbook.lastIndexOf('\\'), workbook.lastIndexOf('/')) + 1;
  return `${workbook.slice(0, folderEnd)}[${workbook.slice(folderEnd)}]`;
}

const STRUCTURED_SPECIAL = /[[\]#']/g;
const PLAIN_COLUMN = /^[\p{L}\p{N}_.]+$/u;

function escapeColumn(column: string): string {
  return column.replace(STRUCTURED_SPECIAL, "'$&");
}

function printColumns(columns: string[]): string {
  return columns.map((column) => `[${escapeColumn(column)}]`).join(':');
}

function printStructured(node: StructuredRefNode): string {
  return `${printSheet(node.sheet)}${node.table ?? ''}[${structuredBody(node.items, node.columns)}]`;
}

function structuredBody(items: string[], columns: string[]): string {
  const singlePlain = columns.length === 1 && PLAIN_COLUMN.test(columns[0]);
  if (items.length === 0 && columns.length === 0) return '';
  if (items.length === 1 && items[0] === THIS_ROW && columns.length > 0) {
    return singlePlain ? `@${columns[0]}` : `@${printColumns(columns)}`;
  }
  if (items.length === 1 && columns.length === 0) return items[0];
  if (items.length === 0 && singlePlain) return columns[0];
  const parts = items.map((item) => `[${item}]`);
  if (columns.length > 0) parts.push(printColumns(columns));
  return parts.join(',');
}
