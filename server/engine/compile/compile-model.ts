/**
 * Third stage: lowers the random part of a workbook to the backend-neutral `Program`.
 * Deterministic cells and deterministic parts of random formulas are evaluated once by the interpreter
 * and become constants; what remains is computed each trial.
 */

import {
  DISTRIBUTION_FUNCTIONS,
  isDistributionParam,
  PROPERTY_FUNCTIONS,
  riskFunctionName,
} from '../../../shared/distributions/catalogue';
import type { CallNode, FormulaNode, SheetPrefix } from '../../../shared/formula/ast';
import { someNode } from '../../../shared/formula/walk';
import { RANDOM_FUNCTIONS } from '../../../shared/functions/random';
import { convergenceSettings } from '../../../shared/functions/supported';
import type { Correlation, DistributionSpec, Variable } from '../../../shared/model';
import { EngineError } from '../errors';
import { isDistributionFunction } from '../evaluate/distribution-calls';
import { Interpreter, staticAreas } from '../evaluate/interpreter';
import { lookupFunction } from '../functions';
import { cellKey, keyCol, keyRow } from '../graph/addresses';
import {
  buildGraph,
  type CellId,
  callsRandom,
  cellLabel,
  formulaCellsIn,
  idOf,
  isRandomCall,
  resolveCell,
} from '../graph/model-graph';
import {
  findStatisticsCells,
  refuseStatisticsInTrials,
  type StatisticsCells,
} from '../graph/statistics-cells';
import { refuseUnsupportedFunctions } from '../graph/unsupported-functions';
import { MAX_NAME_DEPTH, tooComplex } from '../limits';
import type { Area, EngineName, EngineWorkbook } from '../parse/parse-model';
import { COPULA_FAMILIES, type CopulaName, type CopulaSpec, copulaSampler } from '../sampling/copula';
import { mirroredMatrix, validateCorrelationMatrix } from '../sampling/correlation';
import {
  type DistributionArgs,
  distributionFromCall,
  isDistributionName,
  riskName,
} from '../sampling/formula-distributions';
import { type ConvergenceTest, convergenceTest } from '../statistics/convergence';
import { Errors, Matrix, Reference, type Scalar, type Value } from '../values/value';
import { DefaultNames } from './default-names';
import type { BinaryOp, CellComputation, CopulaGroup, CorrelationGroup, Expr, Input, Program } from './ir';
import { sharePowers } from './shared-powers';

export interface CompileOptions {
  targets: string[];
  variables?: Variable[];
  correlations?: Correlation[];
  /** Which simulation of the run (1 first): the entry each RiskSimtable gives. */
  simulation?: number;
}

export interface CompiledModel {
  program: Program;
  /** The interpreter holding the deterministic cells' values (the CPU runtime reads constants through it). */
  interpreter: Interpreter;
  /** Labels of the targets, in request order, as "Sheet1!B10". */
  targetLabels: string[];
  /** What the run should be told but does not stop it: a correlation matrix adjusted to be consistent. */
  warnings: string[];
  /** Cells showing a statistic of the run (RiskMean…), computed once it has ended; absent when none. */
  statisticsCells?: StatisticsCells;
}

const BINARY: Record<string, BinaryOp> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '^': 'pow',
  '&': 'cat',
  '=': 'eq',
  '<>': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
};

/** Functions whose reference argument is only an address, so random cells behind it do not matter. */
const ADDRESS_ONLY = new Set(['ROW', 'COLUMN', 'ROWS', 'COLUMNS', 'ADDRESS', 'AREAS', 'SHEET']);

interface Scope {
  cell: CellId;
  row: number;
  col: number;
  label: string;
  context: number;
  locals: Map<string, number>;
  randomCallIndex: number;
}

class Compiler {
  /** The constant of each deterministic range written in an array argument, by sheet and ends. */
  private readonly deterministicRanges = new Map<string, Expr>();
  private readonly interpreter: Interpreter;
  private readonly random = new Set<string>();
  private readonly slots = new Map<string, number>();
  private readonly variableInputs = new Map<string, number>();
  private readonly inputs: Input[] = [];
  private readonly defaultNames: DefaultNames;
  private readonly constants: Value[] = [];
  private readonly contexts: Program['contexts'] = [];
  private readonly streamBase = new Map<string, number>();
  private localCount = 0;
  /** Computations in evaluation order: random cells, and before each the random names its formula uses. */
  private readonly cells: CellComputation[] = [];
  private readonly warnings: string[] = [];
  /** Names being lowered, innermost last. */
  private readonly namesInProgress: EngineName[] = [];
  /** RiskCorrmat groups met in formulas: matrix key → position → input. */
  private readonly corrmatGroups = new Map<string, PositionGroup>();
  /** RiskCopula groups met in formulas: definition key → position → input. */
  private readonly copulaGroups = new Map<string, PositionGroup>();

  constructor(
    private readonly book: EngineWorkbook,
    private readonly options: CompileOptions,
  ) {
    this.interpreter = new Interpreter(book, { random: () => 0.5, simulation: options.simulation ?? 1 });
    this.defaultNames = new DefaultNames(book);
    this.assignStreams();
  }

