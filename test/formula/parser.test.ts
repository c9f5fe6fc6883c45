import type { CellCoordinate, FormulaNode, SheetPrefix } from '../../shared/formula';
import { parseCellAddress, parseFormula } from '../../shared/formula';

const num = (value: number): FormulaNode => ({ type: 'number', value });
const str = (value: string): FormulaNode => ({ type: 'string', value });
const name = (text: string, sheet?: SheetPrefix): FormulaNode =>
  sheet ? { type: 'name', sheet, name: text } : { type: 'name', name: text };
const cell = (a1: string, sheet?: SheetPrefix): FormulaNode => {
  const address = parseCellAddress(a1);
  return sheet ? { type: 'cell', sheet, ...address } : { type: 'cell', ...address };
};
const corner = (a1: string): CellCoordinate => parseCellAddress(a1);
const range = (from: string, to: string, sheet?: SheetPrefix): FormulaNode =>
  sheet
    ? { type: 'range', sheet, start: corner(from), end: corner(to) }
    : { type: 'range', start: corner(from), end: corner(to) };
const bin = (op: string, left: FormulaNode, right: FormulaNode): FormulaNode =>
  ({ type: 'binary', op, left, right }) as FormulaNode;
const un = (op: string, operand: FormulaNode): FormulaNode => ({ type: 'unary', op, operand }) as FormulaNode;
const call = (fn: string, ...args: FormulaNode[]): FormulaNode => ({ type: 'call', name: fn, args });
const empty: FormulaNode = { type: 'empty' };

const parse = (text: string) => parseFormula(text);

describe('literals', () => {
  it.each([
    ['1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1E+3', 1000],
    ['1e-3', 0.001],
    ['5.', 5],
    ['2E3', 2000],
  ])('number %s', (text, value) => expect(parse(text)).toEqual(num(value)));

  it('strings with doubled quotes', () => {
    expect(parse('"say ""hi"""')).toEqual(str('say "hi"'));
    expect(parse('""')).toEqual(str(''));
  });

  it('booleans in any case, but TRUE() is a call', () => {
    expect(parse('TRUE')).toEqual({ type: 'boolean', value: true });
    expect(parse('false')).toEqual({ type: 'boolean', value: false });
    expect(parse('TRUE()')).toEqual(call('TRUE'));
  });

  it.each([
    '#NULL!',
    '#DIV/0!',
    '#VALUE!',
    '#REF!',
    '#NAME?',
    '#NUM!',
    '#N/A',
    '#GETTING_DATA',
    '#SPILL!',
    '#CALC!',
  ])('error %s', (code) => expect(parse(`=${code}`)).toEqual({ type: 'error', code }));

  it('array constants with negative numbers and mixed literals', () => {
    expect(parse('{1,2;3,4}')).toEqual({
      type: 'array',
      rows: [
        [num(1), num(2)],
        [num(3), num(4)],
      ],
    });
    expect(parse('{"a",TRUE,#N/A,-1.5}')).toEqual({
      type: 'array',
      rows: [[str('a'), { type: 'boolean', value: true }, { type: 'error', code: '#N/A' }, num(-1.5)]],
    });
  });
});

