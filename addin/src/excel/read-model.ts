/// <reference types="office-js" />
/**
 * Reads the open workbook into the shared WorkbookModel through Office.js: formulas and values of every
 * sheet's used range, in row blocks small enough for Excel on the web's 5 MB request limit (one
 * context.sync per block, never one per cell), dynamic-array anchors with the range they spill to, and
 * the defined names of workbook and sheet scope.
 */
import { ERROR_LITERALS } from '../../../shared/formula/lexer';
import {
  type CellModel,
  type CellValue,
  type DefinedName,
  LIMITS,
  type SheetModel,
  WorkbookModel,
} from '../../../shared/model';
import { cellAt, splitAddress } from './addresses';

export interface ReadProgress {
  sheet: string;
  sheetIndex: number;
  sheetCount: number;
  rowsDone: number;
  rowsTotal: number;
  cellsRead: number;
}

export interface ReadOptions {
  /** Cells per request to start with; halved when a block's payload comes close to the byte budget. */
  cellsPerRequest?: number;
  /** Stay well below Excel on the web's 5 MB limit: responses carry formulas, values and types. */
  bytesPerRequest?: number;
  /** Look up dynamic-array spill ranges (ExcelApi 1.12); defaults to what the host supports. */
  readSpills?: boolean;
  /** The service's limit (LIMITS.maxCells); reading stops once the workbook is known to exceed it. */
  maxCells?: number;
  onProgress?: (progress: ReadProgress) => void;
}

export interface ReadResult {
  model: WorkbookModel;
  cells: number;
  formulas: number;
  /** context.sync round trips used. */
  requests: number;
}

/** The workbook exceeds what the service accepts; the message carries the counts. */
export class ModelLimitError extends Error {
  constructor(
    message: string,
    readonly cells: number,
  ) {
    super(message);
  }
}

const DEFAULT_CELLS_PER_REQUEST = 20_000;
const DEFAULT_BYTES_PER_REQUEST = 2_500_000;
const KNOWN_ERRORS = new Set<string>(ERROR_LITERALS);

interface UsedArea {
  sheet: Excel.Worksheet;
  name: string;
  range: Excel.Range;
  names: Excel.NamedItemCollection;
}

type Grid = unknown[][];

export async function readWorkbookModel(
  context: Excel.RequestContext,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const counter = { requests: 0 };
  const sync = async () => {
    counter.requests++;
    await context.sync();
  };
  const readSpills = options.readSpills ?? spillsSupported();
  const byteBudget = options.bytesPerRequest ?? DEFAULT_BYTES_PER_REQUEST;
  let cellsPerRequest = options.cellsPerRequest ?? DEFAULT_CELLS_PER_REQUEST;
  const maxCells = options.maxCells ?? LIMITS.maxCells;

  const areas = await usedAreas(context, sync);
  const workbookNames = context.workbook.names;
  workbookNames.load('items');
  await sync();

  const sheets: SheetModel[] = [];
  let cellsRead = 0;
  let formulas = 0;
  for (const [sheetIndex, area] of areas.entries()) {
    const cells: Record<string, CellModel> = {};
    sheets.push({ name: area.name, cells });
    if (area.range.isNullObject) continue;
    const { rowIndex, columnIndex, rowCount, columnCount } = area.range;
    let row = 0;
    while (row < rowCount) {
      const rows = Math.max(1, Math.min(rowCount - row, Math.floor(cellsPerRequest / columnCount)));
      const block = area.sheet.getRangeByIndexes(rowIndex + row, columnIndex, rows, columnCount);
      block.load('formulas,values,valueTypes');
      await sync();
      const origin = { row: rowIndex + row, column: columnIndex };
      const added = addBlock(cells, block.formulas, block.values, block.valueTypes, origin);
      cellsRead += added.cells;
      formulas += added.formulas;
      if (cellsRead > maxCells) throw tooLarge(cellsRead, maxCells, sheets.length, areas.length);
      if (readSpills && added.spillCandidates.length > 0)
        await readSpillRanges(area.sheet, cells, added.spillCandidates, sync);
      if (payloadSize(block.formulas, block.values) > byteBudget / 2)
        cellsPerRequest = Math.max(columnCount, Math.floor(cellsPerRequest / 2));
      row += rows;
      options.onProgress?.({
        sheet: area.name,
        sheetIndex,
        sheetCount: areas.length,
        rowsDone: row,
        rowsTotal: rowCount,
        cellsRead,
      });
    }
  }

  const names = [
    ...workbookScope(workbookNames.items),
    ...areas.flatMap((a) => sheetScope(a.name, a.names.items)),
  ];
  return {
    model: validated({ version: 1, sheets, names }),
    cells: cellsRead,
    formulas,
    requests: counter.requests,
  };
}

