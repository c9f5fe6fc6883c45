/** TEXT: joining, slicing, searching, case, conversion and formatting of strings (UTF-16, as in Excel). */
import { parseNumber, toBoolean, toText } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Scalar, type Value } from '../values/value';
import { numberArg, numberArgs, scalarArg, textArg } from './math-args';
import { halfAwayFromZero, roundToDigits } from './math-rounding';
import { formatText, formatValue } from './text-format';
import { findDelimiters } from './text-search';
import { define, type FunctionDefinition } from './types';
import { WildcardPattern } from './wildcards';

/** Excel refuses to build strings longer than this. */
const MAX_TEXT = 32767;

function checkedLength(text: string): string | ExcelError {
  return text.length > MAX_TEXT ? Errors.VALUE : text;
}

/**
 * A function of text and numeric scalar arguments: `shape` says which argument is which ('t' text,
 * 'n' number); missing optional arguments take `defaults`.
 */
function textual(
  name: string,
  minArgs: number,
  shape: string,
  fn: (...args: (string | number)[]) => Scalar | Matrix,
  defaults: (string | number | undefined)[] = [],
): FunctionDefinition {
  return define(name, 'text', minArgs, shape.length, ['scalar'], (args) => {
    const values: (string | number)[] = [];
    for (let i = 0; i < shape.length; i++) {
      if (i >= args.length) {
        if (defaults[i] === undefined) break;
        values.push(defaults[i] as string | number);
        continue;
      }
      const v = shape[i] === 't' ? textArg(args[i]) : numberArg(args[i]);
      if (isError(v)) return v;
      values.push(v);
    }
    return fn(...values);
  });
}

// ---------------------------------------------------------------------------------------------------
// Characters: CHAR and CODE use Windows-1252, UNICHAR and UNICODE use code points.

const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function charOf(code: number): Scalar {
  code = Math.trunc(code);
  if (code < 1 || code > 255) return Errors.VALUE;
  return code >= 0x80 && code < 0xa0 ? CP1252_HIGH[code - 0x80] : String.fromCharCode(code);
}

function codeOf(text: string): Scalar {
  if (text === '') return Errors.VALUE;
  const c = text.charCodeAt(0);
  const high = CP1252_HIGH.indexOf(text[0]);
  if (high >= 0) return 0x80 + high;
  return c < 256 ? c : 63; // characters outside the code page read as "?"
}

function unichar(code: number): Scalar {
  code = Math.trunc(code);
  if (code < 1 || code > 0x10ffff) return Errors.VALUE;
  if (code >= 0xd800 && code <= 0xdfff) return Errors.NA;
  return String.fromCodePoint(code);
}

function unicode(text: string): Scalar {
  return text === '' ? Errors.VALUE : (text.codePointAt(0) as number);
}

// ---------------------------------------------------------------------------------------------------
// Joining

/** The text of every value of the arguments, ranges flattened row by row; the first error wins. */
function textsOf(args: Value[]): string[] | ExcelError {
  const out: string[] = [];
  for (const arg of args) {
    const values = arg instanceof Matrix ? arg.data : [scalarArg(arg)];
    for (const v of values) {
      const t = toText(v);
      if (isError(t)) return t;
      out.push(t);
    }
  }
  return out;
}

function concat(args: Value[]): Scalar {
  const texts = textsOf(args);
  return isError(texts) ? texts : checkedLength(texts.join(''));
}

function textJoin(args: Value[]): Scalar {
  const delimiters = textsOf([args[0]]);
  if (isError(delimiters)) return delimiters;
  const ignoreEmpty = toBoolean(scalarArg(args[1]));
  if (isError(ignoreEmpty)) return ignoreEmpty;
  const texts = textsOf(args.slice(2));
  if (isError(texts)) return texts;
  const parts = ignoreEmpty ? texts.filter((t) => t !== '') : texts;
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i++) out += delimiters[(i - 1) % delimiters.length] + parts[i];
  return checkedLength(out);
}

/** How ARRAYTOTEXT and VALUETOTEXT show one value; strict format quotes strings. */
function valueText(value: Scalar, strict: boolean): string {
  if (isError(value)) return value.code;
  if (typeof value === 'string') return strict ? `"${value.replace(/"/g, '""')}"` : value;
  return toText(value) as string;
}

