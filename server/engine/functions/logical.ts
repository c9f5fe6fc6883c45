/** LOGICAL: AND, OR, XOR, NOT, TRUE, FALSE (IF and friends are special forms of the evaluator). */
import { toBoolean } from '../values/coerce';
import { Errors, type ExcelError, isError, Matrix, type Value } from '../values/value';
import { scalarArg } from './math-args';
import { define, type FunctionDefinition } from './types';

/**
 * The truth values AND/OR/XOR see: written arguments are converted ("TRUE" text included, "" skipped,
 * other text #VALUE!), while text and empty cells inside arrays and ranges are skipped. No value at all is #VALUE!.
 */
function truthValues(args: Value[]): boolean[] | ExcelError {
  const out: boolean[] = [];
  for (const arg of args) {
    if (arg instanceof Matrix) {
      for (const v of arg.data) {
        if (isError(v)) return v;
        if (typeof v === 'number' || typeof v === 'boolean') out.push(toBoolean(v) as boolean);
      }
      continue;
    }
    const value = scalarArg(arg);
    if (value === '') continue;
    const b = toBoolean(value);
    if (isError(b)) return b;
    out.push(b);
  }
  return out.length ? out : Errors.VALUE;
}

function connective(name: string, combine: (values: boolean[]) => boolean): FunctionDefinition {
  return define(name, 'logical', 1, 255, ['array'], (args) => {
    const values = truthValues(args);
    return isError(values) ? values : combine(values);
  });
}

export const logicalFunctions: FunctionDefinition[] = [
  connective('AND', (values) => values.every(Boolean)),
  connective('OR', (values) => values.some(Boolean)),
  connective('XOR', (values) => values.filter(Boolean).length % 2 === 1),
  define('NOT', 'logical', 1, 1, ['scalar'], (args) => {
    const b = toBoolean(scalarArg(args[0]));
    return isError(b) ? b : !b;
  }),
  define('TRUE', 'logical', 0, 0, [], () => true),
  define('FALSE', 'logical', 0, 0, [], () => false),
];
