/**
 * Writes a `WorkbookModel` as a minimal .xlsx file (formulas without cached values, so Excel
 * recalculates on open). Used to generate the example and benchmark workbooks and test fixtures.
 */
import { strToU8, zipSync } from 'fflate';
import { parseCellAddress } from '../../shared/formula/references';
import type { CellModel, WorkbookModel } from '../../shared/model';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cellXml(address: string, cell: CellModel): string {
  if ('formula' in cell) {
    const text = escapeXml(cell.formula.replace(/^=/, ''));
    const array = cell.array_ref ? ` t="array" ref="${cell.array_ref}"` : '';
    return `<c r="${address}"><f${array}>${text}</f></c>`;
  }
  const v = cell.value;
  if (v === null) return '';
  if (typeof v === 'number') return `<c r="${address}"><v>${v}</v></c>`;
  if (typeof v === 'boolean') return `<c r="${address}" t="b"><v>${v ? 1 : 0}</v></c>`;
  if (typeof v === 'string')
    return `<c r="${address}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(v)}</t></is></c>`;
  return `<c r="${address}" t="e"><v>${escapeXml(v.error)}</v></c>`;
}

function sheetXml(cells: Record<string, CellModel>): string {
  const rows = new Map<number, [string, CellModel][]>();
  for (const [address, cell] of Object.entries(cells)) {
    const r = parseCellAddress(address).row;
    rows.set(r, [...(rows.get(r) ?? []), [address, cell]]);
  }
  const body = [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([r, list]) => {
      list.sort(([a], [b]) => parseCellAddress(a).col - parseCellAddress(b).col);
      return `<row r="${r}">${list.map(([a, c]) => cellXml(a, c)).join('')}</row>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

export function writeWorkbook(model: WorkbookModel): Uint8Array {
  const sheets = model.sheets;
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets
        .map(
          (_, i) =>
            `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
        )
        .join('')}</Types>`,
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
        )
        .join('')}</Relationships>`,
    ),
  };
  const names = (model.names ?? [])
    .map((n) => {
      const scope =
        n.scope !== undefined ? ` localSheetId="${sheets.findIndex((s) => s.name === n.scope)}"` : '';
      return `<definedName name="${escapeXml(n.name)}"${scope}>${escapeXml(n.ref.replace(/^=/, ''))}</definedName>`;
    })
    .join('');
  files['xl/workbook.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets
      .map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join('')}</sheets>${names ? `<definedNames>${names}</definedNames>` : ''}</workbook>`,
  );
  sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(s.cells));
  });
  return zipSync(files, { level: 6 });
}
