import type { CellValue } from './workbook';

/**
 * How an output or input is shown wherever results are read (the CLI, the task pane, the results sheet):
 * by its name with its cell beside it, so the user can still find it in the workbook.
 */
export function namedCell(cell: string, name: string | undefined): string {
  return name !== undefined ? `${name} (${cell})` : cell;
}

/** A cell's value on one line: a number to 8 significant digits, an error as Excel writes it. */
export function cellValueText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumSignificantDigits: 8 });
  if (typeof value === 'object') return value.error;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return value;
}
