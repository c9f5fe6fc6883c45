/** INFORMATION: IS* predicates, N, NA, TYPE, ERROR.TYPE, CELL, FORMULATEXT, SHEET, SHEETS. */

import { NUMBERED_ERRORS } from '../../../shared/formula/lexer';
import { numberToColumn } from '../../../shared/formula/references';
import { Errors, isError, Matrix, Reference, type Scalar, type Value } from '../values/value';
import { numberArg, scalarArg } from './math-args';
import { define, type FunctionContext, type FunctionDefinition } from './types';

function predicate(name: string, test: (value: Scalar) => boolean): FunctionDefinition {
  return define(name, 'information', 1, 1, ['scalar'], (args) => test(scalarArg(args[0])));
}

/** ISODD/ISEVEN: the truncated number's parity; booleans are #VALUE! even from cells. */
function parity(name: string, wantOdd: boolean): FunctionDefinition {
  return define(name, 'information', 1, 1, ['scalar'], (args) => {
    const value = scalarArg(args[0]);
    if (typeof value === 'boolean') return Errors.VALUE;
    const n = numberArg(value);
    if (isError(n)) return n;
    return (Math.abs(Math.trunc(n)) % 2 === 1) === wantOdd;
  });
}

/** ERROR.TYPE's number of each error. */
const ERROR_NUMBERS = new Map<string, number>(NUMBERED_ERRORS.map((error, i) => [error, i + 1]));

function typeOf(value: Value): number {
  if (value instanceof Matrix) {
    if (!value.fromReference) return 64;
    return value.data.length === 1 ? typeOf(value.data[0]) : 16;
  }
  if (value === null || typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (typeof value === 'boolean') return 4;
  if (isError(value)) return 16;
  return 128;
}

function topLeft(ref: Reference): Reference {
  return new Reference(ref.sheet, ref.top, ref.left, ref.top, ref.left);
}

/** CELL's info types that depend only on the value and position of the cell. */
function cellInfo(infoType: string, ref: Reference, ctx: FunctionContext): Scalar {
  // Read only by the info types that need it: CELL("col") of its own cell is no circular reference.
  const value = () => ctx.values(topLeft(ref)).data[0];
  switch (infoType) {
    case 'address':
      return `$${numberToColumn(ref.left)}$${ref.top}`;
    case 'col':
      return ref.left;
    case 'row':
      return ref.top;
    case 'contents':
      return value() ?? 0;
    case 'type': {
      const v = value();
      return v === null ? 'b' : typeof v === 'string' ? 'l' : 'v';
    }
    case 'filename':
      return '';
    default:
      return Errors.VALUE;
  }
}

function cell(args: Value[], ctx: FunctionContext): Scalar {
  const infoType = scalarArg(args[0]);
  if (isError(infoType)) return infoType;
  if (typeof infoType !== 'string') return Errors.VALUE;
  const target =
    args[1] ??
    new Reference(ctx.caller.sheet, ctx.caller.row, ctx.caller.col, ctx.caller.row, ctx.caller.col);
  if (isError(target)) return target;
  if (!(target instanceof Reference)) return Errors.VALUE;
  return cellInfo(infoType.toLowerCase(), target, ctx);
}

function formulaText(args: Value[], ctx: FunctionContext): Scalar {
  const ref = args[0];
  if (isError(ref)) return ref;
  if (!(ref instanceof Reference)) return Errors.NA;
  const text = ctx.formulaText(topLeft(ref));
  // Formulas as stored carry prefixes for newer functions that Excel never shows.
  return text === undefined ? Errors.NA : text.replace(/_xlfn\.|_xlws\./gi, '');
}

function sheetIndex(args: Value[], ctx: FunctionContext): Scalar {
  if (args.length === 0 || args[0] === null) return ctx.sheetNames.indexOf(ctx.caller.sheet) + 1;
  const arg = args[0];
  if (arg instanceof Reference) return ctx.sheetNames.indexOf(arg.sheet) + 1;
  const value = scalarArg(arg);
  if (isError(value)) return value;
  if (typeof value !== 'string') return Errors.NA;
  const index = ctx.sheetNames.findIndex((name) => name.toLowerCase() === value.toLowerCase());
  return index < 0 ? Errors.NA : index + 1;
}

function sheetCount(args: Value[], ctx: FunctionContext): Scalar {
  if (args.length === 0 || args[0] === null) return ctx.sheetNames.length;
  const arg = args[0];
  if (isError(arg)) return arg;
  if (!(arg instanceof Reference)) return Errors.NA;
  if (arg.sheetEnd === undefined) return 1;
  return Math.abs(ctx.sheetNames.indexOf(arg.sheetEnd) - ctx.sheetNames.indexOf(arg.sheet)) + 1;
}

export const informationFunctions: FunctionDefinition[] = [
  predicate('ISBLANK', (v) => v === null),
  predicate('ISERR', (v) => isError(v) && v !== Errors.NA),
  predicate('ISERROR', (v) => isError(v)),
  predicate('ISNA', (v) => v === Errors.NA),
  predicate('ISNUMBER', (v) => typeof v === 'number'),
  predicate('ISTEXT', (v) => typeof v === 'string'),
  predicate('ISNONTEXT', (v) => typeof v !== 'string'),
  predicate('ISLOGICAL', (v) => typeof v === 'boolean'),
  parity('ISODD', true),
  parity('ISEVEN', false),
  define('ISREF', 'information', 1, 1, ['reference'], (args) => args[0] instanceof Reference),
  define('ISFORMULA', 'information', 1, 1, ['reference'], (args, ctx) => {
    const ref = args[0];
    if (isError(ref)) return ref;
    if (!(ref instanceof Reference)) return Errors.VALUE;
    return ctx.formulaText(topLeft(ref)) !== undefined;
  }),
  define('N', 'information', 1, 1, ['scalar'], (args) => {
    const v = scalarArg(args[0]);
    if (isError(v)) return v;
    if (typeof v === 'number') return v;
    return v === true ? 1 : 0;
  }),
  define('NA', 'information', 0, 0, [], () => Errors.NA),
  define('TYPE', 'information', 1, 1, ['array'], (args) => typeOf(args[0])),
  define('ERROR.TYPE', 'information', 1, 1, ['scalar'], (args) => {
    const v = scalarArg(args[0]);
    return (isError(v) && ERROR_NUMBERS.get(v.code)) || Errors.NA;
  }),
  define('CELL', 'information', 1, 2, ['scalar', 'reference'], cell),
  define('FORMULATEXT', 'information', 1, 1, ['reference'], formulaText),
  define('SHEET', 'information', 0, 1, ['reference'], sheetIndex),
  define('SHEETS', 'information', 0, 1, ['reference'], sheetCount),
];