  /** Stream ids depend only on the workbook (cell order), so a seed reproduces whatever the targets. */
  private assignStreams(): void {
    let next = 1;
    for (const sheet of this.book.sheets)
      for (const key of sheet.formulaKeys) {
        const ast = sheet.cells.get(key)?.ast;
        if (!ast || !callsRandom(ast)) continue;
        this.streamBase.set(idOf({ sheet: sheet.index, key }), next);
        next += countRandomCalls(ast);
      }
    (this.options.variables ?? []).forEach((v, i) => {
      const cell = resolveCell(this.book, v.cell);
      this.variableInputs.set(idOf(cell), this.inputs.length);
      this.inputs.push({
        stream: next + i,
        label: cellLabel(this.book, cell),
        ...this.nameOf(cell),
        source: { kind: 'distribution', spec: v.distribution },
      });
    });
  }

  compile(): CompiledModel {
    const requested = this.options.targets.map((t) => resolveCell(this.book, t));
    for (const t of requested) this.checkTarget(t);
    // The cells a statistics function names are simulated too, after the requested outputs.
    const statisticsCells = findStatisticsCells(this.book);
    const targets = [...requested];
    for (const subject of statisticsCells?.subjects ?? [])
      if (!targets.some((t) => idOf(t) === idOf(subject)) && this.holdsValue(subject)) targets.push(subject);
    const graph = buildGraph(this.book, targets);
    refuseUnsupportedFunctions(this.book, graph.order);
    refuseStatisticsInTrials(this.book, graph.order);

    for (const cell of graph.order) {
      const c = this.book.sheets[cell.sheet].cells.get(cell.key)!;
      if (c.parseError)
        throw new EngineError('formula-syntax', `${cellLabel(this.book, cell)}: ${c.parseError}`, {
          cell: cellLabel(this.book, cell),
        });
      const deps = graph.precedents.get(idOf(cell)) ?? [];
      const isRandom =
        this.variableInputs.has(idOf(cell)) ||
        (c.ast !== undefined && callsRandom(c.ast)) ||
        deps.some((d) => this.random.has(idOf(d))) ||
        this.touchesVariables(c.ast, cell.sheet);
      if (isRandom) this.random.add(idOf(cell));
    }

    const cells = this.cells;
    for (const cell of graph.order) {
      if (!this.random.has(idOf(cell)) || this.variableInputs.has(idOf(cell))) continue;
      const c = this.book.sheets[cell.sheet].cells.get(cell.key)!;
      if (c.arrayArea)
        throw new EngineError(
          'unsupported-formula',
          `${cellLabel(this.book, cell)}: array formulas that depend on random inputs are not supported yet`,
        );
      const scope = this.scopeFor(cell);
      const expr = this.operand(c.ast!, scope);
      const slot = this.slots.size;
      this.slots.set(idOf(cell), slot);
      cells.push({ slot, label: scope.label, expr });
    }

    const outputs = targets.map((t) => ({
      label: cellLabel(this.book, t),
      ...this.nameOf(t, this.riskOutputName(t)),
      ...this.riskConvergenceOf(t),
      expr: this.cellValue(t),
    }));
    const grouped = new Set<number>();
    const correlations = this.correlationGroups(grouped);
    // Group streams count down from the top of the range so they never meet an input's stream.
    const copulas = this.copulas(grouped, 0xffffffff - correlations.length);
    return {
      program: sharePowers({
        inputs: this.inputs,
        correlations,
        copulas,
        cells,
        outputs,
        slotCount: this.slots.size,
        localCount: this.localCount,
        constants: this.constants,
        contexts: this.contexts,
      }),
      interpreter: this.interpreter,
      targetLabels: outputs.map((o) => o.label),
      warnings: this.warnings,
      ...(statisticsCells ? { statisticsCells } : {}),
    };
  }

  private holdsValue(cell: CellId): boolean {
    const sheet = this.book.sheets[cell.sheet];
    return (
      sheet.cells.has(cell.key) || sheet.arrayAnchors.has(cell.key) || this.variableInputs.has(idOf(cell))
    );
  }

  private checkTarget(cell: CellId): void {
    if (!this.holdsValue(cell))
      throw new EngineError('unknown-target', `the target ${cellLabel(this.book, cell)} is an empty cell`, {
        cell: cellLabel(this.book, cell),
      });
  }

  private touchesVariables(ast: FormulaNode | undefined, sheet: number): boolean {
    if (!ast || this.variableInputs.size === 0) return false;
    let found = false;
    staticAreas(ast, sheet, this.book, (area) => {
      if (!found) found = this.variableCellsIn(area).length > 0;
    });
    return found;
  }

  private variableCellsIn(area: Area): CellId[] {
    const out: CellId[] = [];
    for (const id of this.variableInputs.keys()) {
      const [s, k] = id.split(':').map(Number);
      const row = keyRow(k);
      const col = keyCol(k);
      if (s === area.sheet && row >= area.top && row <= area.bottom && col >= area.left && col <= area.right)
        out.push({ sheet: s, key: k });
    }
    return out;
  }

  private scopeFor(cell: CellId): Scope {
    const label = cellLabel(this.book, cell);
    const row = keyRow(cell.key);
    const col = keyCol(cell.key);
    this.contexts.push({ sheet: this.book.sheets[cell.sheet].name, row, col });
    return {
      cell,
      row,
      col,
      label,
      context: this.contexts.length - 1,
      locals: new Map(),
      randomCallIndex: 0,
    };
  }

  private constant(value: Value): Expr {
    // A literal beyond the double range (1E+309) is #NUM! in Excel.
    if (typeof value === 'number')
      return Number.isFinite(value) ? { op: 'num', value } : this.constant(Errors.NUM);
    this.constants.push(value);
    return { op: 'const', index: this.constants.length - 1 };
  }

