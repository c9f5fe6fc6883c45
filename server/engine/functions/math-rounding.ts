/**
 * Excel's rounding family. Excel rounds the decimal value it shows (15 significant digits), so
 * ROUND(2.675, 2) is 2.68 although the double is 2.67499999…; scaling then trimming to 15 digits removes
 * that binary artefact before the integer step.
 */
import { Errors, type ExcelError } from '../values/value';
import { round15 } from './math-args';

export type IntegerStep = (x: number) => number;

export const halfAwayFromZero: IntegerStep = (x) => Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
export const awayFromZero: IntegerStep = (x) => Math.sign(x) * Math.ceil(Math.abs(x));
export const towardZero: IntegerStep = Math.trunc;

/**
 * Trimming to 15 digits only matters next to a rounding boundary (a multiple of 0.5); skipping it elsewhere
 * keeps ROUND cheap in simulation loops.
 */
function nearHalfStep(scaled: number): boolean {
  const twice = Math.abs(scaled) * 2;
  return Math.abs(twice - Math.round(twice)) <= twice * 1e-13;
}

/** Rounds `x` to `digits` decimal places (negative: to the left of the point) with the given step. */
export function roundToDigits(x: number, digits: number, step: IntegerStep): number {
  digits = Math.trunc(digits);
  if (x === 0) return 0;
  if (digits > 308) return x;
  if (digits < -308) return 0;
  const factor = 10 ** Math.abs(digits);
  const scaled = digits >= 0 ? x * factor : x / factor;
  // Beyond 2^53 the scaled value has no fractional part left to round.
  if (!Number.isFinite(scaled) || Math.abs(scaled) >= 2 ** 53) return x;
  const stepped = step(nearHalfStep(scaled) ? round15(scaled) : scaled);
  const result = digits >= 0 ? stepped / factor : stepped * factor;
  return result === 0 ? 0 : result;
}

/** CEILING/FLOOR-style rounding to a multiple, with the quotient trimmed to 15 digits first. */
export function toMultiple(x: number, multiple: number, step: IntegerStep): number {
  if (multiple === 0 || x === 0) return 0;
  const result = round15(step(round15(x / multiple)) * multiple);
  return result === 0 ? 0 : result;
}

const ceil: IntegerStep = Math.ceil;
const floor: IntegerStep = Math.floor;

export function ceiling(x: number, significance: number): number | ExcelError {
  if (x > 0 && significance < 0) return Errors.NUM;
  return toMultiple(x, significance, ceil);
}

export function floorTo(x: number, significance: number): number | ExcelError {
  if (significance === 0) return x === 0 ? 0 : Errors.DIV0;
  if (x > 0 && significance < 0) return Errors.NUM;
  return toMultiple(x, significance, floor);
}

/** CEILING.MATH / FLOOR.MATH: the significance's sign is ignored; `mode` flips the direction for negatives. */
export function ceilingMath(x: number, significance: number, mode: number): number {
  const s = Math.abs(significance);
  if (x < 0 && mode !== 0) return toMultiple(x, s, awayFromZero);
  return toMultiple(x, s, ceil);
}

export function floorMath(x: number, significance: number, mode: number): number {
  const s = Math.abs(significance);
  if (x < 0 && mode !== 0) return toMultiple(x, s, towardZero);
  return toMultiple(x, s, floor);
}

/** MROUND: nearest multiple, halves away from zero; number and multiple must share a sign. */
export function mround(x: number, multiple: number): number | ExcelError {
  if (multiple === 0) return 0;
  if (x * multiple < 0) return Errors.NUM;
  return toMultiple(x, multiple, halfAwayFromZero);
}

/** EVEN / ODD: away from zero to the next even or odd integer. */
export function even(x: number): number {
  const up = awayFromZero(round15(x));
  return up % 2 === 0 ? up : up + Math.sign(x);
}

export function odd(x: number): number {
  if (x === 0) return 1;
  const up = awayFromZero(round15(x));
  return Math.abs(up) % 2 === 1 ? up : up + Math.sign(x);
}
