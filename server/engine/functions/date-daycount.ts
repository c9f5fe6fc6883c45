/**
 * Day-count conventions (the `basis` argument 0–4) and coupon schedules, shared by YEARFRAC, DAYS360 and
 * the securities functions (COUP*, ACCRINT, PRICE, YIELD…).
 *   0: US (NASD) 30/360   1: actual/actual   2: actual/360   3: actual/365   4: European 30/360
 */
import {
  type CalendarDate,
  dateFromSerial,
  excelDaysInMonth,
  isLastDayOfMonth,
  isLeapYear,
  serialFromDate,
} from '../values/dates';
import { Errors, type ExcelError } from '../values/value';

export type Basis = 0 | 1 | 2 | 3 | 4;

/** The basis argument truncated, or #NUM! outside 0–4. */
export function basisArg(value: number): Basis | ExcelError {
  const b = Math.trunc(value);
  return b >= 0 && b <= 4 ? (b as Basis) : Errors.NUM;
}

/** The frequency argument truncated, or #NUM! unless it is 1, 2 or 4 coupons a year. */
export function frequencyArg(value: number): number | ExcelError {
  const f = Math.trunc(value);
  return f === 1 || f === 2 || f === 4 ? f : Errors.NUM;
}

function days360Of(a: CalendarDate, b: CalendarDate, startDay: number, endDay: number): number {
  return (b.year - a.year) * 360 + (b.month - a.month) * 30 + (endDay - startDay);
}

const isLastDayOfFebruary = (d: CalendarDate) => d.month === 2 && isLastDayOfMonth(d);

/** DAYS360 with method FALSE: a start on a month's last day counts as the 30th; a 31st end rolls over. */
export function days360Excel(start: number, end: number): number {
  const a = dateFromSerial(start);
  const b = dateFromSerial(end);
  const startDay = isLastDayOfMonth(a) ? 30 : a.day;
  let endDay = b.day;
  if (b.day === 31) endDay = startDay < 30 ? 31 : 30;
  return days360Of(a, b, startDay, endDay);
}

/**
 * US (NASD) 30/360 as YEARFRAC, the coupon functions and ACCRINT count with basis 0. The end-date rules
 * look at the start day before it is adjusted. `modifyBothDates` is the variant ACCRINT uses for the length
 * of a coupon period: the end moves to the 30th whenever it is the 31st or the end of February.
 */
export function days360US(start: number, end: number, modifyBothDates = false): number {
  const a = dateFromSerial(start);
  const b = dateFromSerial(end);
  let startDay = a.day;
  let endDay = b.day;
  if (isLastDayOfFebruary(b) && (isLastDayOfFebruary(a) || modifyBothDates)) endDay = 30;
  if (endDay === 31 && (startDay >= 30 || modifyBothDates)) endDay = 30;
  if (startDay === 31 || isLastDayOfFebruary(a)) startDay = 30;
  return days360Of(a, b, startDay, endDay);
}

/** European 30/360: every 31st counts as the 30th. */
export function days360European(start: number, end: number): number {
  const a = dateFromSerial(start);
  const b = dateFromSerial(end);
  return days360Of(a, b, Math.min(a.day, 30), Math.min(b.day, 30));
}

/**
 * The date `months` months from `serial`, its day clamped to the target month, or that month's last day
 * when `endOfMonth`. Coupon schedules step with it one period at a time, so a clamped day stays clamped.
 */
export function shiftMonths(serial: number, months: number, endOfMonth: boolean): number {
  const d = dateFromSerial(serial);
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const length = excelDaysInMonth(year, month);
  return serialFromDate(year, month, endOfMonth ? length : Math.min(d.day, length));
}

/** Days from start to end under a basis (30/360 or actual). */
export function dayCount(start: number, end: number, basis: Basis): number {
  if (basis === 0) return days360US(start, end);
  if (basis === 4) return days360European(start, end);
  return end - start;
}

/** Whether a 29 February lies between two dates (both included), as actual/actual checks. */
function spansLeapDay(a: CalendarDate, b: CalendarDate, start: number, end: number): boolean {
  for (let y = a.year; y <= b.year; y++) {
    if (!isLeapYear(y)) continue;
    const leapDay = serialFromDate(y, 2, 29);
    if (leapDay >= start && leapDay <= end) return true;
  }
  return false;
}

