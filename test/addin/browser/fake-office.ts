/**
 * A stand-in for office.js in the browser tests: the part of the Office and Excel JavaScript API the task
 * pane uses, backed by a workbook read from a real .xlsx on the Node side. Faithful where the add-in
 * could go wrong: properties are readable only after load() and context.sync() (PropertyNotLoaded
 * otherwise), writes take effect at sync, collections load through 'items', ranges address cells by
 * 0-based indexes, strings written through Range.values are parsed as if typed (a leading apostrophe
 * keeps text, "#DIV/0!" is the error), and each sync's request and response sizes are recorded: Excel on
 * the web rejects a request over 5 MB, and so does this fake.
 *
 * Bundled by esbuild into an IIFE and served in place of https://appsforoffice.microsoft.com/…/office.js.
 * The test reaches it through window.__fakeExcel.
 */
import { ERROR_LITERALS } from '../../../shared/formula/lexer';
import type { CellValue, WorkbookModel } from '../../../shared/model';

interface Init {
  model: WorkbookModel;
  /** Values of formula cells, keyed "Sheet!A1" (Excel's cached results). */
  values: Record<string, CellValue>;
  selection: string;
  /** Office's theme: the body background of the host's UI. */
  background?: string;
  /** Office.context.partitionKey: a string in Office on the web, absent (undefined) in some desktop hosts. */
  partitionKey?: string;
}

declare global {
  interface Window {
    __fakeExcelInit: Init;
    __fakeExcel: FakeState;
  }
}

interface FakeCell {
  formula?: string;
  value: CellValue;
}

interface FakeSheet {
  /** Office's worksheet id: a GUID in braces, stable while the sheet lives. */
  id: string;
  name: string;
  cells: Map<string, FakeCell>;
  names: { name: string; formula: string }[];
  /** Charts added through worksheet.charts, as Excel holds them. */
  charts?: FakeChart[];
  /** Column widths in points, by column letter. */
  columnWidths?: Record<string, number>;
  /** Number formats by cell. */
  numberFormats?: Record<string, string>;
  pageLayout?: {
    orientation?: string;
    zoom?: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number };
  };
}

interface FakeChart {
  type: string;
  /** The source range, "'Montecell Report'!L4:M24". */
  source: string;
  seriesBy: string;
  title?: string;
  legendVisible?: boolean;
  /** Top-left and bottom-right cells it covers. */
  position?: [string, string];
}

interface FakeState {
  sheets: FakeSheet[];
  workbookNames: { name: string; formula: string }[];
  selection: string;
  settings: Map<string, unknown>;
  syncs: number;
  /** The largest sync response, and the largest request (the queued writes as JSON), in bytes. */
  maxSyncBytes: number;
  maxRequestBytes: number;
  selected: string[];
  /** The handlers of worksheets.onChanged, as registered and not removed. */
  changeHandlers: Set<(event: WorksheetChangedEventArgs) => Promise<unknown>>;
  /** Cells of a sheet as a plain object, for assertions from the test. */
  dump(sheet: string): Record<string, CellValue>;
  /** The values the cells of a sheet show (a formula cell's result, not its formula). */
  values(sheet: string): Record<string, CellValue>;
  /** Custom-function calls Excel has running, by cell ("Model!F2"), and those it has cancelled. */
  invocations: Record<string, string>;
  cancelled: string[];
  /**
   * The user types into a cell ("Model!B4", "=RiskNormal(800,70)" or a number): the cell changes and
   * worksheets.onChanged fires with source "Local", as Excel raises it after a user's edit.
   */
  userEdit(cell: string, content: string | number): void;
  /** The user inserts an empty worksheet (Excel raises worksheets.onAdded, which the pane does not follow). */
  userAddSheet(name: string): void;
}

/** Excel.WorksheetChangedEventArgs (ExcelApi 1.7), the properties a handler reads. */
interface WorksheetChangedEventArgs {
  type: 'WorksheetChanged';
  worksheetId: string;
  /** The changed area on that worksheet, without the sheet's name: "B4", "B4:C9". */
  address: string;
  changeType: 'RangeEdited';
  source: 'Local' | 'Remote';
  triggerSource: 'ThisLocalAddin' | 'Unknown';
}

function columnName(index: number): string {
  let name = '';
  for (let c = index + 1; c > 0; c = Math.floor((c - 1) / 26))
    name = String.fromCharCode(65 + ((c - 1) % 26)) + name;
  return name;
}