  /** The value of a cell, for outputs and references. */
  private cellValue(cell: CellId): Expr {
    const id = idOf(cell);
    const input = this.variableInputs.get(id);
    if (input !== undefined) return { op: 'input', input };
    const sheet = this.book.sheets[cell.sheet];
    const anchor = sheet.arrayAnchors.get(cell.key);
    if (anchor !== undefined && this.random.has(idOf({ sheet: cell.sheet, key: anchor })))
      throw new EngineError(
        'unsupported-formula',
        `${cellLabel(this.book, cell)} is filled by a random array formula`,
      );
    const slot = this.slots.get(id);
    if (slot !== undefined) return { op: 'slot', slot };
    return this.constant(this.interpreter.value(cell.sheet, keyRow(cell.key), keyCol(cell.key)));
  }

  /**
   * Whether a RiskSplice or RiskCompound argument is a distribution with constant parameters, given in
   * place or as the cell holding it, or a constant value.
   */
  private isConstantDistribution(node: FormulaNode, scope: Scope): boolean {
    if (node.type === 'call' && isDistributionName(node.name))
      return node.args.every((a) => this.isDeterministic(a, scope));
    if (node.type === 'cell') {
      const cell = this.cellOf(node, scope);
      const ast = this.book.sheets[cell.sheet].cells.get(cell.key)?.ast;
      if (ast?.type === 'call' && isDistributionName(ast.name)) {
        const inCell: Scope = { ...scope, cell, locals: new Map() };
        return ast.args.every((a) => this.isDeterministic(a, inCell));
      }
    }
    return this.isDeterministic(node, scope);
  }

  private isDeterministic(node: FormulaNode, scope: Scope): boolean {
    if (callsRandom(node) || usesLocals(node, scope.locals)) return false;
    let random = false;
    staticAreas(node, scope.cell.sheet, this.book, (area) => {
      if (random) return;
      if (this.variableCellsIn(area).length > 0) random = true;
      else random = formulaCellsIn(this.book, area).some((c) => this.random.has(idOf(c)));
    });
    return !random;
  }

  private fail(
    scope: Scope,
    message: string,
    code: 'unsupported-formula' | 'unsupported-function' = 'unsupported-formula',
  ): never {
    throw new EngineError(code, `${scope.label}: ${message}`, { cell: scope.label });
  }

  /** An expression used as one value (or an array to lift over), as operators and scalar parameters use it. */
  private operand(node: FormulaNode, scope: Scope): Expr {
    if (this.isDeterministic(node, scope))
      return this.constant(this.interpreter.evaluateDetached(node, this.at(scope), 'operand'));
    switch (node.type) {
      case 'cell':
        return this.cellValue(this.cellOf(node, scope));
      case 'range': {
        // Legacy implicit intersection: a range in a one-value position means the cell in the caller's row or column.
        const area = this.areaOf(node, scope);
        if (area.left === area.right && scope.row >= area.top && scope.row <= area.bottom)
          return this.cellValue({ sheet: area.sheet, key: cellKey(scope.row, area.left) });
        if (area.top === area.bottom && scope.col >= area.left && scope.col <= area.right)
          return this.cellValue({ sheet: area.sheet, key: cellKey(area.top, scope.col) });
        return this.fail(scope, 'a range is used where one value is expected');
      }
      default:
        return this.expression(node, scope);
    }
  }

  /** An argument where Excel takes a range or an array (SUM, VLOOKUP tables). */
  private arrayArgument(node: FormulaNode, scope: Scope): Expr {
    if (this.isDeterministic(node, scope)) {
      if (node.type !== 'range')
        return this.constant(this.interpreter.evaluateDetached(node, this.at(scope), 'array'));
      // One constant per table, however many formulas look it up: the lookup functions index a
      // table they search often, and 200 copies of it made 200 indexes (each search a cache miss).
      const ends = [node.start.row, node.start.col, node.end.row, node.end.col];
      const key = JSON.stringify([node.sheet ?? scope.cell.sheet, ...ends]);
      let table = this.deterministicRanges.get(key);
      if (!table) {
        table = this.constant(this.interpreter.evaluateDetached(node, this.at(scope), 'array'));
        this.deterministicRanges.set(key, table);
      }
      return table;
    }
    if (node.type === 'cell' || node.type === 'range') {
      const area = node.type === 'cell' ? this.cellArea(this.cellOf(node, scope)) : this.areaOf(node, scope);
      return this.area(area, scope);
    }
    return this.expression(node, scope);
  }

  private area(area: Area, scope: Scope): Expr {
    const sheetName = this.book.sheets[area.sheet].name;
    const template = this.interpreter.referenceValuesComputed(
      new Reference(sheetName, area.top, area.left, area.bottom, area.right),
    );
    const fill: { position: number; slot: number }[] = [];
    const place = (cell: CellId, expr: Expr) => {
      const row = keyRow(cell.key) - area.top;
      const col = keyCol(cell.key) - area.left;
      if (row >= template.rows || col >= template.cols) return;
      if (expr.op === 'slot') fill.push({ position: row * template.cols + col, slot: expr.slot });
      else this.fail(scope, 'a range that holds user-defined inputs must be used cell by cell');
    };
    for (const c of formulaCellsIn(this.book, area))
      if (this.random.has(idOf(c))) place(c, this.cellValue(c));
    for (const c of this.variableCellsIn(area)) place(c, this.cellValue(c));
    this.constants.push(template);
    return { op: 'area', template: this.constants.length - 1, fill };
  }

  private at(scope: Scope) {
    return { sheet: scope.cell.sheet, row: scope.row, col: scope.col };
  }