/** Actual/actual year fraction the way Excel's YEARFRAC basis 1 averages year lengths. */
function actualActual(start: number, end: number): number {
  const a = dateFromSerial(start);
  const b = dateFromSerial(end);
  const withinAYear =
    a.year === b.year ||
    (b.year === a.year + 1 && (a.month > b.month || (a.month === b.month && a.day >= b.day)));
  if (withinAYear) {
    const yearLength =
      (a.year === b.year && isLeapYear(a.year)) || (a.year !== b.year && spansLeapDay(a, b, start, end))
        ? 366
        : 365;
    return (end - start) / yearLength;
  }
  const years = b.year - a.year + 1;
  const averageYear = (serialFromDate(b.year + 1, 1, 1) - serialFromDate(a.year, 1, 1)) / years;
  return (end - start) / averageYear;
}

/** YEARFRAC: the fraction of a year between two serial days (order does not matter). */
export function yearFraction(start: number, end: number, basis: Basis): number {
  if (start > end) [start, end] = [end, start];
  switch (basis) {
    case 0:
      return days360US(start, end) / 360;
    case 1:
      return actualActual(start, end);
    case 2:
      return (end - start) / 360;
    case 3:
      return (end - start) / 365;
    case 4:
      return days360European(start, end) / 360;
  }
}

/** Days in a year under a basis, for a given year (actual/actual needs it). */
export function daysInYear(year: number, basis: Basis): number {
  if (basis === 1) return isLeapYear(year) ? 366 : 365;
  return basis === 3 ? 365 : 360;
}

/**
 * The coupon dates of a bond that matures on `maturity`: they fall every 12/frequency months counted back
 * from maturity, on the maturity's day of month (the month's last day when maturity is one).
 */
export class CouponSchedule {
  private readonly maturity: CalendarDate;
  private readonly endOfMonth: boolean;
  private readonly step: number;
  /** Coupons left after settlement, including the one at maturity (COUPNUM). */
  readonly count: number;
  /** Previous coupon date on or before settlement (COUPPCD). */
  readonly previous: number;
  /** Next coupon date after settlement (COUPNCD). */
  readonly next: number;

  constructor(settlement: number, maturity: number, frequency: number) {
    this.maturity = dateFromSerial(maturity);
    this.endOfMonth = isLastDayOfMonth(this.maturity);
    this.step = 12 / frequency;
    const s = dateFromSerial(settlement);
    const monthsApart = (this.maturity.year - s.year) * 12 + (this.maturity.month - s.month);
    let k = Math.max(0, Math.floor(monthsApart / this.step) - 1);
    while (this.dateBack(k) > settlement) k++;
    this.count = k;
    this.previous = this.dateBack(k);
    this.next = this.dateBack(k - 1);
  }

  /** The coupon date k periods before maturity. */
  dateBack(k: number): number {
    const total = this.maturity.year * 12 + (this.maturity.month - 1) - k * this.step;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    const length = excelDaysInMonth(year, month);
    const day = this.endOfMonth ? length : Math.min(this.maturity.day, length);
    return serialFromDate(year, month, day);
  }
}

/** Days in the coupon period containing settlement (COUPDAYS). */
export function couponPeriodDays(schedule: CouponSchedule, frequency: number, basis: Basis): number {
  if (basis === 1) return schedule.next - schedule.previous;
  return (basis === 3 ? 365 : 360) / frequency;
}

/** Days from the period's start to settlement (COUPDAYBS). */
export function daysSinceCoupon(schedule: CouponSchedule, settlement: number, basis: Basis): number {
  return dayCount(schedule.previous, settlement, basis);
}

/** Days from settlement to the next coupon (COUPDAYSNC). */
export function daysToCoupon(
  schedule: CouponSchedule,
  settlement: number,
  frequency: number,
  basis: Basis,
): number {
  if (basis === 0 || basis === 4)
    return couponPeriodDays(schedule, frequency, basis) - daysSinceCoupon(schedule, settlement, basis);
  return schedule.next - settlement;
}
