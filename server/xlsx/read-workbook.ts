/**
 * Reads an .xlsx file into the shared `WorkbookModel`: formulas (shared formulas expanded, array and
 * dynamic-array formulas with their ranges), values, and defined names with their scope. The values Excel
 * cached in formula cells are returned separately: the engine never uses them, tests compare against them.
 */
import { SaxesParser } from 'saxes';
import { ERROR_LITERALS, NUMBERED_ERRORS } from '../../shared/formula/lexer';
import { tryParseCellAddress } from '../../shared/formula/references';
import type { CellModel, CellValue, DefinedName, SheetModel, WorkbookModel } from '../../shared/model';
import { type PackageLimits, readPackage, XlsxError } from './package-reader';
import { translateFormula } from './shared-formulas';

export interface XlsxWorkbook {
  model: WorkbookModel;
  /** Values Excel stored for formula cells, keyed "Sheet!A1". */
  cachedValues: Map<string, CellValue>;
}

export interface WorkbookLimits extends PackageLimits {
  /** Cells (values and formulas) across every sheet; reading stops as soon as there are more. */
  maxCells?: number;
}

export function readWorkbook(bytes: Uint8Array, limits?: WorkbookLimits): XlsxWorkbook {
  const parts = readPackage(bytes, limits);
  const cellBudget = new CellBudget(limits?.maxCells ?? Number.POSITIVE_INFINITY);
  const book = parseWorkbookPart(parts.get('xl/workbook.xml')!);
  const sharedStrings = parseSharedStrings(parts.get('xl/sharedStrings.xml'));

  const cachedValues = new Map<string, CellValue>();
  const sheetXml = sheetPartPaths(parts).map(({ name, path }) => {
    const xml = path ? parts.get(path) : undefined;
    if (xml === undefined) throw new XlsxError('corrupt', `the sheet "${name}" is missing from the file`);
    cellBudget.precheck(xml);
    return xml;
  });
  const richErrors = parseRichErrors(parts);
  const sheets: SheetModel[] = book.sheets.map((entry, i) =>
    parseWorksheet(entry.name, sheetXml[i], sharedStrings, richErrors, cachedValues, cellBudget),
  );

  const names: DefinedName[] = book.names
    .filter((n) => !n.name.startsWith('_xlnm.'))
    .map((n) => ({
      name: n.name,
      ref: `=${n.text}`,
      ...(n.localSheetId !== undefined ? { scope: book.sheets[n.localSheetId]?.name } : {}),
    }));

  return { model: { version: 1, sheets, names }, cachedValues };
}

/** Each sheet's name and the path of its part in the package, in the workbook's order. */
export function sheetPartPaths(parts: ReadonlyMap<string, string>): { name: string; path?: string }[] {
  const book = parseWorkbookPart(parts.get('xl/workbook.xml') ?? '');
  const rels = parseRelationships(parts.get('xl/_rels/workbook.xml.rels'));
  return book.sheets.map(({ name, relId }) => {
    const target = rels.get(relId);
    return { name, ...(target ? { path: resolvePartPath(target) } : {}) };
  });
}