  private cellArea(cell: CellId): Area {
    const row = keyRow(cell.key);
    const col = keyCol(cell.key);
    return { sheet: cell.sheet, top: row, left: col, bottom: row, right: col };
  }

  private sheetOf(prefix: SheetPrefix | undefined, scope: Scope): number {
    if (prefix?.workbook !== undefined) this.fail(scope, 'references to other workbooks are not supported');
    if (prefix?.sheetEnd !== undefined)
      this.fail(scope, '3-D references over random cells are not supported');
    if (prefix?.sheet === undefined) return scope.cell.sheet;
    const sheet = this.book.sheetByName.get(prefix.sheet.toLowerCase());
    if (sheet === undefined) this.fail(scope, `unknown sheet "${prefix.sheet}"`);
    return sheet;
  }

  private cellOf(node: Extract<FormulaNode, { type: 'cell' }>, scope: Scope): CellId {
    return { sheet: this.sheetOf(node.sheet, scope), key: cellKey(node.row, node.col) };
  }

  private areaOf(node: Extract<FormulaNode, { type: 'range' }>, scope: Scope): Area {
    const sheet = this.sheetOf(node.sheet, scope);
    const s = this.book.sheets[sheet];
    const top = Math.min(node.start.row ?? 1, node.end.row ?? s.maxRow);
    const bottom = Math.min(Math.max(node.start.row ?? 1, node.end.row ?? s.maxRow), Math.max(top, s.maxRow));
    const left = Math.min(node.start.col ?? 1, node.end.col ?? s.maxCol);
    const right = Math.min(Math.max(node.start.col ?? 1, node.end.col ?? s.maxCol), Math.max(left, s.maxCol));
    return { sheet, top, left, bottom, right };
  }

  private expression(node: FormulaNode, scope: Scope): Expr {
    switch (node.type) {
      case 'number':
        return this.constant(node.value);
      case 'string':
      case 'boolean':
      case 'error':
      case 'array':
      case 'empty':
        return this.constant(this.interpreter.evaluateDetached(node, this.at(scope), 'operand'));
      case 'cell':
      case 'range':
        return this.operand(node, scope);
      case 'name': {
        const local = scope.locals.get(node.name.toLowerCase());
        if (local !== undefined && !node.sheet) return { op: 'local', local };
        return this.definedName(node, scope);
      }
      case 'unary':
        if (node.op === '-') return { op: 'neg', arg: this.operand(node.operand, scope) };
        if (node.op === '%') return { op: 'pct', arg: this.operand(node.operand, scope) };
        if (node.op === '+' || node.op === '@') return this.operand(node.operand, scope);
        return this.fail(scope, 'spill references to random arrays are not supported');
      case 'binary': {
        const op = BINARY[node.op];
        if (!op)
          return this.fail(scope, `the reference operator "${node.op}" over random cells is not supported`);
        return { op, left: this.operand(node.left, scope), right: this.operand(node.right, scope) };
      }
      case 'call':
        return this.call(node.name, node.args, scope);
      case 'invoke':
      case 'structured':
        return this.fail(
          scope,
          node.type === 'invoke'
            ? 'LAMBDA calls in random cells are not supported'
            : 'table references are not supported',
        );
    }
  }

  private definedName(node: Extract<FormulaNode, { type: 'name' }>, scope: Scope): Expr {
    const definitions = this.book.names.get(node.name.toLowerCase());
    const definition =
      definitions?.find((d) => d.scope === scope.cell.sheet) ??
      definitions?.find((d) => d.scope === undefined);
    if (!definition?.ast)
      return this.constant(this.interpreter.evaluateDetached(node, this.at(scope), 'operand'));
    // Lowered once per cell into a slot of its own: names that use the next name twice would otherwise
    // double the program at every level.
    const id = `${idOf(scope.cell)} ${node.name.toLowerCase()} ${this.book.names.get(node.name.toLowerCase())!.indexOf(definition)}`;
    const known = this.slots.get(id);
    if (known !== undefined) return { op: 'slot', slot: known };
    if (this.namesInProgress.includes(definition))
      return this.fail(scope, `the name "${definition.name}" refers to itself`);
    if (this.namesInProgress.length >= MAX_NAME_DEPTH)
      throw tooComplex(
        `${scope.label}: the name "${definition.name}" is nested more than ${MAX_NAME_DEPTH} names deep`,
        { cell: scope.label, name: definition.name },
      );
    this.namesInProgress.push(definition);
    let expr: Expr;
    try {
      expr = this.operand(definition.ast, { ...scope, locals: new Map() });
    } finally {
      this.namesInProgress.pop();
    }
    const slot = this.slots.size;
    this.slots.set(id, slot);
    this.cells.push({ slot, label: `${scope.label} ${definition.name}`, expr });
    return { op: 'slot', slot };
  }

