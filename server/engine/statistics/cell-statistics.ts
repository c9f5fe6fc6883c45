/**
 * The values of the statistics cells once a run has ended (RiskMean(B10), RiskPercentile("NPV", 0.95)…)
 * and of every cell that depends on them, as Excel with @RISK shows them after a simulation: the
 * statistics from the simulated values, everything else recalculated with the inputs at their static
 * values. The statistics are those of the results (the same percentile rule, standard deviation and
 * skewness), so a cell and the results never disagree.
 */
import { DISTRIBUTION_FUNCTIONS, riskFunctionName } from '../../../shared/distributions/catalogue';
import { type DistributionStatistic, statisticsArguments } from '../../../shared/functions/statistics';
import type { CellValue } from '../../../shared/model';
import type { InputSensitivity, StatisticCall } from '../../../shared/model/results';
import { Interpreter, type StatisticsCall } from '../evaluate/interpreter';
import { cellLabel } from '../graph/model-graph';
import type { StatisticsCells } from '../graph/statistics-cells';
import { toCellValue } from '../recalc';
import { toNumber } from '../values/coerce';
import { Errors, ExcelError, Matrix, type Scalar } from '../values/value';
import { type ConvergenceTest, convergenceLevel } from './convergence';
import { percentileSorted, type SortedSample, sortedSample } from './histogram';
import { type OutputSummary, sortedCopy, summarize } from './summary';

/** A simulated cell as the statistics read it: its numeric trials, sorted, and their summary. */
export interface SimulatedCell {
  label: string;
  name?: string;
  /** The trials whose value was a number, in trial order. */
  numeric: Float64Array;
  sorted: SortedSample;
  summary: OutputSummary;
  /** Its sensitivity to each input, as the results give it (RiskSensitivity reads it). */
  sensitivity?: readonly InputSensitivity[];
  /** Its RiskOutput's RiskConvergence settings, when it has them (RiskConvergenceLevel reads them). */
  convergence?: ConvergenceTest;
}

/** Above this many distinct values a sample is taken as continuous, its mode read from its histogram. */
const DISCRETE_MODE_VALUES = 10_000;

export interface StatisticsCellValues {
  /** Every statistics cell and dependent cell, keyed "Sheet1!D5", with its value after the run. */
  cells: Record<string, CellValue>;
  /** Each distinct call of those cells over this simulation, with its own value (results' statistic_calls). */
  calls: StatisticCall[];
  /** What the user should know: a statistic of a simulation the run does not have. */
  warnings: string[];
}

/** The simulated cells of each simulation of a run, by its number (1 first); undefined past the last. */
export type SimulationsCells = (simulation: number) => readonly SimulatedCell[] | undefined;

/**
 * `others`: the cells of every simulation of the run, for calls naming one (RiskMean(B3, 2)); without
 * it such a call is #N/A unless it names this simulation.
 */
export function statisticsCellValues(
  plan: StatisticsCells,
  simulated: readonly SimulatedCell[],
  simulation = 1,
  others?: SimulationsCells,
): StatisticsCellValues {
  let missingSimulation: number | undefined;
  const known = new Map<string, Scalar>();
  const calls: StatisticCall[] = [];
  const lookups = new Map<number, (subject: StatisticsCall['subject']) => SimulatedCell | undefined>();
  const lookup = (index: number) => {
    let find = lookups.get(index);
    if (!find)
      lookups.set(index, (find = subjectLookup(plan, index === simulation ? simulated : others?.(index))));
    return find;
  };
  const interpreter = new Interpreter(plan.book, {
    random: () => 0.5,
    simulation,
    statistics: (call) => {
      const named = statisticsArguments(call.info, call.args).simulation;
      const index = named === undefined || named === null ? simulation : toNumber(named);
      const readable = typeof index === 'number' && (index === simulation || others?.(index) !== undefined);
      if (!readable && typeof index === 'number' && Number.isInteger(index) && index >= 1)
        missingSimulation ??= index;
      // Another simulation's cells, where known; else the statistic says what is wrong (#N/A, #VALUE!).
      const at = readable ? index : simulation;
      const subject = lookup(at)(call.subject);
      if (!subject) return Errors.NA;
      // A mode or a truncated statistic reads every trial: each distinct call is computed once.
      const key = JSON.stringify([at, subject.label, call.info.statistic, call.args, call.truncate ?? null]);
      let value = known.get(key);
      if (value === undefined) {
        known.set(key, (value = statisticOf(call, subject, at)));
        const listed = listedCall(call, subject.label, value, simulation);
        if (listed) calls.push(listed);
      }
      return value;
    },
  });
  const cells: Record<string, CellValue> = {};
  for (const cell of plan.afterRun()) {
    interpreter.compute(cell.sheet, cell.key);
    const result = interpreter.result(cell.sheet, cell.key);
    cells[cellLabel(plan.book, cell)] = toCellValue(
      result instanceof Matrix ? result.data[0] : (result ?? null),
    );
  }
  const warnings =
    missingSimulation !== undefined
      ? [
          `statistics functions naming simulation ${missingSimulation} are #N/A: the run has no simulation ${missingSimulation}`,
        ]
      : [];
  return { cells, calls, warnings };
}

