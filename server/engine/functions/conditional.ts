/**
 * The conditional aggregations (SUMIF, COUNTIFS, MAXIFS…) and COUNTBLANK. Criteria follow Excel's rules
 * in criteria.ts. A criterion given as an array makes the function answer an array, one result per element.
 */
import { Errors, ExcelError, Matrix, Reference, type Scalar, type Value } from '../values/value';
import { type CellPredicate, compileCriterion } from './criteria';
import { finite, isScalar } from './statistical-collect';
import { define, type FunctionContext, type FunctionDefinition } from './types';

interface Condition {
  cells: Matrix;
  criterion: Scalar;
}

/** What to compute from the cells of the value range at the positions where every condition holds. */
type Summary = (values: Scalar[]) => Value;

const sumOf: Summary = (values) => {
  let total = 0;
  for (const v of values) {
    if (v instanceof ExcelError) return v;
    if (typeof v === 'number') total += v;
  }
  return total;
};

const averageOf: Summary = (values) => {
  let total = 0;
  let n = 0;
  for (const v of values) {
    if (v instanceof ExcelError) return v;
    if (typeof v === 'number') {
      total += v;
      n++;
    }
  }
  return n === 0 ? Errors.DIV0 : total / n;
};

function extremeOf(pick: (a: number, b: number) => number): Summary {
  return (values) => {
    let best: number | undefined;
    for (const v of values) {
      if (v instanceof ExcelError) return v;
      if (typeof v === 'number') best = best === undefined ? v : pick(best, v);
    }
    return best ?? 0;
  };
}

const countOf: Summary = (values) => values.length;

/** A range argument as a matrix of cells (a scalar typed in the formula becomes a 1×1 range). */
function asCells(value: Value): Matrix | ExcelError {
  if (value instanceof Matrix) return value;
  if (value instanceof ExcelError) return value;
  if (isScalar(value)) return new Matrix(1, 1, [value]);
  return Errors.VALUE;
}

/** The criterion argument, with a one-cell array reduced to its value. */
function criterionValue(value: Value): Scalar | Matrix {
  if (value instanceof Matrix) return value.rows * value.cols === 1 ? value.data[0] : value;
  return isScalar(value) ? value : Errors.VALUE;
}

/** The cells of `values` where every condition holds, in range order. */
function selectMatching(values: Matrix, conditions: Condition[]): Scalar[] | ExcelError {
  for (const c of conditions)
    if (c.cells.rows !== values.rows || c.cells.cols !== values.cols) return Errors.VALUE;
  const predicates: CellPredicate[] = conditions.map((c) => compileCriterion(c.criterion));
  const out: Scalar[] = [];
  for (let i = 0; i < values.data.length; i++) {
    if (predicates.every((p, k) => p(conditions[k].cells.data[i]))) out.push(values.data[i]);
  }
  return out;
}

/**
 * Evaluates the summary once per combination of criteria: the criteria may be arrays, in which case
 * the result is an array of the first array criterion's shape.
 */
function evaluate(values: Matrix, ranges: Matrix[], criteria: (Scalar | Matrix)[], summary: Summary): Value {
  const once = (pick: (c: Scalar | Matrix) => Scalar): Value => {
    const conditions = ranges.map((cells, k) => ({ cells, criterion: pick(criteria[k]) }));
    const selected = selectMatching(values, conditions);
    if (selected instanceof ExcelError) return selected;
    const result = summary(selected);
    return typeof result === 'number' ? finite(result) : result;
  };
  const shape = criteria.find((c): c is Matrix => c instanceof Matrix);
  if (!shape) return once((c) => c as Scalar);
  const results: Scalar[] = [];
  for (let r = 0; r < shape.rows; r++) {
    for (let col = 0; col < shape.cols; col++) {
      const result = once((c) => (c instanceof Matrix ? elementAt(c, r, col) : c));
      results.push(result instanceof Matrix ? result.data[0] : (result as Scalar));
    }
  }
  return new Matrix(shape.rows, shape.cols, results);
}

/** Element of an array criterion, broadcasting single rows and columns as Excel does. */
function elementAt(m: Matrix, row: number, col: number): Scalar {
  const r = m.rows === 1 ? 0 : row;
  const c = m.cols === 1 ? 0 : col;
  return r < m.rows && c < m.cols ? m.get(r, c) : Errors.NA;
}

/**
 * The range summed or averaged by SUMIF/AVERAGEIF: Excel takes its top-left cell and the criteria range's
 * shape, whatever its own size.
 */
