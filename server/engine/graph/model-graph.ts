/**
 * Second stage: which cells a simulation needs, in which order, and which of them are random.
 * Targets are resolved, the precedents of the targets are collected from the formulas' static
 * references, ordered precedents-first, and circular references are reported with their cells.
 */
import type { FormulaNode } from '../../../shared/formula/ast';
import { tryParseCellAddress } from '../../../shared/formula/references';
import { someNode } from '../../../shared/formula/walk';
import { isRandomFunction } from '../../../shared/functions/random';
import { EngineError } from '../errors';
import { staticAreas } from '../evaluate/interpreter';
import type { Area, EngineWorkbook } from '../parse/parse-model';
import { cellKey, keyCol, keyRow, qualifiedAddress } from './addresses';

export interface CellId {
  sheet: number;
  key: number;
}

export function cellLabel(book: EngineWorkbook, cell: CellId): string {
  return qualifiedAddress(book.sheets[cell.sheet].name, keyRow(cell.key), keyCol(cell.key));
}

/** "B10" (first sheet), "Sheet1!B10", "'My Sheet'!$B$10", or a defined name of one cell. */
export function resolveCell(book: EngineWorkbook, text: string): CellId {
  const trimmed = text.trim();
  const bang = trimmed.lastIndexOf('!');
  if (bang > 0) {
    let sheetName = trimmed.slice(0, bang);
    if (sheetName.startsWith("'") && sheetName.endsWith("'"))
      sheetName = sheetName.slice(1, -1).replace(/''/g, "'");
    const sheet = book.sheetByName.get(sheetName.toLowerCase());
    if (sheet === undefined)
      throw new EngineError('unknown-target', `unknown sheet "${sheetName}" in "${text}"`);
    const pos = tryParseCellAddress(trimmed.slice(bang + 1));
    if (!pos) throw new EngineError('unknown-target', `"${text}" is not a cell address`);
    return { sheet, key: cellKey(pos.row, pos.col) };
  }
  const pos = tryParseCellAddress(trimmed);
  if (pos) return { sheet: 0, key: cellKey(pos.row, pos.col) };
  const definitions = book.names.get(trimmed.toLowerCase());
  const ast = definitions?.find((d) => d.scope === undefined)?.ast ?? definitions?.[0]?.ast;
  if (ast?.type === 'cell') {
    const sheetName = ast.sheet?.sheet;
    const sheet = sheetName === undefined ? 0 : book.sheetByName.get(sheetName.toLowerCase());
    if (sheet !== undefined) return { sheet, key: cellKey(ast.row, ast.col) };
  }
  if (ast) throw new EngineError('unknown-target', `the name "${text}" does not refer to a single cell`);
  throw new EngineError('unknown-target', `"${text}" is neither a cell address nor a defined name`);
}

export interface ModelGraph {
  /** Formula cells the targets need, precedents first. */
  order: CellId[];
  /** Direct precedents (formula cells) of each ordered cell, by "sheet:key". */
  precedents: Map<string, CellId[]>;
}

export const idOf = (c: CellId) => `${c.sheet}:${c.key}`;

/** Formula cells within an area (and anchors of array formulas that fill part of it). */
export function formulaCellsIn(book: EngineWorkbook, area: Area): CellId[] {
  const sheet = book.sheets[area.sheet];
  const out: CellId[] = [];
  const lo = cellKey(area.top, 1);
  const hi = cellKey(area.bottom, 16_384);
  const keys = sheet.formulaKeys;
  let a = 0;
  let b = keys.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (keys[mid] < lo) a = mid + 1;
    else b = mid;
  }
  for (let i = a; i < keys.length && keys[i] <= hi; i++) {
    const col = keyCol(keys[i]);
    if (col >= area.left && col <= area.right) out.push({ sheet: area.sheet, key: keys[i] });
  }
  for (const [member, anchor] of sheet.arrayAnchors) {
    const row = keyRow(member);
    const col = keyCol(member);
    if (row >= area.top && row <= area.bottom && col >= area.left && col <= area.right)
      out.push({ sheet: area.sheet, key: anchor });
  }
  return out;
}

export function buildGraph(book: EngineWorkbook, roots: CellId[]): ModelGraph {
  const precedents = new Map<string, CellId[]>();
  const order: CellId[] = [];
  const state = new Map<string, 1 | 2>();
  const directPrecedents = (cell: CellId): CellId[] => {
    const id = idOf(cell);
    let list = precedents.get(id);
    if (!list) {
      const ast = book.sheets[cell.sheet].cells.get(cell.key)?.ast;
      const seen = new Set<string>();
      list = [];
      if (ast)
        staticAreas(ast, cell.sheet, book, (area) => {
          for (const p of formulaCellsIn(book, area)) {
            const pid = idOf(p);
            if (!seen.has(pid)) {
              seen.add(pid);
              list!.push(p);
            }
          }
        });
      precedents.set(id, list);
    }
    return list;
  };
  const formulaRoot = (c: CellId): CellId | undefined => {
    const sheet = book.sheets[c.sheet];
    const anchor = sheet.arrayAnchors.get(c.key);
    if (anchor !== undefined) return { sheet: c.sheet, key: anchor };
    return sheet.cells.get(c.key)?.formula !== undefined ? c : undefined;
  };

  for (const root of roots) {
    const start = formulaRoot(root);
    if (!start || state.get(idOf(start)) === 2) continue;
    const stack: { cell: CellId; next: number }[] = [{ cell: start, next: 0 }];
    state.set(idOf(start), 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const deps = directPrecedents(frame.cell);
      if (frame.next < deps.length) {
        const dep = deps[frame.next++];
        const s = state.get(idOf(dep));
        if (s === 2) continue;
        if (s === 1) {
          const cycle = stack
            .slice(stack.findIndex((f) => idOf(f.cell) === idOf(dep)))
            .map((f) => cellLabel(book, f.cell));
          throw new EngineError(
            'circular-reference',
            `circular reference: ${[...cycle, cycle[0]].join(' → ')}`,
            {
              cells: cycle,
            },
          );
        }
        state.set(idOf(dep), 1);
        stack.push({ cell: dep, next: 0 });
      } else {
        state.set(idOf(frame.cell), 2);
        order.push(frame.cell);
        stack.pop();
      }
    }
  }
  return { order, precedents };
}

/** True when the formula itself draws random numbers (RAND…, Risk*, MC.*). */
export function callsRandom(ast: FormulaNode): boolean {
  return someNode(ast, isRandomCall);
}

/** A call that draws a random number each trial: RAND(), RANDBETWEEN(), a distribution. */
export function isRandomCall(node: FormulaNode): boolean {
  return node.type === 'call' && isRandomFunction(node.name);
}