function arrayToText(args: Value[]): Scalar {
  const format = numberArg(args[1] ?? 0);
  if (isError(format)) return format;
  if (format !== 0 && format !== 1) return Errors.VALUE;
  const arg = args[0];
  const matrix = arg instanceof Matrix ? arg : new Matrix(1, 1, [scalarArg(arg)]);
  const strict = format === 1;
  const rows = matrix.toRows().map((row) => row.map((v) => valueText(v, strict)).join(strict ? ',' : ', '));
  return checkedLength(strict ? `{${rows.join(';')}}` : rows.join(', '));
}

// ---------------------------------------------------------------------------------------------------
// Slicing and searching

function left(text: string, count: number): Scalar {
  return count < 0 ? Errors.VALUE : text.slice(0, Math.trunc(count));
}

function right(text: string, count: number): Scalar {
  count = Math.trunc(count);
  if (count < 0) return Errors.VALUE;
  return count === 0 ? '' : text.slice(-count);
}

function mid(text: string, start: number, count: number): Scalar {
  start = Math.trunc(start);
  count = Math.trunc(count);
  if (start < 1 || count < 0) return Errors.VALUE;
  return text.slice(start - 1, start - 1 + count);
}

function find(needle: string, haystack: string, start: number): Scalar {
  start = Math.trunc(start);
  if (start < 1 || start > haystack.length + 1) return Errors.VALUE;
  const at = haystack.indexOf(needle, start - 1);
  return at < 0 ? Errors.VALUE : at + 1;
}

function search(needle: string, haystack: string, start: number): Scalar {
  start = Math.trunc(start);
  if (start < 1 || start > haystack.length + 1) return Errors.VALUE;
  if (needle === '') return start;
  const at = WildcardPattern.parse(needle, 'any').search(haystack.slice(start - 1));
  return at < 0 ? Errors.VALUE : at + start;
}

function substitute(text: string, oldText: string, newText: string, instance?: number): Scalar {
  if (oldText === '') return text;
  if (instance === undefined) return checkedLength(text.split(oldText).join(newText));
  const n = Math.trunc(instance);
  if (n < 1) return Errors.VALUE;
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(oldText, at + (i === 0 ? 0 : oldText.length));
    if (at < 0) return text;
  }
  return checkedLength(text.slice(0, at) + newText + text.slice(at + oldText.length));
}

function replace(text: string, start: number, count: number, newText: string): Scalar {
  start = Math.trunc(start);
  count = Math.trunc(count);
  if (start < 1 || count < 0) return Errors.VALUE;
  return checkedLength(text.slice(0, start - 1) + newText + text.slice(start - 1 + count));
}

function rept(text: string, times: number): Scalar {
  times = Math.trunc(times);
  if (times < 0 || text.length * times > MAX_TEXT) return Errors.VALUE;
  return text.repeat(times);
}

/** PROPER: a letter is capitalised when the character before it is not a letter. */
function proper(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[^\p{L}])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** TRIM removes spaces (only U+0020) at both ends and collapses inner runs to one. */
function trim(text: string): string {
  return text.replace(/^ +| +$/g, '').replace(/ {2,}/g, ' ');
}

function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: CLEAN removes exactly the control characters.
  return text.replace(/[\x00-\x1f]/g, '');
}

// ---------------------------------------------------------------------------------------------------
// TEXTBEFORE, TEXTAFTER, TEXTSPLIT

function delimiterList(value: Value | undefined): string[] | ExcelError {
  if (value === undefined || value === null) return [];
  return textsOf([value]);
}

interface SplitOptions {
  ignoreCase: boolean;
}

function optionNumber(value: Value | undefined, fallback: number): number | ExcelError {
  if (value === undefined || value === null) return fallback;
  return numberArg(value);
}