function spillsSupported(): boolean {
  return (
    typeof Office !== 'undefined' && Office.context?.requirements?.isSetSupported('ExcelApi', '1.12') === true
  );
}

/** Every sheet with its used range (formulas or values, not formats) and its sheet-scoped names: two syncs. */
async function usedAreas(context: Excel.RequestContext, sync: () => Promise<void>): Promise<UsedArea[]> {
  const worksheets = context.workbook.worksheets;
  // 'items' rather than 'items/name': a handful of sheets, and office-addin-mock understands it
  worksheets.load('items');
  await sync();
  const areas = worksheets.items.map((sheet) => {
    const range = sheet.getUsedRangeOrNullObject(true);
    range.load('isNullObject,rowIndex,columnIndex,rowCount,columnCount');
    const names = sheet.names;
    names.load('items');
    return { sheet, name: sheet.name, range, names };
  });
  await sync();
  return areas;
}

interface BlockCells {
  cells: number;
  formulas: number;
  /** Formula cells whose right or lower neighbour shows a value without a formula: maybe spilling. */
  spillCandidates: { row: number; column: number; address: string }[];
}

function addBlock(
  cells: Record<string, CellModel>,
  formulaGrid: Grid,
  valueGrid: Grid,
  typeGrid: Grid,
  origin: { row: number; column: number },
): BlockCells {
  const result: BlockCells = { cells: 0, formulas: 0, spillCandidates: [] };
  const isFormula = (r: number, c: number) =>
    typeof formulaGrid[r]?.[c] === 'string' && String(formulaGrid[r][c]).startsWith('=');
  const showsValue = (r: number, c: number) => typeGrid[r]?.[c] !== undefined && typeGrid[r][c] !== 'Empty';
  for (let r = 0; r < formulaGrid.length; r++) {
    for (let c = 0; c < formulaGrid[r].length; c++) {
      const address = cellAt(origin.row + r, origin.column + c);
      if (isFormula(r, c)) {
        cells[address] = { formula: String(formulaGrid[r][c]) };
        result.cells++;
        result.formulas++;
        const neighbourSpilled = [
          [r, c + 1],
          [r + 1, c],
        ].some(([rr, cc]) => showsValue(rr, cc) && !isFormula(rr, cc));
        if (neighbourSpilled)
          result.spillCandidates.push({ row: r + origin.row, column: c + origin.column, address });
      } else if (showsValue(r, c)) {
        cells[address] = { value: cellValue(valueGrid[r][c], String(typeGrid[r][c])) };
        result.cells++;
      }
    }
  }
  return result;
}

