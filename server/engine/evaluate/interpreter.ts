/**
 * The scalar interpreter: evaluates formulas one cell at a time with Excel's semantics. It computes
 * `montecell recalc` and the deterministic part of a simulation (cells with no random precedent).
 *
 * Cells are computed on demand without deep recursion: a formula that reads a cell not yet computed
 * throws `NeedCell`, the driver computes that cell first and then evaluates the formula again. Static
 * references are queued before the first attempt, so restarts only happen for dynamic references
 * (OFFSET, INDIRECT).
 */

import {
  DISTRIBUTION_FUNCTIONS,
  isDistributionParam,
  PROPERTY_FUNCTIONS,
} from '../../../shared/distributions/catalogue';
import type { FormulaNode, NameNode } from '../../../shared/formula/ast';
import { numberToColumn } from '../../../shared/formula/references';
import { childrenOf } from '../../../shared/formula/walk';
import { SIMTABLE_FUNCTIONS } from '../../../shared/functions/simtable';
import {
  type DistributionStatistic,
  isStatisticTruncate,
  STATISTICS_FUNCTIONS,
  type StatisticsFunctionInfo,
  THEORETICAL_FUNCTIONS,
} from '../../../shared/functions/statistics';
import { EngineError } from '../errors';
import { lookupFunction } from '../functions';
import type { CellPosition, FunctionContext, FunctionDefinition } from '../functions/types';
import { cellKey, keyCol, keyRow, qualifiedAddress } from '../graph/addresses';
import {
  MAX_ARRAY_CELLS,
  MAX_CALL_DEPTH,
  MAX_COLUMNS,
  MAX_NAME_DEPTH,
  MAX_ROWS,
  tooComplex,
} from '../limits';
import type { Area, EngineCell, EngineName, EngineWorkbook } from '../parse/parse-model';
import {
  type DistributionArgs,
  distributionFromCall,
  isDistributionName,
} from '../sampling/formula-distributions';
import type { PropertyCall } from '../sampling/property-functions';
import { toBoolean, toNumber } from '../values/coerce';
import { Errors, ExcelError, Lambda, Matrix, Reference, type Scalar, type Value } from '../values/value';
import { applyFunction } from './apply';
import { lift1, lift2, liftN } from './broadcast';
import { isDistributionFunction, staticDistributionValue } from './distribution-calls';
import { binaryScalar, negate, percent } from './operators';
import { theoreticalValue } from './theoretical-calls';

class NeedCell {
  constructor(
    readonly sheet: number,
    readonly key: number,
  ) {}
}

/** Bindings of LET names and LAMBDA parameters; `undefined` marks an omitted LAMBDA argument. */
type Bindings = Map<string, Value | undefined>;

interface Env {
  sheet: number;
  row: number;
  col: number;
  /** Array formulas evaluate references as arrays instead of intersecting them with the caller's row/column. */
  arrayMode: boolean;
  bindings?: Bindings;
  ctx: FunctionContext;
}

export interface InterpreterOptions {
  random?: () => number;
  now?: () => number;
  /** Values that replace cells (simulation inputs), by sheet index and cell key. */
  override?: (sheet: number, key: number) => Scalar | undefined;
  /**
   * The value of a statistics function (RiskMean…) once a simulation has run; without it, as before
   * any simulation, such a call is #N/A.
   */
  statistics?: (call: StatisticsCall) => Scalar;
  /** Which simulation of a run (1 first): the entry RiskSimtable gives. */
  simulation?: number;
}

/** A call to a statistics function with its arguments evaluated. */
export interface StatisticsCall {
  info: StatisticsFunctionInfo;
  /** The cell it names ("Sheet1!B10"), or the output or input name it gives. */
  subject: { cell: string } | { name: string };
  /** The arguments after the subject (percentile, target value), then the simulation number if given. */
  args: Scalar[];
  /** RiskTruncate(min, max) among the arguments: the statistic reads only values within. */
  truncate?: Scalar[];
}

export interface UnsupportedUse {
  name: string;
  sheet: string;
  address: string;
}

const DONE = 2;
const IN_PROGRESS = 1;

/**
 * Functions that only aggregate the values of a range, whatever their positions: over a range larger than
 * MAX_ARRAY_CELLS they read just the cells present, as Excel does for SUM(B2:XFD1048576).
 */
const PRESENT_CELLS_SUFFICE = new Set([
  'SUM',
  'COUNT',
  'COUNTA',
  'COUNTBLANK',
  'AVERAGE',
  'AVERAGEA',
  'MIN',
  'MINA',
  'MAX',
  'MAXA',
  'PRODUCT',
  'SUMSQ',
]);

export class Interpreter {
  private readonly results: Map<number, Scalar | Matrix>[];
  private readonly state: Map<number, number>[];
  readonly unsupported = new Map<string, UnsupportedUse[]>();
  readonly circular = new Set<string>();
  /** Each RiskSimtable evaluated, by its cell, with the number of values it lists. */
  readonly simtables = new Map<string, number>();
  /** Names being evaluated, innermost last: a name met again refers to itself. */
  private readonly namesInProgress: EngineName[] = [];
  /** A name's value at each use site (sheet, row, column, array mode), so that names used twice by the next name cost once. */
  private readonly nameValues = new WeakMap<EngineName, Map<string, Value>>();
  private callDepth = 0;

