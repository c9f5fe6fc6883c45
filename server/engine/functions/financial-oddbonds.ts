/**
 * Bonds with an odd (short or long) first or last coupon period: ODDFPRICE, ODDFYIELD, ODDLPRICE,
 * ODDLYIELD. The long first period is split into quasi-coupon periods stepped back from the first coupon,
 * each weighted by the fraction of it that accrues, as Excel's documented formulas do.
 */
import { dateFromSerial, excelDaysInMonth, isLastDayOfMonth } from '../values/dates';
import { Errors, type ExcelError, isError } from '../values/value';
import { numericStrict, serialDays } from './date-args';
import {
  type Basis,
  basisArg,
  CouponSchedule,
  couponPeriodDays,
  dayCount,
  days360US,
  frequencyArg,
  shiftMonths,
} from './date-daycount';
import type { FunctionImpl } from './types';

const daysNotNegative = (start: number, end: number, basis: Basis) =>
  Math.max(0, dayCount(start, end, basis));

/** Like daysNotNegative, but basis 0 moves both dates' month ends to the 30th (odd last periods). */
function periodDays(start: number, end: number, basis: Basis): number {
  return basis === 0 ? Math.max(0, days360US(start, end, true)) : daysNotNegative(start, end, basis);
}

/** Coupons from after `from` up to `to` inclusive; one when `from` is `to` itself. */
function couponsBetween(from: number, to: number, frequency: number): number {
  return from >= to ? 1 : new CouponSchedule(from, to, frequency).count;
}

/**
 * Whole quasi-coupon periods from settlement up to the first coupon, stepping forward from settlement
 * (month ends kept when the first coupon is one, or for a 29th/30th anchor when settlement is one).
 */
function quasiPeriodsBefore(firstCoupon: number, settlement: number, months: number): number {
  const anchor = dateFromSerial(firstCoupon);
  const settle = dateFromSerial(settlement);
  const anchorAtEnd = isLastDayOfMonth(anchor);
  const endOfMonth =
    !anchorAtEnd &&
    anchor.month !== 2 &&
    anchor.day > 28 &&
    anchor.day < excelDaysInMonth(anchor.year, anchor.month)
      ? isLastDayOfMonth(settle)
      : anchorAtEnd;
  const start = shiftMonths(settlement, 0, endOfMonth);
  let periods = settlement < start ? 1 : 0;
  for (let front = shiftMonths(start, months, endOfMonth); front < firstCoupon; ) {
    periods++;
    front = shiftMonths(front, months, endOfMonth);
  }
  return periods;
}

interface OddFirst {
  settlement: number;
  maturity: number;
  issue: number;
  firstCoupon: number;
  rate: number;
  redemption: number;
  frequency: number;
  basis: Basis;
}

function oddFirstPrice(bond: OddFirst, yld: number): number {
  const { settlement, maturity, issue, firstCoupon, rate, redemption, frequency, basis } = bond;
  const months = 12 / frequency;
  const coupon = (100 * rate) / frequency;
  const base = 1 + yld / frequency;
  const schedule = new CouponSchedule(settlement, firstCoupon, frequency);
  const e = couponPeriodDays(schedule, frequency, basis);
  const dfc = daysNotNegative(issue, firstCoupon, basis);
  if (dfc < e) {
    // Short first period: one coupon prorated by its length.
    const n = couponsBetween(settlement, maturity, frequency);
    const offset = daysNotNegative(settlement, firstCoupon, basis) / e;
    const accrued = daysNotNegative(issue, settlement, basis) / e;
    let price = redemption / base ** (n - 1 + offset) + (coupon * dfc) / e / base ** offset;
    for (let k = 2; k <= n; k++) price += coupon / base ** (k - 1 + offset);
    return price - accrued * coupon;
  }
  // Long first period: sum the fractions of the quasi-coupon periods it spans.
  const nc = couponsBetween(issue, firstCoupon, frequency);
  let late = firstCoupon;
  let counted = 0;
  let accrued = 0;
  for (let index = nc; index >= 1; index--) {
    const early = shiftMonths(late, -months, false);
    const normal = basis === 1 ? daysNotNegative(early, late, basis) : e;
    const days = index > 1 ? normal : daysNotNegative(issue, late, basis);
    accrued += daysNotNegative(Math.max(issue, early), Math.min(settlement, late), basis) / normal;
    counted += days / normal;
    late = early;
  }
  const dsc =
    basis === 2 || basis === 3
      ? daysNotNegative(settlement, schedule.next, basis)
      : e - dayCount(schedule.previous, settlement, basis);
  const offset = dsc / e;
  const nq = quasiPeriodsBefore(firstCoupon, settlement, months);
  const n = couponsBetween(firstCoupon, maturity, frequency);
  let price = redemption / base ** (offset + nq + n) + (coupon * counted) / base ** (nq + offset);
  for (let k = 1; k <= n; k++) price += coupon / base ** (k + nq + offset);
  return price - coupon * accrued;
}

