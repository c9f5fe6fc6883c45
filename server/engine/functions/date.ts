/**
 * DATE_AND_TIME functions over Excel serial dates (1900 system, see values/dates.ts). Date arguments are
 * truncated to whole days and must lie in 0…2958465 (9999-12-31), otherwise #NUM!.
 */
import { parseNumber, toBoolean, toText } from '../values/coerce';
import { addMonths, dateFromSerial, endOfMonth, MAX_SERIAL, serialFromDate } from '../values/dates';
import { Errors, type ExcelError, isError, type Scalar, type Value } from '../values/value';
import { finite, numberArgs, numeric, numericStrict, serialDay, serialDays } from './date-args';
import { basisArg, days360European, days360Excel, yearFraction } from './date-daycount';
import { addWorkdays, countWorkdays, dayOfWeek, holidaysArg, weekendArg } from './date-workdays';
import { define, type FunctionDefinition, type FunctionImpl } from './types';

const SECONDS_PER_DAY = 86400;

/** A serial result, or #NUM! when it falls outside Excel's date range. */
function inRange(serial: number): number | ExcelError {
  return serial < 0 || serial > MAX_SERIAL ? Errors.NUM : serial;
}

/** An implementation over one serial-day argument. */
function ofDay(fn: (serial: number) => number): FunctionImpl {
  return numeric([0], ([x]) => {
    const day = serialDay(x);
    return isError(day) ? day : fn(day);
  });
}

/** An implementation over the time of day, in whole seconds (Excel rounds to the nearest second). */
function ofSecondOfDay(fn: (seconds: number) => number): FunctionImpl {
  return numeric([0], ([x]) => {
    if (x < 0 || x > MAX_SERIAL + 1) return Errors.NUM;
    return fn(Math.round((x - Math.floor(x)) * SECONDS_PER_DAY) % SECONDS_PER_DAY);
  });
}

function date([year, month, day]: number[]): number | ExcelError {
  let y = Math.trunc(year);
  if (y < 0 || y >= 10000) return Errors.NUM;
  if (y < 1900) y += 1900;
  // The year after months overflow must still be at most 9999.
  if (y + Math.floor((Math.trunc(month) - 1) / 12) > 9999) return Errors.NUM;
  return inRange(serialFromDate(y, Math.trunc(month), Math.trunc(day)));
}

function time([hours, minutes, seconds]: number[]): number | ExcelError {
  const h = Math.trunc(hours);
  const m = Math.trunc(minutes);
  const s = Math.trunc(seconds);
  if (h > 32767 || m > 32767 || s > 32767) return Errors.NUM;
  const total = (h * 3600 + m * 60 + s) / SECONDS_PER_DAY;
  if (total < 0) return Errors.NUM;
  return total - Math.floor(total);
}

/** A text argument parsed as Excel reads dates and times; numbers are not accepted (#VALUE!). */
function parsedText(value: Value): number | ExcelError {
  if (isError(value)) return value;
  if (typeof value !== 'string') return Errors.VALUE;
  const text = toText(value) as string;
  const n = parseNumber(text);
  // Plain numbers are not dates: DATEVALUE("123") is #VALUE!.
  if (n === undefined || !/[-/:a-z]/i.test(text) || n < 0) return Errors.VALUE;
  return n;
}

const dateValue: FunctionImpl = ([text]) => {
  const n = parsedText(text);
  return isError(n) ? n : inRange(Math.floor(n));
};

const timeValue: FunctionImpl = ([text]) => {
  // TIMEVALUE ignores surrounding spaces, which plain text-to-number conversion of times does not.
  const n = parsedText(typeof text === 'string' ? text.trim() : text);
  return isError(n) ? n : n - Math.floor(n);
};

/** WEEKDAY return types: the first day of the week (0 = Sunday) and the number it gets. */
const WEEKDAY_TYPES: Record<number, [first: number, base: number]> = {
  1: [0, 1],
  2: [1, 1],
  3: [1, 0],
  11: [1, 1],
  12: [2, 1],
  13: [3, 1],
  14: [4, 1],
  15: [5, 1],
  16: [6, 1],
  17: [0, 1],
};

