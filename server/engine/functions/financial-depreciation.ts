/** Depreciation schedules: SLN, SYD, DB, DDB. */
import { Errors, type ExcelError } from '../values/value';

export function straightLine(cost: number, salvage: number, life: number): number | ExcelError {
  return life === 0 ? Errors.DIV0 : (cost - salvage) / life;
}

export function sumOfYearsDigits(
  cost: number,
  salvage: number,
  life: number,
  per: number,
): number | ExcelError {
  if (life <= 0 || per <= 0 || per > life) return Errors.NUM;
  return ((cost - salvage) * (life - per + 1) * 2) / (life * (life + 1));
}

/**
 * Fixed-declining balance (DB): the rate is rounded to three decimals as Excel does; the first year covers
 * `month` months and a final partial year the rest.
 */
export function decliningBalance(
  cost: number,
  salvage: number,
  life: number,
  period: number,
  month: number,
): number | ExcelError {
  const per = Math.trunc(period);
  const months = Math.trunc(month);
  if (cost < 0 || salvage < 0 || life <= 0 || per <= 0 || months < 1 || months > 12) return Errors.NUM;
  if (per > life + 1 || (per > life && months === 12)) return Errors.NUM;
  if (cost === 0) return 0;
  const rate = Math.round((1 - (salvage / cost) ** (1 / life)) * 1000) / 1000;
  let depreciated = (cost * rate * months) / 12;
  let current = depreciated;
  for (let p = 2; p <= per; p++) {
    current = (cost - depreciated) * rate;
    if (p > life) current = (current * (12 - months)) / 12;
    depreciated += current;
  }
  return current;
}

/** Double (or `factor`) declining balance (DDB); fractional periods are allowed. */
export function doubleDecliningBalance(
  cost: number,
  salvage: number,
  life: number,
  period: number,
  factor: number,
): number | ExcelError {
  if (cost < 0 || salvage < 0 || life <= 0 || period <= 0 || factor <= 0 || period > life) return Errors.NUM;
  let rate = factor / life;
  let before: number;
  if (rate >= 1) {
    rate = 1;
    before = period === 1 ? cost : 0;
  } else before = cost * (1 - rate) ** (period - 1);
  const after = cost * (1 - rate) ** period;
  const depreciation = after < salvage ? before - salvage : before - after;
  return Math.max(depreciation, 0);
}
