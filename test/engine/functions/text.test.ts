import { textFunctions } from '../../../server/engine/functions/text';
import { formatGeneral } from '../../../server/engine/functions/text-format';
import { Errors, type Matrix, type Value } from '../../../server/engine/values/value';
import { call, m, range } from '../../helpers/function-context';

const run = (name: string, ...args: Value[]) =>
  call(
    textFunctions.find((d) => d.name === name),
    args,
  );

describe('TEXT format codes (TEXT.xlsx)', () => {
  it.each([
    [12345.6789, '#,##0', '12,346'],
    [-12, '#,##0_);(#,##0)', '(12)'],
    [12, '$#,##0_);($#,##0)', '$12 '],
    [12345.6789, '00-00-00-00', '00-01-23-46'],
    [123456789012, '00-00-00-00', '123456-78-90-12'],
    [-1 / 3, '0', '0'],
    [-1 / 3, '[Red]#.#', '-.3'],
    [0, '#,#.00 "Millions!"', '.00 Millions!'],
    [123456789012, '#,##,, "Millions"', '123,457 Millions'],
    [12345.6789, '0.00%', '1234567.89%'],
    [-12345.6789, '0.00E+0', '-1.23E+4'],
    [1.2e-16, '0.00E+0', '1.20E-16'],
    [1.23456e19, '0', '12345600000000000000'],
    [41181, 'm/d/y', '9/29/12'],
    [41181, 'ddd--/--mmm--/++yyy', 'Sat--/--Sep--/++2012'],
    [41181, 'ddddd/mmmmm/yyyyy', 'Saturday/S/2012'],
    [100, 'dddd/mmmm/yyyy', 'Monday/April/1900'],
    [0.75, 'h:mm AM/PM', '6:00 PM'],
    [1.5, '[h]:mm:ss', '36:00:00'],
    [2.5, '# ?/?', '2 1/2'],
  ])('TEXT(%p, %p) = %p', (value, format, expected) => {
    expect(run('TEXT', value, format)).toBe(expected);
  });
  it('rejects dates out of range and mixed codes', () => {
    expect(run('TEXT', 2958466, 'm/d/y')).toBe(Errors.VALUE);
    expect(run('TEXT', -1, 'm/d/y')).toBe(Errors.VALUE);
    expect(run('TEXT', 41181, 'mm###')).toBe(Errors.VALUE);
  });
  it('General keeps 11 characters', () => {
    expect(formatGeneral(1 / 3)).toBe('0.333333333');
    expect(formatGeneral(123456789012)).toBe('1.23457E+11');
    expect(formatGeneral(25000000000)).toBe('25000000000');
    expect(formatGeneral(-1e-8)).toBe('-0.00000001');
    expect(formatGeneral(-2.5e-9)).toBe('-2.5E-09');
  });
});

describe('slicing and searching (STRING_HANDLING.xlsx, FIND_SEARCH.xlsx, SUBSTITUTE.xlsx)', () => {
  it('LEFT, RIGHT, MID, LEN', () => {
    expect(run('LEFT', 'A wonderful world')).toBe('A');
    expect(run('RIGHT', 'A wonderful world', 3)).toBe('rld');
    expect(run('LEFT', 'abc', -1)).toBe(Errors.VALUE);
    expect(run('MID', 'A Wonderful World', 3, 100)).toBe('Wonderful World');
    expect(run('LEN', 12.5)).toBe(4);
  });
  it('FIND is case-sensitive; SEARCH has wildcards', () => {
    expect(run('FIND', 'B', 'abc')).toBe(Errors.VALUE);
    expect(run('SEARCH', 'B', 'abc')).toBe(2);
    expect(run('SEARCH', 'b?d', 'abcd')).toBe(2);
    expect(run('SEARCH', '~d', 'My dear')).toBe(4);
    expect(run('SEARCH', '~', 'Hello')).toBe(1);
    expect(run('SEARCH', '~*', 'a*b')).toBe(2);
  });
  it('SUBSTITUTE, REPLACE, REPT', () => {
    expect(run('SUBSTITUTE', 'My old, very old fears', 'old', 'new')).toBe('My new, very new fears');
    expect(run('SUBSTITUTE', 'My old, very old fears', 'old', 'new', 1)).toBe('My new, very old fears');
    expect(run('REPLACE', 'abcdef', 2, 3, 'X')).toBe('aXef');
    expect(run('REPT', 'Qwery', 3)).toBe('QweryQweryQwery');
    expect(run('REPT', 'x', -1)).toBe(Errors.VALUE);
  });
  it('TEXTBEFORE and TEXTAFTER (TEXTBEFORE_TEXTAFTER.xlsx)', () => {
    const text = '123 the 456 the 891';
    expect(run('TEXTAFTER', text, 'the', -1.2, 1, 0, 'Not found')).toBe(' 456 the 891');
    expect(run('TEXTBEFORE', text, 'the', 1.6)).toBe('123 ');
    expect(run('TEXTAFTER', text, 'Hello')).toBe(Errors.NA);
    expect(run('TEXTAFTER', 'del', 'deli', 1)).toBe(Errors.VALUE);
    expect(run('TEXTAFTER', true, 'r', 1, 1, 0)).toBe('UE');
  });
  it('TEXTSPLIT pads ragged rows', () => {
    const result = run('TEXTSPLIT', '1,2;3', ',', ';') as Matrix;
    expect(result.toRows()).toEqual([
      ['1', '2'],
      ['3', Errors.NA],
    ]);
    expect(run('TEXTSPLIT', 'abc', '')).toBe(Errors.VALUE);
  });
});