function parseCell(address: string): { row: number; column: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(address.toUpperCase());
  if (!m) throw new Error(`InvalidArgument: bad cell address ${address}`);
  let column = 0;
  for (const ch of m[1]) column = column * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - 1, column: column - 1 };
}

function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

const init = window.__fakeExcelInit;
let sheetIdsGiven = 0;
const state: FakeState = {
  sheets: init.model.sheets.map((sheet) => ({
    id: sheetId(),
    name: sheet.name,
    cells: new Map(
      Object.entries(sheet.cells).map(([address, cell]) => [
        address,
        'formula' in cell
          ? { formula: cell.formula, value: init.values[`${sheet.name}!${address}`] ?? 0 }
          : { value: cell.value },
      ]),
    ),
    names: init.model.names
      .filter((n) => n.scope === sheet.name)
      .map((n) => ({ name: n.name, formula: n.ref })),
  })),
  workbookNames: init.model.names.filter((n) => !n.scope).map((n) => ({ name: n.name, formula: n.ref })),
  selection: init.selection,
  settings: new Map(),
  syncs: 0,
  maxSyncBytes: 0,
  maxRequestBytes: 0,
  selected: [],
  changeHandlers: new Set(),
  userEdit(cell, content) {
    const bang = cell.lastIndexOf('!');
    const sheet = sheetNamed(cell.slice(0, bang).replace(/^'(.*)'$/, '$1'));
    const address = cell.slice(bang + 1).toUpperCase();
    setCell(sheet, address, content);
    raiseChanged(sheet, address, 'Unknown');
  },
  userAddSheet(name) {
    addSheet(name);
  },
  dump(name) {
    const sheet = state.sheets.find((s) => s.name === name);
    return Object.fromEntries([...(sheet?.cells ?? [])].map(([a, c]) => [a, c.formula ?? c.value]));
  },
  values(name) {
    const sheet = state.sheets.find((s) => s.name === name);
    return Object.fromEntries([...(sheet?.cells ?? [])].map(([a, c]) => [a, c.value]));
  },
  invocations: {},
  cancelled: [],
};
window.__fakeExcel = state;

/** A new sheet's id: never one a deleted sheet had, as Excel's are unique. */
/** A new empty worksheet after the others. */
function addSheet(name: string): void {
  state.sheets.push({ id: sheetId(), name, cells: new Map(), names: [] });
}

function sheetId(): string {
  sheetIdsGiven += 1;
  return `{00000000-0001-0000-${String(sheetIdsGiven).padStart(4, '0')}-000000000000}`;
}

function sheetNamed(nameOrId: string): FakeSheet {
  const sheet = state.sheets.find((s) => s.name === nameOrId || s.id === nameOrId);
  if (!sheet) throw new Error(`ItemNotFound: no worksheet ${nameOrId}`);
  return sheet;
}

/** What typing into a cell does: a formula keeps its last value until Excel recalculates. */
function setCell(sheet: FakeSheet, address: string, content: unknown): void {
  const cell = typedCell(content);
  if (!cell) sheet.cells.delete(address);
  else if (cell.formula) sheet.cells.set(address, { ...cell, value: sheet.cells.get(address)?.value ?? 0 });
  else sheet.cells.set(address, cell);
}

/** Excel raises worksheets.onChanged after the change is made, never within the call that made it. */
function raiseChanged(sheet: FakeSheet, address: string, triggerSource: 'ThisLocalAddin' | 'Unknown'): void {
  const event: WorksheetChangedEventArgs = {
    type: 'WorksheetChanged',
    worksheetId: sheet.id,
    address,
    changeType: 'RangeEdited',
    source: 'Local',
    triggerSource,
  };
  for (const handler of state.changeHandlers) setTimeout(() => void handler({ ...event }), 0);
}

// ---------------------------------------------------------------------------------------------
// Proxy objects with Office.js load/sync semantics
// ---------------------------------------------------------------------------------------------

class RequestContext {
  private readonly pendingLoads = new Set<ClientObject>();
  private readonly queued: { apply: () => void; request: unknown }[] = [];
  readonly workbook: Workbook;

  constructor() {
    this.workbook = new Workbook(this);
  }

  trackLoad(object: ClientObject): void {
    this.pendingLoads.add(object);
  }