/** Finds the cell a call names among one simulation's cells: by its label, or by its output's name. */
function subjectLookup(
  plan: StatisticsCells,
  simulated: readonly SimulatedCell[] | undefined,
): (subject: StatisticsCall['subject']) => SimulatedCell | undefined {
  const byLabel = new Map((simulated ?? []).map((s) => [s.label, s]));
  const byName = new Map(
    (simulated ?? []).filter((s) => s.name !== undefined).map((s) => [s.name!.toLowerCase(), s]),
  );
  return (subject) =>
    'cell' in subject
      ? byLabel.get(subject.cell)
      : (byLabel.get(plan.named.get(subject.name.toLowerCase()) ?? '') ??
        byName.get(subject.name.toLowerCase()));
}

/**
 * A call as the results list it, for the MC.* functions to find by statistic, cell and arguments: only
 * calls over this simulation whose arguments are numbers and untruncated, the forms those functions take.
 */
function listedCall(
  call: StatisticsCall,
  cell: string,
  value: Scalar,
  simulation: number,
): StatisticCall | undefined {
  if (call.truncate) return undefined;
  const { simulation: named, params } = statisticsArguments(call.info, call.args);
  if (named !== undefined && named !== null && toNumber(named) !== simulation) return undefined;
  const args = params.map((arg) => toNumber(arg));
  if (!args.every((arg): arg is number => typeof arg === 'number')) return undefined;
  return { statistic: call.info.statistic, cell, args, value: toCellValue(value) };
}

/**
 * One statistics call's value over a simulated cell of `simulation`; a call naming another simulation
 * is #N/A here (statisticsCellValues gives it that simulation's cell).
 */
export function statisticOf(call: StatisticsCall, cell: SimulatedCell, simulation = 1): Scalar {
  const { info } = call;
  const { simulation: named, params: args } = statisticsArguments(info, call.args);
  if (named !== undefined && named !== null) {
    const index = toNumber(named);
    if (index instanceof ExcelError) return index;
    if (!Number.isInteger(index) || index < 1) return Errors.VALUE;
    if (index !== simulation) return Errors.NA;
  }
  if (info.statistic === 'sensitivity') return sensitivityOf(cell, args);
  const numbers: number[] = [];
  for (const arg of args) {
    const n = toNumber(arg);
    if (n instanceof ExcelError) return n;
    numbers.push(n);
  }
  if (numbers.length < info.params.length) return Errors.VALUE;
  const sample = call.truncate ? truncated(cell, call.truncate) : cell;
  if (sample instanceof ExcelError) return sample;
  if (sample.summary.count === 0) return Errors.DIV0;
  if (info.statistic === 'convergence-level')
    return convergenceLevel(sample.summary, sample.sorted, cell.convergence);
  return computed(info.statistic, sample, numbers[0]);
}

function computed(statistic: DistributionStatistic, sample: SimulatedCell, arg: number): Scalar {
  const s = sample.summary;
  const orError = (x: number | null) => (x === null || !Number.isFinite(x) ? Errors.DIV0 : x);
  switch (statistic) {
    case 'mean':
      return orError(s.mean);
    case 'stddev':
      return orError(s.std);
    case 'variance':
      return orError(s.variance);
    case 'min':
      return orError(s.min);
    case 'max':
      return orError(s.max);
    case 'range':
      return s.min === null || s.max === null ? Errors.DIV0 : s.max - s.min;
    case 'skewness':
      return orError(s.skewness);
    case 'kurtosis':
      // @RISK's kurtosis is not the excess: a normal's is 3.
      return s.kurtosis === null ? Errors.DIV0 : s.kurtosis + 3;
    case 'mode':
      return modeOf(sample);
    case 'percentile':
    case 'percentile-descending':
      if (!(arg >= 0 && arg <= 1)) return Errors.NUM;
      return percentileSorted(sample.sorted, statistic === 'percentile' ? arg : 1 - arg);
    case 'target':
      return sample.sorted.countAtOrBelow(arg) / sample.sorted.length;
    case 'target-descending':
      return (sample.sorted.length - sample.sorted.countAtOrBelow(arg)) / sample.sorted.length;
  }
}

