/**
 * Excel serial dates in the 1900 date system: day 1 is 1900-01-01 and, as in Lotus 1-2-3, day 60 is the
 * nonexistent 1900-02-29. Fractions are the time of day.
 */

const MS_PER_DAY = 86_400_000;
/** Serial 25569 is 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25569;

/**
 * Serial number of a (year, month, day), normalising overflowing months and days as DATE() does. Excel's
 * calendar treats 1900 as a leap year, so days are counted from the start of the (normalised) month.
 */
export function serialFromDate(year: number, month: number, day: number): number {
  const monthStart = new Date(0);
  monthStart.setUTCFullYear(year, month - 1, 1);
  const base = Math.floor(monthStart.getTime() / MS_PER_DAY) + UNIX_EPOCH_SERIAL;
  // Months before March 1900 start one serial earlier, because Excel counts the fictitious 1900-02-29.
  return (base < 61 ? base - 1 : base) + (day - 1);
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Calendar date of a serial (its integer part); serial 60 is 1900-02-29, serial 0 is 1900-01-00. */
export function dateFromSerial(serial: number): CalendarDate {
  const whole = Math.floor(serial);
  if (whole === 60) return { year: 1900, month: 2, day: 29 };
  if (whole === 0) return { year: 1900, month: 1, day: 0 };
  const days = whole < 60 ? whole + 1 : whole;
  const d = new Date((days - UNIX_EPOCH_SERIAL) * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Largest valid serial: 9999-12-31. */
export const MAX_SERIAL = 2958465;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Serial for a JavaScript time in milliseconds since the Unix epoch (UTC). */
export function serialFromUnixMs(ms: number): number {
  return ms / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}

/** Days in a month of Excel's calendar, where February 1900 has 29 days. */
export function excelDaysInMonth(year: number, month: number): number {
  return year === 1900 && month === 2 ? 29 : daysInMonth(year, month);
}

/** The serial `months` months after `serial`, the day clamped to the target month's length (EDATE). */
export function addMonths(serial: number, months: number): number {
  const { year, month, day } = dateFromSerial(serial);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return serialFromDate(y, m, Math.min(day, excelDaysInMonth(y, m)));
}

/** The last day of the month `months` months after `serial` (EOMONTH). */
export function endOfMonth(serial: number, months: number): number {
  const { year, month } = dateFromSerial(serial);
  return serialFromDate(year, month + months + 1, 0);
}

export function isLastDayOfMonth(date: CalendarDate): boolean {
  return date.day === excelDaysInMonth(date.year, date.month);
}
