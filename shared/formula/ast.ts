/**
 * The typed syntax tree of an Excel formula. Produced by `parseFormula`, printed back by `printFormula`.
 * Nodes carry no source positions so that print → parse round trips compare equal; parse errors carry
 * the position instead.
 */

export type ErrorLiteral =
  | '#NULL!'
  | '#DIV/0!'
  | '#VALUE!'
  | '#REF!'
  | '#NAME?'
  | '#NUM!'
  | '#N/A'
  | '#GETTING_DATA'
  | '#SPILL!'
  | '#CALC!'
  | '#FIELD!'
  | '#BLOCKED!'
  | '#CONNECT!'
  | '#BUSY!'
  | '#UNKNOWN!';

/** Where a reference points when it names a sheet: `Sheet1!`, `'My Sheet'!`, `Sheet1:Sheet3!`, `[1]Sheet1!`. */
export interface SheetPrefix {
  /** External workbook (`[1]` index or `[Book.xlsx]` name); the engine rejects these with a clear error. */
  workbook?: string;
  /** Absent for a workbook-level external reference such as `[1]!Name`. */
  sheet?: string;
  /** Last sheet of a 3-D reference (`Sheet1:Sheet3!A1`). */
  sheetEnd?: string;
}

/** One end of a reference. Rows and columns are 1-based; `undefined` means a whole row or column. */
export interface CellCoordinate {
  row?: number;
  col?: number;
  rowAbsolute: boolean;
  colAbsolute: boolean;
}

export interface NumberNode {
  type: 'number';
  value: number;
}
export interface StringNode {
  type: 'string';
  value: string;
}
export interface BooleanNode {
  type: 'boolean';
  value: boolean;
}
export interface ErrorNode {
  type: 'error';
  code: ErrorLiteral;
}
/** An omitted argument, as in `IF(A1,,2)`. */
export interface EmptyNode {
  type: 'empty';
}

export type ArrayElement = NumberNode | StringNode | BooleanNode | ErrorNode;
/** `{1,2;3,4}`: rows of literal elements. */
export interface ArrayNode {
  type: 'array';
  rows: ArrayElement[][];
}

/** `A1`, `$A$1`, `Sheet1!B2`. */
export interface CellNode {
  type: 'cell';
  sheet?: SheetPrefix;
  row: number;
  col: number;
  rowAbsolute: boolean;
  colAbsolute: boolean;
}

/**
 * `A1:B2`, `A:A`, `1:1`, `Sheet1!A1:B2`: a rectangular area written with two plain ends.
 * Other uses of the `:` operator (`A1:INDEX(…)`, `Name1:Name2`) stay binary operations.
 */
export interface RangeNode {
  type: 'range';
  sheet?: SheetPrefix;
  start: CellCoordinate;
  end: CellCoordinate;
}

/** A defined name (`Rate`, `Sheet1!Rate`), a LET/LAMBDA parameter, or a table name. */
export interface NameNode {
  type: 'name';
  sheet?: SheetPrefix;
  name: string;
}

/** `Table1[Column]`, `Table1[[#This Row],[A]:[B]]`, `[@Col]`. */
export interface StructuredRefNode {
  type: 'structured';
  /** Absent inside the table itself (`[@Col]`). */
  table?: string;
  sheet?: SheetPrefix;
  /** Special items such as `#All`, `#Data`, `#Headers`, `#Totals`, `#This Row` (`@` is `#This Row`). */
  items: string[];
  /** First and, for a column range, last column name. */
  columns: string[];
}

/** `SUM(A1,2)`. The name is upper-cased with `_xlfn.`, `_xlws.` prefixes removed. */
export interface CallNode {
  type: 'call';
  name: string;
  args: FormulaNode[];
}

/** Calling the value of an expression, as in `LAMBDA(x,x+1)(2)`. */
export interface InvokeNode {
  type: 'invoke';
  callee: FormulaNode;
  args: FormulaNode[];
}

/** `-x`, `+x`, `x%` (postfix), `@x` (implicit intersection), `A1#` (spill reference, postfix). */
export interface UnaryNode {
  type: 'unary';
  op: '-' | '+' | '%' | '@' | '#';
  operand: FormulaNode;
}

export type BinaryOperator =
  | ':'
  | ','
  | ' '
  | '^'
  | '*'
  | '/'
  | '+'
  | '-'
  | '&'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>=';

/** Binary operators, including the reference operators range `:`, union `,` and intersection ` `. */
export interface BinaryNode {
  type: 'binary';
  op: BinaryOperator;
  left: FormulaNode;
  right: FormulaNode;
}

export type FormulaNode =
  | NumberNode
  | StringNode
  | BooleanNode
  | ErrorNode
  | EmptyNode
  | ArrayNode
  | CellNode
  | RangeNode
  | NameNode
  | StructuredRefNode
  | CallNode
  | InvokeNode
  | UnaryNode
  | BinaryNode;
