/**
 * Securities functions (from Excel's Analysis ToolPak): coupon schedules (COUP*), bond price and yield,
 * discounted securities, securities paying at maturity, Treasury bills, accrued interest. Dates are
 * validated and truncated; booleans are rejected with #VALUE! as these functions do.
 */
import { addMonths } from '../values/dates';
import { Errors, type ExcelError, isError } from '../values/value';
import { numericStrict, serialDays } from './date-args';
import {
  type Basis,
  basisArg,
  CouponSchedule,
  couponPeriodDays,
  daysSinceCoupon,
  daysToCoupon,
  frequencyArg,
  yearFraction,
} from './date-daycount';
import { accruedInterest, accruedInterestAtMaturity } from './financial-accrint';
import {
  oddFirstPriceImpl,
  oddFirstYieldImpl,
  oddLastPriceImpl,
  oddLastYieldImpl,
} from './financial-oddbonds';
import { define, type FunctionDefinition, type FunctionImpl } from './types';

interface Bond {
  settlement: number;
  maturity: number;
  frequency: number;
  basis: Basis;
}

/**
 * An implementation whose first two arguments are settlement and maturity (settlement strictly first),
 * with frequency (else 1) and basis (else 0) at the given argument positions when the function has them.
 */
function security(
  defaults: number[],
  positions: { frequency?: number; basis?: number },
  fn: (bond: Bond, x: number[]) => number | ExcelError,
): FunctionImpl {
  return numericStrict(defaults, (x) => {
    const days = serialDays(x.slice(0, 2));
    if (isError(days)) return days;
    const frequency = positions.frequency === undefined ? 1 : frequencyArg(x[positions.frequency]);
    if (isError(frequency)) return frequency;
    const basis = positions.basis === undefined ? 0 : basisArg(x[positions.basis]);
    if (isError(basis)) return basis;
    if (days[0] >= days[1]) return Errors.NUM;
    return fn({ settlement: days[0], maturity: days[1], frequency, basis }, x);
  });
}

/** COUP* functions: (settlement, maturity, frequency, [basis]). */
function coupon(fn: (bond: Bond, schedule: CouponSchedule) => number): FunctionImpl {
  return security([0, 0, 0, 0], { frequency: 2, basis: 3 }, (bond) =>
    fn(bond, new CouponSchedule(bond.settlement, bond.maturity, bond.frequency)),
  );
}

/** Price per 100 face value of a bond paying `rate` and yielding `yld` (PRICE). */
function bondPrice(bond: Bond, rate: number, yld: number, redemption: number): number {
  const { settlement, frequency, basis } = bond;
  const schedule = new CouponSchedule(settlement, bond.maturity, frequency);
  const e = couponPeriodDays(schedule, frequency, basis);
  const a = daysSinceCoupon(schedule, settlement, basis);
  // Excel's PRICE takes the days to the next coupon as the rest of a nominal period under every basis.
  const dsc = e - a;
  const n = schedule.count;
  const couponAmount = (100 * rate) / frequency;
  const accrued = (couponAmount * a) / e;
  if (n === 1) return (redemption + couponAmount) / (1 + ((dsc / e) * yld) / frequency) - accrued;
  const base = 1 + yld / frequency;
  const offset = dsc / e;
  let price = redemption / base ** (n - 1 + offset);
  for (let k = 1; k <= n; k++) price += couponAmount / base ** (k - 1 + offset);
  return price - accrued;
}

/** YIELD: the yield at which PRICE gives `price`, closed form for one period left, Newton otherwise. */
function bondYield(bond: Bond, rate: number, price: number, redemption: number): number | ExcelError {
  const { settlement, frequency, basis } = bond;
  const schedule = new CouponSchedule(settlement, bond.maturity, frequency);
  if (schedule.count === 1) {
    const e = couponPeriodDays(schedule, frequency, basis);
    const a = daysSinceCoupon(schedule, settlement, basis);
    const dsr = e - a;
    const paid = redemption / 100 + rate / frequency;
    const cost = price / 100 + ((a / e) * rate) / frequency;
    return ((paid - cost) / cost) * ((frequency * e) / dsr);
  }
  let yld = 0.1;
  for (let i = 0; i < 100; i++) {
    const f = bondPrice(bond, rate, yld, redemption) - price;
    const h = 1e-7;
    const slope =
      (bondPrice(bond, rate, yld + h, redemption) - bondPrice(bond, rate, yld - h, redemption)) / (2 * h);
    const next = yld - f / slope;
    if (!Number.isFinite(next)) return Errors.NUM;
    if (Math.abs(next - yld) < 1e-12) return next;
    yld = next;
  }
  return Errors.NUM;
}