  constructor(
    readonly book: EngineWorkbook,
    private readonly options: InterpreterOptions = {},
  ) {
    this.results = book.sheets.map(() => new Map());
    this.state = book.sheets.map(() => new Map());
  }

  /** The value of a cell as Excel shows it, computing what it needs. */
  value(sheet: number, row: number, col: number): Scalar {
    const key = cellKey(row, col);
    const anchor = this.book.sheets[sheet].arrayAnchors.get(key);
    if (anchor !== undefined) this.compute(sheet, anchor);
    else if (this.book.sheets[sheet].cells.get(key)?.ast) this.compute(sheet, key);
    return this.readCell(sheet, row, col);
  }

  /** Computes one formula cell (and whatever it depends on) with an explicit work stack. */
  compute(sheet: number, key: number): void {
    if (this.state[sheet].get(key) === DONE) return;
    const stack: [number, number][] = [[sheet, key]];
    while (stack.length > 0) {
      const [s, k] = stack[stack.length - 1];
      if (this.state[s].get(k) === DONE) {
        stack.pop();
        continue;
      }
      const cell = this.book.sheets[s].cells.get(k)!;
      if (this.state[s].get(k) !== IN_PROGRESS) {
        this.state[s].set(k, IN_PROGRESS);
        const before = stack.length;
        this.queueStaticPrecedents(s, cell, stack);
        if (stack.length > before) continue;
      }
      try {
        this.results[s].set(k, this.evaluateCell(s, cell));
        this.state[s].set(k, DONE);
        stack.pop();
      } catch (e) {
        if (!(e instanceof NeedCell)) throw e;
        if (this.state[e.sheet].get(e.key) === IN_PROGRESS) {
          // A circular reference: Excel shows 0 in such cells and warns; we record the cell.
          this.circular.add(`${this.book.sheets[e.sheet].name}!${e.key}`);
          this.results[e.sheet].set(e.key, 0);
          this.state[e.sheet].set(e.key, DONE);
        } else stack.push([e.sheet, e.key]);
      }
    }
  }

  computeAll(): void {
    for (const sheet of this.book.sheets) for (const key of sheet.formulaKeys) this.compute(sheet.index, key);
  }

  /**
   * Evaluates a formula fragment in a cell's context, outside the normal cell order (the compiler folds
   * deterministic parts of random formulas this way). `as` says how the result will be used.
   */
  evaluateDetached(
    node: FormulaNode,
    at: { sheet: number; row: number; col: number },
    as: 'operand' | 'array' | 'reference',
  ): Value {
    const env: Env = {
      ...at,
      arrayMode: false,
      ctx: this.contextFor({ sheet: this.book.sheets[at.sheet].name, row: at.row, col: at.col }),
    };
    staticAreas(node, at.sheet, this.book, (area) => this.computeArea(area));
    for (;;) {
      try {
        return this.labelled(at, () => {
          const value = this.evaluate(node, env);
          if (as === 'reference') return value;
          if (as === 'array') return value instanceof Reference ? this.referenceValues(value) : value;
          return this.toOperand(value, env);
        });
      } catch (e) {
        if (!(e instanceof NeedCell)) throw e;
        this.compute(e.sheet, e.key);
      }
    }
  }

  /** Values of a reference, computing the formula cells it covers first. */
  referenceValuesComputed(ref: Reference): Matrix {
    const first = this.sheetIndex(ref.sheet);
    const last = ref.sheetEnd !== undefined ? this.sheetIndex(ref.sheetEnd) : first;
    if (first !== undefined && last !== undefined)
      for (let s = Math.min(first, last); s <= Math.max(first, last); s++)
        this.computeArea({ sheet: s, top: ref.top, left: ref.left, bottom: ref.bottom, right: ref.right });
    for (;;) {
      try {
        return this.referenceValues(ref);
      } catch (e) {
        if (!(e instanceof NeedCell)) throw e;
        this.compute(e.sheet, e.key);
      }
    }
  }

  /** Computes every formula cell in an area (and the array formulas that fill part of it), in one pass. */
  private computeArea(area: Area): void {
    const stack: [number, number][] = [];
    this.queueArea(area, stack);
    for (const [sheet, key] of stack) this.compute(sheet, key);
  }

  /**
   * Runs an evaluation at a cell so that a limit reached deep inside names the cell, and so that what
   * JavaScript itself refuses (a stack too deep, an array too long) is the same clean error.
   */
  private labelled<T>(at: { sheet: number; row: number; col: number }, run: () => T): T {
    try {
      return run();
    } catch (e) {
      if (e instanceof NeedCell) throw e;
      const cell = qualifiedAddress(this.book.sheets[at.sheet].name, at.row, at.col);
      if (e instanceof EngineError && e.code === 'model-too-complex' && e.details?.cell === undefined)
        throw tooComplex(`${cell}: ${e.message}`, { cell });
      if (e instanceof RangeError)
        throw tooComplex(`${cell}: the formula nests too deeply or builds too large a value (${e.message})`, {
          cell,
        });
      throw e;
    }
  }

  /** Implicit intersection of a reference with a cell position (legacy formula semantics). */
  intersectAt(ref: Reference, at: { row: number; col: number }): Scalar {
    for (;;) {
      try {
        return this.intersect(ref, { row: at.row, col: at.col } as Env);
      } catch (e) {
        if (!(e instanceof NeedCell)) throw e;
        this.compute(e.sheet, e.key);
      }
    }
  }

