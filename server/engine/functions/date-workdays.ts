/**
 * Working-day arithmetic for WORKDAY(.INTL) and NETWORKDAYS(.INTL): weekend patterns and holiday lists.
 */
import { toNumber } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Value } from '../values/value';
import { serialDay } from './date-args';

/** Weekend flags indexed by day of week, 0 = Sunday … 6 = Saturday. */
export type WeekendMask = readonly boolean[];

/** Day of week of a serial day, 0 = Sunday (serial 1, 1900-01-01, is a Sunday in Excel's calendar). */
export function dayOfWeek(serial: number): number {
  return (serial + 6) % 7;
}

/**
 * The weekend argument of the .INTL functions: 1–7 (two-day weekends starting Saturday, Sunday, …),
 * 11–17 (a single day, Sunday first), or seven 0/1 characters from Monday to Sunday.
 */
export function weekendArg(value: Value | undefined): WeekendMask | ExcelError {
  if (value === undefined || value === null) return weekendOfCode(1);
  if (typeof value === 'string') return weekendOfPattern(value);
  if (typeof value !== 'number' && typeof value !== 'boolean') return isError(value) ? value : Errors.VALUE;
  const code = toNumber(value);
  return isError(code) ? code : weekendOfCode(Math.trunc(code));
}

function weekendOfCode(code: number): WeekendMask | ExcelError {
  const mask = [false, false, false, false, false, false, false];
  if (code >= 1 && code <= 7) {
    mask[(code + 5) % 7] = true;
    mask[(code + 6) % 7] = true;
  } else if (code >= 11 && code <= 17) mask[code - 11] = true;
  else return Errors.NUM;
  return mask;
}

function weekendOfPattern(pattern: string): WeekendMask | ExcelError {
  if (!/^[01]{7}$/.test(pattern) || pattern === '1111111') return Errors.VALUE;
  const mask = [false, false, false, false, false, false, false];
  for (let i = 0; i < 7; i++) mask[(i + 1) % 7] = pattern[i] === '1';
  return mask;
}

/** Holiday serial days from a scalar, an array or a range; empty cells are skipped. */
export function holidaysArg(value: Value | undefined): Set<number> | ExcelError {
  const holidays = new Set<number>();
  if (value === undefined || value === null) return holidays;
  const items = value instanceof Matrix ? value.data : [value];
  for (const item of items) {
    if (item === null) continue;
    if (typeof item === 'object' && !isError(item)) return Errors.VALUE;
    if (typeof item === 'boolean') return Errors.VALUE;
    const n = toNumber(item);
    if (isError(n)) return n;
    const day = serialDay(n);
    if (isError(day)) return day;
    holidays.add(day);
  }
  return holidays;
}

function isWorkday(day: number, weekend: WeekendMask, holidays: Set<number>): boolean {
  return !weekend[dayOfWeek(day)] && !holidays.has(day);
}

/** The day `days` working days after (or before) start (WORKDAY). */
export function addWorkdays(
  start: number,
  days: number,
  weekend: WeekendMask,
  holidays: Set<number>,
): number {
  const step = days < 0 ? -1 : 1;
  let day = start;
  for (let left = Math.abs(days); left > 0; ) {
    day += step;
    if (isWorkday(day, weekend, holidays)) left--;
  }
  return day;
}

/** Working days from start to end, both included; negative when end is before start (NETWORKDAYS). */
export function countWorkdays(
  start: number,
  end: number,
  weekend: WeekendMask,
  holidays: Set<number>,
): number {
  if (start > end) return -countWorkdays(end, start, weekend, holidays);
  const perWeek = weekend.reduce((n, off) => (off ? n : n + 1), 0);
  const fullWeeks = Math.floor((end - start + 1) / 7);
  let count = fullWeeks * perWeek;
  for (let day = start + fullWeeks * 7; day <= end; day++) if (!weekend[dayOfWeek(day)]) count++;
  for (const holiday of holidays)
    if (holiday >= start && holiday <= end && !weekend[dayOfWeek(holiday)]) count--;
  return count;
}
