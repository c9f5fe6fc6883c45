/**
 * Cells that show a statistic of a simulation (RiskMean(B10), RiskPercentile("NPV", 0.95)…), found before
 * the run: the cells they name are simulated with the outputs, and no trial may depend on them, since
 * their values are known only after the last trial.
 */
import type { FormulaNode } from '../../../shared/formula/ast';
import { someNode } from '../../../shared/formula/walk';
import {
  isStatisticsFunction,
  isStatisticTruncate,
  STATISTICS_FUNCTIONS,
  statisticsArguments,
  statisticsFunctionName,
} from '../../../shared/functions/statistics';
import { EngineError } from '../errors';
import { staticAreas } from '../evaluate/interpreter';
import type { EngineWorkbook } from '../parse/parse-model';
import { cellKey } from './addresses';
import { type CellId, cellLabel, formulaCellsIn, idOf } from './model-graph';

export interface StatisticsCells {
  book: EngineWorkbook;
  /** Formula cells calling a statistics function. */
  cells: CellId[];
  /** The cells those calls name, which the run must simulate, each once. */
  subjects: CellId[];
  /** The cell of each name a call gives (RiskOutput's or RiskName's, lower case), by its label. */
  named: Map<string, string>;
  /**
   * Whether a call names a simulation (RiskMean(B3, 2)): in a run of several (RiskSimtable), each
   * simulation's cells then read the others' values too.
   */
  namesSimulations: boolean;
  /**
   * The statistics cells and every cell depending on them: what a finished run recalculates. Found once,
   * when first asked: by the assembly, and before that by the intake, so a workbook where finding them is
   * too much work is refused within the intake's time limit, not after the run. Chunks never ask.
   */
  afterRun(): CellId[];
}

/** The workbook's statistics cells, or undefined when it has none. */
export function findStatisticsCells(book: EngineWorkbook): StatisticsCells | undefined {
  const cells: CellId[] = [];
  const subjects = new Map<string, CellId>();
  const namesGiven = new Set<string>();
  let namesSimulations = false;
  for (const sheet of book.sheets)
    for (const key of sheet.formulaKeys) {
      const ast = sheet.cells.get(key)?.ast;
      if (!ast) continue;
      const cell = { sheet: sheet.index, key };
      let calls = false;
      someNode(ast, (node) => {
        if (node.type !== 'call' || !isStatisticsFunction(node.name)) return false;
        calls = true;
        // A theoretical statistic reads a distribution, not simulated values.
        const subject = STATISTICS_FUNCTIONS.has(node.name)
          ? subjectCell(book, cell, node.name, node.args[0])
          : undefined;
        if (subject) subjects.set(idOf(subject), subject);
        const first = node.args[0];
        if (STATISTICS_FUNCTIONS.has(node.name) && first?.type === 'string')
          namesGiven.add(first.value.toLowerCase());
        // the arguments as the interpreter passes them: without a RiskTruncate among them
        const info = STATISTICS_FUNCTIONS.get(node.name);
        const args = node.args.slice(1).filter((a) => !isStatisticTruncate(a));
        const simulation = info && statisticsArguments(info, args).simulation;
        if (simulation && simulation.type !== 'empty') namesSimulations = true;
        return false;
      });
      if (calls) cells.push(cell);
    }
  if (cells.length === 0) return undefined;
  let afterRun: CellId[] | undefined;
  // "NPV" in RiskMean("NPV") is the cell whose RiskOutput or RiskName gives that name.
  const named = new Map<string, string>();
  for (const [name, cell] of namedCells(book))
    if (namesGiven.has(name) && !named.has(name)) {
      named.set(name, cellLabel(book, cell));
      subjects.set(idOf(cell), cell);
    }
  return {
    book,
    cells,
    subjects: [...subjects.values()],
    named,
    namesSimulations,
    afterRun: () => {
      afterRun ??= cellsAfterSimulation(book, cells);
      return afterRun;
    },
  };
}