/** Macaulay duration in years of a bond priced at 100 redemption (DURATION). */
function bondDuration(bond: Bond, rate: number, yld: number): number {
  const { settlement, frequency, basis } = bond;
  const schedule = new CouponSchedule(settlement, bond.maturity, frequency);
  const e = couponPeriodDays(schedule, frequency, basis);
  const offset = (e - daysSinceCoupon(schedule, settlement, basis)) / e;
  const base = 1 + yld / frequency;
  const coupon = (100 * rate) / frequency;
  let weighted = 0;
  let price = 0;
  for (let k = 1; k <= schedule.count; k++) {
    const t = k - 1 + offset;
    const flow = (k === schedule.count ? coupon + 100 : coupon) / base ** t;
    weighted += t * flow;
    price += flow;
  }
  return weighted / price / frequency;
}

/** A T-bill's days to maturity: at most one year after settlement, or #NUM!. */
function billDays(bond: Bond): number | ExcelError {
  if (bond.maturity > addMonths(bond.settlement, 12)) return Errors.NUM;
  return bond.maturity - bond.settlement;
}

function tbillEquivalent(bond: Bond, discount: number): number | ExcelError {
  const dsm = billDays(bond);
  if (isError(dsm)) return dsm;
  if (discount <= 0) return Errors.NUM;
  if (dsm <= 182) return (365 * discount) / (360 - discount * dsm);
  // Beyond half a year the equivalent yield compounds once: solve the quadratic Excel documents.
  const price = 100 * (1 - (discount * dsm) / 360);
  // Excel counts a 366-day bill as exactly one year (matches its results on leap-year spans).
  const t = dsm / Math.max(365, dsm);
  const root = t * t - (2 * t - 1) * (1 - 100 / price);
  if (root < 0 || price <= 0) return Errors.NUM;
  return (-t + Math.sqrt(root)) / (t - 0.5);
}

/** PRICEMAT / YIELDMAT: securities paying interest at maturity, issued on `issue`. */
function maturityTerms(bond: Bond, issue: number): { dim: number; a: number; dsm: number } | ExcelError {
  const day = serialDays([issue]);
  if (isError(day)) return day;
  if (day[0] > bond.settlement) return Errors.NUM;
  return {
    dim: yearFraction(day[0], bond.maturity, bond.basis),
    a: yearFraction(day[0], bond.settlement, bond.basis),
    dsm: yearFraction(bond.settlement, bond.maturity, bond.basis),
  };
}

const positive = (...xs: number[]) => xs.every((x) => x > 0);

