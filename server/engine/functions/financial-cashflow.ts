/**
 * Cash-flow functions: NPV, IRR, MIRR, XNPV, XIRR. Monte Carlo models call these once per trial, so the
 * inner loops work on plain number arrays and allocate nothing.
 */
import { toNumber } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Value } from '../values/value';

/**
 * The numbers of a cash-flow argument. Cells and array elements that are text, booleans or empty are
 * skipped, as Excel does for ranges; a scalar written in the formula is converted (text that is not a
 * number gives #VALUE!). Errors propagate.
 */
export function cashFlows(value: Value, out: number[] = []): number[] | ExcelError {
  if (value instanceof Matrix) {
    for (const item of value.data) {
      if (typeof item === 'number') out.push(item);
      else if (isError(item)) return item;
    }
    return out;
  }
  if (value === null) return out;
  if (typeof value === 'object' && !isError(value)) return Errors.VALUE;
  const n = toNumber(value);
  if (isError(n)) return n;
  out.push(n);
  return out;
}

/** NPV: values discounted from the end of period 1 onwards. */
export function netPresentValue(rate: number, values: readonly number[]): number {
  const factor = 1 / (1 + rate);
  let discount = factor;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] * discount;
    discount *= factor;
  }
  return sum;
}

/**
 * A function of the rate and its derivative, written into `at`: IRR runs once per trial, so the Newton
 * steps reuse one object instead of allocating a pair each.
 */
type RateFunction = (rate: number, at: RatePoint) => void;
interface RatePoint {
  value: number;
  slope: number;
}

/** NPV and its derivative with respect to the rate, at `rate`, for IRR's Newton steps. */
function npvWithSlope(rate: number, values: readonly number[], at: RatePoint): void {
  const factor = 1 / (1 + rate);
  let discount = factor;
  let npv = 0;
  let slope = 0;
  for (let i = 0; i < values.length; i++) {
    npv += values[i] * discount;
    slope -= (i + 1) * values[i] * discount * factor;
    discount *= factor;
  }
  at.value = npv;
  at.slope = slope;
}

function hasBothSigns(values: readonly number[]): boolean {
  let positive = false;
  let negative = false;
  for (const v of values) {
    if (v > 0) positive = true;
    else if (v < 0) negative = true;
  }
  return positive && negative;
}

const TOLERANCE = 1e-8;
/** The smallest positive normal double, 2^-1022. */
const MIN_NORMAL = 2.2250738585072014e-308;

const point: RatePoint = { value: 0, slope: 0 };

function valueAt(f: RateFunction, rate: number): number {
  f(rate, point);
  return point.value;
}

/**
 * Newton's method on f from `guess`; undefined when it leaves (−1, ∞) or does not settle. `runsAway`, when
 * given, proves at a rate that the steps from there only grow: it is asked once the rate reaches 8, then
 * again only past twice the rate last asked about.
 */
function newton(
  f: RateFunction,
  guess: number,
  iterations: number,
  runsAway?: (rate: number) => boolean,
): number | undefined {
  let rate = guess;
  let checkFrom = 8;
  for (let i = 0; i < iterations; i++) {
    if (runsAway && rate >= checkFrom) {
      if (runsAway(rate)) return undefined;
      checkFrom = 2 * rate;
    }
    f(rate, point);
    const next = rate - point.value / point.slope;
    if (!Number.isFinite(next)) return undefined;
    if (Math.abs(next - rate) < TOLERANCE * Math.max(1, Math.abs(rate))) return next > -1 ? next : undefined;
    rate = next;
  }
  return undefined;
}

/**
 * A root of f in (−1, ∞): Newton from the guess as Excel does, then — where that fails — Newton from the far
 * ends, and bisection on a bracketing interval.
 */