/** The names formulas give their cells with RiskOutput("…") or RiskName("…"), lower case. */
function namedCells(book: EngineWorkbook): [string, CellId][] {
  const found: [string, CellId][] = [];
  for (const sheet of book.sheets)
    for (const key of sheet.formulaKeys) {
      const ast = sheet.cells.get(key)?.ast;
      if (!ast) continue;
      someNode(ast, (node) => {
        const first = node.type === 'call' ? node.args[0] : undefined;
        if (
          node.type === 'call' &&
          (node.name === 'RISKOUTPUT' || node.name === 'RISKNAME') &&
          first?.type === 'string'
        )
          found.push([first.value.toLowerCase(), { sheet: sheet.index, key }]);
        return false;
      });
    }
  return found;
}

/**
 * The cell a statistics call names, or undefined when it gives an output's name instead. Anything
 * else (a range, a computed reference) is refused: the run must know before it starts what to keep.
 */
function subjectCell(
  book: EngineWorkbook,
  caller: CellId,
  name: string,
  node: FormulaNode | undefined,
): CellId | undefined {
  if (node?.type === 'string') return undefined;
  if (node?.type === 'cell') {
    const sheetName = node.sheet?.sheet;
    const sheet = sheetName === undefined ? caller.sheet : book.sheetByName.get(sheetName.toLowerCase());
    if (sheet !== undefined && node.sheet?.workbook === undefined && node.sheet?.sheetEnd === undefined)
      return { sheet, key: cellKey(node.row, node.col) };
  }
  const statistic = statisticsFunctionName(name);
  throw new EngineError(
    'unsupported-formula',
    `${cellLabel(book, caller)}: ${statistic}'s first argument must be one cell (e.g. ${statistic}(B10)) or an output's name in quotes`,
    { cell: cellLabel(book, caller) },
  );
}

/**
 * Refuses a run in which a cell the trials compute calls a statistics function: its value would be
 * one the run has not computed yet.
 */
export function refuseStatisticsInTrials(book: EngineWorkbook, trialCells: CellId[]): void {
  for (const cell of trialCells) {
    const ast = book.sheets[cell.sheet].cells.get(cell.key)?.ast;
    let called: string | undefined;
    if (ast)
      someNode(ast, (node) => {
        if (node.type === 'call' && isStatisticsFunction(node.name)) called = node.name;
        return called !== undefined;
      });
    if (called === undefined) continue;
    const statistic = statisticsFunctionName(called);
    const why = STATISTICS_FUNCTIONS.has(called)
      ? "whose value is known only once the simulation has ended, and the simulated cells depend on it: a statistic of a run cannot feed that run's trials"
      : 'and the simulated cells depend on it: theoretical statistics are computed outside the trials (not yet within them)';
    throw new EngineError('unsupported-formula', `${cellLabel(book, cell)} calls ${statistic}, ${why}`, {
      cell: cellLabel(book, cell),
    });
  }
}

/**
 * The statistics cells and every formula cell that depends on them, directly or not: the cells whose
 * values a finished simulation changes.
 */
function cellsAfterSimulation(book: EngineWorkbook, statisticsCells: CellId[]): CellId[] {
  const dependents = new Map<string, CellId[]>();
  for (const sheet of book.sheets)
    for (const key of sheet.formulaKeys) {
      const cell = { sheet: sheet.index, key };
      for (const precedent of directPrecedents(book, cell)) {
        const list = dependents.get(idOf(precedent)) ?? [];
        list.push(cell);
        dependents.set(idOf(precedent), list);
      }
    }
  const reached = new Map(statisticsCells.map((c) => [idOf(c), c]));
  const queue = [...statisticsCells];
  while (queue.length > 0) {
    const next = queue.pop()!;
    for (const dependent of dependents.get(idOf(next)) ?? [])
      if (!reached.has(idOf(dependent))) {
        reached.set(idOf(dependent), dependent);
        queue.push(dependent);
      }
  }
  return [...reached.values()].sort((a, b) => a.sheet - b.sheet || a.key - b.key);
}

function directPrecedents(book: EngineWorkbook, cell: CellId): CellId[] {
  const ast = book.sheets[cell.sheet].cells.get(cell.key)?.ast;
  const found: CellId[] = [];
  if (ast) staticAreas(ast, cell.sheet, book, (area) => found.push(...formulaCellsIn(book, area)));
  return found;
}
