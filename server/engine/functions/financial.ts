/**
 * FINANCIAL functions. The maths lives in the financial-*.ts helpers: the annuity equation (tvm), cash
 * flows (NPV, IRR, XIRR…), depreciation, and securities (coupons, accrued interest, bond prices, T-bills).
 */
import { toBoolean, toNumber } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Scalar, type Value } from '../values/value';
import { finite, numberArg, numberArgs, numeric, numericStrict } from './date-args';
import {
  cashFlows,
  datedInternalRate,
  datedPresentValue,
  internalRate,
  modifiedInternalRate,
  netPresentValue,
} from './financial-cashflow';
import {
  decliningBalance,
  doubleDecliningBalance,
  straightLine,
  sumOfYearsDigits,
  variableDecliningBalance,
} from './financial-depreciation';
import { securitiesFunctions } from './financial-securities';
import {
  futureValue,
  interestPayment,
  payment,
  paymentType,
  periods,
  presentValue,
  rateOf,
} from './financial-tvm';
import { define, type FunctionDefinition, type FunctionImpl } from './types';

/** Excel accepts fractional periods up to (not including) nper + 1. */
function checkedPeriod(per: number, nper: number): boolean {
  return per >= 1 && per < nper + 1;
}

const ipmt = numeric([0, 0, 0, 0, 0, 0], ([rate, per, nper, pv, fv, type]) =>
  checkedPeriod(per, nper) ? interestPayment(rate, per, nper, pv, fv, paymentType(type)) : Errors.NUM,
);

const ppmt = numeric([0, 0, 0, 0, 0, 0], ([rate, per, nper, pv, fv, type]) => {
  if (!checkedPeriod(per, nper)) return Errors.NUM;
  const t = paymentType(type);
  const pmt = payment(rate, nper, pv, fv, t);
  const interest = interestPayment(rate, per, nper, pv, fv, t);
  return isError(pmt) ? pmt : isError(interest) ? interest : pmt - interest;
});

/** CUMIPMT / CUMPRINC: the interest (or principal) paid from period `start` to `end`. */
function cumulative(part: 'interest' | 'principal'): FunctionImpl {
  return numericStrict([0, 0, 0, 0, 0, 0], ([rate, nper, pv, start, end, type]) => {
    const first = Math.ceil(start);
    const last = Math.trunc(end);
    if (rate <= 0 || nper <= 0 || pv <= 0 || first < 1 || last < first || last > nper) return Errors.NUM;
    if (type !== 0 && type !== 1) return Errors.NUM;
    const pmt = payment(rate, nper, pv, 0, type);
    if (isError(pmt)) return pmt;
    let sum = 0;
    for (let per = first; per <= last; per++) {
      const interest = interestPayment(rate, per, nper, pv, 0, type) as number;
      sum += part === 'interest' ? interest : pmt - interest;
    }
    return sum;
  });
}

/** Scratch array reused by NPV, IRR and MIRR calls to avoid allocating per Monte Carlo trial. */
const scratch: number[] = [];

/** The cash flows in arguments from..to (exclusive). */
function flowsOf(args: Value[], from: number, to = args.length): number[] | ExcelError {
  scratch.length = 0;
  for (let i = from; i < to; i++) {
    const flows = cashFlows(args[i], scratch);
    if (isError(flows)) return flows;
  }
  return scratch;
}

const npv: FunctionImpl = (args) => {
  const rate = numberArg(args[0]);
  if (isError(rate)) return rate;
  const values = flowsOf(args, 1);
  if (isError(values)) return values;
  if (rate === -1) return Errors.DIV0;
  return finite(netPresentValue(rate, values));
};

const irr: FunctionImpl = (args) => {
  const values = flowsOf(args, 0, 1);
  if (isError(values)) return values;
  const guess = numberArg(args[1], 0.1);
  if (isError(guess)) return guess;
  return finite(internalRate(values, guess));
};

const mirr: FunctionImpl = (args) => {
  const values = flowsOf(args, 0, 1);
  if (isError(values)) return values;
  const finance = numberArg(args[1]);
  if (isError(finance)) return finance;
  const reinvest = numberArg(args[2]);
  if (isError(reinvest)) return reinvest;
  if (values.length < 2) return Errors.DIV0;
  const result = modifiedInternalRate(values, finance, reinvest);
  // A root of a negative number (rates below −1) is #NUM!; an infinite ratio is a division by zero.
  if (typeof result === 'number' && !Number.isFinite(result))
    return Number.isNaN(result) ? Errors.NUM : Errors.DIV0;
  return result;
};

