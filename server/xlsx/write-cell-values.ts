/**
 * A copy of an .xlsx file with new values stored in some of its formula cells (what a finished
 * simulation computed for its statistics cells). Only those cells' cached values change: formulas,
 * formatting and every other part are copied byte for byte, so Excel opens the copy as the analyst left
 * it, showing the simulation's values until it next recalculates; and, when asked, a report sheet.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { CellValue, ReportTable } from '../../shared/model';
import { XlsxError } from './package-reader';
import { sheetPartPaths } from './read-workbook';
import { addReportSheet } from './report-sheet';
import { escapeXml } from './write-workbook';

/** Values by "Sheet1!D5" (the sheet quoted as Excel quotes it, or not). */
export type CellValues = Record<string, CellValue>;

/** With `report`, the copy also gets the report sheet (report-sheet.ts). */
export function writeCellValues(original: Uint8Array, values: CellValues, report?: ReportTable): Uint8Array {
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
    files[path] = strToU8(withValues(xml, name, new Map(cells)));
  }
  if (report) addReportSheet(files, report);
  return zipSync(files);
}

function unquoteSheet(text: string): string {
  return text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1).replace(/''/g, "'") : text;
}

/** A <c> element never nests, so each one runs from its start tag to the first </c> (or is self-closed). */
const CELL = /<c\b([^>]*?)\br="([A-Z]+[0-9]+)"([^>]*?)(\/>|>([\s\S]*?)<\/c>)/g;

/** The sheet's XML with those cells' cached values replaced, in one pass; each must be there. */
function withValues(xml: string, sheet: string, values: Map<string, CellValue>): string {
  const written = new Set<string>();
  const out = xml.replace(
    CELL,
    (element, before: string, address: string, after: string, _end, inner?: string) => {
      const value = values.get(address);
      if (value === undefined) return element;
      written.add(address);
      const attributes = `${before.trimEnd()} r="${address}"${after}`.replace(/\s+t="[^"]*"/, '');
      const formula = /<f\b[^>]*\/>|<f\b[^>]*>[\s\S]*?<\/f>/.exec(inner ?? '')?.[0] ?? '';
      return `<c${attributes}${typeAttribute(value)}>${formula}${valueElement(value)}</c>`;
    },
  );
  const missing = [...values.keys()].find((address) => !written.has(address));
  if (missing !== undefined)
    throw new XlsxError(
      'corrupt',
      `the cell ${sheet}!${missing} is not in the sheet's XML (an unusual layout)`,
    );
  return out;
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