/**
 * The most frequent value of a sample with few distinct values (a discrete output); otherwise the
 * middle of the tallest bar of the results' histogram.
 */
function modeOf(sample: SimulatedCell): Scalar {
  const counts = new Map<number, number>();
  for (const x of sample.numeric) {
    counts.set(x, (counts.get(x) ?? 0) + 1);
    if (counts.size > DISCRETE_MODE_VALUES) return histogramMode(sample.summary);
  }
  let mode = Number.NaN;
  let most = 0;
  for (const [x, n] of counts) if (n > most || (n === most && x < mode)) [mode, most] = [x, n];
  return mode;
}

function histogramMode({ histogram }: OutputSummary): Scalar {
  const { edges, counts } = histogram;
  if (counts.length === 0) return Errors.DIV0;
  const tallest = counts.indexOf(Math.max(...counts));
  return (edges[tallest] + edges[tallest + 1]) / 2;
}

/** RiskTruncate(min, max) in a statistics call: the sample restricted to [min, max]. */
function truncated(cell: SimulatedCell, bounds: Scalar[]): SimulatedCell | ExcelError {
  const [lo, hi] = [bounds[0], bounds[1]].map((b) =>
    b === null || b === undefined ? undefined : toNumber(b),
  );
  if (lo instanceof ExcelError) return lo;
  if (hi instanceof ExcelError) return hi;
  if (lo !== undefined && hi !== undefined && lo > hi) return Errors.VALUE;
  const numeric = cell.numeric.filter((x) => (lo === undefined || x >= lo) && (hi === undefined || x <= hi));
  const sorted = sortedCopy(numeric);
  return { ...cell, numeric, sorted: sortedSample(sorted), summary: summarize(numeric, sorted) };
}

/**
 * RiskSensitivity(cell, simulation, rank, analysisType, returnValueType): the input ranked `rank` by the
 * magnitude of its coefficient in the cell's sensitivity analysis. analysisType 1 is the standardised
 * regression coefficient, 2 the same mapped to the output's units (the change in the output for one
 * standard deviation of the input), 3 the rank correlation. returnValueType 1 gives the input's name, 2
 * its cell, 3 its distribution function, 4 the coefficient.
 */
function sensitivityOf(cell: SimulatedCell, args: Scalar[]): Scalar {
  const [rank, analysisType = 1, returnValueType = 1] = args.map((a) =>
    a === null || a === undefined ? undefined : toNumber(a),
  );
  for (const n of [rank, analysisType, returnValueType]) if (n instanceof ExcelError) return n;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) return Errors.VALUE;
  const coefficient = SENSITIVITY_ANALYSES[analysisType as number];
  if (!coefficient || ![1, 2, 3, 4].includes(returnValueType as number)) return Errors.VALUE;
  const ranked = (cell.sensitivity ?? [])
    .flatMap((row) => {
      const value = coefficient(row, cell.summary);
      return value === undefined || !Number.isFinite(value) ? [] : [{ row, value }];
    })
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const found = ranked[rank - 1];
  if (!found) return Errors.NA;
  const { row, value } = found;
  const [address, fn = ''] = row.input.split(' ');
  switch (returnValueType) {
    case 1:
      return row.name ?? address;
    case 2:
      return address;
    case 3: {
      const info = DISTRIBUTION_FUNCTIONS.get(fn);
      return (info && riskFunctionName(info.type)) ?? fn;
    }
    default:
      return value;
  }
}

/** RiskSensitivity's analysis types: an input's coefficient, undefined where the results have none. */
const SENSITIVITY_ANALYSES: Record<
  number,
  (row: InputSensitivity, output: OutputSummary) => number | undefined
> = {
  1: (row) => row.regression,
  2: (row, output) =>
    row.regression === undefined || output.std === null ? undefined : row.regression * output.std,
  3: (row) => row.rank_correlation,
};