describe('references', () => {
  it('cells with every absolute combination', () => {
    expect(parse('A1')).toEqual(cell('A1'));
    expect(parse('$A$1')).toEqual({ type: 'cell', row: 1, col: 1, rowAbsolute: true, colAbsolute: true });
    expect(parse('A$1')).toEqual({ type: 'cell', row: 1, col: 1, rowAbsolute: true, colAbsolute: false });
    expect(parse('$A1')).toEqual({ type: 'cell', row: 1, col: 1, rowAbsolute: false, colAbsolute: true });
    expect(parse('XFD1048576')).toEqual(cell('XFD1048576'));
  });

  it('ranges of cells, columns and rows, reversed corners kept', () => {
    expect(parse('A1:B2')).toEqual(range('A1', 'B2'));
    expect(parse('B2:A1')).toEqual(range('B2', 'A1'));
    expect(parse('A:A')).toEqual({
      type: 'range',
      start: { col: 1, rowAbsolute: false, colAbsolute: false },
      end: { col: 1, rowAbsolute: false, colAbsolute: false },
    });
    expect(parse('$A:$C')).toEqual({
      type: 'range',
      start: { col: 1, rowAbsolute: false, colAbsolute: true },
      end: { col: 3, rowAbsolute: false, colAbsolute: true },
    });
    expect(parse('1:1')).toEqual({
      type: 'range',
      start: { row: 1, rowAbsolute: false, colAbsolute: false },
      end: { row: 1, rowAbsolute: false, colAbsolute: false },
    });
    expect(parse('$2:$5')).toEqual({
      type: 'range',
      start: { row: 2, rowAbsolute: true, colAbsolute: false },
      end: { row: 5, rowAbsolute: true, colAbsolute: false },
    });
  });

  it('sheet-qualified references', () => {
    expect(parse('Sheet1!A1')).toEqual(cell('A1', { sheet: 'Sheet1' }));
    expect(parse("'My Sheet'!A1:B2")).toEqual(range('A1', 'B2', { sheet: 'My Sheet' }));
    expect(parse("'It''s'!A1")).toEqual(cell('A1', { sheet: "It's" }));
    expect(parse('Sheet1!A:A')).toMatchObject({
      type: 'range',
      sheet: { sheet: 'Sheet1' },
      start: { col: 1 },
    });
    expect(parse("'Sheet 1'!Name")).toEqual(name('Name', { sheet: 'Sheet 1' }));
    expect(parse('Sheet1!A1:Sheet1!B2')).toEqual(range('A1', 'B2', { sheet: 'Sheet1' }));
    expect(parse('Sheet1!#REF!')).toEqual({ type: 'error', code: '#REF!' });
  });

  it('3-D references', () => {
    const jan = { sheet: 'Jan', sheetEnd: 'Mar' };
    expect(parse('Sheet1:Sheet3!A1')).toEqual(cell('A1', { sheet: 'Sheet1', sheetEnd: 'Sheet3' }));
    expect(parse("'Jan:Mar'!A1")).toEqual(cell('A1', jan));
    expect(parse('Jan:Mar!A1:B2')).toEqual(range('A1', 'B2', jan));
  });

  it('external workbook references', () => {
    expect(parse('[1]Sheet1!A1')).toEqual(cell('A1', { workbook: '1', sheet: 'Sheet1' }));
    expect(parse("'[Book 1.xlsx]Sheet1'!A1")).toEqual(
      cell('A1', { workbook: 'Book 1.xlsx', sheet: 'Sheet1' }),
    );
    expect(parse('[1]!Name')).toEqual(name('Name', { workbook: '1' }));
    expect(parse("'C:\\dir\\[B.xlsx]S 1'!A1")).toEqual(
      cell('A1', { workbook: 'C:\\dir\\B.xlsx', sheet: 'S 1' }),
    );
  });

  it('defined names that look almost like references', () => {
    for (const text of ['A1B', 'R2D2', 'TAX.RATE', 'Rate_2', '\\path', 'Q?', 'XFE1', 'A0']) {
      expect(parse(text)).toEqual(name(text));
    }
    expect(parse('_xlpm.x')).toEqual(name('x'));
  });

  it('spill references', () => {
    expect(parse('A1#')).toEqual(un('#', cell('A1')));
    expect(parse('Sheet1!A1#')).toEqual(un('#', cell('A1', { sheet: 'Sheet1' })));
    expect(parse('Name#')).toEqual(un('#', name('Name')));
    expect(parse('_xlfn.ANCHORARRAY(A1)')).toEqual(un('#', cell('A1')));
    expect(parse('SUM(A1#)')).toEqual(call('SUM', un('#', cell('A1'))));
  });

  it('range operator beyond plain corners stays binary', () => {
    expect(parse('A1:B2:C3')).toEqual(bin(':', range('A1', 'B2'), cell('C3')));
    expect(parse('A1:OFFSET(A1,1,1)')).toEqual(
      bin(':', cell('A1'), call('OFFSET', cell('A1'), num(1), num(1))),
    );
    expect(parse('Name1:Name2')).toEqual(bin(':', name('Name1'), name('Name2')));
    expect(parse('A1:Sheet2!B1')).toEqual(bin(':', cell('A1'), cell('B1', { sheet: 'Sheet2' })));
  });
});

