/**
 * A copy of an .xlsx file with new values stored in some of its formula cells (what a finished
 * simulation computed for its statistics cells). Only those cells' cached values change: formulas,
 * formatting and every other part are copied byte for byte, so Excel opens the copy as the analyst left
 * it, showing the simulation's values until it next recalculates.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { tryParseCellAddress } from '../../shared/formula/references';
import type { CellValue } from '../../shared/model';
import { XlsxError } from './package-reader';
import { sheetPartPaths } from './read-workbook';
import { escapeXml } from './write-workbook';

/** Values by "Sheet1!D5" (the sheet quoted as Excel quotes it, or not). */
export type CellValues = Record<string, CellValue>;

export function writeCellValues(original: Uint8Array, values: CellValues): Uint8Array {
  const files = unzipSync(original);
  const text = (path: string) => (files[path] ? strFromU8(files[path]) : undefined);
  const parts = new Map<string, string>();
  for (const path of ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']) {
    const xml = text(path);
    if (xml !== undefined) parts.set(path, xml);
  }
  const sheets = sheetPartPaths(parts);
  const bySheet = new Map<string, [string, CellValue][]>();
  for (const [label, value] of Object.entries(values)) {
    const bang = label.lastIndexOf('!');
    const sheet = unquoteSheet(label.slice(0, bang)).toLowerCase();
    bySheet.set(sheet, [...(bySheet.get(sheet) ?? []), [label.slice(bang + 1), value]]);
  }
  for (const { name, path } of sheets) {
    const cells = bySheet.get(name.toLowerCase());
    if (!cells) continue;
    const xml = path ? text(path) : undefined;
    if (!path || xml === undefined)
      throw new XlsxError('corrupt', `the sheet "${name}" is missing from the file`);
    files[path] = strToU8(cells.reduce((out, [address, value]) => withValue(out, name, address, value), xml));
  }
  return zipSync(files);
}

function unquoteSheet(text: string): string {
  return text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1).replace(/''/g, "'") : text;
}

/** The sheet's XML with the cell's cached value replaced; the cell must be there (a formula cell is). */
function withValue(xml: string, sheet: string, address: string, value: CellValue): string {
  if (!tryParseCellAddress(address)) throw new XlsxError('corrupt', `"${address}" is not a cell address`);
  // A <c> element never nests, so its extent is from its start tag to the first </c> (or a self-closed tag).
  const cell = new RegExp(`<c\\b([^>]*?)\\br="${address}"([^>]*?)(/>|>([\\s\\S]*?)</c>)`);
  const match = cell.exec(xml);
  if (!match)
    throw new XlsxError(
      'corrupt',
      `the cell ${sheet}!${address} is not in the sheet's XML (an unusual layout)`,
    );
  const attributes = `${match[1].trimEnd()} r="${address}"${match[2]}`.replace(/\s+t="[^"]*"/, '');
  const formula = /<f\b[^>]*\/>|<f\b[^>]*>[\s\S]*?<\/f>/.exec(match[4] ?? '')?.[0] ?? '';
  const replaced = `<c${attributes}${typeAttribute(value)}>${formula}${valueElement(value)}</c>`;
  return xml.slice(0, match.index) + replaced + xml.slice(match.index + match[0].length);
}

function typeAttribute(value: CellValue): string {
  if (typeof value === 'string') return ' t="str"';
  if (typeof value === 'boolean') return ' t="b"';
  if (value !== null && typeof value === 'object') return ' t="e"';
  return '';
}

function valueElement(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return `<v>${value}</v>`;
  if (typeof value === 'boolean') return `<v>${value ? 1 : 0}</v>`;
  if (typeof value === 'string') return `<v>${escapeXml(value)}</v>`;
  return `<v>${escapeXml(value.error)}</v>`;
}
