import { dateFunctions } from '../../../server/engine/functions/date';
import type { FunctionDefinition } from '../../../server/engine/functions/types';
import { Errors, type Value } from '../../../server/engine/values/value';
import { call, m, range, testContext } from '../../helpers/function-context';

const byName = new Map(dateFunctions.map((d) => [d.name, d]));
const fn = (name: string): FunctionDefinition | undefined => byName.get(name);
const run = (name: string, ...args: Value[]) => call(fn(name), args);
/** Serial of a calendar date through DATE itself. */
const date = (y: number, mo: number, d: number) => run('DATE', y, mo, d) as number;

/** Expected values are Excel's cached results from the reference corpus unless noted. */
describe('DATE', () => {
  it('builds serials in the 1900 system, including the fictitious 1900-02-29', () => {
    expect(date(2022, 1, 1)).toBe(44562);
    expect(date(1900, 1, 1)).toBe(1);
    expect(date(1900, 2, 29)).toBe(60);
    expect(date(1900, 3, 1)).toBe(61);
    expect(date(1900, 1, 0)).toBe(0);
  });
  it('normalises overflowing months and days and adds 1900 to small years', () => {
    expect(date(2000, 1, 60)).toBe(36585);
    expect(date(1987, 12, 1)).toBe(32112);
    expect(date(87, 12, 1)).toBe(32112);
    expect(date(2024, 14, 1)).toBe(date(2025, 2, 1));
    expect(date(2025, 1, -1)).toBe(date(2024, 12, 30));
  });
  it('rejects serials outside 0…2958465', () => {
    expect(run('DATE', 9999, 13, -1)).toBe(Errors.NUM);
    expect(run('DATE', 10000, 1, 1)).toBe(Errors.NUM);
    expect(run('DATE', -1, 1, 1)).toBe(Errors.NUM);
    expect(run('DATE', 1900, 1, -1)).toBe(Errors.NUM);
    expect(run('DATE', 9999, 12, 31)).toBe(2958465);
  });
});

describe('YEAR, MONTH, DAY', () => {
  it('split a serial, ignoring the time of day', () => {
    expect(run('DAY', 32111)).toBe(30);
    expect(run('MONTH', 32111)).toBe(11);
    expect(run('YEAR', 32111)).toBe(1987);
    expect(run('DAY', 32112.5)).toBe(1);
    expect(run('MONTH', 60)).toBe(2);
    expect(run('DAY', 60)).toBe(29);
    expect(run('YEAR', 61)).toBe(1900);
  });
  it('reject negative serials and propagate errors', () => {
    expect(run('YEAR', -1)).toBe(Errors.NUM);
    expect(run('DAY', Errors.DIV0)).toBe(Errors.DIV0);
    expect(run('MONTH', 'abc')).toBe(Errors.VALUE);
  });
});

describe('TIME', () => {
  it('wraps past midnight the way Excel does', () => {
    expect(run('TIME', 3, 2, 1)).toBeCloseTo(0.12640046296296295, 15);
    expect(run('TIME', 23, 59, 60)).toBe(0);
    expect(run('TIME', 23, 120, 0)).toBe(4.1666666666666741e-2);
    expect(run('TIME', 24, 2, 3)).toBe(1.4236111111110006e-3);
  });
  it('truncates fractional parts, reads booleans and rejects negative totals', () => {
    expect(run('TIME', 23, 59, 59.999999)).toBe(0.99998842592592596);
    expect(run('TIME', 12, -2, 10)).toBe(0.49872685185185184);
    expect(run('TIME', true, false, true)).toBe(4.1678240740740738e-2);
    expect(run('TIME', 0, 0, -1)).toBe(Errors.NUM);
    expect(run('TIME', 'a', 'b', 'c')).toBe(Errors.VALUE);
  });
});

