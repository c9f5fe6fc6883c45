/**
 * Excel serial dates in the 1900 date system: day 1 is 1900-01-01 and, as in Lotus 1-2-3, day 60 is the
 * nonexistent 1900-02-29. Fractions are the time of day.
 */

const MS_PER_DAY = 86_400_000;
/** Serial 25569 is 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25569;

/** Serial number of a (year, month, day), normalising overflowing months and days as DATE() does. */
export function serialFromDate(year: number, month: number, day: number): number {
  const ms = Date.UTC(year, month - 1, 1);
  const base = Math.floor(ms / MS_PER_DAY) + UNIX_EPOCH_SERIAL + (day - 1);
  // Serials before 1900-03-01 are one less, because Excel counts the fictitious 1900-02-29.
  return base < 61 ? base - 1 : base;
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