function textAround(args: Value[], after: boolean): Value {
  const text = textArg(args[0]);
  if (isError(text)) return text;
  const delimiters = delimiterList(args[1]);
  if (isError(delimiters)) return delimiters;
  const instance = optionNumber(args[2], 1);
  const matchMode = optionNumber(args[3], 0);
  const matchEnd = optionNumber(args[4], 0);
  for (const n of [instance, matchMode, matchEnd]) if (isError(n)) return n;
  const n = Math.floor(instance as number);
  if (n === 0 || Math.abs(n) > text.length + 1) return Errors.VALUE;
  if ((matchMode !== 0 && matchMode !== 1) || (matchEnd !== 0 && matchEnd !== 1)) return Errors.VALUE;
  // With an explicit instance, a delimiter longer than the text is an error rather than "not found".
  if (args.length > 2 && delimiters.length && delimiters.every((d) => d.length > text.length))
    return Errors.VALUE;
  const notFound = args.length > 5 ? scalarArg(args[5]) : Errors.NA;
  const options: SplitOptions = { ignoreCase: matchMode === 1 };
  let matches = findDelimiters(text, delimiters, options.ignoreCase);
  if (delimiters.includes('') || delimiters.length === 0)
    matches = n > 0 ? [{ index: 0, length: 0 }] : [{ index: text.length, length: 0 }];
  else if (matchEnd)
    matches = n > 0 ? [...matches, { index: text.length, length: 0 }] : [{ index: 0, length: 0 }, ...matches];
  const match = n > 0 ? matches[n - 1] : matches[matches.length + n];
  if (!match) return notFound;
  return after ? text.slice(match.index + match.length) : text.slice(0, match.index);
}

function splitBy(text: string, delimiters: string[], ignoreCase: boolean): string[] {
  if (delimiters.length === 0) return [text];
  const parts: string[] = [];
  let from = 0;
  for (const m of findDelimiters(text, delimiters, ignoreCase)) {
    parts.push(text.slice(from, m.index));
    from = m.index + m.length;
  }
  parts.push(text.slice(from));
  return parts;
}

function textSplit(args: Value[]): Value {
  const text = textArg(args[0]);
  if (isError(text)) return text;
  const colDelimiters = delimiterList(args[1]);
  const rowDelimiters = delimiterList(args[2]);
  if (isError(colDelimiters)) return colDelimiters;
  if (isError(rowDelimiters)) return rowDelimiters;
  const all = [...colDelimiters, ...rowDelimiters];
  if (all.length === 0 || all.includes('')) return Errors.VALUE;
  const ignoreEmpty = args[3] === undefined || args[3] === null ? false : toBoolean(scalarArg(args[3]));
  if (isError(ignoreEmpty)) return ignoreEmpty;
  const matchMode = optionNumber(args[4], 0);
  if (isError(matchMode)) return matchMode;
  const pad = args.length > 5 && args[5] !== null ? scalarArg(args[5]) : Errors.NA;
  const keep = (parts: string[]) => (ignoreEmpty ? parts.filter((p) => p !== '') : parts);
  const rows = keep(splitBy(text, rowDelimiters, matchMode === 1)).map((row) =>
    keep(splitBy(row, colDelimiters, matchMode === 1)),
  );
  const cols = Math.max(1, ...rows.map((r) => r.length));
  if (rows.length === 0) return Errors.CALC;
  return Matrix.of(rows.map((r) => [...r, ...new Array<Scalar>(cols - r.length).fill(pad)]));
}

// ---------------------------------------------------------------------------------------------------
// Regular expressions (Excel uses PCRE2; JavaScript's syntax covers the common subset)

function regex(pattern: string, caseSensitivity: number): RegExp | ExcelError {
  if (caseSensitivity !== 0 && caseSensitivity !== 1) return Errors.VALUE;
  try {
    return new RegExp(pattern, caseSensitivity === 1 ? 'gi' : 'g');
  } catch {
    return Errors.VALUE;
  }
}

function regexTest(text: string, pattern: string, caseSensitivity: number): Scalar {
  const re = regex(pattern, caseSensitivity);
  return isError(re) ? re : re.test(text);
}

function regexExtract(text: string, pattern: string, mode: number, caseSensitivity: number): Scalar | Matrix {
  const re = regex(pattern, caseSensitivity);
  if (isError(re)) return re;
  const matches = [...text.matchAll(re)];
  if (matches.length === 0) return Errors.NA;
  if (mode === 0) return matches[0][0];
  if (mode === 1) return Matrix.of(matches.map((m) => [m[0]]));
  if (mode === 2) {
    const groups = matches[0].slice(1);
    return groups.length ? Matrix.of([groups.map((g) => g ?? '')]) : matches[0][0];
  }
  return Errors.VALUE;
}