  /** The computed result of a formula cell (the whole array for array formulas). */
  result(sheet: number, key: number): Scalar | Matrix | undefined {
    return this.results[sheet].get(key);
  }

  private queueStaticPrecedents(sheet: number, cell: EngineCell, stack: [number, number][]): void {
    if (!cell.ast) return;
    staticAreas(cell.ast, sheet, this.book, (area) => this.queueArea(area, stack));
  }

  /** Pushes the formula cells of an area not computed yet (array formulas by their anchor). */
  private queueArea(area: Area, stack: [number, number][]): void {
    {
      const target = this.book.sheets[area.sheet];
      const lo = cellKey(area.top, 1);
      const hi = cellKey(Math.min(area.bottom, MAX_ROWS), MAX_COLUMNS);
      const keys = target.formulaKeys;
      let i = lowerBound(keys, lo);
      for (; i < keys.length && keys[i] <= hi; i++) {
        const k = keys[i];
        const col = (k % 16_384) + 1;
        if (col < area.left || col > area.right) continue;
        if (this.state[area.sheet].get(k) === undefined) stack.push([area.sheet, k]);
      }
      for (const [member, anchor] of target.arrayAnchors) {
        const row = Math.floor(member / 16_384);
        const col = (member % 16_384) + 1;
        if (row >= area.top && row <= area.bottom && col >= area.left && col <= area.right)
          if (this.state[area.sheet].get(anchor) === undefined) stack.push([area.sheet, anchor]);
      }
    }
  }

  private evaluateCell(sheet: number, cell: EngineCell): Scalar | Matrix {
    if (!cell.ast) return Errors.NAME;
    const env: Env = {
      sheet,
      row: cell.row,
      col: cell.col,
      arrayMode: cell.arrayArea !== undefined,
      ctx: this.contextFor({ sheet: this.book.sheets[sheet].name, row: cell.row, col: cell.col }),
    };
    return this.labelled(env, () => {
      const value = this.evaluate(cell.ast!, env);
      if (cell.arrayArea) return fitToArea(this.toArray(value, env), cell.arrayArea);
      const scalar = this.toScalar(value, env);
      return scalar === null ? 0 : scalar;
    });
  }

  private contextFor(caller: CellPosition): FunctionContext {
    return {
      caller,
      sheetNames: this.book.sheets.map((s) => s.name),
      values: (ref) => this.referenceValues(ref),
      formulaText: (ref) => {
        const sheet = this.sheetIndex(ref.sheet);
        if (sheet === undefined) return undefined;
        const text = this.book.sheets[sheet].cells.get(cellKey(ref.top, ref.left))?.formula;
        return text === undefined ? undefined : `=${text}`;
      },
      random: this.options.random ?? Math.random,
      now: this.options.now ?? (() => Date.now() / 86_400_000 + 25569),
    };
  }

  private sheetIndex(name: string): number | undefined {
    return this.book.sheetByName.get(name.toLowerCase());
  }

  private readCell(sheet: number, row: number, col: number): Scalar {
    const key = cellKey(row, col);
    const override = this.options.override?.(sheet, key);
    if (override !== undefined) return override;
    const s = this.book.sheets[sheet];
    const anchor = s.arrayAnchors.get(key);
    if (anchor !== undefined) {
      if (this.state[sheet].get(anchor) !== DONE) throw new NeedCell(sheet, anchor);
      const result = this.results[sheet].get(anchor);
      const area = s.cells.get(anchor)!.arrayArea!;
      return result instanceof Matrix ? result.get(row - area.top, col - area.left) : (result ?? null);
    }
    const cell = s.cells.get(key);
    if (!cell) return null;
    if (cell.formula === undefined) return cell.value;
    if (this.state[sheet].get(key) !== DONE) throw new NeedCell(sheet, key);
    const result = this.results[sheet].get(key)!;
    return result instanceof Matrix ? result.data[0] : result;
  }

  /**
   * Values of a reference as a matrix; whole rows/columns are cut to the sheet's used area. 3-D references
   * stack their sheets vertically. A reference over more than MAX_ARRAY_CELLS cells is refused, unless
   * `presentCellsOnly` asks for just its non-empty cells (in one column, positions lost) as aggregates need.
   */
  referenceValues(ref: Reference, presentCellsOnly = false): Matrix {
    const first = this.sheetIndex(ref.sheet);
    if (first === undefined) return Matrix.filled(1, 1, Errors.REF);
    const last = ref.sheetEnd !== undefined ? this.sheetIndex(ref.sheetEnd) : first;
    if (last === undefined) return Matrix.filled(1, 1, Errors.REF);
    let size = 0;
    for (let s = Math.min(first, last); s <= Math.max(first, last); s++) {
      const sheet = this.book.sheets[s];
      const bottom = Math.max(ref.top, Math.min(ref.bottom, sheet.maxRow));
      const right = Math.max(ref.left, Math.min(ref.right, sheet.maxCol));
      size += (bottom - ref.top + 1) * (right - ref.left + 1);
    }
    if (size > MAX_ARRAY_CELLS) {
      if (presentCellsOnly) return this.presentCells(ref, first, last);
      throw tooComplex(
        `the range ${ref.sheet}!${formatArea(ref)} covers ${size.toLocaleString('en-US')} cells, more than the ${MAX_ARRAY_CELLS.toLocaleString('en-US')} an array may hold`,
      );
    }
    const data: Scalar[] = [];
    let rows = 0;
    let cols = 0;
    let fullSize = 0;
    for (let s = Math.min(first, last); s <= Math.max(first, last); s++) {
      fullSize += ref.rows * ref.cols;
      const sheet = this.book.sheets[s];
      const bottom = Math.max(ref.top, Math.min(ref.bottom, sheet.maxRow));
      const right = Math.max(ref.left, Math.min(ref.right, sheet.maxCol));
      cols = right - ref.left + 1;
      for (let r = ref.top; r <= bottom; r++)
        for (let c = ref.left; c <= right; c++) data.push(this.readCell(s, r, c));
      rows += bottom - ref.top + 1;
    }
    return new Matrix(rows, cols, data, true, fullSize - data.length);
  }