describe('HOUR, MINUTE, SECOND', () => {
  it('read the time of day, rounded to the second', () => {
    expect(run('HOUR', 0.70861111111111108)).toBe(17);
    expect(run('MINUTE', 0.70861111111111108)).toBe(0);
    expect(run('SECOND', 0.70861111111111108)).toBe(24);
    expect(run('HOUR', 0.99998842592592596)).toBe(23);
    expect(run('MINUTE', 0.99998842592592596)).toBe(59);
    expect(run('SECOND', 0.99998842592592596)).toBe(59);
    expect(run('HOUR', 45000.25)).toBe(6);
  });
  it('propagate errors and reject text', () => {
    expect(run('HOUR', Errors.NA)).toBe(Errors.NA);
    expect(run('SECOND', '"2"')).toBe(Errors.VALUE);
  });
});

describe('DATEVALUE', () => {
  it('parses dates, dropping any time', () => {
    expect(run('DATEVALUE', '29-Feb-1900')).toBe(60);
    expect(run('DATEVALUE', '1-Mar-1900')).toBe(61);
    expect(run('DATEVALUE', '2024-02-29 06:00')).toBe(45351);
  });
  it('rejects numbers and unparsable text', () => {
    expect(run('DATEVALUE', 45351)).toBe(Errors.VALUE);
    expect(run('DATEVALUE', 'hello')).toBe(Errors.VALUE);
  });
});

describe('TIMEVALUE', () => {
  it('parses times, wrapping 24:00 to 0', () => {
    expect(run('TIMEVALUE', '24:00')).toBe(0);
    expect(run('TIMEVALUE', ' 1:30 ')).toBe(6.25e-2);
    expect(run('TIMEVALUE', '12:00 PM')).toBe(0.5);
  });
});

describe('NOW and TODAY', () => {
  it('read the context clock and are volatile', () => {
    const ctx = testContext();
    expect(call(fn('NOW'), [], ctx)).toBe(45000.5);
    expect(call(fn('TODAY'), [], ctx)).toBe(45000);
    expect(fn('NOW')?.volatile).toBe(true);
    expect(fn('TODAY')?.volatile).toBe(true);
  });
});

describe('DAYS', () => {
  it('subtracts truncated dates, reading booleans and text dates', () => {
    expect(run('DAYS', date(2025, 1, 10), date(2025, 1, 1))).toBe(9);
    expect(run('DAYS', date(9990, 5, 12), date(1990, 5, 12))).toBe(2921940);
    expect(run('DAYS', 46000.999999, 45992.000001)).toBe(8);
    expect(run('DAYS', 1, true)).toBe(0);
    expect(run('DAYS', 'abc', 1)).toBe(Errors.VALUE);
  });
});

describe('DAYS360', () => {
  it('counts 30/360 days the US way by default', () => {
    expect(run('DAYS360', date(2025, 1, 1), date(2026, 2, 4))).toBe(393);
    expect(run('DAYS360', date(2024, 2, 28), date(2024, 3, 1))).toBe(3);
    expect(run('DAYS360', date(2024, 2, 29), date(2025, 2, 28))).toBe(358);
    expect(run('DAYS360', date(2025, 6, 30), date(2025, 7, 31))).toBe(30);
    expect(run('DAYS360', date(2025, 7, 30), date(2025, 7, 31))).toBe(0);
    expect(run('DAYS360', date(2024, 1, 31), date(2024, 2, 28))).toBe(28);
    expect(run('DAYS360', date(2025, 1, 10), date(2025, 1, 1))).toBe(-9);
  });
  it('uses the European method when asked (booleans, numbers or "TRUE")', () => {
    const [start, end] = [date(2025, 1, 1), date(2025, 1, 31)];
    expect(run('DAYS360', start, end)).toBe(30);
    expect(run('DAYS360', start, end, true)).toBe(29);
    expect(run('DAYS360', start, end, 1e-4)).toBe(29);
    expect(run('DAYS360', start, end, 'TRUE')).toBe(29);
    expect(run('DAYS360', start, end, 'abc')).toBe(Errors.VALUE);
  });
  it('rounds dates to the nearest second', () => {
    expect(run('DAYS360', 45992.000001, 46000.999999)).toBe(9);
  });
});