describe('structured references', () => {
  const ref = (table: string | undefined, items: string[], columns: string[]): FormulaNode =>
    table === undefined
      ? { type: 'structured', items, columns }
      : { type: 'structured', table, items, columns };

  it.each([
    ['Table1[Column]', ref('Table1', [], ['Column'])],
    ['Table1[[#This Row],[Col A]]', ref('Table1', ['#This Row'], ['Col A'])],
    ['Table1[[#Headers],[A]:[B]]', ref('Table1', ['#Headers'], ['A', 'B'])],
    ['Table1[#All]', ref('Table1', ['#All'], [])],
    ['Table1[[#Headers],[#Data]]', ref('Table1', ['#Headers', '#Data'], [])],
    ['[@Col]', ref(undefined, ['#This Row'], ['Col'])],
    ['Table1[@[Col 2]]', ref('Table1', ['#This Row'], ['Col 2'])],
    ['Table1[]', ref('Table1', [], [])],
    ["T[[Price'[USD']]]", ref('T', [], ['Price[USD]'])],
    ["T[['#Items]]", ref('T', [], ['#Items'])],
    ["T[[It''s]]", ref('T', [], ["It's"])],
  ])('%s', (text, expected) => expect(parse(text)).toEqual(expected));

  it('with a sheet prefix', () => {
    expect(parse('Sheet1!T[A]')).toEqual({
      type: 'structured',
      sheet: { sheet: 'Sheet1' },
      table: 'T',
      items: [],
      columns: ['A'],
    });
  });
});

describe('functions', () => {
  it('normalises storage prefixes and case', () => {
    expect(parse('_xlfn.NORM.INV(0.5,0,1)')).toEqual(call('NORM.INV', num(0.5), num(0), num(1)));
    expect(parse('_xlfn._xlws.SORT(A1:A3)')).toEqual(call('SORT', range('A1', 'A3')));
    expect(parse('_xlws.FILTER(A1:A3,B1:B3)')).toEqual(call('FILTER', range('A1', 'A3'), range('B1', 'B3')));
    expect(parse('RiskNormal(0,1)')).toEqual(call('RISKNORMAL', num(0), num(1)));
  });

  it('names with digits and dots, even when they look like cells', () => {
    expect(parse('LOG10(100)')).toEqual(call('LOG10', num(100)));
    expect(parse('ATAN2(1,1)')).toEqual(call('ATAN2', num(1), num(1)));
    expect(parse('F.DIST.RT(1,2,3)')).toEqual(call('F.DIST.RT', num(1), num(2), num(3)));
    expect(parse('MC.NORMAL()')).toEqual(call('MC.NORMAL'));
  });

  it('empty and zero arguments', () => {
    expect(parse('IF(A1,,2)')).toEqual(call('IF', cell('A1'), empty, num(2)));
    expect(parse('SUM(,)')).toEqual(call('SUM', empty, empty));
    expect(parse('F(1,)')).toEqual(call('F', num(1), empty));
    expect(parse('PI()')).toEqual(call('PI'));
    expect(parse('RAND( )')).toEqual(call('RAND'));
  });

  it('implicit intersection', () => {
    expect(parse('_xlfn.SINGLE(A1:A3)')).toEqual(un('@', range('A1', 'A3')));
    expect(parse('@A1:A3')).toEqual(un('@', range('A1', 'A3')));
    expect(parse('@INDEX(A1:A3,1)')).toEqual(un('@', call('INDEX', range('A1', 'A3'), num(1))));
  });

  it('LAMBDA invocation and LET-bound calls', () => {
    const lambda = call('LAMBDA', name('x'), bin('+', name('x'), num(1)));
    expect(parse('_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(2)')).toEqual({
      type: 'invoke',
      callee: lambda,
      args: [num(2)],
    });
    expect(parse('(F)(1)')).toEqual({ type: 'invoke', callee: name('F'), args: [num(1)] });
    expect(parse('LET(f,LAMBDA(x,x),f(1))')).toEqual(
      call('LET', name('f'), call('LAMBDA', name('x'), name('x')), call('F', num(1))),
    );
  });
});

