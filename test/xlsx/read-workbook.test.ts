import { strToU8, unzipSync, zipSync } from 'fflate';
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
    const start = performance.now();
    expect(() => readPackage(bytes)).toThrow(/sheet1\.xml is larger than its zip header declares/);
    expect(performance.now() - start).toBeLessThan(200);
  });
});