  /** The non-empty cells of a reference, row by row in one column; the rest counts as omitted blanks. */
  private presentCells(ref: Reference, first: number, last: number): Matrix {
    const data: Scalar[] = [];
    let fullSize = 0;
    for (let s = Math.min(first, last); s <= Math.max(first, last); s++) {
      fullSize += ref.rows * ref.cols;
      const sheet = this.book.sheets[s];
      const keys = [...sheet.cells.keys(), ...sheet.arrayAnchors.keys()].filter((key) => {
        const row = keyRow(key);
        const col = keyCol(key);
        return row >= ref.top && row <= ref.bottom && col >= ref.left && col <= ref.right;
      });
      for (const key of new Set(keys.sort((a, b) => a - b))) {
        const value = this.readCell(s, keyRow(key), keyCol(key));
        if (value !== null) data.push(value);
      }
    }
    return new Matrix(data.length, 1, data, true, fullSize - data.length);
  }

  private intersect(ref: Reference, env: Env): Scalar {
    const sheet = this.sheetIndex(ref.sheet);
    if (sheet === undefined) return Errors.REF;
    if (ref.isSingleCell) return this.readCell(sheet, ref.top, ref.left);
    if (ref.sheetEnd !== undefined) return Errors.VALUE;
    if (ref.left === ref.right && env.row >= ref.top && env.row <= ref.bottom)
      return this.readCell(sheet, env.row, ref.left);
    if (ref.top === ref.bottom && env.col >= ref.left && env.col <= ref.right)
      return this.readCell(sheet, ref.top, env.col);
    return Errors.VALUE;
  }

  /** A value used where Excel expects one value or an array of values (operands, scalar parameters). */
  private toOperand(value: Value, env: Env): Scalar | Matrix {
    if (value instanceof Reference) {
      if (!env.arrayMode || value.isSingleCell) return this.intersect(value, env);
      const m = this.referenceValues(value);
      return m.rows === 1 && m.cols === 1 ? m.data[0] : m;
    }
    if (value instanceof Lambda) return Errors.CALC;
    return value;
  }

  private toScalar(value: Value, env: Env): Scalar {
    const v = value instanceof Reference ? this.intersect(value, env) : this.toOperand(value, env);
    return v instanceof Matrix ? (v.data.length > 0 ? v.data[0] : Errors.CALC) : v;
  }

  private toArray(value: Value, env: Env): Scalar | Matrix {
    if (value instanceof Reference) return this.referenceValues(value);
    return this.toOperand(value, env);
  }

  evaluate(node: FormulaNode, env: Env): Value {
    switch (node.type) {
      case 'number':
        // A literal beyond the double range (1E+309): Excel stores it as #NUM!.
        return Number.isFinite(node.value) ? node.value : Errors.NUM;
      case 'string':
      case 'boolean':
        return node.value;
      case 'error':
        return ExcelError.of(node.code);
      case 'empty':
        return null;
      case 'array':
        return Matrix.of(
          node.rows.map((row) => row.map((e) => (e.type === 'error' ? ExcelError.of(e.code) : e.value))),
        );
      case 'cell': {
        const sheet = this.refSheet(node.sheet, env);
        if (typeof sheet !== 'string') return sheet;
        return new Reference(sheet, node.row, node.col, node.row, node.col, node.sheet?.sheetEnd);
      }
      case 'range': {
        const sheet = this.refSheet(node.sheet, env);
        if (typeof sheet !== 'string') return sheet;
        const top = node.start.row ?? 1;
        const bottom = node.end.row ?? MAX_ROWS;
        const left = node.start.col ?? 1;
        const right = node.end.col ?? MAX_COLUMNS;
        return new Reference(
          sheet,
          Math.min(top, bottom),
          Math.min(left, right),
          Math.max(top, bottom),
          Math.max(left, right),
          node.sheet?.sheetEnd,
        );
      }
      case 'name':
        return this.evaluateName(node, env);
      case 'structured':
        return Errors.REF;
      case 'call':
        return this.evaluateCall(node.name, node.args, env);
      case 'invoke': {
        const callee = this.evaluate(node.callee, env);
        if (!(callee instanceof Lambda)) return Errors.VALUE;
        return this.invoke(callee, node.args, env);
      }
      case 'unary':
        return this.evaluateUnary(node.op, node.operand, env);
      case 'binary':
        return this.evaluateBinary(node.op, node.left, node.right, env);
    }
  }

  private refSheet(prefix: { workbook?: string; sheet?: string } | undefined, env: Env): string | ExcelError {
    if (prefix?.workbook !== undefined) return Errors.REF;
    if (prefix?.sheet === undefined) return this.book.sheets[env.sheet].name;
    const index = this.sheetIndex(prefix.sheet);
    return index === undefined ? Errors.REF : this.book.sheets[index].name;
  }

