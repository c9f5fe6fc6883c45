/**
 * Excel's conversions between value types, and its comparison order. Every function and operator goes
 * through these so that `"3"+1`, `TRUE*2` and `"a"<1` behave as in Excel.
 */
import { serialFromDate } from './dates';
import { Errors, type ExcelError, Matrix, type Scalar } from './value';

/** A number as Excel shows it in General format when converting to text: at most 15 significant digits. */
export function numberToText(n: number): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e21 || abs < 1e-9) return exponential(n);
  const rounded = Number(n.toPrecision(15));
  const abs15 = Math.abs(rounded);
  if (abs15 >= 1e15) return exponential(rounded);
  // Below 1e-6 JavaScript switches to exponent form, which Excel does not use until 1e-9.
  if (abs15 < 1e-6) return rounded.toFixed(14 - Math.floor(Math.log10(abs15))).replace(/\.?0+$/, '');
  return String(rounded);
}

function exponential(n: number): string {
  const [mantissa, exponent] = n.toExponential(14).split('e');
  const trimmed = mantissa.replace(/\.?0+$/, '');
  const exp = Number(exponent);
  const sign = exp < 0 ? '-' : '+';
  const digits = String(Math.abs(exp)).padStart(2, '0');
  return `${trimmed}E${sign}${digits}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthIndex(name: string): number {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i < 0 ? -1 : i + 1;
}

function parseTime(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?\s*(am|pm|a|p)?$/i.exec(text);
  if (!m) return undefined;
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  const seconds = m[3] ? Number(m[3]) : 0;
  if (minutes >= 60 || seconds >= 60) return undefined;
  if (m[4]) {
    if (hours > 12 || hours === 0) return undefined;
    const pm = m[4].toLowerCase().startsWith('p');
    hours = (hours % 12) + (pm ? 12 : 0);
  }
  return (hours * 3600 + minutes * 60 + seconds) / 86400;
}

function parseDate(text: string): number | undefined {
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  // Day before month, as in the locale the reference corpus was computed in (VALUE("2/3/2023") is 2 March).
  m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{2,4})$/.exec(text);
  if (m) return validDate(fullYear(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})[-\s]([a-z]{3,9})[-\s,]*(\d{2,4})?$/i.exec(text);
  if (m && monthIndex(m[2]) > 0)
    return validDate(m[3] ? fullYear(m[3]) : currentYear(), monthIndex(m[2]), Number(m[1]));
  m = /^([a-z]{3,9})[-\s](\d{1,2}),?[-\s]+(\d{2,4})$/i.exec(text);
  if (m && monthIndex(m[1]) > 0) return validDate(fullYear(m[3]), monthIndex(m[1]), Number(m[2]));
  return undefined;
}

function currentYear(): number {
  return new Date().getUTCFullYear();
}

function fullYear(text: string): number {
  const y = Number(text);
  if (text.length > 2) return y;
  return y < 30 ? 2000 + y : 1900 + y;
}

function validDate(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 9999) return undefined;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > dim && !(year === 1900 && month === 2 && day === 29)) return undefined;
  return serialFromDate(year, month, day);
}

/** Parses text the way Excel converts it to a number; undefined when Excel would give #VALUE!. */
export function parseNumber(text: string): number | undefined {
  let s = text.trim();
  if (s === '') return undefined;
  let sign = 1;
  if (/^\(.*\)$/.test(s)) {
    sign = -1;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-')) {
    sign = -sign;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) s = s.slice(1).trim();
  // A currency symbol may lead ($, €) or trail (€).
  if (s.startsWith('$') || s.startsWith('€')) s = s.slice(1).trim();
  else if (s.endsWith('€')) s = s.slice(0, -1).trim();
  let scale = 1;
  if (s.endsWith('%')) {
    scale = 0.01;
    s = s.slice(0, -1).trim();
  }
  if (/^(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?([eE][+-]?\d+)?$/.test(s) && /\d/.test(s)) {
    const n = Number(s.replace(/,/g, ''));
    if (Number.isFinite(n)) return sign * n * scale;
  }
  // Excel trims spaces around a number but not around a date or a time.
  if (scale !== 1 || sign !== 1 || s !== text) return undefined;
  const time = parseTime(s);
  if (time !== undefined) return time;
  const date = parseDate(s);
  if (date !== undefined) return date;
  const dateTime = /^(.*\S)\s+(\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?\s*(?:am|pm|a|p)?)$/i.exec(s);
  if (dateTime) {
    const d = parseDate(dateTime[1]);
    const t = parseTime(dateTime[2]);
    if (d !== undefined && t !== undefined) return d + t;
  }
  return undefined;
}

/** Number, or the error Excel gives when the value cannot be a number. */
export function toNumber(value: Scalar): number | ExcelError {
  if (typeof value === 'number') return value;
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseNumber(value) ?? Errors.VALUE;
  return value;
}

export function toText(value: Scalar): string | ExcelError {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value === null) return '';
  return value;
}

export function toBoolean(value: Scalar): boolean | ExcelError {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (value === null) return false;
  if (typeof value === 'string') {
    const upper = value.toUpperCase();
    if (upper === 'TRUE') return true;
    if (upper === 'FALSE') return false;
    return Errors.VALUE;
  }
  return value;
}

/** The scalar a 1×1 matrix holds, or the top-left element otherwise. */
export function firstScalar(value: Scalar | Matrix): Scalar {
  return value instanceof Matrix ? (value.rows > 0 && value.cols > 0 ? value.data[0] : Errors.VALUE) : value;
}

function typeRank(value: Scalar): number {
  if (typeof value === 'number') return 0;
  if (typeof value === 'string') return 1;
  return 2;
}

/**
 * Excel's comparison for `<`, `=`, sorting and lookups: numbers before text before booleans, text
 * case-insensitive, an empty cell equal to 0, "" or FALSE as the other side needs. Errors must be handled
 * by the caller. Returns negative, 0 or positive.
 */
export function compareScalars(a: Exclude<Scalar, ExcelError>, b: Exclude<Scalar, ExcelError>): number {
  if (a === null) a = emptyLike(b);
  if (b === null) b = emptyLike(a);
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a === b ? 0 : a < (b as number) ? -1 : 1;
  if (typeof a === 'string') {
    const x = a.toLowerCase();
    const y = (b as string).toLowerCase();
    return x === y ? 0 : x < y ? -1 : 1;
  }
  return a === b ? 0 : a ? 1 : -1;
}

function emptyLike(other: Exclude<Scalar, ExcelError>): Exclude<Scalar, ExcelError> {
  if (typeof other === 'string') return '';
  if (typeof other === 'boolean') return false;
  return 0;
}
