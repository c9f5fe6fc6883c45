/**
 * Fail fast: a run whose outputs depend on a function the engine does not implement is refused before
 * it starts, naming every such function and its cells. Without this, a call with constant arguments
 * would be folded once into a constant #NAME? and the run would "complete" with every trial an error.
 */
import type { FormulaNode } from '../../../shared/formula/ast';
import { someNode } from '../../../shared/formula/walk';
import { unsupportedCalls } from '../../../shared/functions/supported';
import { EngineError } from '../errors';
import type { EngineName, EngineWorkbook } from '../parse/parse-model';
import { type CellId, cellLabel } from './model-graph';

/** At most this many cells are named per function (the count of the others follows). */
const CELLS_NAMED = 5;

export interface UnsupportedFunction {
  name: string;
  cells: string[];
  /** Cells beyond those named. */
  more: number;
}

/** Every call, in these cells or the defined names they use, to a function a model may not call. */
export function unsupportedFunctions(book: EngineWorkbook, cells: CellId[]): UnsupportedFunction[] {
  const definedNames = new Set([...book.names.keys()].map((name) => name.toUpperCase()));
  const found = new Map<string, UnsupportedFunction>();
  for (const cell of cells) {
    const ast = book.sheets[cell.sheet].cells.get(cell.key)?.ast;
    if (!ast) continue;
    const names = new Set<string>();
    for (const tree of [ast, ...namesUsed(book, ast)])
      for (const name of unsupportedCalls(tree, definedNames)) names.add(name);
    for (const name of names) {
      const entry = found.get(name) ?? { name, cells: [], more: 0 };
      found.set(name, entry);
      if (entry.cells.length < CELLS_NAMED) entry.cells.push(cellLabel(book, cell));
      else entry.more++;
    }
  }
  return [...found.values()];
}

/** Throws `unsupported-function`, naming each function and its cells, when any is called. */
export function refuseUnsupportedFunctions(book: EngineWorkbook, cells: CellId[]): void {
  const functions = unsupportedFunctions(book, cells);
  if (functions.length === 0) return;
  const list = functions
    .map((f) => `${f.name} (${f.cells.join(', ')}${f.more > 0 ? ` and ${f.more} more` : ''})`)
    .join('; ');
  throw new EngineError(
    'unsupported-function',
    `the model calls ${functions.length === 1 ? 'a function' : 'functions'} Montecell does not implement, so the run was not started: ${list}`,
    { functions },
  );
}

/** The formulas of the defined names a formula uses, and of the names those use, each once. */
function namesUsed(book: EngineWorkbook, root: FormulaNode): FormulaNode[] {
  const trees: FormulaNode[] = [];
  const seen = new Set<EngineName>();
  const pending = [root];
  while (pending.length > 0) {
    someNode(pending.pop() as FormulaNode, (node) => {
      const name = node.type === 'name' ? node.name : node.type === 'call' ? node.name : undefined;
      for (const definition of (name && book.names.get(name.toLowerCase())) || []) {
        if (seen.has(definition) || !definition.ast) continue;
        seen.add(definition);
        trees.push(definition.ast);
        pending.push(definition.ast);
      }
      return false;
    });
  }
  return trees;
}
