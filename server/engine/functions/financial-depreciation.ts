/** Depreciation schedules: SLN, SYD, DB, DDB, VDB. */
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
  return decliningPeriod(cost, salvage, life, period, factor);
}

/** Depreciation of one period at rate factor/life, never taking the value below salvage. */
function decliningPeriod(
  cost: number,
  salvage: number,
  life: number,
  period: number,
  factor: number,
): number {
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

/**
 * Declining balance over the first `period` periods (fractional last period), switching to straight line
 * over the remaining `switchLife` periods once that depreciates more.
 */
function decliningWithSwitch(
  cost: number,
  salvage: number,
  life: number,
  switchLife: number,
  period: number,
  factor: number,
): number {
  const lastPeriod = Math.ceil(period);
  let remaining = cost - salvage;
  let straight = 0;
  let switched = false;
  let total = 0;
  for (let i = 1; i <= lastPeriod; i++) {
    let term: number;
    if (switched) term = straight;
    else {
      const declining = decliningPeriod(cost, salvage, life, i, factor);
      straight = remaining / (switchLife - (i - 1));
      if (straight > declining) {
        term = straight;
        switched = true;
      } else {
        term = declining;
        remaining -= declining;
      }
    }
    if (i === lastPeriod) term *= period + 1 - lastPeriod;
    total += term;
  }
  return total;
}

/** VDB: depreciation between two (possibly fractional) periods, by declining balance. */
export function variableDecliningBalance(
  cost: number,
  salvage: number,
  life: number,
  start: number,
  end: number,
  factor: number,
  noSwitch: boolean,
): number | ExcelError {
  if (cost < 0 || salvage < 0 || life <= 0 || start < 0 || end < start || end > life || factor <= 0)
    return Errors.NUM;
  if (noSwitch) {
    const first = Math.floor(start);
    const last = Math.ceil(end);
    let total = 0;
    for (let i = first + 1; i <= last; i++) {
      let term = decliningPeriod(cost, salvage, life, i, factor);
      if (i === first + 1) term *= Math.min(end, first + 1) - start;
      else if (i === last) term *= end + 1 - last;
      total += term;
    }
    return total;
  }
  let switchLife = life;
  if (start !== Math.floor(start) && factor > 1 && start >= life / 2) {
    // A fractional start in the second half of the life is moved to the midpoint, as Excel does.
    const part = start - life / 2;
    start = life / 2;
    end -= part;
    switchLife += 1;
  }
  const depreciated = decliningWithSwitch(cost, salvage, life, switchLife, start, factor);
  return decliningWithSwitch(cost - depreciated, salvage, life, life - start, end - start, factor);
}