function cellValue(value: unknown, type: string): CellValue {
  if (type === 'Error') {
    const text = String(value);
    return { error: (KNOWN_ERRORS.has(text) ? text : '#VALUE!') as (typeof ERROR_LITERALS)[number] };
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : { error: '#NUM!' };
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  return null;
}

/** One extra sync per block that has candidates: the anchors' spill ranges become array_ref. */
async function readSpillRanges(
  sheet: Excel.Worksheet,
  cells: Record<string, CellModel>,
  candidates: BlockCells['spillCandidates'],
  sync: () => Promise<void>,
): Promise<void> {
  const spills = candidates.map((candidate) => {
    const spill = sheet
      .getRangeByIndexes(candidate.row, candidate.column, 1, 1)
      .getSpillingToRangeOrNullObject();
    spill.load('isNullObject,address');
    return { candidate, spill };
  });
  await sync();
  for (const { candidate, spill } of spills) {
    if (spill.isNullObject) continue;
    const { start, end } = splitAddress(spill.address);
    const cell = cells[candidate.address];
    if ('formula' in cell && start !== end) cell.array_ref = `${start}:${end}`;
  }
}

/** Rough size of a block's response: enough to keep requests far from 5 MB. */
function payloadSize(formulaGrid: Grid, valueGrid: Grid): number {
  let bytes = 0;
  for (const grid of [formulaGrid, valueGrid])
    for (const row of grid) for (const v of row) bytes += typeof v === 'string' ? v.length + 3 : 8;
  return bytes;
}

function tooLarge(
  cellsRead: number,
  maxCells: number,
  sheetsRead: number,
  sheetCount: number,
): ModelLimitError {
  const more = sheetsRead < sheetCount ? ` in the first ${sheetsRead} of ${sheetCount} sheets` : '';
  const limit = maxCells.toLocaleString('en-US');
  return new ModelLimitError(
    `The workbook has more than ${limit} non-empty cells (${cellsRead.toLocaleString('en-US')} read${more}); ` +
      `the Montecell service accepts at most ${limit}. Move data the model does not use to another workbook.`,
    cellsRead,
  );
}

const HIDDEN_NAME = /^_xl(nm|fn|pm)\./i;

function definedName(item: Excel.NamedItem, scope?: string): DefinedName | undefined {
  const formula = typeof item.formula === 'string' ? item.formula : String(item.value ?? '');
  if (HIDDEN_NAME.test(item.name) || formula === '') return undefined;
  return {
    name: item.name,
    ref: formula.startsWith('=') ? formula : `=${formula}`,
    ...(scope ? { scope } : {}),
  };
}

function workbookScope(items: Excel.NamedItem[]): DefinedName[] {
  return items.map((item) => definedName(item)).filter((n): n is DefinedName => n !== undefined);
}

function sheetScope(sheet: string, items: Excel.NamedItem[]): DefinedName[] {
  return items.map((item) => definedName(item, sheet)).filter((n): n is DefinedName => n !== undefined);
}

/** The shared schema's verdict, with Excel-facing wording: formulas too long, duplicate sheets … */
function validated(candidate: WorkbookModel): WorkbookModel {
  const parsed = WorkbookModel.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => {
    const [, sheetIndex, , cell] = issue.path;
    const sheet = typeof sheetIndex === 'number' ? candidate.sheets[sheetIndex]?.name : undefined;
    return `${sheet ? `${sheet}${cell ? `!${String(cell)}` : ''}: ` : ''}${issue.message}`;
  });
  throw new ModelLimitError(`The workbook cannot be sent to the service: ${issues.join('; ')}`, 0);
}

/** The cells of one changed area as they are now: each cell of the area, undefined where it is empty. */
export interface CellPatch {
  sheet: string;
  cells: Record<string, CellModel | undefined>;
}

/**
 * Re-reads only the given areas (a worksheet's id or name, and a local address such as "B4" or "B4:C9"),
 * all in one sync, as the cells the WorkbookModel holds: what a change event names, without reading the
 * whole workbook again. Spill ranges are not looked up: a patched anchor keeps the one it had.
 */
export async function readAreas(
  context: Excel.RequestContext,
  areas: { worksheet: string; address: string }[],
): Promise<CellPatch[]> {
  const loaded = areas.map(({ worksheet, address }) => {
    const sheet = context.workbook.worksheets.getItem(worksheet);
    sheet.load('name');
    const range = sheet.getRange(address);
    range.load('formulas,values,valueTypes,rowIndex,columnIndex,rowCount,columnCount');
    return { sheet, range };
  });
  await context.sync();
  return loaded.map(({ sheet, range }) => {
    const found: Record<string, CellModel> = {};
    const origin = { row: range.rowIndex, column: range.columnIndex };
    addBlock(found, range.formulas, range.values, range.valueTypes, origin);
    const cells: Record<string, CellModel | undefined> = {};
    for (let r = 0; r < range.rowCount; r++)
      for (let c = 0; c < range.columnCount; c++) {
        const address = cellAt(origin.row + r, origin.column + c);
        cells[address] = found[address];
      }
    return { sheet: sheet.name, cells };
  });
}

/**
 * The model with the patches applied: a new WorkbookModel (the sheets patched are copied), so whoever
 * holds the old one keeps what it read. A formula cell's array_ref is kept while its formula is unchanged.
 */
export function patchModel(model: WorkbookModel, patches: CellPatch[]): WorkbookModel {
  const sheets = model.sheets.map((sheet) => {
    const mine = patches.filter((p) => p.sheet === sheet.name);
    if (mine.length === 0) return sheet;
    const cells = { ...sheet.cells };
    for (const patch of mine)
      for (const [address, cell] of Object.entries(patch.cells)) {
        const before = cells[address];
        if (!cell) delete cells[address];
        else if (before && 'formula' in before && 'formula' in cell && before.formula === cell.formula)
          cells[address] = { ...cell, ...(before.array_ref ? { array_ref: before.array_ref } : {}) };
        else cells[address] = cell;
      }
    return { ...sheet, cells };
  });
  return { ...model, sheets };
}