function regexReplace(
  text: string,
  pattern: string,
  replacement: string,
  occurrence: number,
  caseSensitivity: number,
): Scalar {
  const re = regex(pattern, caseSensitivity);
  if (isError(re)) return re;
  if (occurrence === 0) return checkedLength(text.replace(re, replacement));
  const matches = [...text.matchAll(re)];
  const target = occurrence > 0 ? matches[occurrence - 1] : matches[matches.length + occurrence];
  if (!target || target.index === undefined) return text;
  const replaced = target[0].replace(new RegExp(re.source, re.flags.replace('g', '')), replacement);
  return checkedLength(text.slice(0, target.index) + replaced + text.slice(target.index + target[0].length));
}

// ---------------------------------------------------------------------------------------------------
// Conversions

function valueFunction(value: Scalar): Scalar {
  if (isError(value) || typeof value === 'number') return value;
  if (value === null) return 0;
  if (typeof value === 'boolean') return Errors.VALUE;
  return parseNumber(value) ?? Errors.VALUE;
}

function numberValue(text: string, decimalSeparator: string, groupSeparator: string): Scalar {
  const decimal = decimalSeparator[0] ?? '';
  const group = groupSeparator[0] ?? '';
  if (decimal === '' || decimal === group) return Errors.VALUE;
  let s = text.replace(/\s/g, '');
  if (s === '') return 0;
  let scale = 1;
  while (s.endsWith('%')) {
    scale /= 100;
    s = s.slice(0, -1);
  }
  const point = s.indexOf(decimal);
  if (point >= 0 && (s.indexOf(decimal, point + 1) >= 0 || (group && s.indexOf(group, point) >= 0)))
    return Errors.VALUE;
  const integer = (point >= 0 ? s.slice(0, point) : s).split(group || '\u0000').join('');
  const normalized = point >= 0 ? `${integer}.${s.slice(point + 1)}` : integer;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normalized)) return Errors.VALUE;
  return Number(normalized) * scale;
}

function text(args: Value[]): Scalar {
  const value = scalarArg(args[0]);
  const format = textArg(args[1]);
  if (isError(value)) return value;
  if (isError(format)) return format;
  if (typeof value === 'string') {
    const n = parseNumber(value);
    return n === undefined ? formatText(value, format) : formatValue(n, format);
  }
  if (typeof value === 'boolean') return formatText(value ? 'TRUE' : 'FALSE', format);
  return formatValue(value ?? 0, format);
}

/** FIXED and DOLLAR round first (negative decimals round left of the point), then format. */
function fixedFormat(x: number, decimals: number, pattern: (places: string) => string): Scalar {
  decimals = Math.trunc(decimals);
  if (decimals > 127) return Errors.VALUE;
  const rounded = roundToDigits(x, decimals, halfAwayFromZero);
  const places = decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
  return formatValue(rounded, pattern(places));
}

function fixed(args: Value[]): Scalar {
  const xs = numberArgs(args.slice(0, 2), [undefined, 2]);
  if (isError(xs)) return xs;
  const noCommas = args.length > 2 ? toBoolean(scalarArg(args[2])) : false;
  if (isError(noCommas)) return noCommas;
  return fixedFormat(xs[0], xs[1], (places) => `${noCommas ? '0' : '#,##0'}${places}`);
}

function dollar(args: Value[]): Scalar {
  const xs = numberArgs(args, [undefined, 2]);
  if (isError(xs)) return xs;
  return fixedFormat(xs[0], xs[1], (places) => `$#,##0${places};($#,##0${places})`);
}

function exact(a: string, b: string): Scalar {
  return a === b;
}

function tFunction(args: Value[]): Scalar {
  const value = scalarArg(args[0]);
  if (isError(value)) return value;
  return typeof value === 'string' ? value : '';
}

function valueToText(args: Value[]): Scalar {
  const format = numberArg(args[1] ?? 0);
  if (isError(format)) return format;
  if (format !== 0 && format !== 1) return Errors.VALUE;
  return valueText(scalarArg(args[0]), format === 1);
}

