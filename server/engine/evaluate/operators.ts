/**
 * Excel's operators on scalars. Shared by the interpreter and the compiled kernel so that both agree
 * to the bit.
 */
import { numericPower } from '../numeric/power';
import { compareScalars, toNumber, toText } from '../values/coerce';
import { Errors, ExcelError, type Scalar } from '../values/value';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '^';
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** Excel never shows NaN or infinities: they become #NUM!. */
export function finite(n: number): number | ExcelError {
  return Number.isFinite(n) ? n : Errors.NUM;
}

/** ^ and POWER: 0^0 is #NUM!, 0 to a negative power #DIV/0!. */
export function power(base: number, exponent: number): number | ExcelError {
  if (base === 0 && exponent === 0) return Errors.NUM;
  if (base === 0 && exponent < 0) return Errors.DIV0;
  return finite(numericPower(base, exponent));
}

export function arithmetic(op: ArithmeticOperator, left: Scalar, right: Scalar): Scalar {
  const a = toNumber(left);
  if (a instanceof ExcelError) return a;
  const b = toNumber(right);
  if (b instanceof ExcelError) return b;
  switch (op) {
    case '+':
      return finite(a + b);
    case '-':
      return finite(a - b);
    case '*':
      return finite(a * b);
    case '/':
      return b === 0 ? Errors.DIV0 : finite(a / b);
    case '^':
      return power(a, b);
  }
}

export function concatenate(left: Scalar, right: Scalar): Scalar {
  const a = toText(left);
  if (a instanceof ExcelError) return a;
  const b = toText(right);
  if (b instanceof ExcelError) return b;
  return a + b;
}

export function compare(op: ComparisonOperator, left: Scalar, right: Scalar): Scalar {
  if (left instanceof ExcelError) return left;
  if (right instanceof ExcelError) return right;
  const c = compareScalars(left, right);
  switch (op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

export function negate(value: Scalar): Scalar {
  const n = toNumber(value);
  return n instanceof ExcelError ? n : n === 0 ? 0 : -n;
}

export function unaryPlus(value: Scalar): Scalar {
  return value;
}

export function percent(value: Scalar): Scalar {
  const n = toNumber(value);
  return n instanceof ExcelError ? n : n / 100;
}

export function binaryScalar(op: string, left: Scalar, right: Scalar): Scalar {
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '^':
      return arithmetic(op, left, right);
    case '&':
      return concatenate(left, right);
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, left, right);
    default:
      return Errors.VALUE;
  }
}