function solveRate(
  f: RateFunction,
  guess: number,
  iterations: number,
  runsAway?: (rate: number) => boolean,
): number | ExcelError {
  const fromGuess = newton(f, guess, iterations, runsAway);
  if (fromGuess !== undefined) return fromGuess;
  let low = -0.99999;
  let high = 100;
  let fLow = valueAt(f, low);
  const fHigh = valueAt(f, high);
  if (!(fLow * fHigh < 0)) {
    return newton(f, 200, iterations, runsAway) ?? newton(f, -0.5, iterations, runsAway) ?? Errors.NUM;
  }
  for (let i = 0; i < 200 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    const fMid = valueAt(f, mid);
    if (fMid === 0) return mid;
    if (fMid * fLow < 0) high = mid;
    else {
      low = mid;
      fLow = fMid;
    }
  }
  return polish(f, (low + high) / 2, low, high);
}

/**
 * Newton steps from a bisection's midpoint, kept while they stay inside its bracket: bisection stops at a
 * bracket 1e-12 wide, but where the function is steep (IRR near −1) that still leaves an NPV of 1e-9 at
 * the rate returned, where Excel's rate gives one near 1e-11.
 */
function polish(f: RateFunction, start: number, low: number, high: number): number {
  let rate = start;
  for (let i = 0; i < 3; i++) {
    f(rate, point);
    const next = rate - point.value / point.slope;
    if (!(next >= low && next <= high) || next === rate) break;
    rate = next;
  }
  return rate;
}

/** IRR of periodic cash flows, or #NUM! when there is none (all flows of one sign). */
export function internalRate(values: readonly number[], guess: number): number | ExcelError {
  if (guess <= -1) return Errors.VALUE;
  if (!hasBothSigns(values)) return Errors.NUM;
  return solveRate(
    (rate, at) => npvWithSlope(rate, values, at),
    guess,
    50,
    (rate) => firstFlowDominates(values, rate),
  );
}

/**
 * Whether, at `rate` > 0, the first flow outweighs all the others four to one in both IRR's NPV and its
 * slope (each later flow weighted by (i + 1)·(1 + rate)^-i, which bounds its share of either). Then a
 * Newton step adds between 0.6 and 1.7 times (1 + rate) to the rate, so it does not settle, and at the
 * higher rate the later flows weigh less still: from here Newton can only run off to infinity. Most
 * trials whose IRR is #NUM! go this way, and each would otherwise spend 150 NPV evaluations finding out.
 * The first flow's part of the slope must be a normal number: below that, rounding is no longer
 * relative and the bounds above would not hold.
 */
function firstFlowDominates(values: readonly number[], rate: number): boolean {
  const first = Math.abs(values[0]);
  const factor = 1 / (1 + rate);
  if (!(rate > 0 && first * factor * factor >= MIN_NORMAL)) return false;
  let power = 1;
  let rest = 0;
  for (let i = 1; i < values.length; i++) {
    power *= factor;
    rest += (i + 1) * Math.abs(values[i]) * power;
  }
  return rest <= first / 4;
}

/** MIRR: negative flows financed at `financeRate`, positive ones reinvested at `reinvestRate`. */
export function modifiedInternalRate(
  values: readonly number[],
  financeRate: number,
  reinvestRate: number,
): number | ExcelError {
  const n = values.length;
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v > 0) positive += v * (1 + reinvestRate) ** (n - 1 - i);
    else if (v < 0) negative += v / (1 + financeRate) ** i;
  }
  // No outflow divides by zero; no inflow gives −1.
  if (negative === 0) return Errors.DIV0;
  return (-positive / negative) ** (1 / (n - 1)) - 1;
}

/** XNPV: each value discounted by the years (of 365 days) since the first date. */
export function datedPresentValue(rate: number, values: readonly number[], dates: readonly number[]): number {
  const d0 = dates[0];
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] / (1 + rate) ** ((dates[i] - d0) / 365);
  return sum;
}

function xnpvWithSlope(
  rate: number,
  values: readonly number[],
  dates: readonly number[],
  at: RatePoint,
): void {
  const d0 = dates[0];
  let npv = 0;
  let slope = 0;
  for (let i = 0; i < values.length; i++) {
    const years = (dates[i] - d0) / 365;
    const term = values[i] / (1 + rate) ** years;
    npv += term;
    slope -= (years * term) / (1 + rate);
  }
  at.value = npv;
  at.slope = slope;
}

