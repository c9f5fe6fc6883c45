/**
 * Excel stores a block of similar formulas once (`<f t="shared">` on the first cell); each other cell of
 * the block means the same formula with its relative references moved by the cell's offset.
 */

import { parseFormula, printFormula } from '../../shared/formula';
import type { CellCoordinate, FormulaNode } from '../../shared/formula/ast';
import { mapChildren } from '../../shared/formula/walk';
import { LIMITS } from '../../shared/model/limits';

const cache = new Map<string, FormulaNode>();

export function translateFormula(text: string, rowOffset: number, colOffset: number): string {
  let ast = cache.get(text);
  if (!ast) {
    ast = parseFormula(text);
    if (cache.size > 10_000) cache.clear();
    cache.set(text, ast);
  }
  return printFormula(shiftReferences(ast, rowOffset, colOffset));
}

function shiftIndex(value: number, absolute: boolean, offset: number, max: number): number | undefined {
  if (absolute) return value;
  const moved = value + offset;
  return moved >= 1 && moved <= max ? moved : undefined;
}

function shiftCoordinate(c: CellCoordinate, dr: number, dc: number): CellCoordinate | undefined {
  const row = c.row === undefined ? undefined : shiftIndex(c.row, c.rowAbsolute, dr, LIMITS.maxRows);
  const col = c.col === undefined ? undefined : shiftIndex(c.col, c.colAbsolute, dc, LIMITS.maxColumns);
  if ((c.row !== undefined && row === undefined) || (c.col !== undefined && col === undefined))
    return undefined;
  return { ...c, row, col };
}

const REF_ERROR: FormulaNode = { type: 'error', code: '#REF!' };

/** A copy of the tree with every relative reference moved; references pushed off the grid become #REF!. */
export function shiftReferences(node: FormulaNode, dr: number, dc: number): FormulaNode {
  switch (node.type) {
    case 'cell': {
      const moved = shiftCoordinate(node, dr, dc);
      return moved ? { ...node, row: moved.row!, col: moved.col! } : REF_ERROR;
    }
    case 'range': {
      const start = shiftCoordinate(node.start, dr, dc);
      const end = shiftCoordinate(node.end, dr, dc);
      return start && end ? { ...node, start, end } : REF_ERROR;
    }
    default:
      return mapChildren(node, (child) => shiftReferences(child, dr, dc));
  }
}