  private call(name: string, args: FormulaNode[], scope: Scope): Expr {
    const arg = (i: number): Expr =>
      args[i] === undefined ? { op: 'num', value: 0 } : this.operand(args[i], scope);
    switch (name) {
      case 'IF':
        if (args.length < 2 || args.length > 3) return this.fail(scope, 'IF takes 2 or 3 arguments');
        return {
          op: 'if',
          cond: arg(0),
          whenTrue: args[1].type === 'empty' ? { op: 'num', value: 0 } : arg(1),
          whenFalse:
            args[2] === undefined
              ? this.constant(false)
              : args[2].type === 'empty'
                ? { op: 'num', value: 0 }
                : arg(2),
        };
      case 'IFS': {
        if (args.length < 2 || args.length % 2 !== 0) return this.fail(scope, 'IFS takes pairs of arguments');
        let expr: Expr = this.constant(
          this.interpreter.evaluateDetached({ type: 'error', code: '#N/A' }, this.at(scope), 'operand'),
        );
        for (let i = args.length - 2; i >= 0; i -= 2)
          expr = { op: 'if', cond: arg(i), whenTrue: arg(i + 1), whenFalse: expr };
        return expr;
      }
      case 'IFERROR':
      case 'IFNA':
        if (args.length !== 2) return this.fail(scope, `${name} takes 2 arguments`);
        return { op: name === 'IFERROR' ? 'iferror' : 'ifna', value: arg(0), fallback: arg(1) };
      case 'RISKMAKEINPUT': // the formula's own value (see the interpreter)
        if (args.length === 0) return this.fail(scope, 'RiskMakeInput takes a formula');
        return arg(0);
      case 'CHOOSE':
        if (args.length < 2) return this.fail(scope, 'CHOOSE takes at least 2 arguments');
        return { op: 'choose', index: arg(0), choices: args.slice(1).map((_, i) => arg(i + 1)) };
      case 'SWITCH': {
        if (args.length < 3) return this.fail(scope, 'SWITCH takes at least 3 arguments');
        const subject = arg(0);
        const local = this.localCount++;
        let expr: Expr =
          args.length % 2 === 0
            ? arg(args.length - 1)
            : this.constant(
                this.interpreter.evaluateDetached({ type: 'error', code: '#N/A' }, this.at(scope), 'operand'),
              );
        const last = args.length % 2 === 0 ? args.length - 1 : args.length;
        for (let i = last - 2; i >= 1; i -= 2)
          expr = {
            op: 'if',
            cond: { op: 'eq', left: { op: 'local', local }, right: arg(i) },
            whenTrue: arg(i + 1),
            whenFalse: expr,
          };
        return { op: 'let', bindings: [{ local, value: subject }], body: expr };
      }
      case 'LET': {
        if (args.length < 3 || args.length % 2 === 0)
          return this.fail(scope, 'LET takes name/value pairs and a result');
        const locals = new Map(scope.locals);
        const inner: Scope = { ...scope, locals };
        const bindings: { local: number; value: Expr }[] = [];
        for (let i = 0; i + 1 < args.length; i += 2) {
          const n = args[i];
          if (n.type !== 'name') return this.fail(scope, 'LET names must be plain names');
          const value = this.operand(args[i + 1], inner);
          const local = this.localCount++;
          locals.set(n.name.toLowerCase(), local);
          bindings.push({ local, value });
        }
        const body = this.operand(args[args.length - 1], inner);
        scope.randomCallIndex = inner.randomCallIndex;
        return { op: 'let', bindings, body };
      }
      case 'LAMBDA':
      case 'ISOMITTED':
        return this.fail(scope, `${name} in random cells is not supported`);
      default:
        break;
    }
    if (name === 'RISKOUTPUT' || PROPERTY_FUNCTIONS.has(name)) return { op: 'num', value: 0 };
    if (RANDOM_FUNCTIONS.has(name) || isDistributionFunction(name)) return this.randomCall(name, args, scope);
    const def = lookupFunction(name);
    if (!def) return this.fail(scope, `the function ${name} is not supported`, 'unsupported-function');
    if (args.length < def.minArgs || args.length > def.maxArgs)
      return this.fail(
        scope,
        `${name} takes ${def.minArgs === def.maxArgs ? def.minArgs : `${def.minArgs} to ${def.maxArgs}`} arguments, got ${args.length}`,
      );
    const lowered = args.map((a, i) => {
      const kind = def.params[Math.min(i, def.params.length - 1)] ?? 'scalar';
      if (kind === 'array') return this.arrayArgument(a, scope);
      if (kind === 'reference') return this.referenceArgument(name, a, scope);
      if (kind === 'lambda') return this.fail(scope, `${name} with LAMBDA in random cells is not supported`);
      return this.operand(a, scope);
    });
    return { op: 'call', fn: name, args: lowered, context: scope.context };
  }

  private referenceArgument(fn: string, node: FormulaNode, scope: Scope): Expr {
    if (node.type === 'cell' || node.type === 'range') {
      const area = node.type === 'cell' ? this.cellArea(this.cellOf(node, scope)) : this.areaOf(node, scope);
      const random =
        formulaCellsIn(this.book, area).some((c) => this.random.has(idOf(c))) ||
        this.variableCellsIn(area).length > 0;
      if (random && !ADDRESS_ONLY.has(fn)) return this.arrayArgument(node, scope);
      return this.constant(
        new Reference(this.book.sheets[area.sheet].name, area.top, area.left, area.bottom, area.right),
      );
    }
    if (this.isDeterministic(node, scope))
      return this.constant(this.interpreter.evaluateDetached(node, this.at(scope), 'reference'));
    return this.operand(node, scope);
  }

  /** The name a cell's input or output is shown by: the one its formula gives, else @RISK's default. */
  private nameOf(cell: CellId, given?: string): { name?: string } {
    const name = given ?? this.defaultNames.of(cell);
    return name !== undefined ? { name } : {};
  }

  /** RiskOutput's name argument ("NPV" in RiskOutput("NPV")+…), when it is a constant text. */
  private riskOutputName(cell: CellId): string | undefined {
    const ast = this.book.sheets[cell.sheet].cells.get(cell.key)?.ast;
    let riskOutput: Extract<FormulaNode, { type: 'call' }> | undefined;
    if (ast)
      someNode(ast, (n) => {
        if (n.type === 'call' && n.name === 'RISKOUTPUT') riskOutput = n;
        return riskOutput !== undefined;
      });
    const argument = riskOutput?.args[0];
    if (!argument) return undefined;
    const at = { sheet: cell.sheet, row: keyRow(cell.key), col: keyCol(cell.key) };
    const name = this.interpreter.evaluateDetached(argument, at, 'operand');
    return typeof name === 'string' && name !== '' ? name : undefined;
  }