  private evaluateName(node: NameNode, env: Env): Value {
    const lower = node.name.toLowerCase();
    if (!node.sheet && env.bindings?.has(lower)) return env.bindings.get(lower) ?? null;
    const definitions = this.book.names.get(lower);
    if (!definitions) return Errors.NAME;
    const scopeSheet = node.sheet?.sheet !== undefined ? this.sheetIndex(node.sheet.sheet) : env.sheet;
    const definition =
      definitions.find((d) => d.scope === scopeSheet) ??
      (node.sheet ? undefined : definitions.find((d) => d.scope === undefined));
    if (!definition?.ast) return Errors.NAME;
    if (this.namesInProgress.includes(definition)) return Errors.CALC;
    if (this.namesInProgress.length >= MAX_NAME_DEPTH)
      throw tooComplex(`the name "${definition.name}" is nested more than ${MAX_NAME_DEPTH} names deep`, {
        name: definition.name,
      });
    const site = `${env.sheet}:${env.row}:${env.col}:${env.arrayMode}`;
    let values = this.nameValues.get(definition);
    const known = values?.get(site);
    if (known !== undefined) return known;
    this.namesInProgress.push(definition);
    try {
      const value = this.evaluate(definition.ast, { ...env, bindings: undefined });
      if (!values) this.nameValues.set(definition, (values = new Map()));
      values.set(site, value);
      return value;
    } finally {
      this.namesInProgress.pop();
    }
  }

  private evaluateUnary(op: string, operand: FormulaNode, env: Env): Value {
    const value = this.evaluate(operand, env);
    switch (op) {
      case '-':
        return lift1(this.toOperand(value, env), negate);
      case '+':
        return value;
      case '%':
        return lift1(this.toOperand(value, env), percent);
      case '@':
        return value instanceof Reference
          ? this.intersect(value, env)
          : value instanceof Matrix
            ? value.data[0]
            : value;
      case '#': {
        if (!(value instanceof Reference)) return Errors.REF;
        const sheet = this.sheetIndex(value.sheet);
        if (sheet === undefined) return Errors.REF;
        const anchor = this.book.sheets[sheet].cells.get(cellKey(value.top, value.left));
        const area = anchor?.arrayArea;
        if (!area) return Errors.REF;
        return new Reference(value.sheet, area.top, area.left, area.bottom, area.right);
      }
      default:
        return Errors.VALUE;
    }
  }

  private evaluateBinary(op: string, leftNode: FormulaNode, rightNode: FormulaNode, env: Env): Value {
    const left = this.evaluate(leftNode, env);
    const right = this.evaluate(rightNode, env);
    if (op === ':' || op === ' ') {
      if (!(left instanceof Reference) || !(right instanceof Reference)) return Errors.VALUE;
      if (left.sheet.toLowerCase() !== right.sheet.toLowerCase()) return Errors.VALUE;
      if (op === ':')
        return new Reference(
          left.sheet,
          Math.min(left.top, right.top),
          Math.min(left.left, right.left),
          Math.max(left.bottom, right.bottom),
          Math.max(left.right, right.right),
        );
      const top = Math.max(left.top, right.top);
      const bottom = Math.min(left.bottom, right.bottom);
      const l = Math.max(left.left, right.left);
      const r = Math.min(left.right, right.right);
      return top > bottom || l > r ? Errors.NULL : new Reference(left.sheet, top, l, bottom, r);
    }
    if (op === ',') return Errors.VALUE;
    return lift2(this.toOperand(left, env), this.toOperand(right, env), (a, b) => binaryScalar(op, a, b));
  }

  private evaluateCall(name: string, args: FormulaNode[], env: Env): Value {
    const special = this.evaluateSpecialForm(name, args, env);
    if (special !== undefined) return special;
    const bound = env.bindings?.get(name.toLowerCase());
    if (bound instanceof Lambda) return this.invoke(bound, args, env);
    const statistic = STATISTICS_FUNCTIONS.get(name);
    if (statistic) return this.evaluateStatistic(statistic, args, env);
    if (SIMTABLE_FUNCTIONS.has(name)) return this.evaluateSimtable(args, env);
    const theoretical = THEORETICAL_FUNCTIONS.get(name);
    if (theoretical) return this.evaluateTheoretical(theoretical, args, env);
    if (isDistributionFunction(name)) {
      const { params, properties, components } = this.distributionArgs(name, args, env);
      return staticDistributionValue(name, params, properties, components);
    }
    const def = lookupFunction(name);
    if (!def) {
      // A defined name holding a LAMBDA is called like a function: =ToCelsius(100).
      const named = this.book.names.has(name.toLowerCase())
        ? this.evaluateName({ type: 'name', name }, env)
        : undefined;
      if (named instanceof Lambda) return this.invoke(named, args, env);
      this.recordUnsupported(name, env);
      return Errors.NAME;
    }
    if (args.length < def.minArgs || args.length > def.maxArgs) return Errors.VALUE;
    return this.applyFunction(def, args, env);
  }

  /** RiskSimtable(list): this simulation's entry of the list; past its end, #N/A. */
  private evaluateSimtable(args: FormulaNode[], env: Env): Value {
    if (args.length !== 1) return Errors.VALUE;
    const list = this.toArray(this.evaluate(args[0], env), env);
    const values = list instanceof Matrix ? list.data : [list];
    this.simtables.set(qualifiedAddress(this.book.sheets[env.sheet].name, env.row, env.col), values.length);
    return values[(this.options.simulation ?? 1) - 1] ?? Errors.NA;
  }

