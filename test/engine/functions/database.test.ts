import { databaseFunctions } from '../../../server/engine/functions/database';
import { type ErrorCode, ExcelError, type Matrix, type Scalar } from '../../../server/engine/values/value';
import { call, range } from '../../helpers/function-context';

const fn = (name: string) => databaseFunctions.find((d) => d.name === name);
const E = (code: ErrorCode) => ExcelError.of(code);

/** Columns [from, to) of a range, as a new range. */
function columns(table: Matrix, from: number, to: number, rows = table.rows): Matrix {
  return range(
    table
      .toRows()
      .slice(0, rows)
      .map((row) => row.slice(from, to)),
  );
}

// DATABASE/DAVERAGE.xlsx (Microsoft's documentation example).
describe('DAVERAGE on the orchard example', () => {
  const trees = range([
    ['Tree', 'Height', 'Age', 'Yield', 'Profit'],
    ['Apple', 18, 20, 14, 105],
    ['Pear', 12, 12, 10, 96],
    ['Cherry', 13, 14, 9, 105],
    ['Apple', 14, 15, 10, 75],
    ['Pear', 9, 8, 8, 76.8],
    ['Apple', 8, 9, 6, 45],
  ]);
  it('averages the field over matching records', () => {
    const appleOver10 = range([
      ['Tree', 'Height'],
      ['=Apple', '>10'],
    ]);
    expect(call(fn('DAVERAGE'), [trees, 'Yield', appleOver10])).toBe(12);
    expect(call(fn('DAVERAGE'), [trees, 3, trees])).toBe(13);
    expect(call(fn('DAVERAGE'), [trees, 'Yield', range([['Height'], ['<16']])])).toBe(8.6);
    expect(call(fn('DAVERAGE'), [trees, 'yield', range([['Tree'], ['*pp*']])])).toBe(10);
  });
  it('sums, multiplies and finds extremes', () => {
    const apples = range([['Tree'], ['=Apple']]);
    expect(call(fn('DSUM'), [trees, 'Profit', apples])).toBe(225);
    expect(call(fn('DMAX'), [trees, 'Profit', apples])).toBe(105);
    expect(call(fn('DMIN'), [trees, 'Profit', apples])).toBe(45);
    expect(call(fn('DPRODUCT'), [trees, 'Yield', apples])).toBe(840);
    expect(
      call(fn('DGET'), [
        trees,
        'Yield',
        range([
          ['Tree', 'Height'],
          ['=Apple', '>16'],
        ]),
      ]),
    ).toBe(14);
    expect(call(fn('DGET'), [trees, 'Yield', apples])).toBe(E('#NUM!'));
    expect(call(fn('DGET'), [trees, 'Yield', range([['Tree'], ['=Plum']])])).toBe(E('#VALUE!'));
  });
  it('computes spread with sample and population formulas', () => {
    const all = range([['Tree'], [null]]);
    const yields = [14, 10, 9, 10, 8, 6];
    const m = yields.reduce((a, b) => a + b) / 6;
    const ss = yields.reduce((a, b) => a + (b - m) ** 2, 0);
    expect(call(fn('DVAR'), [trees, 'Yield', all])).toBeCloseTo(ss / 5, 14);
    expect(call(fn('DVARP'), [trees, 'Yield', all])).toBeCloseTo(ss / 6, 14);
    expect(call(fn('DSTDEV'), [trees, 'Yield', all])).toBeCloseTo(Math.sqrt(ss / 5), 14);
    expect(call(fn('DSTDEVP'), [trees, 'Yield', all])).toBeCloseTo(Math.sqrt(ss / 6), 14);
    expect(call(fn('DVAR'), [trees, 'Yield', range([['Tree'], ['Cherry']])])).toBe(E('#DIV/0!'));
  });
});