export const securitiesFunctions: FunctionDefinition[] = [
  define(
    'COUPDAYS',
    'financial',
    3,
    4,
    ['scalar'],
    coupon(({ frequency, basis }, s) => couponPeriodDays(s, frequency, basis)),
  ),
  define(
    'COUPDAYBS',
    'financial',
    3,
    4,
    ['scalar'],
    coupon(({ settlement, basis }, s) => daysSinceCoupon(s, settlement, basis)),
  ),
  define(
    'COUPDAYSNC',
    'financial',
    3,
    4,
    ['scalar'],
    coupon(({ settlement, frequency, basis }, s) => daysToCoupon(s, settlement, frequency, basis)),
  ),
  define(
    'COUPNCD',
    'financial',
    3,
    4,
    ['scalar'],
    coupon((_bond, s) => s.next),
  ),
  define(
    'COUPPCD',
    'financial',
    3,
    4,
    ['scalar'],
    coupon((_bond, s) => s.previous),
  ),
  define(
    'COUPNUM',
    'financial',
    3,
    4,
    ['scalar'],
    coupon((_bond, s) => s.count),
  ),
  define(
    'PRICE',
    'financial',
    6,
    7,
    ['scalar'],
    security([0, 0, 0, 0, 0, 0, 0], { frequency: 5, basis: 6 }, (bond, [, , rate, yld, redemption]) =>
      rate < 0 || yld < 0 || redemption <= 0 ? Errors.NUM : bondPrice(bond, rate, yld, redemption),
    ),
  ),
  define(
    'YIELD',
    'financial',
    6,
    7,
    ['scalar'],
    security([0, 0, 0, 0, 0, 0, 0], { frequency: 5, basis: 6 }, (bond, [, , rate, price, redemption]) =>
      rate < 0 || price <= 0 || redemption <= 0 ? Errors.NUM : bondYield(bond, rate, price, redemption),
    ),
  ),
  define(
    'DURATION',
    'financial',
    5,
    6,
    ['scalar'],
    security([0, 0, 0, 0, 0, 0], { frequency: 4, basis: 5 }, (bond, [, , rate, yld]) =>
      rate < 0 || yld < 0 ? Errors.NUM : bondDuration(bond, rate, yld),
    ),
  ),
  define(
    'MDURATION',
    'financial',
    5,
    6,
    ['scalar'],
    security([0, 0, 0, 0, 0, 0], { frequency: 4, basis: 5 }, (bond, [, , rate, yld]) =>
      rate < 0 || yld < 0 ? Errors.NUM : bondDuration(bond, rate, yld) / (1 + yld / bond.frequency),
    ),
  ),
  define(
    'DISC',
    'financial',
    4,
    5,
    ['scalar'],
    security([0, 0, 0, 0, 0], { basis: 4 }, (bond, [, , price, redemption]) =>
      positive(price, redemption)
        ? (redemption - price) / redemption / yearFraction(bond.settlement, bond.maturity, bond.basis)
        : Errors.NUM,
    ),
  ),
  define(
    'INTRATE',
    'financial',
    4,
    5,
    ['scalar'],
    security([0, 0, 0, 0, 0], { basis: 4 }, (bond, [, , investment, redemption]) =>
      positive(investment, redemption)
        ? (redemption - investment) / investment / yearFraction(bond.settlement, bond.maturity, bond.basis)
        : Errors.NUM,
    ),
  ),
  define(
    'RECEIVED',
    'financial',
    4,
    5,
    ['scalar'],
    security([0, 0, 0, 0, 0], { basis: 4 }, (bond, [, , investment, discount]) => {
      if (!positive(investment, discount)) return Errors.NUM;
      const denominator = 1 - discount * yearFraction(bond.settlement, bond.maturity, bond.basis);
      return denominator <= 0 ? Errors.NUM : investment / denominator;
    }),
  ),
  define(
    'PRICEDISC',
    'financial',
    4,
    5,
    ['scalar'],
    security([0, 0, 0, 0, 0], { basis: 4 }, (bond, [, , discount, redemption]) =>
      positive(discount, redemption)
        ? redemption * (1 - discount * yearFraction(bond.settlement, bond.maturity, bond.basis))
        : Errors.NUM,
    ),
  ),
  define(
    'YIELDDISC',
    'financial',
    4,
    5,
    ['scalar'],
    security([0, 0, 0, 0, 0], { basis: 4 }, (bond, [, , price, redemption]) =>
      positive(price, redemption)
        ? (redemption / price - 1) / yearFraction(bond.settlement, bond.maturity, bond.basis)
        : Errors.NUM,
    ),
  ),
  define(
    'PRICEMAT',
    'financial',
    5,
    6,
    ['scalar'],
    security([0, 0, 0, 0, 0, 0], { basis: 5 }, (bond, [, , issue, rate, yld]) => {
      if (rate < 0 || yld < 0) return Errors.NUM;
      const t = maturityTerms(bond, issue);
      if (isError(t)) return t;
      return (100 + t.dim * rate * 100) / (1 + t.dsm * yld) - t.a * rate * 100;
    }),
  ),
  define(
    'YIELDMAT',
    'financial',
    5,
    6,
    ['scalar'],
    security([0, 0, 0, 0, 0, 0], { basis: 5 }, (bond, [, , issue, rate, price]) => {
      if (rate < 0 || price <= 0) return Errors.NUM;
      const t = maturityTerms(bond, issue);
      if (isError(t)) return t;
      const cost = price / 100 + t.a * rate;
      return (1 + t.dim * rate - cost) / cost / t.dsm;
    }),
  ),
  define(
    'TBILLPRICE',
    'financial',
    3,
    3,
    ['scalar'],
    security([0, 0, 0], {}, (bond, [, , discount]) => {
      const dsm = billDays(bond);
      if (isError(dsm)) return dsm;
      const price = 100 * (1 - (discount * dsm) / 360);
      return discount <= 0 || price <= 0 ? Errors.NUM : price;
    }),
  ),
  define(
    'TBILLYIELD',
    'financial',
    3,
    3,
    ['scalar'],
    security([0, 0, 0], {}, (bond, [, , price]) => {
      const dsm = billDays(bond);
      if (isError(dsm)) return dsm;
      return price <= 0 ? Errors.NUM : ((100 - price) / price) * (360 / dsm);
    }),
  ),
  define(
    'TBILLEQ',
    'financial',
    3,
    3,
    ['scalar'],
    security([0, 0, 0], {}, (bond, [, , discount]) => tbillEquivalent(bond, discount)),
  ),
  define('ACCRINT', 'financial', 6, 8, ['scalar'], accruedInterest),
  define('ACCRINTM', 'financial', 4, 5, ['scalar'], accruedInterestAtMaturity),
  define('ODDFPRICE', 'financial', 8, 9, ['scalar'], oddFirstPriceImpl),
  define('ODDFYIELD', 'financial', 8, 9, ['scalar'], oddFirstYieldImpl),
  define('ODDLPRICE', 'financial', 7, 8, ['scalar'], oddLastPriceImpl),
  define('ODDLYIELD', 'financial', 7, 8, ['scalar'], oddLastYieldImpl),
];