  /** An operation applied at sync, and what Office.js would send for it in the request. */
  queue(apply: () => void, request: unknown): void {
    this.queued.push({ apply, request });
  }

  async sync(): Promise<void> {
    state.syncs++;
    const operations = this.queued.splice(0);
    const requestBytes = new TextEncoder().encode(
      JSON.stringify({ Actions: operations.map((o) => o.request) }),
    ).length;
    state.maxRequestBytes = Math.max(state.maxRequestBytes, requestBytes);
    if (requestBytes > REQUEST_LIMIT_BYTES) {
      this.pendingLoads.clear();
      await new Promise((resolve) => setTimeout(resolve, 0));
      throw Object.assign(
        new Error(
          `RequestPayloadSizeLimitExceeded: The request payload size has exceeded the limit (${requestBytes} bytes).`,
        ),
        { name: 'RichApi.Error', code: 'RequestPayloadSizeLimitExceeded' },
      );
    }
    for (const operation of operations) operation.apply();
    let bytes = 0;
    for (const object of this.pendingLoads) bytes += object.resolve();
    this.pendingLoads.clear();
    state.maxSyncBytes = Math.max(state.maxSyncBytes, bytes);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** Excel on the web's limit on one request's payload. */
const REQUEST_LIMIT_BYTES = 5 * 1024 * 1024;

abstract class ClientObject {
  private readonly requested = new Set<string>();
  private readonly loaded = new Map<string, unknown>();

  constructor(protected readonly context: RequestContext) {}

  load(properties?: string | string[]): this {
    const list =
      properties === undefined ? ['*'] : Array.isArray(properties) ? properties : properties.split(',');
    for (const p of list) this.requested.add(p.trim().split('/')[0]);
    this.context.trackLoad(this);
    return this;
  }

  /** At sync: snapshot the requested properties; returns the response's size in bytes. */
  resolve(): number {
    let bytes = 0;
    for (const name of this.requested) {
      const names = name === '*' ? this.scalarNames() : [name];
      for (const n of names) {
        const value = this.read(n);
        this.loaded.set(n, value);
        bytes += responseSize(value);
      }
    }
    this.requested.clear();
    return bytes;
  }

  protected get<T>(name: string): T {
    if (!this.loaded.has(name))
      throw new Error(
        `PropertyNotLoaded: The property '${name}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    return this.loaded.get(name) as T;
  }

  protected abstract read(name: string): unknown;
  protected abstract scalarNames(): string[];
}

/** Bytes a property's value adds to the sync response (proxy objects count as a small reference). */
function responseSize(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + responseSize(v) + 1, 2);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype)
    return 64;
  return JSON.stringify(value ?? null).length;
}

class Workbook {
  readonly worksheets: WorksheetCollection;
  readonly names: NamedItemCollection;

  constructor(private readonly context: RequestContext) {
    this.worksheets = new WorksheetCollection(context);
    this.names = new NamedItemCollection(context, () => state.workbookNames);
  }

  getSelectedRange(): Range {
    const bang = state.selection.lastIndexOf('!');
    const sheetName = state.selection.slice(0, bang).replace(/^'(.*)'$/, '$1');
    const worksheet = new Worksheet(this.context, sheetName);
    return worksheet.getRange(state.selection.slice(bang + 1));
  }
}

class WorksheetCollection extends ClientObject {
  get items(): Worksheet[] {
    return this.get('items');
  }

  /** By name or by id, as Office.js's getItem. */
  getItem(key: string): Worksheet {
    return new Worksheet(this.context, sheetNamed(key).name);
  }

  /** ExcelApi 1.9: every worksheet's changes; the handler is removed through the result's remove(). */
  get onChanged() {
    const context = this.context;
    return {
      add(handler: (event: WorksheetChangedEventArgs) => Promise<unknown>) {
        context.queue(() => state.changeHandlers.add(handler), { method: 'onChanged.add' });
        return {
          context,
          remove: () =>
            context.queue(() => state.changeHandlers.delete(handler), { method: 'onChanged.remove' }),
        };
      },
    };
  }

  getItemOrNullObject(name: string): Worksheet {
    return new Worksheet(this.context, name);
  }

  add(name: string): Worksheet {
    // checked at sync, as Excel does: a sheet deleted earlier in the same batch frees its name
    this.context.queue(
      () => {
        if (state.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase()))
          throw new Error(`ItemAlreadyExists: a worksheet named ${name} exists`);
        addSheet(name);
      },
      { method: 'add', name },
    );
    return new Worksheet(this.context, name);
  }

  protected read(name: string): unknown {
    if (name !== 'items') throw new Error(`PropertyNotFound: ${name}`);
    return state.sheets.map((s) => new Worksheet(this.context, s.name, true));
  }

  protected scalarNames(): string[] {
    return ['items'];
  }
}

class NamedItemCollection extends ClientObject {
  constructor(
    context: RequestContext,
    private readonly source: () => { name: string; formula: string }[],
  ) {
    super(context);
  }

  get items(): { name: string; formula: string; value: string; type: string; visible: boolean }[] {
    return this.get('items');
  }

  protected read(name: string): unknown {
    if (name !== 'items') throw new Error(`PropertyNotFound: ${name}`);
    return this.source().map((n) => ({ ...n, value: n.formula.slice(1), type: 'Range', visible: true }));
  }

  protected scalarNames(): string[] {
    return ['items'];
  }
}

class Worksheet extends ClientObject {
  readonly names: NamedItemCollection;

  constructor(
    context: RequestContext,
    private readonly sheetName: string,
    /** Items of a loaded collection come with their scalar properties. */
    private readonly itemOfCollection = false,
  ) {
    super(context);
    this.names = new NamedItemCollection(context, () => this.sheet().names);
  }

  get name(): string {
    return this.itemOfCollection ? this.sheetName : this.get('name');
  }

  get id(): string {
    return this.itemOfCollection ? this.sheet().id : this.get('id');
  }

  /** From getItemOrNullObject, a sheet that does not exist: known after load and sync. */
  get isNullObject(): boolean {
    return this.get('isNullObject');
  }

  delete(): void {
    this.context.queue(
      () => {
        const sheet = this.sheet();
        for (const address of sheet.cells.keys()) cancelInvocation(`${sheet.name}!${address}`);
        state.sheets.splice(state.sheets.indexOf(sheet), 1);
      },
      { method: 'delete', sheet: this.sheetName },
    );
  }

  get charts(): ChartCollection {
    return new ChartCollection(this.context, this);
  }

  get pageLayout(): { orientation?: string; zoom?: object } {
    const queue = (change: NonNullable<FakeSheet['pageLayout']>) =>
      this.context.queue(
        () => {
          const sheet = this.sheet();
          sheet.pageLayout = { ...sheet.pageLayout, ...change };
        },
        { method: 'setPageLayout', sheet: this.sheetName, ...change },
      );
    return {
      set orientation(orientation: string) {
        if (!Object.values<string>(ENUMS.PageOrientation).includes(orientation))
          throw new Error(`InvalidArgument: page orientation ${orientation}`);
        queue({ orientation });
      },
      set zoom(zoom: NonNullable<FakeSheet['pageLayout']>['zoom']) {
        queue({ zoom: { ...zoom } });
      },
    };
  }

  sheet(): FakeSheet {
    const sheet = state.sheets.find((s) => s.name === this.sheetName);
    if (!sheet) throw new Error(`ItemNotFound: no worksheet ${this.sheetName}`);
    return sheet;
  }

  protected read(name: string): unknown {
    const sheet = state.sheets.find((s) => s.name.toLowerCase() === this.sheetName.toLowerCase());
    if (name === 'isNullObject') return sheet === undefined;
    if (!sheet) return undefined; // a null object's other properties load as undefined
    if (name === 'name') return sheet.name;
    if (name === 'id') return sheet.id;
    throw new Error(`PropertyNotFound: ${name}`);
  }

  protected scalarNames(): string[] {
    return ['name', 'id'];
  }

  getUsedRangeOrNullObject(_valuesOnly?: boolean): Range {
    return new Range(this.context, this, () => {
      const cells = [...this.sheet().cells.keys()].map(parseCell);
      if (cells.length === 0) return undefined;
      const top = Math.min(...cells.map((c) => c.row));
      const left = Math.min(...cells.map((c) => c.column));
      const bottom = Math.max(...cells.map((c) => c.row));
      const right = Math.max(...cells.map((c) => c.column));
      return { row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
    });
  }

  getRangeByIndexes(row: number, column: number, rows: number, columns: number): Range {
    return new Range(this.context, this, () => ({ row, column, rows, columns }));
  }

  getRange(address: string): Range {
    const [a, b = a] = address.split(':').map(parseCell);
    return this.getRangeByIndexes(
      Math.min(a.row, b.row),
      Math.min(a.column, b.column),
      Math.abs(a.row - b.row) + 1,
      Math.abs(a.column - b.column) + 1,
    );
  }

  activate(): void {
    this.context.queue(() => undefined, { method: 'activate', sheet: this.sheetName });
  }
}

interface Area {
  row: number;
  column: number;
  rows: number;
  columns: number;
}

class Range extends ClientObject {
  readonly format: {
    font: { bold?: boolean; size?: number };
    autofitColumns: () => void;
    columnWidth?: number;
  };

  constructor(
    context: RequestContext,
    private readonly worksheet: Worksheet,
    private readonly area: () => Area | undefined,
  ) {
    super(context);
    const range = this;
    this.format = {
      font: {},
      autofitColumns: () => undefined,
      set columnWidth(points: number) {
        const a = range.area()!;
        range.context.queue(
          () => {
            const sheet = range.worksheet.sheet();
            sheet.columnWidths ??= {};
            for (let c = a.column; c < a.column + a.columns; c++) sheet.columnWidths[columnName(c)] = points;
          },
          { method: 'setColumnWidth', points },
        );
      },
    };
  }

  /**
   * Written at sync: a cell's custom-function call is cancelled and a new formula's invoked, and Excel
   * then raises worksheets.onChanged for the area, as for any edit.
   */
  set formulas(formulas: unknown[][]) {
    this.writeGrid(
      formulas,
      'formulas',
      (sheet, address, content) => {
        cancelInvocation(`${sheet.name}!${address}`);
        setCell(sheet, address, content);
        if (sheet.cells.get(address)?.formula) void invokeCustomFunction(sheet, address);
      },
      (sheet) => raiseChanged(sheet, this.localAddress(), 'ThisLocalAddin'),
    );
  }

  set numberFormat(formats: unknown[][]) {
    this.writeGrid(formats, 'numberFormat', (sheet, address, format) => {
      sheet.numberFormats ??= {};
      sheet.numberFormats[address] = String(format);
    });
  }

  /** A property set with a 2-D array: Excel refuses one that is not the range's size. */
  private writeGrid(
    grid: unknown[][],
    property: string,
    write: (sheet: FakeSheet, address: string, value: unknown) => void,
    /** After the whole grid is written, within the same sync. */
    written: (sheet: FakeSheet) => void = () => {},
  ): void {
    const area = this.area()!;
    if (grid.length !== area.rows || grid.some((row) => row.length !== area.columns))
      throw new Error(
        `InvalidArgument: ${property} of ${grid.length} rows for a range of ${area.rows} × ${area.columns}`,
      );
    this.context.queue(
      () => {
        const sheet = this.worksheet.sheet();
        for (const [r, row] of grid.entries())
          for (const [c, value] of row.entries())
            write(sheet, `${columnName(area.column + c)}${area.row + r + 1}`, value);
        written(sheet);
      },
      { method: `set${property}`, address: this.localAddress(), values: grid },
    );
  }

  /** Its address on its sheet, quoted as Office.js writes it: "'Montecell Report'!L4:M24". */
  qualifiedAddress(): string {
    return `${quoteSheet(this.worksheet.sheet().name)}!${this.localAddress()}`;
  }

  get isNullObject(): boolean {
    return this.get('isNullObject');
  }
  get address(): string {
    return this.get('address');
  }
  get rowIndex(): number {
    return this.get('rowIndex');
  }
  get columnIndex(): number {
    return this.get('columnIndex');
  }
  get rowCount(): number {
    return this.get('rowCount');
  }
  get columnCount(): number {
    return this.get('columnCount');
  }
  get formulas(): unknown[][] {
    return this.get('formulas');
  }
  get valueTypes(): string[][] {
    return this.get('valueTypes');
  }
  get values(): unknown[][] {
    return this.get('values');
  }
  set values(values: unknown[][]) {
    const area = this.area()!;
    this.context.queue(
      () => {
        const sheet = this.worksheet.sheet();
        for (const [r, row] of values.entries())
          for (const [c, value] of row.entries()) {
            const address = `${columnName(area.column + c)}${area.row + r + 1}`;
            cancelInvocation(`${sheet.name}!${address}`);
            const cell = typedCell(value);
            if (cell) sheet.cells.set(address, cell);
            else sheet.cells.delete(address);
          }
        raiseChanged(sheet, this.localAddress(), 'ThisLocalAddin');
      },
      { method: 'setValues', address: this.localAddress(), values },
    );
  }

  select(): void {
    this.context.queue(() => state.selected.push(`${this.worksheet.sheet().name}!${this.localAddress()}`), {
      method: 'select',
      address: this.localAddress(),
    });
  }

  getSpillingToRangeOrNullObject(): Range {
    return new Range(this.context, this.worksheet, () => undefined);
  }

  private localAddress(): string {
    const a = this.area()!;
    const start = `${columnName(a.column)}${a.row + 1}`;
    const end = `${columnName(a.column + a.columns - 1)}${a.row + a.rows}`;
    return start === end ? start : `${start}:${end}`;
  }

  private grid<T>(cell: (c: FakeCell | undefined) => T): T[][] {
    const a = this.area()!;
    const cells = this.worksheet.sheet().cells;
    return Array.from({ length: a.rows }, (_, r) =>
      Array.from({ length: a.columns }, (_, c) =>
        cell(cells.get(`${columnName(a.column + c)}${a.row + r + 1}`)),
      ),
    );
  }

  protected read(name: string): unknown {
    const area = this.area();
    if (name === 'isNullObject') return area === undefined;
    if (!area) return undefined; // a null object's other properties load as undefined
    switch (name) {
      case 'address':
        return `${quoteSheet(this.worksheet.sheet().name)}!${this.localAddress()}`;
      case 'rowIndex':
        return area.row;
      case 'columnIndex':
        return area.column;
      case 'rowCount':
        return area.rows;
      case 'columnCount':
        return area.columns;
      case 'formulas':
        return this.grid((c) => c?.formula ?? displayValue(c?.value));
      case 'values':
        return this.grid((c) => displayValue(c?.value));
      case 'valueTypes':
        return this.grid((c) => valueType(c?.value));
      default:
        throw new Error(`PropertyNotFound: ${name}`);
    }
  }

  protected scalarNames(): string[] {
    return ['isNullObject', 'address', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount', 'values'];
  }
}

/**
 * A value written through Range.values, as Excel takes it: a string is parsed as if typed — a leading
 * apostrophe keeps the rest as text, "=" starts a formula, an error's text is the error, a number's text
 * the number. Undefined for an empty cell.
 */
function typedCell(value: unknown): FakeCell | undefined {
  if (value === '' || value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return { value: value as CellValue };
  if (value.startsWith("'")) return { value: value.slice(1) };
  if (value.startsWith('=')) return { formula: value, value: 0 };
  const error = ERROR_LITERALS.find((e) => e === value.toUpperCase());
  if (error) return { value: { error } as CellValue };
  if (/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)) return { value: Number(value) };
  if (/^(true|false)$/i.test(value)) return { value: value.toUpperCase() === 'TRUE' };
  return { value };
}

// ---------------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------------

/** The Excel enums the pane uses, with the string values Office.js gives them. */
const ENUMS = {
  ChartType: {
    columnClustered: 'ColumnClustered',
    barClustered: 'BarClustered',
    line: 'Line',
    xyscatter: 'XYScatter',
    xyscatterLines: 'XYScatterLines',
    xyscatterLinesNoMarkers: 'XYScatterLinesNoMarkers',
  },
  ChartSeriesBy: { auto: 'Auto', columns: 'Columns', rows: 'Rows' },
  PageOrientation: { portrait: 'Portrait', landscape: 'Landscape' },
} as const;

class ChartCollection {
  constructor(
    private readonly context: RequestContext,
    private readonly worksheet: Worksheet,
  ) {}

  /** Excel's charts.add(type, sourceData, seriesBy): the chart exists once the batch is synced. */
  add(type: string, sourceData: Range, seriesBy: string = ENUMS.ChartSeriesBy.auto): Chart {
    if (!Object.values(ENUMS.ChartType).includes(type as never))
      throw new Error(`InvalidArgument: chart type ${type}`);
    if (!Object.values(ENUMS.ChartSeriesBy).includes(seriesBy as never))
      throw new Error(`InvalidArgument: series by ${seriesBy}`);
    if (!(sourceData instanceof Range)) throw new Error('InvalidArgument: sourceData is not a Range');
    const chart: FakeChart = { type, source: '', seriesBy };
    this.context.queue(
      () => {
        chart.source = sourceData.qualifiedAddress();
        const sheet = this.worksheet.sheet();
        sheet.charts ??= [];
        sheet.charts.push(chart);
      },
      { method: 'addChart', type, seriesBy },
    );
    return new Chart(this.context, chart);
  }
}

class Chart {
  readonly title: { text?: string };
  readonly legend: { visible?: boolean };

  constructor(
    private readonly context: RequestContext,
    private readonly chart: FakeChart,
  ) {
    this.title = {
      set text(text: string) {
        context.queue(
          () => {
            chart.title = text;
          },
          { method: 'setTitle', text },
        );
      },
    };
    this.legend = {
      set visible(visible: boolean) {
        context.queue(
          () => {
            chart.legendVisible = visible;
          },
          { method: 'setLegendVisible', visible },
        );
      },
    };
  }

  setPosition(startCell: string | Range, endCell?: string | Range): void {
    const cell = (c: string | Range | undefined) => (typeof c === 'string' ? parseCell(c) && c : undefined);
    const start = cell(startCell);
    if (!start) throw new Error('InvalidArgument: setPosition takes cell addresses here');
    this.context.queue(
      () => {
        this.chart.position = [start, cell(endCell) ?? start];
      },
      { method: 'setPosition', start, end: cell(endCell) },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Custom functions: Excel calls the add-in's functions for the cells that use them
// ---------------------------------------------------------------------------------------------

interface FunctionMetadata {
  id: string;
  options?: { stream?: boolean; requiresStreamAddress?: boolean; requiresStreamParameterAddresses?: boolean };
}

class CustomFunctionError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message);
  }
}

const associated = new Map<string, (...args: unknown[]) => unknown>();
const running = new Map<string, { onCanceled?: () => void }>();
let metadata: Promise<Map<string, FunctionMetadata>> | undefined;

/** functions.json, as Excel reads it from the manifest's Functions.Metadata.Url (served beside the pane). */
function functionMetadata(): Promise<Map<string, FunctionMetadata>> {
  metadata ??= fetch(new URL('functions.json', location.href).href)
    .then((response) => response.json())
    .then((json: { functions: FunctionMetadata[] }) => new Map(json.functions.map((f) => [f.id, f])));
  return metadata;
}

/** The cell no longer calls the function (formula changed, cell cleared, sheet deleted): Excel cancels it. */
function cancelInvocation(cell: string): void {
  const invocation = running.get(cell);
  if (!invocation) return;
  running.delete(cell);
  delete state.invocations[cell];
  state.cancelled.push(cell);
  invocation.onCanceled?.();
}

/**
 * `=MC.NAME(arg, …)` with cell references, numbers and strings as arguments, alone or times a number
 * (`=MC.TARGET(B22,0)*100`, which Excel computes from the call's result): what the tests write.
 */
const CALL = /^=MC\.([A-Z0-9.]+)\((.*)\)(?:\*(\d+(?:\.\d+)?))?$/i;

function argumentOf(sheet: FakeSheet, text: string): { value: unknown; address: string } {
  const trimmed = text.trim();
  if (/^".*"$/.test(trimmed)) return { value: trimmed.slice(1, -1).replace(/""/g, '"'), address: '' };
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return { value: Number(trimmed), address: '' };
  const bang = trimmed.lastIndexOf('!');
  const sheetName =
    bang < 0
      ? sheet.name
      : trimmed
          .slice(0, bang)
          .replace(/^'(.*)'$/, '$1')
          .replace(/''/g, "'");
  const cell = trimmed
    .slice(bang + 1)
    .replace(/\$/g, '')
    .toUpperCase();
  parseCell(cell);
  const source = state.sheets.find((s) => s.name === sheetName);
  const value = source?.cells.get(cell)?.value;
  return { value: displayValue(value ?? undefined), address: `${quoteSheet(sheetName)}!${cell}` };
}

function resultValue(result: unknown): CellValue {
  if (result instanceof CustomFunctionError) return { error: result.code } as CellValue;
  if (result instanceof Error) return { error: '#VALUE!' };
  return result as CellValue;
}

/** Calls the function a formula cell uses, as Excel does when the formula is entered or the add-in loads. */
async function invokeCustomFunction(sheet: FakeSheet, address: string): Promise<void> {
  const formula = sheet.cells.get(address)?.formula ?? '';
  const match = CALL.exec(formula);
  if (!match) return;
  const id = match[1].toUpperCase();
  const fn = associated.get(id);
  const meta = (await functionMetadata()).get(id);
  if (!fn || !meta || sheet.cells.get(address)?.formula !== formula) return;
  const args = match[2].trim() === '' ? [] : match[2].split(',').map((a) => argumentOf(sheet, a));
  const factor = match[3] === undefined ? 1 : Number(match[3]);
  const set = (value: unknown) => {
    const cell = sheet.cells.get(address);
    const result = resultValue(value);
    if (cell?.formula === formula) cell.value = typeof result === 'number' ? result * factor : result;
  };
  if (!meta.options?.stream) {
    try {
      set(fn(...args.map((a) => a.value)));
    } catch (error) {
      set(error);
    }
    return;
  }
  const key = `${sheet.name}!${address}`;
  const invocation: Record<string, unknown> = {
    setResult: (value: unknown) => {
      if (running.get(key) === invocation) set(value);
    },
    onCanceled: undefined,
  };
  if (meta.options.requiresStreamAddress) invocation.address = `${quoteSheet(sheet.name)}!${address}`;
  if (meta.options.requiresStreamParameterAddresses)
    invocation.parameterAddresses = args.map((a) => a.address);
  running.set(key, invocation);
  state.invocations[key] = formula;
  fn(...args.map((a) => a.value), invocation);
}

function displayValue(value: CellValue | undefined): unknown {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? value.error : value;
}

function valueType(value: CellValue | undefined): string {
  if (value === undefined || value === null) return 'Empty';
  if (typeof value === 'object') return 'Error';
  if (typeof value === 'number') return 'Double';
  return typeof value === 'boolean' ? 'Boolean' : 'String';
}

// ---------------------------------------------------------------------------------------------
// Globals
// ---------------------------------------------------------------------------------------------

const globals = window as unknown as Record<string, unknown>;

globals.Office = {
  HostType: { Excel: 'Excel' },
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
  onReady(callback?: (info: { host: string; platform: string }) => void) {
    const info = { host: 'Excel', platform: 'OfficeOnline' };
    return new Promise((resolve) =>
      setTimeout(() => {
        callback?.(info);
        resolve(info);
      }, 0),
    );
  },
  context: {
    partitionKey: init.partitionKey,
    officeTheme: { bodyBackgroundColor: init.background ?? '#ffffff' },
    requirements: {
      // ExcelApi 1.12 and below, compared as versions: 1.9 is below 1.12
      isSetSupported: (name: string, version: string) =>
        name === 'ExcelApi' && version.split('.')[0] === '1' && Number(version.split('.')[1] ?? 0) <= 12,
    },
    document: {
      settings: {
        get: (key: string) => state.settings.get(key) ?? null,
        set: (key: string, value: unknown) => state.settings.set(key, JSON.parse(JSON.stringify(value))),
        remove: (key: string) => state.settings.delete(key),
        saveAsync: (callback?: (result: { status: string }) => void) =>
          setTimeout(() => callback?.({ status: 'succeeded' }), 0),
      },
    },
  },
};

globals.CustomFunctions = {
  Error: CustomFunctionError,
  ErrorCode: { invalidValue: '#VALUE!', notAvailable: '#N/A', divisionByZero: '#DIV/0!' },
  /** Appended to functions.js by custom-functions-metadata-plugin; Excel then calls the cells using it. */
  associate(id: string, fn: (...args: unknown[]) => unknown) {
    associated.set(id.toUpperCase(), fn);
    for (const sheet of state.sheets)
      for (const address of sheet.cells.keys()) void invokeCustomFunction(sheet, address);
  },
};

globals.Excel = {
  ...ENUMS,
  /** Excel.run(batch), or Excel.run(object, batch) to go on with an earlier batch's objects (its context). */
  run: async <T>(
    first: ((context: RequestContext) => Promise<T>) | { context: RequestContext },
    second?: (context: RequestContext) => Promise<T>,
  ): Promise<T> => {
    const context = typeof first === 'function' ? new RequestContext() : first.context;
    const batch = typeof first === 'function' ? first : (second as (context: RequestContext) => Promise<T>);
    const result = await batch(context);
    await context.sync();
    return result;
  },
};