function weekday([serial, type]: number[]): number | ExcelError {
  const day = serialDay(serial);
  const kind = WEEKDAY_TYPES[Math.trunc(type)];
  if (isError(day)) return day;
  if (!kind) return Errors.NUM;
  return ((dayOfWeek(day) - kind[0] + 7) % 7) + kind[1];
}

function isoWeekNumber(day: number): number {
  const mondayBased = (dayOfWeek(day) + 6) % 7;
  const thursday = day - mondayBased + 3;
  const { year } = dateFromSerial(thursday);
  return Math.floor((thursday - serialFromDate(year, 1, 1)) / 7) + 1;
}

/** WEEKNUM return types: the day weeks start on (0 = Sunday); 21 is the ISO week. */
const WEEK_STARTS: Record<number, number> = { 1: 0, 2: 1, 11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 16: 6, 17: 0 };

function weekNumber([serial, type]: number[]): number | ExcelError {
  const day = serialDay(serial);
  if (isError(day)) return day;
  const t = Math.trunc(type);
  if (t === 21) return isoWeekNumber(day);
  const first = WEEK_STARTS[t];
  if (first === undefined) return Errors.NUM;
  const jan1 = serialFromDate(dateFromSerial(day).year, 1, 1);
  const offset = (dayOfWeek(jan1) - first + 7) % 7;
  return Math.floor((day - jan1 + offset) / 7) + 1;
}

function datedif(args: Value[]): Value {
  const x = numberArgs(args.slice(0, 2), [0, 0]);
  if (isError(x)) return x;
  const unit = isError(args[2]) ? args[2] : toText(args[2] as Exclude<Value, object>);
  if (isError(unit)) return unit;
  const days = serialDays(x);
  if (isError(days)) return days;
  const [start, end] = days;
  if (start > end) return Errors.NUM;
  const a = dateFromSerial(start);
  const b = dateFromSerial(end);
  const dayShort = b.day < a.day ? 1 : 0;
  const months = (b.year - a.year) * 12 + (b.month - a.month) - dayShort;
  switch (unit.toUpperCase()) {
    case 'Y':
      return Math.floor(months / 12);
    case 'M':
      return months;
    case 'D':
      return end - start;
    case 'YM':
      return months % 12;
    case 'MD':
      return dayShort ? end - serialFromDate(b.year, b.month - 1, a.day) : b.day - a.day;
    case 'YD': {
      let anniversary = serialFromDate(b.year, a.month, a.day);
      if (anniversary > end) anniversary = serialFromDate(b.year - 1, a.month, a.day);
      return end - anniversary;
    }
    default:
      return Errors.NUM;
  }
}

/** WORKDAY / WORKDAY.INTL: arguments (start, days, [weekend], [holidays]). */
function workday(args: Value[], intl: boolean): Value {
  const x = numberArgs(args.slice(0, 2), [0, 0]);
  if (isError(x)) return x;
  const start = serialDay(x[0]);
  if (isError(start)) return start;
  const weekend = intl ? weekendArg(args[2]) : weekendArg(1);
  if (isError(weekend)) return weekend;
  const holidays = holidaysArg(intl ? args[3] : args[2]);
  if (isError(holidays)) return holidays;
  if (weekend.every(Boolean)) return Errors.VALUE;
  return inRange(addWorkdays(start, Math.trunc(x[1]), weekend, holidays));
}

/** NETWORKDAYS / NETWORKDAYS.INTL: arguments (start, end, [weekend], [holidays]). */
function networkdays(args: Value[], intl: boolean): Value {
  const x = numberArgs(args.slice(0, 2), [0, 0]);
  if (isError(x)) return x;
  const days = serialDays(x);
  if (isError(days)) return days;
  const weekend = intl ? weekendArg(args[2]) : weekendArg(1);
  if (isError(weekend)) return weekend;
  const holidays = holidaysArg(intl ? args[3] : args[2]);
  if (isError(holidays)) return holidays;
  return countWorkdays(days[0], days[1], weekend, holidays);
}

/**
 * An implementation whose first `count` arguments are serial days, validated and truncated; `strict` for
 * the Analysis ToolPak functions that reject booleans.
 */
function ofDays(
  count: number,
  defaults: number[],
  fn: (days: number[], rest: number[]) => number | ExcelError,
  strict = true,
): FunctionImpl {
  return (strict ? numericStrict : numeric)(defaults, (x) => {
    const days = serialDays(x.slice(0, count));
    return isError(days) ? days : fn(days, x.slice(count));
  });
}