  /** A distribution function's arguments evaluated, its property functions apart. */
  private distributionArgs(name: string, args: FormulaNode[], env: Env): DistributionArgs {
    const params: (Scalar | Matrix)[] = [];
    const properties: PropertyCall[] = [];
    const components: (DistributionArgs | undefined)[] = [];
    const paramNames = DISTRIBUTION_FUNCTIONS.get(name)?.params ?? [];
    for (const a of args) {
      if (a.type === 'call' && PROPERTY_FUNCTIONS.has(a.name)) {
        properties.push({ name: a.name, args: a.args.map((p) => this.toArray(this.evaluate(p, env), env)) });
        continue;
      }
      // RiskSplice's and RiskCompound's distributions: the distribution itself, not its static value
      const component = isDistributionParam(paramNames[params.length] ?? '')
        ? this.distributionIn(a, env)
        : undefined;
      components[params.length] = component;
      params.push(component ? null : this.toArray(this.evaluate(a, env), env));
    }
    return { name, params, properties, ...(components.some(Boolean) ? { components } : {}) };
  }

  /** A distribution call's arguments evaluated in a cell's context, outside the cell order (see evaluateDetached). */
  distributionArgsDetached(
    name: string,
    args: FormulaNode[],
    at: { sheet: number; row: number; col: number },
  ): DistributionArgs {
    const env: Env = {
      ...at,
      arrayMode: false,
      ctx: this.contextFor({ sheet: this.book.sheets[at.sheet].name, row: at.row, col: at.col }),
    };
    for (const node of args) staticAreas(node, at.sheet, this.book, (area) => this.computeArea(area));
    for (;;) {
      try {
        return this.labelled(at, () => this.distributionArgs(name, args, env));
      } catch (e) {
        if (!(e instanceof NeedCell)) throw e;
        this.compute(e.sheet, e.key);
      }
    }
  }

  /** RiskTheoMean(B1) or RiskTheoMean(RiskNormal(10,2)): a statistic of the distribution itself. */
  private evaluateTheoretical(
    info: StatisticsFunctionInfo<DistributionStatistic>,
    args: FormulaNode[],
    env: Env,
  ): Value {
    if (args.length === 0) return Errors.VALUE;
    const call = this.distributionIn(args[0], env);
    if (!call) return Errors.VALUE;
    const rest = args.slice(1).map((node) => (node.type === 'empty' ? null : this.scalarOf(node, env)));
    return theoreticalValue(info, distributionFromCall(call), rest);
  }

  /** The distribution call given in place, or the one a single cell's formula is. */
  private distributionIn(node: FormulaNode, env: Env): DistributionArgs | undefined {
    if (node.type === 'call' && isDistributionName(node.name))
      return this.distributionArgs(node.name, node.args, env);
    const ref = this.evaluate(node, env);
    if (!(ref instanceof Reference) || ref.top !== ref.bottom || ref.left !== ref.right) return undefined;
    const sheet = this.sheetIndex(ref.sheet);
    const ast =
      sheet === undefined ? undefined : this.book.sheets[sheet].cells.get(cellKey(ref.top, ref.left))?.ast;
    if (sheet === undefined || ast?.type !== 'call' || !isDistributionName(ast.name)) return undefined;
    const at = { sheet: this.book.sheets[sheet].name, row: ref.top, col: ref.left };
    const cellEnv: Env = { sheet, row: ref.top, col: ref.left, arrayMode: false, ctx: this.contextFor(at) };
    return this.distributionArgs(ast.name, ast.args, cellEnv);
  }

  private evaluateStatistic(info: StatisticsFunctionInfo, args: FormulaNode[], env: Env): Value {
    if (args.length === 0) return Errors.VALUE;
    const first = this.evaluate(args[0], env);
    const subject =
      first instanceof Reference && first.top === first.bottom && first.left === first.right
        ? { cell: qualifiedAddress(first.sheet, first.top, first.left) }
        : typeof first === 'string'
          ? { name: first }
          : undefined;
    if (!subject) return Errors.VALUE;
    const scalars: Scalar[] = [];
    let truncate: Scalar[] | undefined;
    for (const node of args.slice(1)) {
      if (isStatisticTruncate(node)) {
        truncate = node.args.map((a) => (a.type === 'empty' ? null : this.scalarOf(a, env)));
        continue;
      }
      scalars.push(node.type === 'empty' ? null : this.scalarOf(node, env));
    }
    if (!this.options.statistics) return Errors.NA;
    return this.options.statistics({ info, subject, args: scalars, ...(truncate ? { truncate } : {}) });
  }

  private scalarOf(node: FormulaNode, env: Env): Scalar {
    const value = this.toOperand(this.evaluate(node, env), env);
    return value instanceof Matrix ? value.data[0] : value;
  }

  private recordUnsupported(name: string, env: Env): void {
    const uses = this.unsupported.get(name) ?? [];
    if (uses.length < 100)
      uses.push({
        name,
        sheet: this.book.sheets[env.sheet].name,
        address: `${numberToColumn(env.col)}${env.row}`,
      });
    this.unsupported.set(name, uses);
  }