  /** RiskOutput(…, RiskConvergence(…)): the output's own convergence test, checked before the run. */
  private riskConvergenceOf(cell: CellId): { convergence?: ConvergenceTest } {
    const ast = this.book.sheets[cell.sheet].cells.get(cell.key)?.ast;
    const settings: CallNode[] = [];
    if (ast)
      someNode(ast, (n) => {
        if (n.type === 'call') settings.push(...convergenceSettings(n));
        return false;
      });
    if (settings.length === 0) return {};
    const scope = this.scopeFor(cell);
    if (settings.length > 1) this.fail(scope, 'an output takes one RiskConvergence');
    const args = settings[0].args.map((a) =>
      a.type === 'empty' ? null : this.interpreter.evaluateDetached(a, this.at(scope), 'operand'),
    );
    const test = convergenceTest(args.map((a) => (a instanceof Matrix ? a.data[0] : (a as Scalar))));
    return typeof test === 'string' ? this.fail(scope, test) : { convergence: test };
  }

  /** RiskName's text, which needs no trial's values even when the distribution's parameters do. */
  private riskNameOf(properties: { name: string; args: FormulaNode[] }[], scope: Scope): string | undefined {
    const named = properties.filter((p) => p.name === 'RISKNAME');
    if (named.some((p) => !p.args.every((a) => this.isDeterministic(a, scope))))
      return this.fail(scope, 'RiskName needs a name that does not change from trial to trial');
    return riskName(
      named.map((p) => ({ name: p.name, args: p.args.map((a) => this.argumentValues(a, scope)) })),
    );
  }

  /** A constant argument of a distribution or property function, a range as its values. */
  private argumentValues(node: FormulaNode, scope: Scope): Scalar | Matrix {
    const v = this.interpreter.evaluateDetached(node, this.at(scope), 'array');
    return v instanceof Reference ? this.interpreter.referenceValuesComputed(v) : (v as Scalar | Matrix);
  }