export const dateFunctions: FunctionDefinition[] = [
  define('DATE', 'date', 3, 3, ['scalar'], numeric([0, 0, 0], date)),
  define('TIME', 'date', 3, 3, ['scalar'], numeric([0, 0, 0], time)),
  define('DATEVALUE', 'date', 1, 1, ['scalar'], dateValue),
  define('TIMEVALUE', 'date', 1, 1, ['scalar'], timeValue),
  define(
    'YEAR',
    'date',
    1,
    1,
    ['scalar'],
    ofDay((d) => dateFromSerial(d).year),
  ),
  define(
    'MONTH',
    'date',
    1,
    1,
    ['scalar'],
    ofDay((d) => dateFromSerial(d).month),
  ),
  define(
    'DAY',
    'date',
    1,
    1,
    ['scalar'],
    ofDay((d) => dateFromSerial(d).day),
  ),
  define(
    'HOUR',
    'date',
    1,
    1,
    ['scalar'],
    ofSecondOfDay((s) => Math.floor(s / 3600)),
  ),
  define(
    'MINUTE',
    'date',
    1,
    1,
    ['scalar'],
    ofSecondOfDay((s) => Math.floor(s / 60) % 60),
  ),
  define(
    'SECOND',
    'date',
    1,
    1,
    ['scalar'],
    ofSecondOfDay((s) => s % 60),
  ),
  define('NOW', 'date', 0, 0, [], (_args, ctx) => ctx.now(), { volatile: true }),
  define('TODAY', 'date', 0, 0, [], (_args, ctx) => Math.floor(ctx.now()), { volatile: true }),
  define(
    'DAYS',
    'date',
    2,
    2,
    ['scalar'],
    ofDays(2, [0, 0], ([end, start]) => end - start, false),
  ),
  define('DAYS360', 'date', 2, 3, ['scalar'], (args) => {
    const x = numberArgs(args.slice(0, 2), [0, 0]);
    if (isError(x)) return x;
    const european = toBoolean(args[2] === undefined ? null : (args[2] as Scalar));
    if (isError(european)) return european;
    // DAYS360 reads dates to the nearest second: 46000.999999 is the next day.
    const days = serialDays(x.map((serial) => serial + 0.5 / SECONDS_PER_DAY));
    if (isError(days)) return days;
    return european ? days360European(days[0], days[1]) : days360Excel(days[0], days[1]);
  }),
  define(
    'EDATE',
    'date',
    2,
    2,
    ['scalar'],
    ofDays(1, [0, 0], ([start], [months]) => inRange(addMonths(start, Math.trunc(months)))),
  ),
  define(
    'EOMONTH',
    'date',
    2,
    2,
    ['scalar'],
    ofDays(1, [0, 0], ([start], [months]) => inRange(endOfMonth(start, Math.trunc(months)))),
  ),
  define('WEEKDAY', 'date', 1, 2, ['scalar'], numeric([0, 1], weekday)),
  define('WEEKNUM', 'date', 1, 2, ['scalar'], numeric([0, 1], weekNumber)),
  define(
    'ISOWEEKNUM',
    'date',
    1,
    1,
    ['scalar'],
    ofDays(1, [0], ([d]) => isoWeekNumber(d), false),
  ),
  define(
    'YEARFRAC',
    'date',
    2,
    3,
    ['scalar'],
    ofDays(2, [0, 0, 0], ([start, end], [basis]) => {
      const b = basisArg(basis);
      return isError(b) ? b : finite(yearFraction(start, end, b));
    }),
  ),
  define('DATEDIF', 'date', 3, 3, ['scalar'], datedif),
  define('WORKDAY', 'date', 2, 3, ['scalar', 'scalar', 'array'], (args) => workday(args, false)),
  define('WORKDAY.INTL', 'date', 2, 4, ['scalar', 'scalar', 'scalar', 'array'], (args) =>
    workday(args, true),
  ),
  define('NETWORKDAYS', 'date', 2, 3, ['scalar', 'scalar', 'array'], (args) => networkdays(args, false)),
  define('NETWORKDAYS.INTL', 'date', 2, 4, ['scalar', 'scalar', 'scalar', 'array'], (args) =>
    networkdays(args, true),
  ),
];
