/**
 * How SORT orders values and how UNIQUE compares them.
 */
import { compareScalars } from '../values/coerce';
import { type ExcelError, isError, type Scalar } from '../values/value';

const ERROR_ORDER = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A'];

/** Numbers, then text, then booleans, then errors (by error number); blanks always sort last. */
function sortRank(value: Scalar): number {
  if (value === null) return 4;
  if (isError(value)) return 3;
  return typeof value === 'number' ? 0 : typeof value === 'string' ? 1 : 2;
}

function errorNumber(error: ExcelError): number {
  const i = ERROR_ORDER.indexOf(error.code);
  return i < 0 ? ERROR_ORDER.length : i;
}

/** Comparison for SORT/SORTBY with `order` 1 (ascending) or -1 (descending). */
export function compareForSort(a: Scalar, b: Scalar, order: number): number {
  const ra = sortRank(a);
  const rb = sortRank(b);
  if (ra === 4 || rb === 4) return ra === rb ? 0 : ra === 4 ? 1 : -1;
  if (ra !== rb) return (ra - rb) * order;
  if (isError(a)) return (errorNumber(a) - errorNumber(b as ExcelError)) * order;
  return compareScalars(a as Exclude<Scalar, ExcelError>, b as Exclude<Scalar, ExcelError>) * order;
}

/** UNIQUE's equality: same type and value, text case-insensitive, blanks equal only to blanks. */
export function sameValue(a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) return a === b;
  if (isError(a) || isError(b)) return a === b;
  return typeof a === typeof b && compareScalars(a, b) === 0;
}
