/**
 * What each compiled backend can compute, in one table: the CPU backend's fast form (cpu-fast), the
 * CUDA generator and the tfjs translator read it instead of keeping lists of their own, so adding a
 * function to a backend, or finding why a backend refuses a model, starts here. The table says what is
 * supported and in which argument forms; each backend still says how it computes it.
 */

import { Matrix, Reference } from '../values/value';
import type { Expr, Program } from './ir';

export type Backend = 'cpu-fast' | 'cuda' | 'tfjs';

export const BACKEND_NAMES: Record<Backend, string> = {
  'cpu-fast': "the CPU backend's fast form",
  cuda: 'the CUDA backend',
  tfjs: 'the tfjs backend',
};

/**
 * How a function reads one argument:
 * - number: one value read as a number (a range or array there is refused);
 * - numbers: a number, or a range or array whose numbers count (text, booleans and blanks in it do not);
 * - range: a range or array whose numbers count (IRR's cash flows);
 * - table: a constant range or array searched or indexed (the lookups);
 * - static: a constant written in the formula (a lookup's column or match type).
 */
export type ArgumentKind = 'number' | 'numbers' | 'range' | 'table' | 'static';

export interface FunctionSupport {
  backends: readonly Backend[];
  /** A number (or an error), or a cell of the table looked up (VLOOKUP's column, INDEX's range). */
  result: 'number' | 'table cell';
  /** Argument kinds in order; arguments past the end read as the last kind (SUM's list). */
  kinds: readonly ArgumentKind[];
  minArgs: number;
  maxArgs: number;
}

const ALL: readonly Backend[] = ['cpu-fast', 'cuda', 'tfjs'];
const MAX_ARGS = 255;

export const FUNCTION_SUPPORT: Readonly<Record<string, FunctionSupport>> = {
  SUM: { result: 'number', backends: ALL, kinds: ['numbers'], minArgs: 1, maxArgs: MAX_ARGS },
  MIN: { result: 'number', backends: ALL, kinds: ['numbers'], minArgs: 1, maxArgs: MAX_ARGS },
  MAX: { result: 'number', backends: ALL, kinds: ['numbers'], minArgs: 1, maxArgs: MAX_ARGS },
  ABS: { result: 'number', backends: ALL, kinds: ['number'], minArgs: 1, maxArgs: 1 },
  SQRT: { result: 'number', backends: ALL, kinds: ['number'], minArgs: 1, maxArgs: 1 },
  EXP: { result: 'number', backends: ALL, kinds: ['number'], minArgs: 1, maxArgs: 1 },
  LN: { result: 'number', backends: ALL, kinds: ['number'], minArgs: 1, maxArgs: 1 },
  PV: { result: 'number', backends: ALL, kinds: ['number'], minArgs: 3, maxArgs: 5 },
  NPV: { result: 'number', backends: ALL, kinds: ['number', 'numbers'], minArgs: 2, maxArgs: MAX_ARGS },
  IRR: { result: 'number', backends: ALL, kinds: ['range', 'number'], minArgs: 1, maxArgs: 2 },
  // tfjs computes in float32, where rounding to a decimal place cannot match the CPU backend.
  ROUND: { result: 'number', backends: ['cpu-fast', 'cuda'], kinds: ['number'], minArgs: 2, maxArgs: 2 },
  ROUNDUP: { result: 'number', backends: ['cpu-fast', 'cuda'], kinds: ['number'], minArgs: 2, maxArgs: 2 },
  ROUNDDOWN: { result: 'number', backends: ['cpu-fast', 'cuda'], kinds: ['number'], minArgs: 2, maxArgs: 2 },
  VLOOKUP: {
    result: 'table cell',
    backends: ['tfjs'],
    kinds: ['number', 'table', 'static', 'static'],
    minArgs: 3,
    maxArgs: 4,
  },
  MATCH: {
    result: 'number',
    backends: ['tfjs'],
    kinds: ['number', 'table', 'static'],
    minArgs: 2,
    maxArgs: 3,
  },
  INDEX: { result: 'table cell', backends: ['tfjs'], kinds: ['table', 'number'], minArgs: 2, maxArgs: 2 },
};

type Operator = Exclude<Expr['op'], 'call'>;