describe('EDATE', () => {
  it('moves by whole months, clamping the day', () => {
    expect(run('EDATE', 32111, 5)).toBe(32263);
    expect(run('EDATE', 32111, -5)).toBe(31958);
    expect(run('EDATE', 32112, -235.5)).toBe(24959);
    expect(run('EDATE', 32112, 82.9)).toBe(34608);
    expect(run('EDATE', date(2024, 1, 31), 1)).toBe(date(2024, 2, 29));
    expect(run('EDATE', 61, 5)).toBe(214);
  });
  it('rejects results before 1900 and propagates errors', () => {
    expect(run('EDATE', 61, -7)).toBe(Errors.NUM);
    expect(run('EDATE', 32112, Errors.DIV0)).toBe(Errors.DIV0);
  });
});

describe('EOMONTH', () => {
  it('gives the last day of the month months away', () => {
    expect(run('EOMONTH', 44987, 7)).toBe(45230);
    expect(run('EOMONTH', 44987, -123)).toBe(41274);
    expect(run('EOMONTH', 44987, 4.5)).toBe(45138);
    expect(run('EOMONTH', 44987, -4.7)).toBe(44895);
    expect(run('EOMONTH', 44987, 77.8)).toBe(47361);
  });
  it('rejects booleans', () => {
    expect(run('EOMONTH', 44987, true)).toBe(Errors.VALUE);
  });
});

describe('YEARFRAC', () => {
  it('follows each day-count basis', () => {
    expect(run('YEARFRAC', 39508, 39691, 0)).toBe(0.5);
    expect(run('YEARFRAC', 39508, 39691, 1)).toBe(0.5);
    expect(run('YEARFRAC', 39508, 39691, 2)).toBe(0.5083333333333333);
    expect(run('YEARFRAC', 39508, 39691, 3)).toBe(0.50136986301369868);
    expect(run('YEARFRAC', 39508, 39691, 4)).toBe(0.49722222222222223);
    expect(run('YEARFRAC', 39142, 39325, 1)).toBe(0.50136986301369868);
    expect(run('YEARFRAC', 42769, 43070, 0)).toBe(0.82777777777777772);
    expect(run('YEARFRAC', 39177, 39301, 1)).toBe(0.33972602739726027);
  });
  it('averages year lengths over long actual/actual spans and ignores order', () => {
    expect(run('YEARFRAC', 36015, 45386, 1)).toBe(25.655749340904482);
    expect(run('YEARFRAC', 44921, 44561, 2)).toBe(1);
  });
  it('rejects a bad basis', () => {
    expect(run('YEARFRAC', 1, 2, 5)).toBe(Errors.NUM);
  });
});

// Microsoft's documentation examples for the functions the corpus does not exercise.
describe('WEEKDAY', () => {
  it('numbers days by return type', () => {
    const d = date(2008, 2, 14);
    expect(run('WEEKDAY', d)).toBe(5);
    expect(run('WEEKDAY', d, 2)).toBe(4);
    expect(run('WEEKDAY', d, 3)).toBe(3);
    expect(run('WEEKDAY', d, 17)).toBe(5);
    expect(run('WEEKDAY', d, 4)).toBe(Errors.NUM);
    expect(run('WEEKDAY', 0)).toBe(7);
  });
});

describe('WEEKNUM', () => {
  it('counts weeks from the week holding 1 January', () => {
    const d = date(2012, 3, 9);
    expect(run('WEEKNUM', d)).toBe(10);
    expect(run('WEEKNUM', d, 2)).toBe(11);
    expect(run('WEEKNUM', d, 21)).toBe(10);
    expect(run('WEEKNUM', d, 5)).toBe(Errors.NUM);
  });
});