describe('joining and conversion', () => {
  it('CONCAT, TEXTJOIN, ARRAYTOTEXT', () => {
    expect(run('CONCAT', range([['Hello', ' ', 'World']]))).toBe('Hello World');
    expect(run('CONCAT', true, 1.5)).toBe('TRUE1.5');
    // Over a range, row by row, as Excel's documentation shows for CONCAT(B2:C8).
    expect(
      run(
        'CONCAT',
        range([
          ['a', 1],
          ['b', true],
        ]),
        '-',
        range([[null], ['c']]),
      ),
    ).toBe('a1bTRUE-c');
    expect(run('TEXTJOIN', ',', true, range([['Monday', null, 'Wednesday', '']]))).toBe('Monday,Wednesday');
    expect(run('TEXTJOIN', ',', false, range([['Monday', null, 'Wednesday', '']]))).toBe(
      'Monday,,Wednesday,',
    );
    expect(run('TEXTJOIN', m([['-', '+']]), true, 'a', 'b', 'c')).toBe('a-b+c');
    expect(
      run(
        'ARRAYTOTEXT',
        range([
          [12, false],
          ['x', null],
        ]),
        1,
      ),
    ).toBe('{12,FALSE;"x",}');
  });
  it('VALUE, NUMBERVALUE, VALUETOTEXT, T (T_VALUE_VALUETOTEXT.xlsx)', () => {
    expect(run('VALUE', '10-12-1999')).toBe(36504);
    expect(run('VALUE', '$1,000')).toBe(1000);
    expect(run('VALUE', 'abc')).toBe(Errors.VALUE);
    expect(run('NUMBERVALUE', '2.500,27', ',', '.')).toBe(2500.27);
    expect(run('NUMBERVALUE', '3.5%%')).toBeCloseTo(0.00035, 15);
    expect(run('VALUETOTEXT', 7.123456e-9)).toBe('0.000000007123456');
    expect(run('VALUETOTEXT', 'x', 1)).toBe('"x"');
    expect(run('T', 5)).toBe('');
  });
  it('characters, case and cleaning', () => {
    expect(run('CHAR', 128)).toBe('€');
    expect(run('CHAR', 256)).toBe(Errors.VALUE);
    expect(run('CODE', '€')).toBe(128);
    expect(run('UNICHAR', 9731)).toBe('☃');
    expect(run('UNICODE', '😀')).toBe(128512);
    expect(run('PROPER', 'democracy dies in the 2-way shadows')).toBe('Democracy Dies In The 2-Way Shadows');
    expect(run('TRIM', '  a   b  ')).toBe('a b');
    expect(run('CLEAN', 'a\u0001b')).toBe('ab');
    expect(run('EXACT', 'a', 'A')).toBe(false);
  });
  it('FIXED and DOLLAR', () => {
    expect(run('FIXED', 1234.567, 1)).toBe('1,234.6');
    expect(run('FIXED', -1234.567, -1, true)).toBe('-1230');
    expect(run('DOLLAR', 1234.567)).toBe('$1,234.57');
    expect(run('DOLLAR', -0.5, 0)).toBe('($1)');
  });
  it('regular expressions (REGEX.xlsx)', () => {
    expect(run('REGEXTEST', 'Hello', '[0-9]+')).toBe(false);
    expect(run('REGEXEXTRACT', 'the Lonely sea', '[A-Z][a-z]+')).toBe('Lonely');
    expect(run('REGEXREPLACE', 'JamesBond', '([A-Z][a-z]+)([A-Z][a-z]+)', '$2, $1 $2')).toBe(
      'Bond, James Bond',
    );
  });
});