// DATABASE/DCOUNT_DCOUNTA_DGET_DPRODUCT.xlsx, sheet DCOUNT_DCOUNTA: results are Excel's.
describe('DCOUNT and DCOUNTA', () => {
  // biome-ignore format: a table from the workbook
  const db = range([["Region", "Salesperson", "Quarter", "Product", "Units", "Revenue", "Benefits", "Date", "Contractor", true, 1, "true", 1 / 3, "One", "One", "City", "Numbers"],
    ["East", "Alice", "Q1", "Widget", 120, 12000, 12000, 45306, true, "a", null, "b", 1, "a", null, "Berlin", true],
    ["West", "Bob", "Q1", "Gadget", 80, 9600, 9600, 45324, false, "b", "b", "b", 1, null, "a", "Caracas", false],
    ["East", "Cara", "Q2", "Widget", 200, 20000, null, 45392, true, "A", "B", "a", 1, "a", null, "Berlin", 7],
    ["South", "Dan", "Q1", "Widget", 150, 15000, null, 45369, true, "A", null, "a", 1, "a", null, "BERLIN", 1],
    ["West", "Ella", "Q2", "Gadget", 50, 6000, null, 45434, false, "a", "BB", 12, 1, "aa", null, " Berlin", E("#N/A")],
    ["East", "Frank", "Q3", "Gizmo", 300, 30000, null, 45481, true, E("#N/A"), "balpha", 1, 1, null, "a", " Berlin ", null],
    ["North", "Gina", "Q3", "Widget", 100, 11000, 11000, 45503, false, "b", null, E("#N/A"), 2, null, null, "Berlino", "42"],
    ["West", "Hank", "Q3", "Widget", 400, 38000, null, 45515, false, 23, null, "b", 1, "Aa", "a", "Valencia", null],
    ["East", "Ivy", "Q4", "Gadget", 250, 24000, null, 45571, true, 455, 23, "A", 12, " aa", "a", "Montreal", -2],
    ["South", "Jake", "Q4", "Widget", 200, 19800, 19800, 45621, true, 2, null, E("#DIV/0!"), null, "aaa", null, "Berl\u00edn", null]]);
  // biome-ignore format: a table from the workbook
  const crit14 = range([["Region", "Region", "Product", "Region", "Quarter", "Units", null, "Units", "Revenue", "Date", "Product", "Revenue", "Revenue", "Region", "Revnu", "Salesperson"],
    ["East", "East", "Widget", "East", "Q1", ">100", null, ">100", "<20000", ">=2024-07-01", "G*", null, "Text", "Central", null, "*ank"],
    [null, null, null, "West", "Q2", null, null, null, null, null, null, null, null, null, null, null]]);
  // biome-ignore format: a table from the workbook
  const crit19 = range([["Contractor", "Contractor", "Units", "Region", null, "Units", null, "Date", "Region", "REGION", "Region", "Region", null, "Region", "Region", E("#VALUE!"), "Salesperson"],
    [true, 1, "\"=200\"", "East", null, "ABC", null, "Banana", "East", "West", "WEST", "East", "East", "East", E("#VALUE!"), "East", "*"]]);
  // biome-ignore format: a table from the workbook
  const crit24 = range([[true, "true", 1, "One", "City", "Numbers", "Region", "Salesperson"],
    ["a", "<>a", "b", "aa", "Berlin", ">-1", "East", ">E"]]);

  const A1H11 = columns(db, 0, 8);
  const A1I11 = columns(db, 0, 9);
  const revenue = 'Revenue';
  const cases: [string, Matrix, Scalar, Matrix, number, number][] = [
    ['one condition', A1H11, revenue, columns(crit14, 0, 1, 2), 4, 4],
    ['two conditions in a row', A1H11, 'Units', columns(crit14, 1, 3, 2), 2, 2],
    ['alternatives in rows', A1H11, revenue, columns(crit14, 3, 5), 2, 2],
    ['numeric comparison', A1H11, revenue, columns(crit14, 5, 6, 2), 7, 7],
    ['unknown empty header column', A1H11, revenue, columns(crit14, 7, 9, 2), 3, 3],
    ['dates', A1H11, revenue, columns(crit14, 9, 10, 2), 5, 5],
    ['wildcard', A1H11, revenue, columns(crit14, 10, 11, 2), 4, 4],
    ['empty criterion', A1H11, revenue, columns(crit14, 11, 12, 2), 10, 10],
    ['text against numbers', A1H11, revenue, columns(crit14, 12, 13, 2), 0, 0],
    ['no match', A1H11, revenue, columns(crit14, 13, 14, 2), 0, 0],
    ['unknown header, empty criterion', A1H11, revenue, columns(crit14, 14, 15, 2), 10, 10],
    ['leading wildcard', A1H11, revenue, columns(crit14, 15, 16, 2), 2, 2],
    ['boolean criterion', A1I11, revenue, columns(crit19, 0, 1), 6, 6],
    ['number does not match booleans', A1I11, revenue, columns(crit19, 1, 2), 0, 0],
    ['quoted text', A1I11, revenue, columns(crit19, 2, 3), 0, 0],
    ['text against dates', A1I11, revenue, columns(crit19, 7, 8), 0, 0],
    ['header case', A1I11, revenue, columns(crit19, 9, 10), 3, 3],
    ['criterion case', A1I11, revenue, columns(crit19, 10, 11), 3, 3],
    ['empty header with a criterion', A1I11, revenue, columns(crit19, 12, 13), 0, 0],
    ['field by number', A1I11, 6, columns(crit19, 13, 14), 4, 4],
    ['field of booleans', A1I11, 9, columns(crit19, 13, 14), 0, 4],
    ['star matches any text', A1I11, revenue, columns(crit19, 16, 17), 10, 10],
    ['boolean header', columns(db, 0, 12), revenue, columns(crit24, 0, 1), 4, 4],
    ['text header naming a boolean one', columns(db, 0, 12), revenue, columns(crit24, 1, 2), 6, 6],
    ['number header', columns(db, 0, 16), revenue, columns(crit24, 2, 3), 4, 4],
    ['first of two equal headers', columns(db, 0, 16), revenue, columns(crit24, 3, 4), 3, 3],
    ['text prefix', columns(db, 0, 16), revenue, columns(crit24, 4, 5), 4, 4],
    ['numbers only in comparisons', db, 'Numbers', columns(crit24, 5, 6), 2, 2],
    ['counts numbers, then non-empty', db, 'Numbers', columns(crit19, 16, 17), 3, 7],
    ['index 1', db, 1, columns(crit19, 16, 17), 0, 10],
    ['text "1" names the number header', db, '1', columns(crit19, 16, 17), 1, 5],
    ['TRUE as index 1', db, true, range([[true], [null]]), 0, 10],
    ['"true" names the boolean header', db, 'true', range([[true], [null]]), 3, 10],
  ];
  it.each(cases)('%s', (_, database, field, criteria, count, countA) => {
    expect(call(fn('DCOUNT'), [database, field, criteria])).toBe(count);
    expect(call(fn('DCOUNTA'), [database, field, criteria])).toBe(countA);
  });

  it('rejects a database without records and fields that name no column', () => {
    const header = columns(db, 0, 9, 1);
    expect(call(fn('DCOUNT'), [header, revenue, columns(crit14, 0, 1, 2)])).toBe(E('#VALUE!'));
    expect(call(fn('DCOUNT'), [A1I11, 0, columns(crit19, 13, 14)])).toBe(E('#VALUE!'));
    expect(call(fn('DCOUNT'), [A1I11, 1 / 3, columns(crit19, 13, 14)])).toBe(E('#VALUE!'));
    expect(call(fn('DCOUNT'), [A1I11, 'Nothing', columns(crit19, 13, 14)])).toBe(E('#VALUE!'));
    expect(call(fn('DCOUNTA'), [A1I11, range([['Units', 'Revenue']]), columns(crit19, 13, 14)])).toBe(
      E('#VALUE!'),
    );
  });

  it('counts records when the field is omitted', () => {
    expect(call(fn('DCOUNT'), [A1H11, null, columns(crit14, 0, 1, 2)])).toBe(4);
  });
});