  private applyFunction(def: FunctionDefinition, argNodes: FormulaNode[], env: Env): Value {
    const args: Value[] = new Array(argNodes.length);
    for (let i = 0; i < argNodes.length; i++) {
      const kind = def.params[Math.min(i, def.params.length - 1)] ?? 'scalar';
      const raw = this.evaluate(argNodes[i], env);
      if (kind === 'scalar') args[i] = this.toOperand(raw, env);
      else if (kind === 'array')
        args[i] =
          raw instanceof Reference
            ? this.referenceValues(raw, PRESENT_CELLS_SUFFICE.has(def.name))
            : raw instanceof Lambda
              ? Errors.VALUE
              : raw;
      else args[i] = raw;
    }
    return applyFunction(def, args, env.ctx, (ref) => this.intersect(ref, env));
  }

  private invoke(lambda: Lambda, argNodes: FormulaNode[], env: Env): Value {
    if (argNodes.length > lambda.arity) return Errors.VALUE;
    return lambda.call(
      argNodes.map((a) => (a.type === 'empty' ? undefined : this.evaluate(a, env))) as Value[],
    );
  }

  /** IF, IFS, IFERROR, IFNA, SWITCH, CHOOSE, LET, LAMBDA, ISOMITTED: only the arguments needed are evaluated. */
  private evaluateSpecialForm(name: string, args: FormulaNode[], env: Env): Value | undefined {
    switch (name) {
      case 'IF':
        if (args.length < 2 || args.length > 3) return Errors.VALUE;
        return this.evaluateIf(args, env);
      case 'IFS':
        return this.evaluateIfs(args, env);
      case 'IFERROR':
      case 'IFNA': {
        if (args.length !== 2) return Errors.VALUE;
        const value = this.toOperandKeepRef(this.evaluate(args[0], env), env);
        const catches = (v: Scalar) => v instanceof ExcelError && (name === 'IFERROR' || v === Errors.NA);
        if (value instanceof Matrix) {
          if (!value.data.some(catches)) return value;
          const fallback = this.toOperand(this.evaluate(args[1], env), env);
          return lift2(value, fallback, (v, f) => (catches(v) ? (f === null ? 0 : f) : v));
        }
        if (value instanceof Reference) return value;
        if (!catches(value)) return value;
        const fallback = this.evaluate(args[1], env);
        return fallback === null ? 0 : fallback;
      }
      case 'SWITCH':
        return this.evaluateSwitch(args, env);
      case 'RISKMAKEINPUT':
        // the formula's own value; its property functions (RiskName…) only describe it
        return args.length === 0 ? Errors.VALUE : this.evaluate(args[0], env);
      case 'CHOOSE': {
        if (args.length < 2) return Errors.VALUE;
        const index = this.toOperand(this.evaluate(args[0], env), env);
        if (index instanceof Matrix) {
          const choices = args.slice(1).map((a) => this.toOperand(this.evaluate(a, env), env));
          return lift1(index, (i) => {
            const n = toNumber(i);
            if (n instanceof ExcelError) return n;
            const k = Math.trunc(n);
            const choice = choices[k - 1];
            if (k < 1 || choice === undefined) return Errors.VALUE;
            return choice instanceof Matrix ? choice.data[0] : choice;
          });
        }
        const n = toNumber(index);
        if (n instanceof ExcelError) return n;
        const k = Math.trunc(n);
        if (k < 1 || k >= args.length) return Errors.VALUE;
        return this.evaluate(args[k], env);
      }
      case 'LET':
        return this.evaluateLet(args, env);
      case 'LAMBDA':
        return this.makeLambda(args, env);
      case 'ISOMITTED': {
        if (args.length !== 1) return Errors.VALUE;
        const arg = args[0];
        if (arg.type !== 'name') return false;
        const lower = arg.name.toLowerCase();
        return env.bindings?.has(lower) === true && env.bindings.get(lower) === undefined;
      }
      default:
        return undefined;
    }
  }

  private toOperandKeepRef(value: Value, env: Env): Scalar | Matrix | Reference {
    if (value instanceof Reference && value.isSingleCell) return this.intersect(value, env);
    if (value instanceof Reference)
      return env.arrayMode ? this.referenceValues(value) : this.intersect(value, env);
    if (value instanceof Lambda) return Errors.CALC;
    return value;
  }

  private evaluateIf(args: FormulaNode[], env: Env): Value {
    const condition = this.toOperand(this.evaluate(args[0], env), env);
    const branch = (i: number): Value =>
      args[i] === undefined ? false : args[i].type === 'empty' ? 0 : this.evaluate(args[i], env);
    if (condition instanceof Matrix) {
      const whenTrue = this.toOperand(branch(1), env);
      const whenFalse = this.toOperand(branch(2), env);
      return liftN([condition, whenTrue, whenFalse], ([c, t, f]) => {
        const b = toBoolean(c);
        if (b instanceof ExcelError) return b;
        return b ? t : f;
      });
    }
    const b = toBoolean(condition);
    if (b instanceof ExcelError) return b;
    return branch(b ? 1 : 2);
  }

  private evaluateIfs(args: FormulaNode[], env: Env): Value {
    if (args.length < 2 || args.length % 2 !== 0) return Errors.VALUE;
    for (let i = 0; i < args.length; i += 2) {
      const condition = this.toScalar(this.evaluate(args[i], env), env);
      const b = toBoolean(condition);
      if (b instanceof ExcelError) return b;
      if (b) return this.evaluate(args[i + 1], env);
    }
    return Errors.NA;
  }