  /**
   * RiskCorrmat(matrix range, position, instance) and RiskCopula(definition range, position, instance): the
   * input joins the group of that range and instance (a text naming one of several groups sharing the
   * range) at that position.
   */
  private joinGroup(
    fn: 'RiskCorrmat' | 'RiskCopula',
    groups: Map<string, PositionGroup>,
    args: FormulaNode[],
    input: number,
    scope: Scope,
  ): void {
    const what = fn === 'RiskCorrmat' ? 'matrix' : 'copula definition';
    if (args.length < 2) this.fail(scope, `${fn} needs a ${what} range and a position`);
    const instance = args[2] ? this.interpreter.evaluateDetached(args[2], this.at(scope), 'operand') : '';
    const rangeKey =
      args[0].type === 'range' || args[0].type === 'name' ? JSON.stringify(args[0]) : `${scope.label}`;
    const key = JSON.stringify([rangeKey, String(instance)]);
    const range = this.interpreter.evaluateDetached(args[0], this.at(scope), 'array');
    if (!(range instanceof Matrix))
      this.fail(
        scope,
        fn === 'RiskCorrmat'
          ? 'RiskCorrmat needs a square range of correlations'
          : 'RiskCopula needs a range',
      );
    // a Gaussian or t copula's matrix sits below its definition's first row
    const positions = fn === 'RiskCorrmat' ? range.rows : copulaPositions(range);
    const position = this.interpreter.evaluateDetached(args[1], this.at(scope), 'operand');
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 1 || position > positions)
      this.fail(
        scope,
        `${fn} position must be a whole number ${Number.isFinite(positions) ? `from 1 to ${positions}` : 'from 1'}`,
      );
    const group = groups.get(key) ?? { range, label: scope.label, members: new Map<number, number>() };
    if (group.members.has(position))
      this.fail(scope, `two inputs use position ${position} of the same ${fn} ${what}`);
    group.members.set(position, input);
    groups.set(key, group);
  }

  /** Marks inputs as drawn by a group: each in one group only, with constant parameters, its own seed ignored. */
  private claimForGroup(inputs: number[], used: Set<number>): void {
    for (const i of inputs) {
      if (used.has(i))
        throw new EngineError('invalid-request', `${this.inputs[i].label} is in more than one correlation`);
      if (this.inputs[i].source.kind === 'dynamic')
        throw new EngineError(
          'invalid-request',
          `${this.inputs[i].label} is correlated but its parameters change from trial to trial; correlated inputs need constant parameters`,
        );
      used.add(i);
      // As in @RISK, an input's own seed has no effect once it is correlated: the group draws it.
      const { seed: _, ...properties } = this.inputs[i].properties ?? {};
      if (this.inputs[i].properties) this.inputs[i].properties = properties;
    }
  }

  /**
   * The copula a RiskCopula definition range describes (Montecell's layout, @RISK's own not confirmed):
   * the family's name in its first cell (Gaussian, T, Clayton, Gumbel, Frank), then θ for Clayton, Gumbel
   * and Frank or the degrees of freedom for T beside it; a Gaussian or T copula's correlation matrix (in
   * full, or one triangle as RiskCorrmat takes it) in the rows below. Of that matrix, the positions used.
   */
  private copulaOf(group: PositionGroup, positions: number[]): CopulaSpec {
    const fail = (message: string): never => {
      throw new EngineError('invalid-request', `RiskCopula of ${group.label}: ${message}`);
    };
    const { range } = group;
    const named = copulaNameOf(range);
    if (!named)
      return fail(
        `the definition's first cell must name the copula (Gaussian, T, Clayton, Gumbel or Frank, or a reflected ClaytonR, ClaytonRX, ClaytonRY, GumbelR, GumbelRX, GumbelRY, FrankRX), got ${String(range.get(0, 0))}`,
      );
    const { family, reflection } = named;
    const parameter = range.cols > 1 ? range.get(0, 1) : null;
    if (family !== 'gaussian' && typeof parameter !== 'number')
      return fail(
        `the ${family === 't' ? "t copula's degrees of freedom" : "copula's theta"} must be a number beside its name`,
      );
    if (family === 'clayton' || family === 'gumbel' || family === 'frank')
      return {
        family,
        theta: parameter as number,
        dimension: positions.length,
        ...(reflection ? { reflection } : {}),
      };
    const written = positions.map((r) =>
      positions.map((c) => {
        const v = r < range.rows && c - 1 < range.cols ? range.get(r, c - 1) : null;
        if (v !== null && typeof v !== 'number') return fail('the correlation matrix must hold numbers');
        return v;
      }),
    );
    const correlation = mirroredMatrix(written);
    if ('error' in correlation) return fail(correlation.error);
    return family === 'gaussian'
      ? { family, correlation }
      : { family, correlation, degreesOfFreedom: parameter as number };
  }

  private copulas(used: Set<number>, firstStream: number): CopulaGroup[] {
    return [...this.copulaGroups.values()].map((group, n) => {
      const positions = [...group.members.keys()].sort((a, b) => a - b);
      const inputs = positions.map((p) => group.members.get(p)!);
      this.claimForGroup(inputs, used);
      const label = `RiskCopula of ${group.label}`;
      const copula = this.copulaOf(group, positions);
      const checked = copulaSampler(copula);
      if ('error' in checked) throw new EngineError('invalid-request', `${label}: ${checked.error}`);
      if (checked.warning) this.warnings.push(`${label}: ${checked.warning}`);
      return { inputs, copula, stream: firstStream - n, label };
    });
  }

  private correlationGroups(used: Set<number>): CorrelationGroup[] {
    const groups: CorrelationGroup[] = [];
    const add = (inputs: number[], rows: number[][], label: string) => {
      this.claimForGroup(inputs, used);
      const checked = validateCorrelationMatrix(rows);
      if ('error' in checked) throw new EngineError('invalid-request', `${label}: ${checked.error}`);
      if (checked.warning) this.warnings.push(`${label}: ${checked.warning}`);
      // Group streams count down from the top of the range so they never meet an input's stream.
      groups.push({ inputs, matrix: rows, stream: 0xffffffff - groups.length, label });
    };
    for (const group of this.corrmatGroups.values()) {
      const size = group.range.rows;
      if (group.range.cols !== size)
        throw new EngineError('invalid-request', `${group.label}: the RiskCorrmat matrix must be square`);
      const positions = [...group.members.keys()].sort((a, b) => a - b);
      const written = positions.map((r) =>
        positions.map((c) => {
          const v = group.range.get(r - 1, c - 1);
          if (v !== null && typeof v !== 'number')
            throw new EngineError(
              'invalid-request',
              `${group.label}: the RiskCorrmat matrix must hold numbers`,
            );
          return v;
        }),
      );
      const rows = mirroredMatrix(written);
      if ('error' in rows) throw new EngineError('invalid-request', `${group.label}: ${rows.error}`);
      add(
        positions.map((p) => group.members.get(p)!),
        rows,
        `RiskCorrmat of ${group.label}`,
      );
    }
    for (const [n, correlation] of (this.options.correlations ?? []).entries()) {
      const label = `correlation ${n + 1}`;
      const inputs = correlation.cells.map((cell) => this.inputOfCell(cell, label));
      if (
        correlation.matrix.length !== inputs.length ||
        correlation.matrix.some((row) => row.length !== inputs.length)
      )
        throw new EngineError(
          'invalid-request',
          `${label}: the matrix must be ${inputs.length} × ${inputs.length}`,
        );
      add(inputs, correlation.matrix, label);
    }
    return groups;
  }

  /** The one random input a cell stands for: a user variable, or the single distribution in its formula. */
  private inputOfCell(text: string, label: string): number {
    const cell = resolveCell(this.book, text);
    const variable = this.variableInputs.get(idOf(cell));
    if (variable !== undefined) return variable;
    const prefix = `${cellLabel(this.book, cell)} `;
    const found = this.inputs.flatMap((input, i) => (input.label.startsWith(prefix) ? [i] : []));
    if (found.length !== 1)
      throw new EngineError(
        'invalid-request',
        `${label}: ${cellLabel(this.book, cell)} ${found.length === 0 ? 'is not a random input the outputs depend on' : 'holds several random inputs'}`,
      );
    return found[0];
  }

  private nextStream(scope: Scope): number {
    const base = this.streamBase.get(idOf(scope.cell));
    if (base === undefined) return this.fail(scope, 'internal: no random stream for this cell');
    return base + scope.randomCallIndex++;
  }

  private randomCall(name: string, args: FormulaNode[], scope: Scope): Expr {
    if (name === 'RANDARRAY') return this.fail(scope, 'RANDARRAY is not supported in simulations yet');
    const stream = this.nextStream(scope);
    const label = `${scope.label} ${name}`;
    if (name === 'RAND') {
      this.inputs.push({ stream, label, ...this.nameOf(scope.cell), source: { kind: 'uniform' } });
      return { op: 'input', input: this.inputs.length - 1 };
    }
    if (name === 'RANDBETWEEN') {
      if (args.length !== 2) return this.fail(scope, 'RANDBETWEEN takes 2 arguments');
      this.inputs.push({ stream, label, ...this.nameOf(scope.cell), source: { kind: 'uniform' } });
      return {
        op: 'call',
        fn: 'RANDBETWEEN.UNIFORM',
        args: [
          { op: 'input', input: this.inputs.length - 1 },
          this.operand(args[0], scope),
          this.operand(args[1], scope),
        ],
        context: scope.context,
      };
    }
    const parameters: FormulaNode[] = [];
    const properties: { name: string; args: FormulaNode[] }[] = [];
    for (const a of args) {
      if (a.type === 'call' && a.name.startsWith('RISK') && PROPERTY_FUNCTIONS.has(a.name))
        properties.push({ name: a.name, args: a.args });
      else parameters.push(a);
    }
    const info = DISTRIBUTION_FUNCTIONS.get(name);
    const paramNames = info?.params ?? [];
    const withComponents = paramNames.some(isDistributionParam);
    const constantArgs =
      parameters.every((p, i) =>
        isDistributionParam(paramNames[i] ?? '')
          ? this.isConstantDistribution(p, scope)
          : this.isDeterministic(p, scope),
      ) && properties.every((p) => p.args.every((a) => this.isDeterministic(a, scope)));
    if (withComponents && !constantArgs)
      return this.fail(
        scope,
        `${info && riskFunctionName(info.type)}: its distributions and arguments must have constant parameters`,
      );
    const evaluate = (n: FormulaNode) => this.argumentValues(n, scope);
    if (constantArgs) {
      const call: DistributionArgs = withComponents
        ? this.interpreter.distributionArgsDetached(name, args, this.at(scope))
        : {
            name,
            params: parameters.map(evaluate),
            properties: properties.map((p) => ({ name: p.name, args: p.args.map(evaluate) })),
          };
      const result = distributionFromCall(call);
      if ('error' in result)
        throw new EngineError('invalid-distribution', `${scope.label}: ${result.error}`, {
          cell: scope.label,
        });
      if (result.properties.locked) return { op: 'num', value: result.staticValue };
      this.inputs.push({
        stream,
        label,
        ...this.nameOf(scope.cell, result.name),
        ...(Object.keys(result.properties).length > 0 ? { properties: result.properties } : {}),
        source: { kind: 'distribution', spec: result.spec },
      });
      const corrmat = properties.find((p) => p.name === 'RISKCORRMAT');
      const copula = properties.find((p) => p.name === 'RISKCOPULA');
      // As in @RISK: RiskCompound has no quantile to reorder, so it cannot be correlated.
      if ((corrmat || copula) && result.spec.type === 'compound')
        return this.fail(scope, 'RiskCompound cannot be correlated');
      if (corrmat)
        this.joinGroup('RiskCorrmat', this.corrmatGroups, corrmat.args, this.inputs.length - 1, scope);
      if (copula) this.joinGroup('RiskCopula', this.copulaGroups, copula.args, this.inputs.length - 1, scope);
      return { op: 'input', input: this.inputs.length - 1 };
    }
    if (properties.some((p) => p.name !== 'RISKNAME'))
      return this.fail(
        scope,
        `${name} with property functions other than RiskName needs constant parameters`,
      );
    const probe = distributionFromCall({ name, params: parameters.map(() => 1), properties: [] });
    const type: DistributionSpec['type'] | undefined = 'spec' in probe ? probe.spec.type : probe.type;
    if (!type) return this.fail(scope, `${name} is not a known distribution`, 'unsupported-function');
    this.inputs.push({
      stream,
      label,
      ...this.nameOf(scope.cell, this.riskNameOf(properties, scope)),
      source: {
        kind: 'dynamic',
        type,
        functionName: name,
        params: parameters.map((p) => this.operand(p, scope)),
      },
    });
    return { op: 'input', input: this.inputs.length - 1 };
  }
}