/**
 * Every element of an XNPV/XIRR argument as a number. XNPV rejects anything else with #NUM!; XIRR reads
 * empty cells as 0 and rejects text and booleans with #VALUE!.
 */
function datedNumbers(value: Value, xirr: boolean): number[] | ExcelError {
  const items = value instanceof Matrix ? value.data : [value];
  const out = new Array<number>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isError(item)) return item;
    if (typeof item === 'number') out[i] = item;
    else if (!xirr) return Errors.NUM;
    else if (item === null) out[i] = 0;
    else return Errors.VALUE;
  }
  return out;
}

/** The (values, dates) pairs of XNPV and XIRR, dates as whole days none before the first. */
function datedFlows(valuesArg: Value, datesArg: Value, xirr: boolean): [number[], number[]] | ExcelError {
  const values = datedNumbers(valuesArg, xirr);
  if (isError(values)) return values;
  const dates = datedNumbers(datesArg, false);
  if (isError(dates)) return dates;
  if (values.length !== dates.length || values.length === 0) return Errors.NUM;
  for (let i = 0; i < dates.length; i++) {
    dates[i] = Math.trunc(dates[i]);
    if (dates[i] < 0 || dates[i] < dates[0]) return Errors.NUM;
  }
  return [values, dates];
}

const xnpv: FunctionImpl = (args) => {
  const rate = numberArg(args[0]);
  if (isError(rate)) return rate;
  const flows = datedFlows(args[1], args[2], false);
  if (isError(flows)) return flows;
  // Excel's XNPV rejects negative rates outright.
  if (rate < 0) return Errors.NUM;
  return finite(datedPresentValue(rate, flows[0], flows[1]));
};

const xirr: FunctionImpl = (args) => {
  const flows = datedFlows(args[0], args[1], true);
  if (isError(flows)) return flows;
  const guess = numberArg(args[2], 0.1);
  if (isError(guess)) return guess;
  return finite(datedInternalRate(flows[0], flows[1], guess));
};

const fvSchedule: FunctionImpl = (args) => {
  const principal = numberArg(args[0]);
  if (isError(principal)) return principal;
  const schedule = args[1];
  const rates = schedule instanceof Matrix ? schedule.data : [schedule];
  let value = principal;
  for (const rate of rates) {
    if (typeof rate === 'string' || typeof rate === 'boolean') return Errors.VALUE;
    const r = toNumber(rate === null ? 0 : (rate as Scalar));
    if (isError(r)) return r;
    value *= 1 + r;
  }
  return finite(value);
};

/**
 * DOLLARDE (`toDecimal`) reads the digits after the point as a count of 1/fraction parts (1.02 with 16 is
 * 1 + 2/16); DOLLARFR writes a decimal that way.
 */
function dollarConvert(dollar: number, fraction: number, toDecimal: boolean): number | ExcelError {
  const parts = Math.trunc(fraction);
  if (parts < 0) return Errors.NUM;
  if (parts === 0) return Errors.DIV0;
  const whole = Math.trunc(dollar);
  const scale = 10 ** Math.ceil(Math.log10(parts));
  const rest = dollar - whole;
  return whole + (toDecimal ? (rest * scale) / parts : (rest * parts) / scale);
}