describe('operators', () => {
  it('unary minus binds tighter than ^', () => {
    expect(parse('=-2^2')).toEqual(bin('^', un('-', num(2)), num(2)));
    expect(parse('2^-2')).toEqual(bin('^', num(2), un('-', num(2))));
  });

  it('^ is left-associative', () => {
    expect(parse('2^3^2')).toEqual(bin('^', bin('^', num(2), num(3)), num(2)));
  });

  it('% binds looser than negation, tighter than ^', () => {
    expect(parse('-5%')).toEqual(un('%', un('-', num(5))));
    expect(parse('2^5%')).toEqual(bin('^', num(2), un('%', num(5))));
    expect(parse('5%%')).toEqual(un('%', un('%', num(5))));
  });

  it('arithmetic, text and comparison levels', () => {
    expect(parse('1+2*3')).toEqual(bin('+', num(1), bin('*', num(2), num(3))));
    expect(parse('1-2-3')).toEqual(bin('-', bin('-', num(1), num(2)), num(3)));
    expect(parse('8/4/2')).toEqual(bin('/', bin('/', num(8), num(4)), num(2)));
    expect(parse('1*2^3')).toEqual(bin('*', num(1), bin('^', num(2), num(3))));
    expect(parse('"a"&1+2')).toEqual(bin('&', str('a'), bin('+', num(1), num(2))));
    expect(parse('1&2=3&4')).toEqual(bin('=', bin('&', num(1), num(2)), bin('&', num(3), num(4))));
    expect(parse('(1+2)*3')).toEqual(bin('*', bin('+', num(1), num(2)), num(3)));
    for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
      expect(parse(`1${op}2${op}3`)).toEqual(bin(op, bin(op, num(1), num(2)), num(3)));
    }
  });

  it('reference operators bind tighter than negation', () => {
    expect(parse('-A1:B2')).toEqual(un('-', range('A1', 'B2')));
    expect(parse('A1:B2 B1:C3')).toEqual(bin(' ', range('A1', 'B2'), range('B1', 'C3')));
    expect(parse('A1 B1:C3')).toEqual(bin(' ', cell('A1'), range('B1', 'C3')));
    expect(parse('-A1 B1')).toEqual(un('-', bin(' ', cell('A1'), cell('B1'))));
  });

  it('union only inside parentheses, loosest there', () => {
    expect(parse('SUM((A1,B1:B3))')).toEqual(call('SUM', bin(',', cell('A1'), range('B1', 'B3'))));
    expect(parse('(A1,B1,C1)')).toEqual(bin(',', bin(',', cell('A1'), cell('B1')), cell('C1')));
    expect(() => parse('=A1,B1')).toThrow();
  });

  it('spaces are not intersections next to operators, parentheses and non-references', () => {
    expect(parse('= SUM( A1 , B1 )')).toEqual(call('SUM', cell('A1'), cell('B1')));
    expect(parse('=A1 + B1')).toEqual(bin('+', cell('A1'), cell('B1')));
    expect(parse('=SUM(A1 )')).toEqual(call('SUM', cell('A1')));
    expect(parse('=IF(A1 ,1 , 2 )')).toEqual(call('IF', cell('A1'), num(1), num(2)));
    expect(parse('=1\n+\r\n2')).toEqual(bin('+', num(1), num(2)));
    expect(parse('=SUM(A:A) B1')).toEqual(
      bin(' ', call('SUM', { ...(parse('A:A') as object) } as FormulaNode), cell('B1')),
    );
  });
});
