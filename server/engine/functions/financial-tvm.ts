/**
 * Time value of money: the annuity equation shared by PV, FV, PMT, NPER, RATE, IPMT, PPMT and CUM*.
 *   pv·(1+r)^n + pmt·(1+r·type)·((1+r)^n − 1)/r + fv = 0
 * Payments follow Excel's sign convention: money paid out is negative. (1+r)^n is the power Excel's ^
 * gives, correctly rounded for whole n (numeric/power.ts), which is also quicker than **.
 */
import { numericPower } from '../numeric/power';
import { Errors, type ExcelError } from '../values/value';

/** Payments at the start (1) or end (0) of each period; Excel reads any non-zero type as 1. */
export const paymentType = (type: number) => (type !== 0 ? 1 : 0);

export function futureValue(
  rate: number,
  nper: number,
  pmt: number,
  pv: number,
  type: number,
): number | ExcelError {
  if (rate === 0) return -(pv + pmt * nper);
  if (rate === -1 && nper < 0) return Errors.DIV0;
  const growth = numericPower(1 + rate, nper);
  return -(pv * growth + (pmt * (1 + rate * type) * (growth - 1)) / rate);
}

export function presentValue(rate: number, nper: number, pmt: number, fv: number, type: number): number {
  if (rate === 0) return -(fv + pmt * nper);
  const growth = numericPower(1 + rate, nper);
  return -(fv + (pmt * (1 + rate * type) * (growth - 1)) / rate) / growth;
}

export function payment(
  rate: number,
  nper: number,
  pv: number,
  fv: number,
  type: number,
): number | ExcelError {
  if (nper === 0) return Errors.NUM;
  if (rate === 0) return -(pv + fv) / nper;
  if (rate <= -1) return Errors.NUM;
  const growth = numericPower(1 + rate, nper);
  return -(rate * (fv + pv * growth)) / ((1 + rate * type) * (growth - 1));
}

export function periods(
  rate: number,
  pmt: number,
  pv: number,
  fv: number,
  type: number,
): number | ExcelError {
  if (rate === 0) return pmt === 0 ? Errors.NUM : -(pv + fv) / pmt;
  const annuity = pmt * (1 + rate * type);
  const ratio = (annuity - fv * rate) / (annuity + pv * rate);
  if (!(ratio > 0) || rate <= -1) return Errors.NUM;
  return Math.log(ratio) / Math.log(1 + rate);
}

/** Interest part of payment number `per` (IPMT); the caller validates 1 ≤ per ≤ nper. */
export function interestPayment(
  rate: number,
  per: number,
  nper: number,
  pv: number,
  fv: number,
  type: number,
): number | ExcelError {
  const pmt = payment(rate, nper, pv, fv, type);
  if (typeof pmt !== 'number') return pmt;
  // With payments in advance the first payment carries no interest.
  if (per === 1 && type === 1) return 0;
  const balance = futureValue(rate, per - 1, pmt, pv, type);
  if (typeof balance !== 'number') return balance;
  const interest = balance * rate;
  return type === 1 ? interest / (1 + rate) : interest;
}

/**
 * RATE by Newton's method from `guess`, step for step as Excel iterates, so that it stops on the same
 * rate: successive rates within 1e-7 end it, leaving (−1, ∞) gives #NUM!. Excel's slope leaves out the
 * derivative of the (1 + r·type) factor; keeping that quirk reproduces its results for type 1.
 */
export function rateOf(
  nper: number,
  pmt: number,
  pv: number,
  fv: number,
  type: number,
  guess: number,
): number | ExcelError {
  let rate = guess;
  for (let i = 0; i < MAX_RATE_ITERATIONS; i++) {
    const g1 = numericPower(1 + rate, nper - 1);
    const growth = g1 * (1 + rate);
    const f = pv * growth + (pmt * (1 + rate * type) * (growth - 1)) / rate + fv;
    const slope =
      pv * nper * g1 - (pmt * (growth - 1)) / (rate * rate) + (pmt * (1 + rate * type) * nper * g1) / rate;
    const next = rate - f / slope;
    if (!Number.isFinite(next) || next <= -1) return Errors.NUM;
    if (Math.abs(next - rate) < 1e-7) return next;
    rate = next;
  }
  return Errors.NUM;
}

const MAX_RATE_ITERATIONS = 50;