function valueRange(
  arg: Value | undefined,
  criteriaRange: Matrix,
  ctx: FunctionContext,
): Matrix | ExcelError {
  if (arg === undefined || arg === null) return criteriaRange;
  if (arg instanceof Reference) {
    const resized = new Reference(
      arg.sheet,
      arg.top,
      arg.left,
      arg.top + criteriaRange.rows - 1,
      arg.left + criteriaRange.cols - 1,
    );
    return ctx.values(resized);
  }
  const cells = asCells(arg);
  if (cells instanceof ExcelError) return cells;
  return cells.rows === criteriaRange.rows && cells.cols === criteriaRange.cols ? cells : Errors.VALUE;
}

/** SUMIF, AVERAGEIF: (range, criteria, [value_range]). */
function singleCondition(name: string, summary: Summary): FunctionDefinition {
  return define(
    name,
    'statistical',
    2,
    3,
    ['array', 'array', 'reference'],
    ([rangeArg, criterionArg, valuesArg], ctx) => {
      const range = asCells(rangeArg);
      if (range instanceof ExcelError) return range;
      const values = valueRange(valuesArg, range, ctx);
      if (values instanceof ExcelError) return values;
      return evaluate(values, [range], [criterionValue(criterionArg)], summary);
    },
  );
}

/** SUMIFS, AVERAGEIFS, MAXIFS, MINIFS: (value_range, range1, criteria1, …). */
function multipleConditions(name: string, summary: Summary): FunctionDefinition {
  return define(name, 'statistical', 3, Number.POSITIVE_INFINITY, ['array'], (args) => {
    if (args.length % 2 === 0) return Errors.VALUE;
    const values = asCells(args[0]);
    if (values instanceof ExcelError) return values;
    return conditionsThen(args.slice(1), (ranges, criteria) => evaluate(values, ranges, criteria, summary));
  });
}

/** Splits (range, criteria) pairs and hands them on; any non-range argument is an error. */
function conditionsThen(
  pairs: Value[],
  then: (ranges: Matrix[], criteria: (Scalar | Matrix)[]) => Value,
): Value {
  const ranges: Matrix[] = [];
  const criteria: (Scalar | Matrix)[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const range = asCells(pairs[i]);
    if (range instanceof ExcelError) return range;
    ranges.push(range);
    criteria.push(criterionValue(pairs[i + 1]));
  }
  return then(ranges, criteria);
}

const countIf = define('COUNTIF', 'statistical', 2, 2, ['array', 'array'], ([rangeArg, criterionArg]) => {
  const range = asCells(rangeArg);
  if (range instanceof ExcelError) return range;
  const criterion = criterionValue(criterionArg);
  const counted = evaluate(range, [range], [criterion], countOf);
  return typeof counted === 'number' && blankMatches(criterion) ? counted + range.omittedBlanks : counted;
});

/** Whether a (scalar) criterion matches an empty cell, so that cells cut from whole columns count too. */
function blankMatches(criterion: Scalar | Matrix): boolean {
  return !(criterion instanceof Matrix) && compileCriterion(criterion)(null);
}

const countIfs = define('COUNTIFS', 'statistical', 2, Number.POSITIVE_INFINITY, ['array'], (args) => {
  if (args.length % 2 === 1) return Errors.VALUE;
  return conditionsThen(args, (ranges, criteria) => {
    const counted = evaluate(ranges[0], ranges, criteria, countOf);
    const blanksCount =
      criteria.every(blankMatches) && ranges.every((r) => r.omittedBlanks === ranges[0].omittedBlanks);
    return typeof counted === 'number' && blanksCount ? counted + ranges[0].omittedBlanks : counted;
  });
});

const countBlank = define('COUNTBLANK', 'statistical', 1, 1, ['array'], ([rangeArg]) => {
  const range = asCells(rangeArg);
  if (range instanceof ExcelError) return range;
  return range.data.filter((cell) => cell === null || cell === '').length + range.omittedBlanks;
});

export const conditionalFunctions: FunctionDefinition[] = [
  singleCondition('SUMIF', sumOf),
  singleCondition('AVERAGEIF', averageOf),
  multipleConditions('SUMIFS', sumOf),
  multipleConditions('AVERAGEIFS', averageOf),
  multipleConditions('MAXIFS', extremeOf(Math.max)),
  multipleConditions('MINIFS', extremeOf(Math.min)),
  countIf,
  countIfs,
  countBlank,
];