export const textFunctions: FunctionDefinition[] = [
  textual('CHAR', 1, 'n', (n) => charOf(n as number)),
  textual('CODE', 1, 't', (t) => codeOf(t as string)),
  textual('UNICHAR', 1, 'n', (n) => unichar(n as number)),
  textual('UNICODE', 1, 't', (t) => unicode(t as string)),
  define('CONCAT', 'text', 1, 255, ['array'], concat),
  define('CONCATENATE', 'text', 1, 255, ['scalar'], concat),
  define('TEXTJOIN', 'text', 3, 255, ['array', 'scalar', 'array'], textJoin),
  define('ARRAYTOTEXT', 'text', 1, 2, ['array', 'scalar'], arrayToText),
  textual('LEN', 1, 't', (t) => (t as string).length),
  textual('LENB', 1, 't', (t) => (t as string).length),
  textual('LEFT', 1, 'tn', (t, n) => left(t as string, n as number), [undefined, 1]),
  textual('LEFTB', 1, 'tn', (t, n) => left(t as string, n as number), [undefined, 1]),
  textual('RIGHT', 1, 'tn', (t, n) => right(t as string, n as number), [undefined, 1]),
  textual('RIGHTB', 1, 'tn', (t, n) => right(t as string, n as number), [undefined, 1]),
  textual('MID', 3, 'tnn', (t, s, n) => mid(t as string, s as number, n as number)),
  textual('MIDB', 3, 'tnn', (t, s, n) => mid(t as string, s as number, n as number)),
  textual('FIND', 2, 'ttn', (a, b, s) => find(a as string, b as string, s as number), [
    undefined,
    undefined,
    1,
  ]),
  textual('FINDB', 2, 'ttn', (a, b, s) => find(a as string, b as string, s as number), [
    undefined,
    undefined,
    1,
  ]),
  textual('SEARCH', 2, 'ttn', (a, b, s) => search(a as string, b as string, s as number), [
    undefined,
    undefined,
    1,
  ]),
  textual('SEARCHB', 2, 'ttn', (a, b, s) => search(a as string, b as string, s as number), [
    undefined,
    undefined,
    1,
  ]),
  textual('SUBSTITUTE', 3, 'tttn', (t, o, n, i) =>
    substitute(t as string, o as string, n as string, i as number),
  ),
  textual('REPLACE', 4, 'tnnt', (t, s, n, r) => replace(t as string, s as number, n as number, r as string)),
  textual('REPLACEB', 4, 'tnnt', (t, s, n, r) => replace(t as string, s as number, n as number, r as string)),
  textual('REPT', 2, 'tn', (t, n) => rept(t as string, n as number)),
  textual('EXACT', 2, 'tt', (a, b) => exact(a as string, b as string)),
  textual('LOWER', 1, 't', (t) => (t as string).toLowerCase()),
  textual('UPPER', 1, 't', (t) => (t as string).toUpperCase()),
  textual('PROPER', 1, 't', (t) => proper(t as string)),
  textual('TRIM', 1, 't', (t) => trim(t as string)),
  textual('CLEAN', 1, 't', (t) => clean(t as string)),
  define('T', 'text', 1, 1, ['scalar'], tFunction),
  define('VALUE', 'text', 1, 1, ['scalar'], (args) => valueFunction(scalarArg(args[0]))),
  define('VALUETOTEXT', 'text', 1, 2, ['scalar'], valueToText),
  textual('NUMBERVALUE', 1, 'ttt', (t, d, g) => numberValue(t as string, d as string, g as string), [
    undefined,
    '.',
    ',',
  ]),
  define('TEXT', 'text', 2, 2, ['scalar'], text),
  define('FIXED', 'text', 1, 3, ['scalar'], fixed),
  define('DOLLAR', 'text', 1, 2, ['scalar'], dollar),
  define('TEXTBEFORE', 'text', 2, 6, ['scalar', 'array', 'scalar'], (args) => textAround(args, false)),
  define('TEXTAFTER', 'text', 2, 6, ['scalar', 'array', 'scalar'], (args) => textAround(args, true)),
  define('TEXTSPLIT', 'text', 2, 6, ['scalar', 'array', 'array', 'scalar'], textSplit),
  textual('REGEXTEST', 2, 'ttn', (t, p, c) => regexTest(t as string, p as string, c as number), [
    undefined,
    undefined,
    0,
  ]),
  textual(
    'REGEXEXTRACT',
    2,
    'ttnn',
    (t, p, m, c) => regexExtract(t as string, p as string, m as number, c as number),
    [undefined, undefined, 0, 0],
  ),
  textual(
    'REGEXREPLACE',
    3,
    'tttnn',
    (t, p, r, o, c) => regexReplace(t as string, p as string, r as string, o as number, c as number),
    [undefined, undefined, undefined, 0, 0],
  ),
];