const COMPARISON = { name: 'a comparison', backends: ALL };

/**
 * The operators and forms of the IR, and the backends that compute them. A backend holds only the
 * values its typing allows (the fast form: numbers; CUDA: numbers and booleans; tfjs: text as an opaque
 * code), so a comparison supported by the fast form is still only read as an IF condition there.
 */
export const OPERATOR_SUPPORT: Readonly<Record<Operator, { name: string; backends: readonly Backend[] }>> = {
  num: { name: 'a number', backends: ALL },
  const: { name: 'a constant', backends: ALL },
  slot: { name: 'a random cell', backends: ALL },
  input: { name: 'a random input', backends: ALL },
  area: { name: 'a range outside the functions that read ranges', backends: [] },
  neg: { name: 'negation', backends: ALL },
  pct: { name: 'a percentage', backends: ALL },
  add: { name: 'addition', backends: ALL },
  sub: { name: 'subtraction', backends: ALL },
  mul: { name: 'multiplication', backends: ALL },
  div: { name: 'division', backends: ALL },
  pow: { name: 'a power', backends: ALL },
  cat: { name: 'text concatenation with &', backends: [] },
  eq: COMPARISON,
  ne: COMPARISON,
  lt: COMPARISON,
  le: COMPARISON,
  gt: COMPARISON,
  ge: COMPARISON,
  if: { name: 'IF', backends: ALL },
  iferror: { name: 'IFERROR', backends: ALL },
  ifna: { name: 'IFNA', backends: ['cuda', 'tfjs'] },
  choose: { name: 'CHOOSE', backends: ALL },
  let: { name: 'LET', backends: ['cuda', 'tfjs'] },
  local: { name: 'a LET name', backends: ['cuda', 'tfjs'] },
};

/** Whether the backend computes this node itself (its arguments are checked where they are read). */
export function supports(backend: Backend, e: Expr): boolean {
  if (e.op !== 'call') return OPERATOR_SUPPORT[e.op].backends.includes(backend);
  return FUNCTION_SUPPORT[e.fn]?.backends.includes(backend) ?? false;
}

/** What a backend that refuses this node refuses, as its message names it ("OFFSET", "LET"). */
export function constructName(e: Expr): string {
  return e.op === 'call' ? e.fn : OPERATOR_SUPPORT[e.op].name;
}

/** The kind of argument `position` of a supported function. */
export function argumentKind(fn: string, position: number): ArgumentKind {
  const support = FUNCTION_SUPPORT[fn];
  if (!support) throw new Error(`internal: ${fn} is not in the backend table`);
  return support.kinds[Math.min(position, support.kinds.length - 1)];
}

/**
 * Why a call of a function the backend supports does not have the argument forms of the table, or
 * undefined when it has them: the count, a range where a number is read, a computed table or constant.
 */
export function argumentFormProblem(program: Program, fn: string, args: Expr[]): string | undefined {
  const support = FUNCTION_SUPPORT[fn];
  if (!support) throw new Error(`internal: ${fn} is not in the backend table`);
  if (args.length < support.minArgs || args.length > support.maxArgs)
    return `${fn} with ${args.length} argument${args.length === 1 ? '' : 's'}`;
  for (const [position, arg] of args.entries()) {
    const problem = kindProblem(program, argumentKind(fn, position), arg);
    if (problem) return `${problem} as an argument of ${fn}`;
  }
  return undefined;
}

function kindProblem(program: Program, kind: ArgumentKind, arg: Expr): string | undefined {
  const constant = arg.op === 'const' ? program.constants[arg.index] : undefined;
  const array = constant instanceof Matrix && (constant.rows > 1 || constant.cols > 1);
  switch (kind) {
    case 'number':
      return arg.op === 'area' || array ? 'a range or array' : undefined;
    case 'numbers':
      return undefined;
    case 'range':
      return arg.op === 'area' || constant instanceof Matrix ? undefined : 'a single value';
    case 'table':
      return constant instanceof Matrix || constant instanceof Reference
        ? undefined
        : 'a table that is not constant';
    case 'static':
      return arg.op === 'num' || (arg.op === 'const' && !array) ? undefined : 'a value computed each trial';
  }
}
