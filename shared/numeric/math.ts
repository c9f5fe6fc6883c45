/**
 * Math's functions and Number's constants and predicates as module bindings, for the numeric hot paths
 * (special functions, distributions, random streams, statistics).
 */

// Global lookups are slow inside sandboxed contexts (jest's vm, some worker setups): alias once.
export const {
  PI,
  abs,
  asinh,
  atan,
  ceil,
  clz32,
  cosh,
  exp,
  expm1,
  floor,
  imul,
  log,
  log1p,
  max,
  min,
  round,
  sin,
  sinh,
  sqrt,
  tan,
  trunc,
} = Math;
export const NEG_INF = Number.NEGATIVE_INFINITY;
export const POS_INF = Number.POSITIVE_INFINITY;
export const NAN = Number.NaN;
export const isFiniteNumber = Number.isFinite;
export const isInteger = Number.isInteger;
export const isNotANumber = Number.isNaN;
