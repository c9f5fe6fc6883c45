/**
 * The compiled model, independent of any backend: the random part of the workbook as an ordered list
 * of cell computations over slots, inputs and constants. The CPU backend turns it into a JavaScript
 * kernel; a GPU backend can generate its own kernel from the same program.
 */

import type { DistributionSpec } from '../../../shared/model';
import type { CopulaSpec } from '../sampling/copula';
import type { InputProperties } from '../sampling/property-functions';
import type { ConvergenceTest } from '../statistics/convergence';
import type { Value } from '../values/value';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'cat'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge';

export type Expr =
  | { op: 'num'; value: number }
  /** An entry of the constant pool: text, boolean, error, array, or the values of a deterministic range. */
  | { op: 'const'; index: number }
  /** The value of a random cell in the current trial. */
  | { op: 'slot'; slot: number }
  /** The sampled value of an input in the current trial. */
  | { op: 'input'; input: number }
  /** A range containing random cells: a constant template with some positions filled from slots. */
  | { op: 'area'; template: number; fill: { position: number; slot: number }[] }
  | { op: 'neg' | 'pct'; arg: Expr }
  | { op: BinaryOp; left: Expr; right: Expr }
  | { op: 'if'; cond: Expr; whenTrue: Expr; whenFalse: Expr }
  | { op: 'iferror' | 'ifna'; value: Expr; fallback: Expr }
  | { op: 'choose'; index: Expr; choices: Expr[] }
  | { op: 'let'; bindings: { local: number; value: Expr }[]; body: Expr }
  | { op: 'local'; local: number }
  /** A library function; `context` is the index of the calling cell (for ROW(), errors). */
  | { op: 'call'; fn: string; args: Expr[]; context: number };

/** Where an input's value comes from each trial. */
export type InputSource =
  /** A distribution with constant parameters (the common case). */
  | { kind: 'distribution'; spec: DistributionSpec }
  /** RAND(): a uniform number in (0, 1). */
  | { kind: 'uniform' }
  /** A distribution whose parameters are computed each trial from other cells. */
  | { kind: 'dynamic'; type: DistributionSpec['type']; functionName: string; params: Expr[] };

export interface Input {
  /** Random stream id: with the seed and trial index it fixes the input's draw. */
  stream: number;
  /** "Sheet1!B3" (and the function, e.g. "RiskNormal"). */
  label: string;
  name?: string;
  /** What its property functions say beyond the distribution (RiskSeed, RiskUnits, RiskCategory…). */
  properties?: InputProperties;
  source: InputSource;
}

/** Inputs sampled together so that their rank correlations approach a target (Iman–Conover). */
export interface CorrelationGroup {
  /** Indices into `inputs`, in matrix order. */
  inputs: number[];
  /** Target rank correlations, row-major, validated. */
  matrix: number[][];
  /** Keys the group's score shuffles; never used as an input stream. */
  stream: number;
  label: string;
}

/** Inputs whose uniforms are drawn jointly from a copula (RiskCopula), each then through its own quantile. */
export interface CopulaGroup {
  /** Indices into `inputs`, in copula position order. */
  inputs: number[];
  /** Validated; a Gaussian or t copula's matrix is that of the positions used. */
  copula: CopulaSpec;
  /** Its trial draws' stream; never used as an input stream. */
  stream: number;
  label: string;
}

export interface CellComputation {
  slot: number;
  label: string;
  expr: Expr;
}

export interface Output {
  label: string;
  /** Its RiskOutput name, or the row label @RISK would give it. */
  name?: string;
  /** Its RiskOutput's RiskConvergence settings, when it has them. */
  convergence?: ConvergenceTest;
  expr: Expr;
}

export interface Program {
  inputs: Input[];
  correlations: CorrelationGroup[];
  copulas: CopulaGroup[];
  /** Random cells in evaluation order. */
  cells: CellComputation[];
  outputs: Output[];
  slotCount: number;
  localCount: number;
  constants: Value[];
  /** Calling cells of `call` expressions, by context index ("Sheet1!B3"). */
  contexts: { sheet: string; row: number; col: number }[];
}

/** `e` with each direct sub-expression replaced by f(sub). */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.op) {
    case 'num':
    case 'const':
    case 'slot':
    case 'input':
    case 'area':
    case 'local':
      return e;
    case 'neg':
    case 'pct':
      return { ...e, arg: f(e.arg) };
    case 'if':
      return { ...e, cond: f(e.cond), whenTrue: f(e.whenTrue), whenFalse: f(e.whenFalse) };
    case 'iferror':
    case 'ifna':
      return { ...e, value: f(e.value), fallback: f(e.fallback) };
    case 'choose':
      return { ...e, index: f(e.index), choices: e.choices.map(f) };
    case 'let':
      return {
        ...e,
        bindings: e.bindings.map((b) => ({ local: b.local, value: f(b.value) })),
        body: f(e.body),
      };
    case 'call':
      return { ...e, args: e.args.map(f) };
    default:
      return { ...e, left: f(e.left), right: f(e.right) };
  }
}
