/**
 * The report sheet ("Montecell Report") added to a copy of an .xlsx file by `montecell simulate --write`:
 * the statistics table of shared/model/report.ts with its column widths, number formats and a landscape,
 * fit-to-width page. No charts: an .xlsx carries them as drawing parts, which this writer does not make
 * (the task pane's "Write report" adds them through Excel). A report already there is replaced.
 */
import { strFromU8, strToU8 } from 'fflate';
import { numberToColumn } from '../../shared/formula/references';
import {
  REPORT_COLUMNS,
  REPORT_LAYOUT,
  REPORT_SHEET_NAME,
  type ReportCell,
  type ReportTable,
} from '../../shared/model';
import { XlsxError } from './package-reader';
import { sheetPartPaths } from './read-workbook';
import { escapeXml } from './write-workbook';

type Files = Record<string, Uint8Array>;

const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const WORKSHEET_TYPE = `${RELATIONSHIPS}/worksheet`;
const WORKSHEET_CONTENT = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
const NEW_PART = 'xl/worksheets/montecell-report.xml';
const NEW_RELATIONSHIP = 'rIdMontecellReport';

/** Excel's built-in number formats: a new workbook style needs no numFmt element for them. */
const BUILT_IN_FORMATS: Record<string, number> = { '#,##0': 3, '#,##0.00': 4 };

/** Adds (or replaces) the report sheet in the unzipped package `files`. */
export function addReportSheet(files: Files, table: ReportTable): void {
  const text = (path: string) => (files[path] ? strFromU8(files[path]) : undefined);
  const workbook = text('xl/workbook.xml');
  const rels = text('xl/_rels/workbook.xml.rels');
  const types = text('[Content_Types].xml');
  if (workbook === undefined || rels === undefined || types === undefined)
    throw new XlsxError('corrupt', 'the workbook part or its relationships are missing');
  const styles = reportStyles(files);
  const existing = sheetPartPaths(
    new Map([
      ['xl/workbook.xml', workbook],
      ['xl/_rels/workbook.xml.rels', rels],
    ]),
  ).find((s) => s.name.toLowerCase() === REPORT_SHEET_NAME.toLowerCase());
  if (existing?.path) {
    // the older report's part takes the new one; its drawings (if Excel added any) are no longer referenced
    files[existing.path] = strToU8(reportSheetXml(table, styles));
    delete files[existing.path.replace(/([^/]+)$/, '_rels/$1.rels')];
    return;
  }
  const sheets = /<\/(\w+:)?sheets>/.exec(workbook);
  if (!sheets) throw new XlsxError('corrupt', 'the workbook part lists no sheets');
  const sheetIds = [...workbook.matchAll(/\bsheetId="(\d+)"/g)].map((m) => Number(m[1]));
  const sheetId = Math.max(0, ...sheetIds) + 1;
  const element = `<${sheets[1] ?? ''}sheet xmlns:r="${RELATIONSHIPS}" name="${escapeXml(REPORT_SHEET_NAME)}" sheetId="${sheetId}" r:id="${NEW_RELATIONSHIP}"/>`;
  files['xl/workbook.xml'] = strToU8(workbook.replace(sheets[0], `${element}${sheets[0]}`));
  files['xl/_rels/workbook.xml.rels'] = strToU8(
    rels.replace(
      /<\/(\w+:)?Relationships>/,
      (end, prefix = '') =>
        `<${prefix}Relationship Id="${NEW_RELATIONSHIP}" Type="${WORKSHEET_TYPE}" Target="worksheets/montecell-report.xml"/>${end}`,
    ),
  );
  files['[Content_Types].xml'] = strToU8(
    types.replace(
      /<\/(\w+:)?Types>/,
      (end, prefix = '') =>
        `<${prefix}Override PartName="/${NEW_PART}" ContentType="${WORKSHEET_CONTENT}"/>${end}`,
    ),
  );
  files[NEW_PART] = strToU8(reportSheetXml(table, styles));
}

/** Style indexes (cellXfs) the sheet uses; none where the package has no styles part to add them to. */
interface ReportStyles {
  header?: number;
  byFormat: Map<string, number>;
}

/**
 * Appends to the package's styles a bold font and cell formats for the table's number formats (built-in
 * ones, so no numFmt is added); a package without a styles part keeps Excel's defaults.
 */
function reportStyles(files: Files): ReportStyles {
  const path = 'xl/styles.xml';
  const xml = files[path] ? strFromU8(files[path]) : undefined;
  const styles: ReportStyles = { byFormat: new Map() };
  const fonts = xml && /<fonts\b[^>]*>([\s\S]*?)<\/fonts>/.exec(xml);
  const xfs = xml && /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml);
  if (!xml || !fonts || !xfs) return styles;
  const fontCount = (fonts[1].match(/<font\b/g) ?? []).length;
  let xfCount = (xfs[1].match(/<xf\b/g) ?? []).length;
  const added: string[] = [];
  styles.header = xfCount++;
  added.push(`<xf numFmtId="0" fontId="${fontCount}" fillId="0" borderId="0" applyFont="1"/>`);
  for (const format of Object.keys(BUILT_IN_FORMATS)) {
    styles.byFormat.set(format, xfCount++);
    added.push(
      `<xf numFmtId="${BUILT_IN_FORMATS[format]}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>`,
    );
  }
  const withFont = xml.replace(fonts[0], (block) =>
    block
      .replace(/<\/fonts>$/, '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>')
      .replace(/\bcount="\d+"/, `count="${fontCount + 1}"`),
  );
  files[path] = strToU8(
    withFont.replace(/<cellXfs\b[^>]*>[\s\S]*?<\/cellXfs>/, (block) =>
      block
        .replace(/<\/cellXfs>$/, `${added.join('')}</cellXfs>`)
        .replace(/\bcount="\d+"/, `count="${xfCount}"`),
    ),
  );
  return styles;
}

function cellXml(row: number, column: number, value: ReportCell, style?: number): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const address = `${numberToColumn(column + 1)}${row + 1}`;
  const s = style === undefined ? '' : ` s="${style}"`;
  if (typeof value === 'number') return `<c r="${address}"${s}><v>${value}</v></c>`;
  return `<c r="${address}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
}

function reportSheetXml(table: ReportTable, styles: ReportStyles): string {
  const { titleRow, runRow, headerRow, firstOutputRow } = REPORT_LAYOUT;
  const rows: string[] = [
    `<row r="${titleRow + 1}">${cellXml(titleRow, 0, table.title, styles.header)}</row>`,
    `<row r="${runRow + 1}">${cellXml(runRow, 0, table.run)}</row>`,
    `<row r="${headerRow + 1}">${table.header.map((label, c) => cellXml(headerRow, c, label, styles.header)).join('')}</row>`,
    ...table.rows.map((cells, i) => {
      const r = firstOutputRow + i;
      const xml = cells.map((value, c) =>
        cellXml(r, c, value, styles.byFormat.get(REPORT_COLUMNS[c].numberFormat)),
      );
      return `<row r="${r + 1}">${xml.join('')}</row>`;
    }),
  ];
  const cols = REPORT_COLUMNS.map(
    (column, c) => `<col min="${c + 1}" max="${c + 1}" width="${column.width}" customWidth="1"/>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' +
    `<cols>${cols}</cols><sheetData>${rows.join('')}</sheetData>` +
    '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>' +
    '</worksheet>'
  );
}