function resolvePartPath(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return `xl/${target}`.replace(/\/\.\//g, '/');
}

/** Calls `onOpen`/`onClose` with local element names (prefixes such as `x:` stripped) and collects text. */
function parseXml(
  xml: string,
  handlers: {
    open?: (name: string, attrs: Record<string, string>) => void;
    close?: (name: string, text: string) => void;
  },
): void {
  const parser = new SaxesParser();
  let text = '';
  parser.on('opentag', (tag) => {
    text = '';
    handlers.open?.(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    handlers.close?.(localName(tag.name), text);
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof XlsxError) throw error;
    throw new XlsxError('corrupt', 'the .xlsx file is damaged: one of its XML parts is not well-formed');
  }
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

interface WorkbookPart {
  sheets: { name: string; relId: string }[];
  names: { name: string; text: string; localSheetId?: number }[];
}

function parseWorkbookPart(xml: string): WorkbookPart {
  const part: WorkbookPart = { sheets: [], names: [] };
  let pendingName: { name: string; localSheetId?: number } | undefined;
  parseXml(xml, {
    open(name, attrs) {
      if (name === 'sheet') {
        const relId = Object.entries(attrs).find(([k]) => localName(k) === 'id' && k !== 'sheetId')?.[1];
        if (attrs.name === undefined)
          throw new XlsxError('corrupt', 'a sheet in xl/workbook.xml has no name');
        part.sheets.push({ name: attrs.name, relId: relId ?? '' });
      } else if (name === 'definedName') {
        if (attrs.name === undefined)
          throw new XlsxError('corrupt', 'a defined name in xl/workbook.xml has no name');
        pendingName = {
          name: attrs.name,
          ...(attrs.localSheetId !== undefined ? { localSheetId: Number(attrs.localSheetId) } : {}),
        };
      }
    },
    close(name, text) {
      if (name === 'definedName' && pendingName) {
        part.names.push({ ...pendingName, text });
        pendingName = undefined;
      }
    },
  });
  if (part.sheets.length === 0) throw new XlsxError('corrupt', 'the workbook has no sheets');
  return part;
}

function parseRelationships(xml: string | undefined): Map<string, string> {
  const rels = new Map<string, string>();
  if (xml === undefined) return rels;
  parseXml(xml, {
    open(name, attrs) {
      if (name === 'Relationship') rels.set(attrs.Id, attrs.Target);
    },
  });
  return rels;
}

function parseSharedStrings(xml: string | undefined): string[] {
  const strings: string[] = [];
  if (xml === undefined) return strings;
  let current = '';
  let inPhonetic = false;
  parseXml(xml, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name, text) {
      if (name === 't' && !inPhonetic) current += text;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') strings.push(unescapeOoxml(current));
    },
  });
  return strings;
}

const ERROR_CODES: ReadonlySet<string> = new Set(ERROR_LITERALS);

/** OOXML writes characters XML cannot hold (control characters) as _xHHHH_, and a literal "_x" as _x005F_x. */
export function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

function cellValue(
  type: string | undefined,
  raw: string,
  inline: string,
  sharedStrings: string[],
): CellValue {
  switch (type) {
    case 's':
      return sharedStrings[Number(raw)] ?? '';
    case 'str':
      return unescapeOoxml(raw);
    case 'inlineStr':
      return unescapeOoxml(inline);
    case 'b':
      return raw === '1' || raw.toLowerCase() === 'true';
    case 'e':
      return ERROR_CODES.has(raw) ? { error: raw as '#N/A' } : { error: '#VALUE!' };
    case 'd': {
      const ms = Date.parse(raw.endsWith('Z') ? raw : `${raw}Z`);
      return Number.isNaN(ms) ? raw : ms / 86_400_000 + 25569;
    }
    default: {
      if (raw === '') return null;
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
  }
}

/**
 * The error each value-metadata index (a cell's `vm`, 1-based) stands for, where it is an error. Excel
 * writes its newer errors (#SPILL!, #CALC!…) as `t="e"` cells holding #VALUE! for older readers, with a
 * `vm` attribute pointing through xl/metadata.xml to a rich value that says which error it really is.
 */
function parseRichErrors(parts: Map<string, string>): Map<number, string> {
  const errors = new Map<number, string>();
  const metadata = parts.get('xl/metadata.xml');
  const values = parts.get('xl/richData/rdrichvalue.xml');
  const structures = parts.get('xl/richData/rdrichvaluestructure.xml');
  if (!metadata || !values || !structures) return errors;
  // Which structures are errors, and where their errorType key sits.
  const errorTypeAt = new Map<number, number>();
  let structure = -1;
  let key = 0;
  parseXml(structures, {
    open(name, attrs) {
      if (name === 's') {
        structure++;
        key = 0;
        if (attrs.t !== '_error') key = -1;
      } else if (name === 'k' && key >= 0) {
        if (attrs.n === 'errorType') errorTypeAt.set(structure, key);
        key++;
      }
    },
  });
  const richError: (string | undefined)[] = [];
  let fields: string[] = [];
  let structureOf = -1;
  parseXml(values, {
    open(name, attrs) {
      if (name === 'rv') {
        fields = [];
        structureOf = Number(attrs.s);
      }
    },
    close(name, text) {
      if (name === 'v') fields.push(text);
      else if (name === 'rv') {
        const at = errorTypeAt.get(structureOf);
        richError.push(at === undefined ? undefined : NUMBERED_ERRORS[Number(fields[at])]);
      }
    },
  });
  // valueMetadata's blocks point at futureMetadata XLRICHVALUE blocks, which point at rich values.
  const futureValue: number[] = [];
  const valueBlocks: number[] = [];
  let section = '';
  parseXml(metadata, {
    open(name, attrs) {
      if (name === 'futureMetadata' || name === 'valueMetadata') section = name;
      else if (name === 'rvb' && section === 'futureMetadata') futureValue.push(Number(attrs.i));
      else if (name === 'rc' && section === 'valueMetadata') valueBlocks.push(Number(attrs.v));
    },
  });
  valueBlocks.forEach((block, i) => {
    const error = richError[futureValue[block]];
    if (error !== undefined) errors.set(i + 1, error);
  });
  return errors;
}

interface SharedFormulaMaster {
  text: string;
  row: number;
  col: number;
}

function parseWorksheet(
  sheetName: string,
  xml: string,
  sharedStrings: string[],
  richErrors: Map<number, string>,
  cachedValues: Map<string, CellValue>,
  cellBudget: CellBudget,
): SheetModel {
  const cells: Record<string, CellModel> = {};
  const masters = new Map<string, SharedFormulaMaster>();
  let address = '';
  let type: string | undefined;
  let formulaAttrs: Record<string, string> | undefined;
  let formulaText: string | undefined;
  let raw = '';
  let inline = '';
  let inInline = false;
  let richError: string | undefined;

  parseXml(xml, {
    open(name, attrs) {
      if (name === 'c') {
        address = attrs.r;
        type = attrs.t;
        richError = attrs.vm === undefined ? undefined : richErrors.get(Number(attrs.vm));
        formulaAttrs = undefined;
        formulaText = undefined;
        raw = '';
        inline = '';
      } else if (name === 'f') formulaAttrs = attrs;
      else if (name === 'is') inInline = true;
    },
    close(name, text) {
      if (name === 'f') formulaText = text;
      else if (name === 'v') raw = text;
      else if (name === 't' && inInline) inline += text;
      else if (name === 'is') inInline = false;
      else if (name === 'c') {
        if (!address) throw new XlsxError('unsupported', `a cell of sheet "${sheetName}" has no address`);
        const value = cellValue(type, type === 'e' && richError ? richError : raw, inline, sharedStrings);
        const formula = resolveFormula(address, formulaAttrs, formulaText, masters);
        // Formatted but empty cells (<c r="A1" s="3"/>) are not kept, so they do not count either.
        const keep =
          formula !== undefined ||
          (value !== null && value !== '') ||
          type === 's' ||
          type === 'inlineStr' ||
          type === 'str';
        if (!keep) return;
        cellBudget.spend();
        if (formula !== undefined) {
          cells[address] = formula;
          cachedValues.set(`${sheetName}!${address}`, value);
        } else cells[address] = { value };
      }
    },
  });
  return { name: sheetName, cells };
}

/** Counts cells as they are read, so a workbook of millions of cells is refused before it is all read. */
class CellBudget {
  private left: number;
  private closedCells = 0;
  constructor(private readonly max: number) {
    this.left = max;
  }
  /**
   * Every kept cell has content and so a closing tag: counting them is a scan, far quicker than
   * parsing, and refuses a workbook of millions of cells in milliseconds (spend() still counts exactly).
   */
  precheck(xml: string): void {
    this.closedCells += countOccurrences(xml, '</c>');
    if (this.closedCells > this.max) this.refuse();
  }
  spend(): void {
    if (--this.left < 0) this.refuse();
  }
  private refuse(): never {
    const max = this.max.toLocaleString('en-US');
    throw new XlsxError('too-large', `the workbook has more than ${max} cells; at most ${max} are accepted`);
  }
}

function countOccurrences(text: string, what: string): number {
  let count = 0;
  for (let at = text.indexOf(what); at !== -1; at = text.indexOf(what, at + what.length)) count++;
  return count;
}

function resolveFormula(
  address: string,
  attrs: Record<string, string> | undefined,
  text: string | undefined,
  masters: Map<string, SharedFormulaMaster>,
): CellModel | undefined {
  if (!attrs) return undefined;
  const kind = attrs.t ?? 'normal';
  if (kind === 'dataTable')
    throw new XlsxError(
      'unsupported',
      `cell ${address} holds a What-If data table, which Montecell does not support`,
    );
  if (kind === 'shared') {
    const si = attrs.si;
    if (text !== undefined && text !== '') {
      const { row, col } = splitAddress(address);
      masters.set(si, { text, row, col });
      return { formula: `=${text}` };
    }
    const master = masters.get(si);
    if (!master) return undefined;
    const { row, col } = splitAddress(address);
    return { formula: `=${translateFormula(master.text, row - master.row, col - master.col)}` };
  }
  if (text === undefined || text === '') return undefined;
  if (kind === 'array') return { formula: `=${text}`, array_ref: attrs.ref ?? address };
  return { formula: `=${text}` };
}

function splitAddress(address: string): { row: number; col: number } {
  const position = tryParseCellAddress(address);
  if (!position) throw new XlsxError('corrupt', `invalid cell address "${address}"`);
  return position;
}
