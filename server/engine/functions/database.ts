/**
 * The D* database functions: a database range (header row, then one record per row), a field (a column
 * header or a 1-based column number) and a criteria range (header row naming fields; each further row is
 * an alternative, its non-empty cells all required). Criteria use Excel's criteria matcher, with plain
 * text matching text that begins with it, as Excel does for criteria ranges.
 */
import { toText } from '../values/coerce';
import { Errors, ExcelError, Matrix, type Scalar, type Value } from '../values/value';
import { type CellPredicate, compileCriterion } from './criteria';
import { isScalar } from './statistical-collect';
import { standardDeviation, sum, variance } from './statistical-descriptive';
import { define, type FunctionDefinition } from './types';

interface Condition {
  /** Database column, or -1 when the criteria header names no field (then only an empty criterion holds). */
  column: number;
  predicate: CellPredicate;
}

type Summary = (values: Scalar[]) => Value;

function asTable(value: Value): Matrix | ExcelError {
  if (value instanceof Matrix) return value;
  if (value instanceof ExcelError) return value;
  return Errors.VALUE;
}

function headerText(value: Scalar): string | undefined {
  const text = value instanceof ExcelError ? undefined : toText(value);
  return typeof text === 'string' ? text.toLowerCase() : undefined;
}

/** The column a header value names: the first database column whose header reads the same. */
function columnNamed(database: Matrix, name: Scalar): number {
  const wanted = headerText(name);
  if (wanted === undefined) return -1;
  for (let c = 0; c < database.cols; c++) if (headerText(database.get(0, c)) === wanted) return c;
  return -1;
}

/** The field argument as a column index; undefined when omitted (DCOUNT and DCOUNTA count records then). */
function fieldColumn(database: Matrix, field: Value): number | undefined | ExcelError {
  if (field === null || field === undefined) return undefined;
  let value: Scalar;
  if (field instanceof Matrix) {
    if (field.rows * field.cols !== 1) return Errors.VALUE;
    value = field.data[0];
  } else if (isScalar(field)) value = field;
  else return Errors.VALUE;
  if (value instanceof ExcelError) return value;
  if (typeof value === 'string') {
    const column = columnNamed(database, value);
    return column < 0 ? Errors.VALUE : column;
  }
  const index = Math.trunc(Number(value));
  return index >= 1 && index <= database.cols ? index - 1 : Errors.VALUE;
}

function isEmptyCriterion(value: Scalar): boolean {
  return value === null || value === '';
}

/** Each criteria row as its list of conditions. */
function criteriaRows(database: Matrix, criteria: Matrix): Condition[][] {
  const columns = Array.from({ length: criteria.cols }, (_, c) => columnNamed(database, criteria.get(0, c)));
  const rows: Condition[][] = [];
  for (let r = 1; r < criteria.rows; r++) {
    const conditions: Condition[] = [];
    for (let c = 0; c < criteria.cols; c++) {
      const value = criteria.get(r, c);
      if (isEmptyCriterion(value)) continue;
      conditions.push({ column: columns[c], predicate: compileCriterion(value, { textPrefix: true }) });
    }
    rows.push(conditions);
  }
  return rows;
}

function recordMatches(database: Matrix, record: number, alternatives: Condition[][]): boolean {
  return alternatives.some((conditions) =>
    conditions.every((c) => c.column >= 0 && c.predicate(database.get(record, c.column))),
  );
}

function databaseFunction(name: string, summary: Summary, fieldOptional = false): FunctionDefinition {
  return define(name, 'database', 3, 3, ['array'], ([databaseArg, fieldArg, criteriaArg]) => {
    const database = asTable(databaseArg);
    if (database instanceof ExcelError) return database;
    const criteria = asTable(criteriaArg);
    if (criteria instanceof ExcelError) return criteria;
    if (database.rows < 2 || criteria.rows < 2) return Errors.VALUE;
    const column = fieldColumn(database, fieldArg);
    if (column instanceof ExcelError) return column;
    if (column === undefined && !fieldOptional) return Errors.VALUE;
    const alternatives = criteriaRows(database, criteria);
    const values: Scalar[] = [];
    for (let r = 1; r < database.rows; r++) {
      if (!recordMatches(database, r, alternatives)) continue;
      // With no field, DCOUNT and DCOUNTA count records: any non-empty number stands for one.
      values.push(column === undefined ? 1 : database.get(r, column));
    }
    return summary(values);
  });
}

function numbersIn(values: Scalar[]): number[] {
  return values.filter((v): v is number => typeof v === 'number');
}

function ofNumbers(compute: (xs: number[]) => number | ExcelError): Summary {
  return (values) => {
    const result = compute(numbersIn(values));
    return typeof result === 'number' && !Number.isFinite(result) ? Errors.NUM : result;
  };
}

const onlyValue: Summary = (values) => {
  if (values.length === 0) return Errors.VALUE;
  if (values.length > 1) return Errors.NUM;
  return values[0] ?? 0;
};

export const databaseFunctions: FunctionDefinition[] = [
  databaseFunction(
    'DAVERAGE',
    ofNumbers((xs) => (xs.length === 0 ? Errors.DIV0 : sum(xs) / xs.length)),
  ),
  databaseFunction('DCOUNT', (values) => numbersIn(values).length, true),
  databaseFunction('DCOUNTA', (values) => values.filter((v) => v !== null && v !== '').length, true),
  databaseFunction('DGET', onlyValue),
  databaseFunction(
    'DMAX',
    ofNumbers((xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => Math.max(a, b)))),
  ),
  databaseFunction(
    'DMIN',
    ofNumbers((xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => Math.min(a, b)))),
  ),
  databaseFunction(
    'DPRODUCT',
    ofNumbers((xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a * b, 1))),
  ),
  databaseFunction(
    'DSTDEV',
    ofNumbers((xs) => standardDeviation(xs, true)),
  ),
  databaseFunction(
    'DSTDEVP',
    ofNumbers((xs) => standardDeviation(xs, false)),
  ),
  databaseFunction('DSUM', ofNumbers(sum)),
  databaseFunction(
    'DVAR',
    ofNumbers((xs) => variance(xs, true)),
  ),
  databaseFunction(
    'DVARP',
    ofNumbers((xs) => variance(xs, false)),
  ),
];
