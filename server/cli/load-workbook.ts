import { readFileSync, statSync } from 'node:fs';
import { readWorkbook, type XlsxWorkbook } from '../xlsx/read-workbook';
import { UsageError } from './errors';

/** A workbook read from a file, with the file's bytes (a copy of it can be written back). */
export interface WorkbookFile extends XlsxWorkbook {
  bytes: Uint8Array;
}

export function loadWorkbookFile(path: string | undefined): WorkbookFile {
  if (!path) throw new UsageError('missing the workbook: give the path of an .xlsx file');
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`cannot open ${path}: no such file`);
  }
  if (stats.isDirectory()) throw new UsageError(`${path} is a folder, not an .xlsx file`);
  const bytes = readFileSync(path);
  return { ...readWorkbook(bytes), bytes };
}