/** XIRR: the rate whose XNPV is zero. */
export function datedInternalRate(
  values: readonly number[],
  dates: readonly number[],
  guess: number,
): number | ExcelError {
  if (guess <= -1) return Errors.NUM;
  if (!hasBothSigns(values)) return Errors.NUM;
  return (
    bisectLikeExcel(values, dates, guess) ??
    solveRate((rate, at) => xnpvWithSlope(rate, values, dates, at), guess, 100)
  );
}

/** Halvings Excel allows XIRR ("after 100 tries"). */
const XIRR_TRIES = 100;
/** "Accurate within 0.000001 percent": of the starting bracket's width, and of XNPV's discounted flows. */
const XIRR_ACCURACY = 1e-8;
/** How far the search for a bracket above the guess doubles before giving up on a positive rate. */
const XIRR_HIGHEST_BRACKET = 1e10;

/**
 * XIRR by bisection, as Excel computes it — inferred from the reference corpus, where every one of
 * Excel's XIRR results (13 cash-flow rows, default guess 0.1) is, to the last bit, a midpoint of this
 * bisection and none lies on a Newton path:
 * - the bracket: where XNPV at 0 and at |guess| doubled (|guess|, 2·|guess|…) differ in sign, [0, that
 *   rate]; otherwise [−1, −|guess|] (Excel 2010's published results for a guess of −0.1 bisect that too);
 * - each step's midpoint is high − (high − low)/2, and the half holding the sign change is kept;
 * - it stops at the first midpoint where the bracket is narrower than 1e-8 of its starting width and
 *   |XNPV| is below 1e-8 of the sum of the discounted flows' sizes (27 halvings, more where XNPV is steep).
 * Those results stop 1e-10 to 1e-8 short of the exact root, too far for a comparison at 1e-9. The XNPV
 * test is a fit to the corpus, not Excel's documented rule: Excel 2010 results for other guesses and flows
 * do not all follow it. Where the bracket does not apply (a guess of 0, a root between −|guess| and 0, no
 * settling in 100 halvings), undefined: the caller's Newton search decides.
 */
function bisectLikeExcel(
  values: readonly number[],
  dates: readonly number[],
  guess: number,
): number | undefined {
  const bracket = excelBracket(values, dates, guess);
  if (!bracket) return undefined;
  let [low, high] = bracket;
  const highSign = Math.sign(datedPresentValue(high, values, dates));
  // Discount factors are positive, so the discounted flows' sizes are the XNPV of the flows' sizes.
  const sizes = values.map(Math.abs);
  const startWidth = high - low;
  for (let i = 0; i < XIRR_TRIES; i++) {
    const half = (high - low) / 2;
    const mid = high - half;
    const npv = datedPresentValue(mid, values, dates);
    if (!Number.isFinite(npv)) return undefined;
    const narrow = half < XIRR_ACCURACY * startWidth;
    if (narrow && Math.abs(npv) < XIRR_ACCURACY * datedPresentValue(mid, sizes, dates)) return mid;
    if (Math.sign(npv) === highSign) high = mid;
    else low = mid;
  }
  return undefined;
}

/**
 * The bracket Excel's XIRR bisects: [0, |guess|·2^k] at the first sign change above 0, else [−1, −|guess|].
 */
function excelBracket(
  values: readonly number[],
  dates: readonly number[],
  guess: number,
): [number, number] | undefined {
  const step = Math.abs(guess);
  if (!(step > 0)) return undefined;
  const atZero = Math.sign(datedPresentValue(0, values, dates));
  if (atZero === 0) return undefined;
  for (let high = step; high < XIRR_HIGHEST_BRACKET; high *= 2) {
    const sign = Math.sign(datedPresentValue(high, values, dates));
    if (sign !== atZero) return Number.isNaN(sign) ? undefined : [0, high];
  }
  // Below 0, the root must also lie below −|guess|: XNPV keeps its sign from 0 down to there.
  return Math.sign(datedPresentValue(-step, values, dates)) === atZero ? [-1, -step] : undefined;
}
