/**
 * The workbook as the add-in reads it through Office.js, or as the service reads it from an .xlsx:
 * formulas and values per sheet, and defined names. The contract between add-in, API and engine.
 */
import { z } from 'zod';
import type { ErrorLiteral } from '../formula/ast';
import { ERROR_LITERALS } from '../formula/lexer';
import { tryParseCellAddress } from '../formula/references';
import { LIMITS } from './limits';

/** A1-style cell address without `$` or sheet, within Excel's grid (XFD1048576). */
export const CellAddress = z
  .string()
  .regex(/^[A-Z]{1,3}[1-9][0-9]{0,6}$/, 'must be an A1-style cell address such as "B10"')
  .refine((address) => tryParseCellAddress(address) !== undefined, 'is outside Excel’s grid (XFD1048576)');

/** Sheet names as Excel allows them: 1–31 characters, none of : \ / ? * [ ], no leading or trailing '. */
export const SheetName = z
  .string()
  .min(1, 'sheet name must not be empty')
  .max(LIMITS.maxSheetNameLength, `sheet name must be at most ${LIMITS.maxSheetNameLength} characters`)
  .refine((s) => !/[:\\/?*[\]]/.test(s), 'sheet name must not contain : \\ / ? * [ or ]')
  .refine(
    (s) => !s.startsWith("'") && !s.endsWith("'"),
    'sheet name must not start or end with an apostrophe',
  )
  .refine((s) => s.toLowerCase() !== 'history', '"History" is reserved by Excel');

export const ErrorValue = z.object({
  error: z.enum(ERROR_LITERALS as [ErrorLiteral, ...ErrorLiteral[]]),
});

export const CellValue = z.union([z.number().finite(), z.string(), z.boolean(), z.null(), ErrorValue]);

export const FormulaCell = z.object({
  formula: z
    .string()
    .startsWith('=', 'formula must start with "="')
    .max(LIMITS.maxFormulaLength + 1, `formula must be at most ${LIMITS.maxFormulaLength} characters`),
  /**
   * For a legacy array (CSE) or dynamic-array formula: the range it fills, e.g. "B2:B10". Cells inside it
   * other than the anchor hold only their values.
   */
  array_ref: z
    .string()
    .regex(/^[A-Z]{1,3}[1-9][0-9]{0,6}(:[A-Z]{1,3}[1-9][0-9]{0,6})?$/, 'must be a range such as "B2:B10"')
    .refine(
      (ref) => ref.split(':').every((end) => tryParseCellAddress(end) !== undefined),
      'is outside Excel’s grid (XFD1048576)',
    )
    .optional(),
});

export const ValueCell = z.object({ value: CellValue });

export const Cell = z.union([FormulaCell, ValueCell]);

export const Sheet = z.object({
  name: SheetName,
  cells: z.record(CellAddress, Cell),
});

export const DefinedName = z.object({
  name: z.string().min(1).max(255),
  /** Sheet the name is local to; workbook scope when absent. */
  scope: z.string().optional(),
  /** What the name refers to, as formula text: "=Sheet1!$B$2", "=0.05", "=Sheet1!$A$1:$A$10". */
  ref: z
    .string()
    .min(1)
    .max(LIMITS.maxFormulaLength + 1),
});

export const WorkbookModel = z
  .object({
    version: z.literal(1),
    sheets: z.array(Sheet).min(1, 'a workbook needs at least one sheet'),
    names: z.array(DefinedName).default([]),
  })
  .superRefine((book, ctx) => {
    const seen = new Set<string>();
    let cells = 0;
    for (const [i, sheet] of book.sheets.entries()) {
      const key = sheet.name.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['sheets', i, 'name'],
          message: `duplicate sheet "${sheet.name}"`,
        });
      seen.add(key);
      cells += Object.keys(sheet.cells).length;
    }
    if (cells > LIMITS.maxCells)
      ctx.addIssue({
        code: 'custom',
        path: ['sheets'],
        message: `the workbook has ${cells.toLocaleString('en-US')} cells; at most ${LIMITS.maxCells.toLocaleString('en-US')} are accepted`,
      });
  });

export type WorkbookModel = z.infer<typeof WorkbookModel>;
export type SheetModel = z.infer<typeof Sheet>;
export type CellModel = z.infer<typeof Cell>;
export type CellValue = z.infer<typeof CellValue>;
export type DefinedName = z.infer<typeof DefinedName>;

/** How many of a sheet's cells hold a formula. */
export function formulaCellCount(sheet: SheetModel): number {
  let count = 0;
  for (const cell of Object.values(sheet.cells)) if ('formula' in cell) count++;
  return count;
}
