/**
 * The report sheet written into a copy of a workbook (montecell simulate --write): styles appended to a
 * package that has them, a prefixed workbook part, and an older report replaced in place.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readWorkbook } from '../../server/xlsx/read-workbook';
import { writeCellValues } from '../../server/xlsx/write-cell-values';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import type { ReportTable } from '../../shared/model';

const table: ReportTable = {
  title: 'Montecell Report',
  run: '10 iterations',
  header: ['Output', 'Cell', 'Mean', 'Std dev', 'Min', 'Max', 'P5', 'P50', 'P95', 'Error trials'],
  rows: [['NPV', 'Sheet1!A1', 1.5, 0.25, null, 3, 1, 1.5, 2.5, 0]],
  outputs: ['Sheet1!A1'],
};

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs></styleSheet>`;

function workbookWithStyles(): Uint8Array {
  const files = unzipSync(
    writeWorkbook({ version: 1, sheets: [{ name: 'Sheet1', cells: { A1: { value: 1 } } }], names: [] }),
  );
  files['xl/styles.xml'] = strToU8(STYLES);
  return zipSync(files);
}

test('a package with styles: a bold header font and the columns’ built-in number formats are appended', () => {
  const copy = unzipSync(writeCellValues(workbookWithStyles(), {}, table));
  const styles = strFromU8(copy['xl/styles.xml']);
  expect(styles).toContain('<fonts count="2">');
  expect(styles).toContain('<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>');
  // after the one there was: the header (bold font 1), then #,##0 (built-in 3) and #,##0.00 (built-in 4)
  expect(styles).toContain(
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/><xf numFmtId="4" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>',
  );
  const sheet = strFromU8(copy['xl/worksheets/montecell-report.xml']);
  expect(sheet).toContain('<c r="C4" s="1" t="inlineStr"><is><t xml:space="preserve">Mean</t></is></c>');
  expect(sheet).toContain('<c r="C5" s="3"><v>1.5</v></c>'); // #,##0.00
  expect(sheet).toContain('<c r="J5" s="2"><v>0</v></c>'); // #,##0
  expect(sheet).not.toContain('r="E5"'); // a statistic the sample cannot define stays empty
  const read = readWorkbook(zipSync(copy)).model;
  expect(read.sheets.map((s) => s.name)).toEqual(['Sheet1', 'Montecell Report']);
  expect(read.sheets[1].cells.C5).toEqual({ value: 1.5 });
});

test('a workbook part with prefixed elements gets a sheet element with the same prefix', () => {
  const files = unzipSync(workbookWithStyles());
  const prefixed = strFromU8(files['xl/workbook.xml'])
    .replace(
      'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
      'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
    )
    .replace(/<(\/?)(workbook|sheets|sheet)\b/g, '<$1x:$2');
  files['xl/workbook.xml'] = strToU8(prefixed);
  const copy = writeCellValues(zipSync(files), {}, table);
  expect(strFromU8(unzipSync(copy)['xl/workbook.xml'])).toMatch(
    /<x:sheet xmlns:r="[^"]+" name="Montecell Report" sheetId="2" r:id="rIdMontecellReport"\/><\/x:sheets>/,
  );
  expect(readWorkbook(copy).model.sheets.map((s) => s.name)).toEqual(['Sheet1', 'Montecell Report']);
});

test('a report written over a copy that has one replaces it: one sheet of that name, the new table', () => {
  const once = writeCellValues(workbookWithStyles(), {}, table);
  const twice = writeCellValues(
    once,
    {},
    { ...table, run: '20 iterations', rows: [['IRR', 'Sheet1!A1', 2, 0, 2, 2, 2, 2, 2, 0]] },
  );
  const sheets = readWorkbook(twice).model.sheets;
  expect(sheets.map((s) => s.name)).toEqual(['Sheet1', 'Montecell Report']);
  expect(sheets[1].cells.A2).toEqual({ value: '20 iterations' });
  expect(sheets[1].cells.A5).toEqual({ value: 'IRR' });
  expect(Object.keys(unzipSync(twice)).filter((p) => p.startsWith('xl/worksheets/'))).toHaveLength(2);
});
