/**
 * First stage of the pipeline: the shared `WorkbookModel` becomes an `EngineWorkbook` in which every
 * formula is parsed once, cells are indexed by sheet and packed key, and defined names are parsed.
 * Parse errors are kept per cell (the engine reports them with the cell's address).
 */

import { FormulaParseError, parseFormula } from '../../../shared/formula';
import type { FormulaNode } from '../../../shared/formula/ast';
import { tryParseCellAddress } from '../../../shared/formula/references';
import { translatePsiCalls } from '../../../shared/functions/psi';
import type { CellValue, WorkbookModel } from '../../../shared/model';
import { cellKey, keyCol, keyRow, qualifiedAddress } from '../graph/addresses';
import { MAX_ARRAY_FORMULA_CELLS, tooComplex } from '../limits';
import { ExcelError, type Scalar } from '../values/value';

export interface Area {
  sheet: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface EngineCell {
  row: number;
  col: number;
  /** Formula text without "="; absent for value cells. */
  formula?: string;
  ast?: FormulaNode;
  parseError?: string;
  /** Constant value (value cells only). */
  value: Scalar;
  /** For array formulas: the area the result fills. */
  arrayArea?: Area;
}

export interface EngineSheet {
  name: string;
  index: number;
  cells: Map<number, EngineCell>;
  /** Keys of formula cells, sorted. */
  formulaKeys: number[];
  /** Member cell key → anchor cell key, for cells filled by an array formula. */
  arrayAnchors: Map<number, number>;
  maxRow: number;
  maxCol: number;
}

export interface EngineName {
  name: string;
  /** Sheet index for sheet-scoped names. */
  scope?: number;
  ast?: FormulaNode;
  parseError?: string;
}

export interface EngineWorkbook {
  sheets: EngineSheet[];
  sheetByName: Map<string, number>;
  /** Lower-case name → definitions (one workbook-scoped and/or several sheet-scoped). */
  names: Map<string, EngineName[]>;
}

export function toScalar(value: CellValue): Scalar {
  if (value !== null && typeof value === 'object') return ExcelError.of(value.error);
  return value;
}

function parseOrError(text: string): { ast?: FormulaNode; parseError?: string } {
  try {
    // Analytic Solver's Psi* calls are read as the @RISK calls they are equivalent to.
    return { ast: translatePsiCalls(parseFormula(text)) };
  } catch (error) {
    if (error instanceof FormulaParseError) return { parseError: error.message };
    throw error;
  }
}

export function parseModel(model: WorkbookModel): EngineWorkbook {
  const sheetByName = new Map<string, number>();
  for (const [i, s] of model.sheets.entries()) sheetByName.set(s.name.toLowerCase(), i);

  const sheets = model.sheets.map((sheet, index): EngineSheet => {
    const cells = new Map<number, EngineCell>();
    const formulaKeys: number[] = [];
    const arrayAnchors = new Map<number, number>();
    let maxRow = 0;
    let maxCol = 0;
    for (const [address, cell] of Object.entries(sheet.cells)) {
      const pos = tryParseCellAddress(address);
      if (!pos) continue;
      const key = cellKey(pos.row, pos.col);
      maxRow = Math.max(maxRow, pos.row);
      maxCol = Math.max(maxCol, pos.col);
      if ('formula' in cell) {
        const text = cell.formula.startsWith('=') ? cell.formula.slice(1) : cell.formula;
        const engineCell: EngineCell = {
          row: pos.row,
          col: pos.col,
          formula: text,
          value: null,
          ...parseOrError(text),
        };
        if (cell.array_ref) engineCell.arrayArea = parseArea(cell.array_ref, index) ?? undefined;
        cells.set(key, engineCell);
        formulaKeys.push(key);
      } else {
        cells.set(key, { row: pos.row, col: pos.col, value: toScalar(cell.value) });
      }
    }
    formulaKeys.sort((a, b) => a - b);
    return { name: sheet.name, index, cells, formulaKeys, arrayAnchors, maxRow, maxCol };
  });

  let arrayCells = 0;
  for (const sheet of sheets)
    for (const key of sheet.formulaKeys) {
      const area = sheet.cells.get(key)!.arrayArea;
      if (!area) continue;
      arrayCells += (area.bottom - area.top + 1) * (area.right - area.left + 1);
      if (arrayCells > MAX_ARRAY_FORMULA_CELLS) {
        const cell = qualifiedAddress(sheet.name, keyRow(key), keyCol(key));
        throw tooComplex(
          `${cell}: array formulas fill more than ${MAX_ARRAY_FORMULA_CELLS.toLocaleString('en-US')} cells in all`,
          { cell },
        );
      }
      for (let r = area.top; r <= area.bottom; r++)
        for (let c = area.left; c <= area.right; c++) {
          const member = cellKey(r, c);
          if (member !== key) sheet.arrayAnchors.set(member, key);
        }
      sheet.maxRow = Math.max(sheet.maxRow, area.bottom);
      sheet.maxCol = Math.max(sheet.maxCol, area.right);
    }

  const names = new Map<string, EngineName[]>();
  for (const n of model.names ?? []) {
    const text = n.ref.startsWith('=') ? n.ref.slice(1) : n.ref;
    const scope = n.scope !== undefined ? sheetByName.get(n.scope.toLowerCase()) : undefined;
    const entry: EngineName = {
      name: n.name,
      ...(scope !== undefined ? { scope } : {}),
      ...parseOrError(text),
    };
    const key = n.name.toLowerCase();
    names.set(key, [...(names.get(key) ?? []), entry]);
  }
  return { sheets, sheetByName, names };
}

/** "B2:C5" or "B2" on the given sheet. */
export function parseArea(text: string, sheet: number): Area | undefined {
  const [a, b] = text.split(':');
  const start = tryParseCellAddress(a);
  const end = b === undefined ? start : tryParseCellAddress(b);
  if (!start || !end) return undefined;
  return {
    sheet,
    top: Math.min(start.row, end.row),
    left: Math.min(start.col, end.col),
    bottom: Math.max(start.row, end.row),
    right: Math.max(start.col, end.col),
  };
}