describe('ISOWEEKNUM', () => {
  it('gives ISO weeks, including week 53 and week 1 across years', () => {
    expect(run('ISOWEEKNUM', date(2012, 3, 9))).toBe(10);
    expect(run('ISOWEEKNUM', date(2021, 1, 1))).toBe(53);
    expect(run('ISOWEEKNUM', date(2024, 12, 30))).toBe(1);
  });
});

describe('WORKDAY', () => {
  it('skips weekends and holidays', () => {
    const start = date(2008, 10, 1);
    expect(run('WORKDAY', start, 151)).toBe(date(2009, 4, 30));
    const holidays = range([[date(2008, 11, 26)], [date(2008, 12, 4)], [date(2009, 1, 21)]]);
    expect(run('WORKDAY', start, 151, holidays)).toBe(date(2009, 5, 5));
    expect(run('WORKDAY', date(2024, 1, 8), -1)).toBe(date(2024, 1, 5));
  });
});

describe('WORKDAY.INTL', () => {
  it('takes weekend codes and patterns', () => {
    const start = date(2012, 1, 1);
    expect(run('WORKDAY.INTL', start, 30, 0)).toBe(Errors.NUM);
    expect(run('WORKDAY.INTL', start, 90, 11)).toBe(41013);
    expect(run('WORKDAY.INTL', start, 30, 17)).toBe(40944);
    expect(run('WORKDAY.INTL', start, 30, '0000011')).toBe(run('WORKDAY', start, 30));
    expect(run('WORKDAY.INTL', start, 30, '1111111')).toBe(Errors.VALUE);
  });
});

describe('NETWORKDAYS', () => {
  it('counts working days both ways, less holidays', () => {
    const [start, end] = [date(2012, 10, 1), date(2013, 3, 1)];
    expect(run('NETWORKDAYS', start, end)).toBe(110);
    expect(run('NETWORKDAYS', start, end, date(2012, 11, 22))).toBe(109);
    const holidays = m([[date(2012, 11, 22), date(2012, 12, 4), date(2013, 1, 21)]]);
    expect(run('NETWORKDAYS', start, end, holidays)).toBe(107);
    expect(run('NETWORKDAYS', end, start)).toBe(-110);
  });
});

describe('NETWORKDAYS.INTL', () => {
  it('takes weekend codes and patterns', () => {
    expect(run('NETWORKDAYS.INTL', date(2006, 1, 1), date(2006, 1, 31))).toBe(22);
    expect(run('NETWORKDAYS.INTL', date(2006, 2, 28), date(2006, 1, 31))).toBe(-21);
    const holidays = m([['2006/1/2', '2006/1/16']]);
    expect(run('NETWORKDAYS.INTL', date(2006, 1, 1), date(2006, 2, 1), 7, holidays)).toBe(22);
    expect(run('NETWORKDAYS.INTL', date(2006, 1, 1), date(2006, 2, 1), '0010001', holidays)).toBe(20);
  });
});

describe('DATEDIF', () => {
  it('measures in years, months and days', () => {
    expect(run('DATEDIF', date(2001, 1, 1), date(2003, 1, 1), 'Y')).toBe(2);
    expect(run('DATEDIF', date(2001, 6, 1), date(2002, 8, 15), 'D')).toBe(440);
    expect(run('DATEDIF', date(2001, 6, 1), date(2002, 8, 15), 'YD')).toBe(75);
    expect(run('DATEDIF', date(2001, 6, 1), date(2002, 8, 15), 'MD')).toBe(14);
    expect(run('DATEDIF', date(2001, 6, 1), date(2002, 8, 15), 'm')).toBe(14);
    expect(run('DATEDIF', date(2001, 6, 1), date(2002, 8, 15), 'YM')).toBe(2);
  });
  it('rejects a start after the end and unknown units', () => {
    expect(run('DATEDIF', 2, 1, 'D')).toBe(Errors.NUM);
    expect(run('DATEDIF', 1, 2, 'W')).toBe(Errors.NUM);
  });
});
