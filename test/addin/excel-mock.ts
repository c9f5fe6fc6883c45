/**
 * An office-addin-mock Excel workbook for the Office.js layer's unit tests: sheets given as grids of
 * constants and formulas placed at an origin, defined names, and spill ranges. context.sync() is counted
 * and syncs every mock object the code under test obtained.
 */
import { OfficeMockObject } from 'office-addin-mock';

// office-addin-mock only needs the OfficeApp host names from office-addin-manifest, whose dependency tree
// includes ES modules jest cannot require on Node 20
jest.mock('office-addin-manifest', () => ({
  OfficeApp: {
    Excel: 'excel',
    OneNote: 'onenote',
    Outlook: 'outlook',
    PowerPoint: 'powerpoint',
    Project: 'project',
    Word: 'word',
  },
}));

export { OfficeMockObject };

export type Entry = string | number | boolean | null;

export interface MockSheet {
  name: string;
  /** 0-based row and column of the grid's top-left cell. */
  origin?: [number, number];
  grid: Entry[][];
  names?: { name: string; formula: string }[];
}

export interface MockWorkbook {
  sheets: MockSheet[];
  names?: { name: string; formula: string }[];
  /** "Sheet1!C2" → "Sheet1!$C$2:$C$4" for dynamic-array anchors. */
  spills?: Record<string, string>;
  selection?: string;
}

const ERROR = /^#[A-Z0-9/]+[!?A]$/;

function typeOf(entry: Entry): string {
  if (entry === null) return 'Empty';
  if (typeof entry === 'number') return 'Double';
  if (typeof entry === 'boolean') return 'Boolean';
  if (ERROR.test(entry) || entry === '#N/A') return 'Error';
  return 'String';
}

function columnName(column: number): string {
  let name = '';
  for (let c = column + 1; c > 0; c = Math.floor((c - 1) / 26))
    name = String.fromCharCode(65 + ((c - 1) % 26)) + name;
  return name;
}

export function mockExcel(book: MockWorkbook) {
  const tracked: OfficeMockObject[] = [];
  const track = <T extends OfficeMockObject>(mock: T): T => {
    tracked.push(mock);
    return mock;
  };
  const written: { sheet: string; row: number; column: number; values: unknown[][] }[] = [];
  const added: string[] = [];
  const selected: string[] = [];
  let syncs = 0;

  const sheetObject = (sheet: MockSheet) => {
    const [top, left] = sheet.origin ?? [0, 0];
    const rows = sheet.grid.length;
    const columns = Math.max(0, ...sheet.grid.map((r) => r.length));
    const at = (r: number, c: number): Entry => sheet.grid[r - top]?.[c - left] ?? null;
    const block = (row: number, column: number, rowCount: number, columnCount: number) => {
      const cells = Array.from({ length: rowCount }, (_, i) =>
        Array.from({ length: columnCount }, (_, j) => at(row + i, column + j)),
      );
      const range = {
        formulas: cells.map((r) => r.map((e) => (e === null ? '' : e))),
        values: cells.map((r) =>
          r.map((e) => (e === null ? '' : typeof e === 'string' && e.startsWith('=') ? 0 : e)),
        ),
        valueTypes: cells.map((r) =>
          r.map((e) => (typeof e === 'string' && e.startsWith('=') ? 'Double' : typeOf(e))),
        ),
        format: { font: {} },
        getSpillingToRangeOrNullObject: () => {
          const spill = book.spills?.[`${sheet.name}!${columnName(column)}${row + 1}`];
          return track(new OfficeMockObject({ isNullObject: spill === undefined, address: spill ?? '' }));
        },
      };
      const mock = track(new OfficeMockObject(range));
      // the mock's own bookkeeping assigns strings (not loaded / not synced) or the loaded grid itself;
      // anything else is the code under test writing cells
      let current: unknown = (mock as unknown as { values: unknown }).values;
      Object.defineProperty(mock, 'values', {
        set(values: unknown) {
          if (typeof values === 'string' || values === range.values) current = values;
          else written.push({ sheet: sheet.name, row, column, values: values as unknown[][] });
        },
        get: () => current,
      });
      return mock;
    };
    return {
      name: sheet.name,
      names: track(new OfficeMockObject({ items: sheet.names ?? [] })),
      getUsedRangeOrNullObject: () =>
        track(
          new OfficeMockObject({
            isNullObject: rows === 0,
            rowIndex: top,
            columnIndex: left,
            rowCount: rows,
            columnCount: columns,
          }),
        ),
      getRangeByIndexes: block,
      getRange: (address: string) => ({ select: () => selected.push(`${sheet.name}!${address}`) }),
      activate: () => undefined,
    };
  };

  const sheets = book.sheets.map(sheetObject);
  const context = new OfficeMockObject({
    workbook: {
      worksheets: {
        items: sheets,
        getItem: (name: string) => sheets.find((s) => s.name === name),
        add: (name: string) => {
          added.push(name);
          const sheet = sheetObject({ name, grid: [] });
          sheets.push(sheet);
          return sheet;
        },
      },
      names: { items: book.names ?? [] },
      getSelectedRange: () => track(new OfficeMockObject({ address: book.selection ?? 'Sheet1!A1' })),
    },
    sync: async () => {
      syncs++;
      await OfficeMockObject.prototype.sync.call(context);
      for (const mock of tracked) await mock.sync();
    },
  });
  return {
    context: context as unknown as Excel.RequestContext,
    syncs: () => syncs,
    written,
    added,
    selected,
  };
}