interface OddLastTerms {
  /** Coupon fractions of the odd last period, accrued before settlement, and left after it. */
  counted: number;
  accrued: number;
  remaining: number;
}

function oddLastTerms(
  settlement: number,
  maturity: number,
  lastInterest: number,
  frequency: number,
  basis: Basis,
) {
  const months = 12 / frequency;
  const nc = couponsBetween(lastInterest, maturity, frequency);
  const terms: OddLastTerms = { counted: 0, accrued: 0, remaining: 0 };
  let early = lastInterest;
  for (let index = 1; index <= nc; index++) {
    const late = shiftMonths(early, months, false);
    const normal = periodDays(early, late, basis);
    const days = index < nc ? normal : periodDays(early, maturity, basis);
    const accrued =
      late < settlement ? days : early < settlement ? daysNotNegative(early, settlement, basis) : 0;
    const remaining = daysNotNegative(Math.max(settlement, early), Math.min(maturity, late), basis);
    terms.counted += days / normal;
    terms.accrued += accrued / normal;
    terms.remaining += remaining / normal;
    early = late;
  }
  return terms;
}

/** The yield at which `price(yield)` equals `target`: Newton from the coupon rate, bisection otherwise. */
function solveYield(price: (yld: number) => number, target: number, guess: number): number | ExcelError {
  const f = (y: number) => price(y) - target;
  let y = guess;
  for (let i = 0; i < 100; i++) {
    const h = 1e-6;
    const slope = (f(y + h) - f(y - h)) / (2 * h);
    const next = y - f(y) / slope;
    if (!Number.isFinite(next) || next <= -1) break;
    if (Math.abs(next - y) < 1e-12) return next;
    y = next;
  }
  let low = -0.9999;
  let high = 100;
  if (!(f(low) * f(high) < 0)) return Errors.NUM;
  for (let i = 0; i < 200 && high - low > 1e-14; i++) {
    const mid = (low + high) / 2;
    if (f(mid) * f(low) > 0) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Parses (settlement, maturity, issue, first_coupon, rate, yld|pr, redemption, frequency, [basis]);
 * `valueIsPrice` for the YIELD variant, whose sixth argument is a price.
 */
function oddFirst(
  solve: (bond: OddFirst, value: number) => number | ExcelError,
  valueIsPrice: boolean,
): FunctionImpl {
  return numericStrict([0, 0, 0, 0, 0, 0, 0, 0, 0], (x) => {
    const days = serialDays(x.slice(0, 4));
    if (isError(days)) return days;
    const [settlement, maturity, issue, firstCoupon] = days;
    const [, , , , rate, value, redemption] = x;
    const frequency = frequencyArg(x[7]);
    if (isError(frequency)) return frequency;
    const basis = basisArg(x[8]);
    if (isError(basis)) return basis;
    if (issue >= firstCoupon || firstCoupon > maturity || settlement >= maturity) return Errors.NUM;
    if (rate < 0 || (valueIsPrice ? value <= 0 : value < 0) || redemption <= 0) return Errors.NUM;
    return solve({ settlement, maturity, issue, firstCoupon, rate, redemption, frequency, basis }, value);
  });
}

/** Parses (settlement, maturity, last_interest, rate, yld|pr, redemption, frequency, [basis]). */
function oddLast(valueIsPrice: boolean): FunctionImpl {
  return numericStrict([0, 0, 0, 0, 0, 0, 0, 0], (x) => {
    const days = serialDays(x.slice(0, 3));
    if (isError(days)) return days;
    const [settlement, maturity, lastInterest] = days;
    const [, , , rate, value, redemption] = x;
    const frequency = frequencyArg(x[6]);
    if (isError(frequency)) return frequency;
    const basis = basisArg(x[7]);
    if (isError(basis)) return basis;
    if (lastInterest >= maturity || settlement >= maturity) return Errors.NUM;
    if (rate < 0 || (valueIsPrice ? value <= 0 : value < 0) || redemption <= 0) return Errors.NUM;
    const t = oddLastTerms(settlement, maturity, lastInterest, frequency, basis);
    const coupon = (100 * rate) / frequency;
    const paid = t.counted * coupon + redemption;
    // ODDLPRICE discounts simply over the remaining fraction; ODDLYIELD solves that in closed form.
    if (!valueIsPrice) return paid / ((t.remaining * value) / frequency + 1) - t.accrued * coupon;
    const cost = t.accrued * coupon + value;
    return ((paid - cost) / cost) * (frequency / t.remaining);
  });
}

export const oddFirstPriceImpl = oddFirst((bond, yld) => oddFirstPrice(bond, yld), false);
export const oddFirstYieldImpl = oddFirst(
  (bond, price) => solveYield((yld) => oddFirstPrice(bond, yld), price, bond.rate),
  true,
);
export const oddLastPriceImpl = oddLast(false);
export const oddLastYieldImpl = oddLast(true);