/** Inputs joined to one RiskCorrmat matrix or RiskCopula definition (and instance), by position. */
interface PositionGroup {
  range: Matrix;
  label: string;
  members: Map<number, number>;
}

/** The copula a RiskCopula definition range names in its first cell. */
function copulaNameOf(range: Matrix): CopulaName | undefined {
  const name = range.get(0, 0);
  return typeof name === 'string' ? COPULA_FAMILIES.get(name.trim().toUpperCase()) : undefined;
}

/** How many inputs a RiskCopula definition range holds: its matrix's size, or any number for one θ. */
function copulaPositions(range: Matrix): number {
  const family = copulaNameOf(range)?.family;
  return family === 'gaussian' || family === 't' ? range.rows - 1 : Number.POSITIVE_INFINITY;
}

function countRandomCalls(ast: FormulaNode): number {
  let n = 0;
  someNode(ast, (node) => {
    if (isRandomCall(node)) n++;
    return false;
  });
  return n;
}

function usesLocals(node: FormulaNode, locals: Map<string, number>): boolean {
  if (locals.size === 0) return false;
  return someNode(node, (n) => n.type === 'name' && !n.sheet && locals.has(n.name.toLowerCase()));
}

export function compileModel(book: EngineWorkbook, options: CompileOptions): CompiledModel {
  return new Compiler(book, options).compile();
}
