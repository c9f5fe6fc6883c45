import {
  columnToNumber,
  formatCellAddress,
  MAX_COLUMNS,
  MAX_ROWS,
  numberToColumn,
  parseCellAddress,
  tryParseCellAddress,
} from '../../shared/formula';

describe('A1 helpers', () => {
  it('column letters and numbers', () => {
    for (const [letters, col] of [
      ['A', 1],
      ['Z', 26],
      ['AA', 27],
      ['AZ', 52],
      ['ZZ', 702],
      ['AAA', 703],
      ['XFD', 16384],
    ] as const) {
      expect(columnToNumber(letters)).toBe(col);
      expect(numberToColumn(col)).toBe(letters);
    }
    expect(columnToNumber('xfd')).toBe(MAX_COLUMNS);
    expect(() => columnToNumber('XFE')).toThrow(RangeError);
    expect(() => numberToColumn(0)).toThrow(RangeError);
    for (let col = 1; col <= MAX_COLUMNS; col++) expect(columnToNumber(numberToColumn(col))).toBe(col);
  });

  it('cell addresses', () => {
    expect(parseCellAddress('$B$10')).toEqual({ row: 10, col: 2, rowAbsolute: true, colAbsolute: true });
    expect(parseCellAddress('b$10')).toEqual({ row: 10, col: 2, rowAbsolute: true, colAbsolute: false });
    expect(parseCellAddress(`XFD${MAX_ROWS}`)).toMatchObject({ row: MAX_ROWS, col: MAX_COLUMNS });
    for (const bad of ['A0', 'A01', 'XFE1', `A${MAX_ROWS + 1}`, 'A1B', '1A', '$', 'A$', 'TAX.RATE', '']) {
      expect(tryParseCellAddress(bad)).toBeUndefined();
    }
    expect(() => parseCellAddress('R2D2')).toThrow(RangeError);
    expect(formatCellAddress(10, 2, true, true)).toBe('$B$10');
    expect(formatCellAddress(1, 28)).toBe('AB1');
    expect(() => formatCellAddress(0, 1)).toThrow(RangeError);
  });
});