  private evaluateSwitch(args: FormulaNode[], env: Env): Value {
    if (args.length < 3) return Errors.VALUE;
    const subject = this.toScalar(this.evaluate(args[0], env), env);
    if (subject instanceof ExcelError) return subject;
    let i = 1;
    for (; i + 1 < args.length; i += 2) {
      const candidate = this.toScalar(this.evaluate(args[i], env), env);
      if (candidate instanceof ExcelError) return candidate;
      if (binaryScalar('=', subject, candidate) === true) return this.evaluate(args[i + 1], env);
    }
    return i < args.length ? this.evaluate(args[i], env) : Errors.NA;
  }

  private evaluateLet(args: FormulaNode[], env: Env): Value {
    if (args.length < 3 || args.length % 2 === 0) return Errors.VALUE;
    const bindings: Bindings = new Map(env.bindings ?? []);
    const inner: Env = { ...env, bindings };
    for (let i = 0; i + 1 < args.length; i += 2) {
      const nameNode = args[i];
      if (nameNode.type !== 'name') return Errors.VALUE;
      bindings.set(nameNode.name.toLowerCase(), this.evaluate(args[i + 1], inner));
    }
    return this.evaluate(args[args.length - 1], inner);
  }

  private makeLambda(args: FormulaNode[], env: Env): Value {
    if (args.length < 1) return Errors.VALUE;
    const params: string[] = [];
    for (const p of args.slice(0, -1)) {
      if (p.type !== 'name') return Errors.VALUE;
      params.push(p.name.toLowerCase());
    }
    const body = args[args.length - 1];
    const captured = env.bindings;
    return new Lambda(params.length, (values) => {
      const bindings: Bindings = new Map(captured ?? []);
      params.forEach((p, i) => {
        bindings.set(p, values[i]);
      });
      if (this.callDepth >= MAX_CALL_DEPTH)
        throw tooComplex(`LAMBDA calls nest more than ${MAX_CALL_DEPTH} deep (a recursion without an end?)`);
      this.callDepth++;
      try {
        return this.evaluate(body, { ...env, bindings });
      } finally {
        this.callDepth--;
      }
    });
  }
}

/** An array formula's result spread over its area: 1-row/1-column results repeat, the rest is #N/A. */
function fitToArea(value: Scalar | Matrix, area: Area): Matrix {
  const rows = area.bottom - area.top + 1;
  const cols = area.right - area.left + 1;
  if (!(value instanceof Matrix)) return Matrix.filled(rows, cols, value === null ? 0 : value);
  const data = new Array<Scalar>(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const rr = value.rows === 1 ? 0 : r;
      const cc = value.cols === 1 ? 0 : c;
      const v = rr < value.rows && cc < value.cols ? value.data[rr * value.cols + cc] : Errors.NA;
      data[r * cols + c] = v === null ? 0 : v;
    }
  return new Matrix(rows, cols, data);
}

function formatArea(ref: Reference): string {
  const start = `${numberToColumn(ref.left)}${ref.top}`;
  return ref.isSingleCell ? start : `${start}:${numberToColumn(ref.right)}${ref.bottom}`;
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calls `visit` for every area a formula references statically (cells, ranges, names), on its own sheet or others. */
export function staticAreas(
  ast: FormulaNode,
  sheet: number,
  book: EngineWorkbook,
  visit: (area: Area) => void,
): void {
  const sheetOf = (prefix: { workbook?: string; sheet?: string } | undefined): number | undefined => {
    if (prefix?.workbook !== undefined) return undefined;
    if (prefix?.sheet === undefined) return sheet;
    return book.sheetByName.get(prefix.sheet.toLowerCase());
  };
  const namesSeen = new Set<EngineName>();
  const stack: FormulaNode[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'cell': {
        const s = sheetOf(node.sheet);
        if (s !== undefined)
          visit({ sheet: s, top: node.row, left: node.col, bottom: node.row, right: node.col });
        break;
      }
      case 'range': {
        const s = sheetOf(node.sheet);
        if (s === undefined) break;
        const top = Math.min(node.start.row ?? 1, node.end.row ?? MAX_ROWS);
        const bottom = Math.max(node.start.row ?? 1, node.end.row ?? MAX_ROWS);
        const left = Math.min(node.start.col ?? 1, node.end.col ?? MAX_COLUMNS);
        const right = Math.max(node.start.col ?? 1, node.end.col ?? MAX_COLUMNS);
        visit({ sheet: s, top, left, bottom, right });
        break;
      }
      case 'name': {
        // Each name once: its areas are the same at every use, and names may use names many times over.
        for (const def of book.names.get(node.name.toLowerCase()) ?? [])
          if (def.ast && !namesSeen.has(def)) {
            namesSeen.add(def);
            stack.push(def.ast);
          }
        break;
      }
      case 'call':
        // A reference these functions only look at (its address, its formula) is no precedent: Excel
        // computes FORMULATEXT(F1) in E1 with F1 = E1 and reports no circular reference.
        for (const arg of node.args)
          if (!(LOOKS_AT_REFERENCE.has(node.name) && (arg.type === 'cell' || arg.type === 'range')))
            stack.push(arg);
        break;
      default:
        for (const child of childrenOf(node)) stack.push(child);
        break;
    }
  }
}

const LOOKS_AT_REFERENCE = new Set([
  'ROW',
  'COLUMN',
  'ROWS',
  'COLUMNS',
  'AREAS',
  'FORMULATEXT',
  'ISFORMULA',
  'ISREF',
]);