export const financialFunctions: FunctionDefinition[] = [
  define(
    'PV',
    'financial',
    3,
    5,
    ['scalar'],
    numeric([0, 0, 0, 0, 0], ([rate, nper, pmt, fv, type]) =>
      presentValue(rate, nper, pmt, fv, paymentType(type)),
    ),
  ),
  define(
    'FV',
    'financial',
    3,
    5,
    ['scalar'],
    numeric([0, 0, 0, 0, 0], ([rate, nper, pmt, pv, type]) =>
      futureValue(rate, nper, pmt, pv, paymentType(type)),
    ),
  ),
  define(
    'PMT',
    'financial',
    3,
    5,
    ['scalar'],
    numeric([0, 0, 0, 0, 0], ([rate, nper, pv, fv, type]) => payment(rate, nper, pv, fv, paymentType(type))),
  ),
  define(
    'NPER',
    'financial',
    3,
    5,
    ['scalar'],
    numeric([0, 0, 0, 0, 0], ([rate, pmt, pv, fv, type]) => periods(rate, pmt, pv, fv, paymentType(type))),
  ),
  define(
    'RATE',
    'financial',
    3,
    6,
    ['scalar'],
    numeric([0, 0, 0, 0, 0, 0.1], ([nper, pmt, pv, fv, type, guess]) =>
      guess <= -1 ? Errors.VALUE : rateOf(nper, pmt, pv, fv, paymentType(type), guess),
    ),
  ),
  define('IPMT', 'financial', 4, 6, ['scalar'], ipmt),
  define('PPMT', 'financial', 4, 6, ['scalar'], ppmt),
  define('CUMIPMT', 'financial', 6, 6, ['scalar'], cumulative('interest')),
  define('CUMPRINC', 'financial', 6, 6, ['scalar'], cumulative('principal')),
  define(
    'ISPMT',
    'financial',
    4,
    4,
    ['scalar'],
    numeric([0, 0, 0, 0], ([rate, per, nper, pv]) =>
      nper === 0 ? Errors.DIV0 : pv * rate * (per / nper - 1),
    ),
  ),
  define(
    'EFFECT',
    'financial',
    2,
    2,
    ['scalar'],
    numericStrict([0, 0], ([nominal, npery]) => {
      const n = Math.trunc(npery);
      return nominal <= 0 || n < 1 ? Errors.NUM : (1 + nominal / n) ** n - 1;
    }),
  ),
  define(
    'NOMINAL',
    'financial',
    2,
    2,
    ['scalar'],
    numericStrict([0, 0], ([effect, npery]) => {
      const n = Math.trunc(npery);
      return effect <= 0 || n < 1 ? Errors.NUM : n * ((1 + effect) ** (1 / n) - 1);
    }),
  ),
  define(
    'PDURATION',
    'financial',
    3,
    3,
    ['scalar'],
    numeric([0, 0, 0], ([rate, pv, fv]) =>
      rate <= 0 || pv <= 0 || fv <= 0 ? Errors.NUM : (Math.log(fv) - Math.log(pv)) / Math.log(1 + rate),
    ),
  ),
  define(
    'RRI',
    'financial',
    3,
    3,
    ['scalar'],
    numeric([0, 0, 0], ([nper, pv, fv]) =>
      nper <= 0 || pv === 0 ? Errors.NUM : (fv / pv) ** (1 / nper) - 1,
    ),
  ),
  define('FVSCHEDULE', 'financial', 2, 2, ['scalar', 'array'], fvSchedule),
  define('NPV', 'financial', 2, Number.POSITIVE_INFINITY, ['scalar', 'array'], npv),
  define('IRR', 'financial', 1, 2, ['array', 'scalar'], irr),
  define('MIRR', 'financial', 3, 3, ['array', 'scalar'], mirr),
  define('XNPV', 'financial', 3, 3, ['scalar', 'array', 'array'], xnpv),
  define('XIRR', 'financial', 2, 3, ['array', 'array', 'scalar'], xirr),
  define(
    'SLN',
    'financial',
    3,
    3,
    ['scalar'],
    numeric([0, 0, 0], ([cost, salvage, life]) => straightLine(cost, salvage, life)),
  ),
  define(
    'SYD',
    'financial',
    4,
    4,
    ['scalar'],
    numeric([0, 0, 0, 0], ([cost, salvage, life, per]) => sumOfYearsDigits(cost, salvage, life, per)),
  ),
  define(
    'DB',
    'financial',
    4,
    5,
    ['scalar'],
    numeric([0, 0, 0, 0, 12], ([cost, salvage, life, period, month]) =>
      decliningBalance(cost, salvage, life, period, month),
    ),
  ),
  define(
    'DDB',
    'financial',
    4,
    5,
    ['scalar'],
    numeric([0, 0, 0, 0, 2], ([cost, salvage, life, period, factor]) =>
      doubleDecliningBalance(cost, salvage, life, period, factor),
    ),
  ),
  define('VDB', 'financial', 5, 7, ['scalar'], (args) => {
    const x = numberArgs(args.slice(0, 6), [0, 0, 0, 0, 0, 2]);
    if (isError(x)) return x;
    const noSwitch = args[6] === undefined || args[6] === null ? false : toBoolean(args[6] as Scalar);
    if (isError(noSwitch)) return noSwitch;
    const [cost, salvage, life, start, end, factor] = x;
    return finite(variableDecliningBalance(cost, salvage, life, start, end, factor, noSwitch));
  }),
  define(
    'DOLLARDE',
    'financial',
    2,
    2,
    ['scalar'],
    numericStrict([0, 0], ([dollar, fraction]) => dollarConvert(dollar, fraction, true)),
  ),
  define(
    'DOLLARFR',
    'financial',
    2,
    2,
    ['scalar'],
    numericStrict([0, 0], ([dollar, fraction]) => dollarConvert(dollar, fraction, false)),
  ),
  ...securitiesFunctions,
];
