/**
 * ACCRINT and ACCRINTM. ACCRINT sums, over the quasi-coupon periods between issue and settlement, the
 * fraction of each period accrued (par · rate / frequency per period). The periods are anchored on
 * first_interest and stepped by 12/frequency months, each step from the previous date (so a 31st that
 * was clamped to the 30th stays the 30th), snapped to month ends when first_interest is one. The day
 * counting per basis follows Excel's own, which differs in places from the COUP* functions.
 */
import { toBoolean } from '../values/coerce';
import { dateFromSerial, isLastDayOfMonth } from '../values/dates';
import { Errors, isError, type Scalar, type Value } from '../values/value';
import { numberArgs, serialDays } from './date-args';
import {
  type Basis,
  basisArg,
  days360European,
  days360US,
  frequencyArg,
  shiftMonths,
  yearFraction,
} from './date-daycount';
import type { FunctionImpl } from './types';

/** Days between two dates as ACCRINT counts them: accrued days, or (`accrued` false) a period's length. */
function accrualDays(start: number, end: number, basis: Basis, accrued: boolean): number {
  if (basis === 0) return days360US(start, end);
  if (basis === 4) return days360European(start, end);
  if (basis === 2 && !accrued) return days360US(start, end);
  return end - start;
}

interface Accrual {
  issue: number;
  firstInterest: number;
  settlement: number;
  frequency: number;
  basis: Basis;
  /** TRUE: accrue from issue; FALSE: whole periods before first_interest do not count. */
  fromIssue: boolean;
}

/** The number of coupon periods accrued from issue to settlement (fractional). */
function periodsAccrued({ issue, firstInterest, settlement, frequency, basis, fromIssue }: Accrual): number {
  const months = 12 / frequency;
  const endOfMonth = isLastDayOfMonth(dateFromSerial(firstInterest));
  const regularStart = shiftMonths(firstInterest, -months, endOfMonth);
  // The coupon date on or before settlement: walked forward from first_interest when settlement is later.
  let previous = regularStart;
  if (settlement > firstInterest && fromIssue) {
    previous = firstInterest;
    for (let next = shiftMonths(previous, months, endOfMonth); next < settlement; ) {
      previous = next;
      next = shiftMonths(next, months, endOfMonth);
    }
  }
  const regularLength = basis === 1 ? firstInterest - regularStart : (basis === 3 ? 365 : 360) / frequency;
  let periods = accrualDays(Math.max(issue, previous), settlement, basis, true) / regularLength;
  // Walk back from that coupon date to the issue: whole periods, then the issue's stub.
  for (let end = previous; end > issue; ) {
    const start = shiftMonths(end, -months, endOfMonth);
    if (issue <= start) periods += fromIssue ? 1 : 0;
    else {
      const accrued = basis === 0 ? days360US(issue, end) : accrualDays(issue, end, basis, true);
      const length =
        basis === 0
          ? days360US(start, end, true)
          : basis === 3
            ? 365 / frequency
            : accrualDays(start, end, basis, false);
      periods += accrued / length;
    }
    end = start;
  }
  return periods;
}

/** ACCRINT(issue, first_interest, settlement, rate, par, frequency, [basis], [calc_method]). */
export const accruedInterest: FunctionImpl = (args: Value[]) => {
  const x = numberArgs(args.slice(0, 7), [0, 0, 0, 0, 0, 0, 0], true);
  if (isError(x)) return x;
  const method = args[7] === undefined || args[7] === null ? true : toBoolean(args[7] as Scalar);
  if (isError(method)) return method;
  const days = serialDays(x.slice(0, 3));
  if (isError(days)) return days;
  const [issue, firstInterest, settlement] = days;
  const [, , , rate, par, freq, basisValue] = x;
  const frequency = frequencyArg(freq);
  const basis = basisArg(basisValue);
  if (isError(frequency)) return frequency;
  if (isError(basis)) return basis;
  if (rate <= 0 || par <= 0 || issue >= settlement) return Errors.NUM;
  const periods = periodsAccrued({ issue, firstInterest, settlement, frequency, basis, fromIssue: method });
  return ((par * rate) / frequency) * periods;
};

/** ACCRINTM(issue, settlement, rate, par, [basis]): interest of a security paying at maturity. */
export const accruedInterestAtMaturity: FunctionImpl = (args: Value[]) => {
  const x = numberArgs(args, [0, 0, 0, 0, 0], true);
  if (isError(x)) return x;
  const days = serialDays(x.slice(0, 2));
  if (isError(days)) return days;
  const [, , rate, par, basisValue] = x;
  const basis = basisArg(basisValue);
  if (isError(basis)) return basis;
  if (rate <= 0 || par <= 0 || days[0] >= days[1]) return Errors.NUM;
  return par * rate * yearFraction(days[0], days[1], basis);
};
