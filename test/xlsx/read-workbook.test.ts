import { Inflate, strToU8, unzipSync, zipSync } from 'fflate';
import { readPackage, XlsxError } from '../../server/xlsx/package-reader';
import { readWorkbook } from '../../server/xlsx/read-workbook';
import { writeWorkbook } from '../../server/xlsx/write-workbook';
import type { WorkbookModel } from '../../shared/model';

const errorCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof XlsxError ? e.code : `not an XlsxError: ${e}`;
  }
  return undefined;
};

describe('readWorkbook', () => {
  it('round-trips formulas, values, array formulas and scoped names through the writer', () => {
    const model: WorkbookModel = {
      version: 1,
      sheets: [
        {
          name: 'My Sheet',
          cells: {
            A1: { value: 2 },
            A2: { value: 'text & <more>' },
            A3: { value: true },
            B1: { formula: '=A1*2' },
          },
        },
        {
          name: 'Other',
          cells: {
            C1: { formula: '=SEQUENCE(3)', array_ref: 'C1:C3' },
            D1: { value: { error: '#N/A' as const } },
          },
        },
      ],
      names: [
        { name: 'Rate', ref: "='My Sheet'!$A$1" },
        { name: 'Local', scope: 'Other', ref: '=0.5' },
      ],
    };
    const { model: read } = readWorkbook(writeWorkbook(model));
    expect(read).toEqual(model);
  });

  it('refuses files that are not workbooks, damaged, encrypted or zip bombs', () => {
    expect(errorCode(() => readWorkbook(strToU8('hello')))).toBe('not-xlsx');
    expect(errorCode(() => readWorkbook(zipSync({ 'a.txt': strToU8('x') })))).toBe('not-xlsx');
    const ole = new Uint8Array(512);
    ole.set([0xd0, 0xcf, 0x11, 0xe0]);
    expect(errorCode(() => readWorkbook(ole))).toBe('encrypted');
    const good = writeWorkbook({
      version: 1,
      sheets: [{ name: 'S', cells: { A1: { value: 1 } } }],
      names: [],
    });
    expect(errorCode(() => readWorkbook(good.slice(0, good.length - 40)))).toBe('corrupt');
    const bomb = zipSync({ 'xl/workbook.xml': new Uint8Array(3 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    expect(errorCode(() => readWorkbook(bomb, { maxUncompressedBytes: 1024 * 1024 }))).toBe('too-large');
  });
});

describe('zip entries that lie about their size', () => {
  it('stops inflating as soon as an entry passes its declared size', () => {
    const files = unzipSync(
      writeWorkbook({ version: 1, sheets: [{ name: 'Sheet1', cells: { A1: { value: 1 } } }], names: [] }),
    );
    // 64 MB of spaces compress to a few hundred kilobytes; the headers claim 1,000 bytes.
    files['xl/worksheets/sheet1.xml'] = new Uint8Array(64 * 1024 * 1024).fill(32);
    const bytes = zipSync(files, { level: 9 });
    const view = new DataView(bytes.buffer);
    for (let at = 0; at < bytes.length - 4; at++) {
      const signature = view.getUint32(at, true);
      if (signature === 0x04034b50 && view.getUint32(at + 22, true) === 64 * 1024 * 1024)
        view.setUint32(at + 22, 1000, true);
      if (signature === 0x02014b50 && view.getUint32(at + 24, true) === 64 * 1024 * 1024)
        view.setUint32(at + 24, 1000, true);
    }
    // Counted in inflate steps (4 KB of compressed input each), not in time: the whole entry is
    // hundreds of steps, and the first one already yields more than the 1,000 bytes declared.
    const push = jest.spyOn(Inflate.prototype, 'push');
    try {
      expect(() => readPackage(bytes)).toThrow(/sheet1\.xml is larger than its zip header declares/);
      const compressed = push.mock.calls.reduce((sum, [chunk]) => sum + chunk.length, 0);
      expect(compressed).toBeLessThanOrEqual(2 * 4 * 1024);
    } finally {
      push.mockRestore();
    }
  });
});

describe('errors Excel stores as rich values (ERROR.TYPE.xlsx)', () => {
  it('reads #CALC! and #SPILL! from the metadata behind a cell written as #VALUE!', () => {
    const model: WorkbookModel = {
      version: 1,
      sheets: [
        { name: 'S', cells: { A1: { value: { error: '#VALUE!' } }, A2: { value: { error: '#VALUE!' } } } },
      ],
      names: [],
    };
    const files = unzipSync(writeWorkbook(model));
    const sheetPath = Object.keys(files).find((p) => p.startsWith('xl/worksheets/'))!;
    let n = 0;
    files[sheetPath] = strToU8(
      new TextDecoder().decode(files[sheetPath]).replace(/t="e"/g, () => `t="e" vm="${++n}"`),
    );
    const rich = 'http://schemas.microsoft.com/office/spreadsheetml/2017/richdata';
    files['xl/metadata.xml'] = strToU8(
      `<metadata xmlns:xlrd="${rich}"><futureMetadata name="XLRICHVALUE" count="2">` +
        '<bk><extLst><ext><xlrd:rvb i="0"/></ext></extLst></bk><bk><extLst><ext><xlrd:rvb i="1"/></ext></extLst></bk>' +
        '</futureMetadata><valueMetadata count="2"><bk><rc t="1" v="0"/></bk><bk><rc t="1" v="1"/></bk></valueMetadata></metadata>',
    );
    files['xl/richData/rdrichvalue.xml'] = strToU8(
      `<rvData xmlns="${rich}"><rv s="0"><v>13</v><v>0</v></rv><rv s="0"><v>8</v><v>0</v></rv></rvData>`,
    );
    files['xl/richData/rdrichvaluestructure.xml'] = strToU8(
      `<rvStructures xmlns="${rich}"><s t="_error"><k n="errorType" t="i"/><k n="subType" t="i"/></s></rvStructures>`,
    );
    const { model: read } = readWorkbook(zipSync(files));
    expect(read.sheets[0].cells).toEqual({
      A1: { value: { error: '#CALC!' } },
      A2: { value: { error: '#SPILL!' } },
    });
  });
});
