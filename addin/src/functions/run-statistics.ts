/**
 * The value an MC.* statistics function shows for a cell once a run has completed: the statistic of the
 * cell's simulated values when the run's output results hold it (the results' own numbers, so a cell and
 * the Results tab never disagree); otherwise the value the service computed for this very call (the
 * results' `statistic_calls`, found by statistic, cell and argument), which stays right inside a larger
 * formula (=MC.TARGET(B22,0)*100), where the cell's own value is the whole formula's.
 */
import type { CellStatistic } from '../../../shared/functions/statistics';
import type { OutputResults, SimulationResults, StatisticCall } from '../../../shared/model';
import { splitAddress } from '../excel/addresses';

export type RunStatistic = { value: number } | { missing: string };

/** "'My sheet'!$B$22" and "My Sheet!B22" alike: sheet in lower case, cell without `$`. */
function addressKey(address: string): string {
  const { sheet, start, end } = splitAddress(address);
  return `${sheet.toLowerCase()}!${start === end ? start : `${start}:${end}`}`.toUpperCase();
}

function findByAddress<T>(record: Record<string, T> | undefined, address: string): T | undefined {
  if (!record) return undefined;
  const key = addressKey(address);
  for (const [label, value] of Object.entries(record))
    if (label.includes('!') && addressKey(label) === key) return value;
  return undefined;
}

/** The statistic from an output's results, where they hold it exactly; undefined otherwise. */
function fromOutput(
  output: OutputResults,
  statistic: CellStatistic,
  arg: number | undefined,
): number | null | undefined {
  const s = output.statistics;
  const percentile = (p: number | undefined) => {
    const percent = p === undefined ? Number.NaN : Math.round(p * 1e6) / 1e4;
    return Number.isInteger(percent) ? output.percentiles[String(percent)] : undefined;
  };
  switch (statistic) {
    case 'mean':
      return s.mean;
    case 'stddev':
      return s.std;
    case 'variance':
      return s.variance;
    case 'min':
      return s.min;
    case 'max':
      return s.max;
    case 'range':
      return s.min === null || s.max === null ? null : s.max - s.min;
    case 'skewness':
      return s.skewness;
    case 'kurtosis':
      // @RISK's kurtosis is not the excess: a normal's is 3
      return s.kurtosis === null ? null : s.kurtosis + 3;
    case 'percentile':
      return percentile(arg);
    case 'percentile-descending':
      return arg === undefined ? undefined : percentile(1 - arg);
    default:
      return undefined; // the mode and target probabilities need the trials
  }
}

/** The output a function names, with the address it is keyed by: a cell's, or the output's of that name. */
function namedOutput(
  results: SimulationResults,
  subject: { address?: string; name?: string },
): { address: string; output: OutputResults } | undefined {
  if (subject.address?.includes('!')) {
    const output = findByAddress(results.outputs, subject.address);
    return output ? { address: subject.address, output } : undefined;
  }
  const entry = Object.entries(results.outputs).find(
    ([, o]) => subject.name !== undefined && o.name === subject.name,
  );
  return entry ? { address: entry[0], output: entry[1] } : undefined;
}

/** The service's value for this call: the same statistic of the same cell with the same argument. */
function ownCall(
  results: SimulationResults,
  statistic: CellStatistic,
  address: string,
  arg: number | undefined,
): StatisticCall | undefined {
  const key = addressKey(address);
  const args = arg === undefined ? [] : [arg];
  return results.statistic_calls?.find(
    (call) =>
      call.statistic === statistic &&
      addressKey(call.cell) === key &&
      call.args.length === args.length &&
      call.args.every((a, i) => a === args[i]),
  );
}

export function runStatistic(
  results: SimulationResults | undefined,
  statistic: CellStatistic,
  /** The cell the function names, or the output's name given as text ("NPV"). */
  subject: { address?: string; name?: string },
  arg?: number,
): RunStatistic {
  if (!results) return { missing: 'No simulation has run yet: run one from the Montecell pane.' };
  const named = namedOutput(results, subject);
  const label = subject.name ?? subject.address ?? 'The cell';
  if (!named) return { missing: `${label} was not simulated in the last run.` };
  const exact = fromOutput(named.output, statistic, arg);
  if (typeof exact === 'number') return { value: exact };
  if (exact === null) return { missing: `The last run's trials of ${label} give no ${statistic}.` };
  const call = ownCall(results, statistic, named.address, arg);
  if (!call)
    // the service computes the statistics calls it finds in the model: this one was not there then
    return { missing: `Run again to compute the ${statistic} of ${label}: the last run had no such call.` };
  if (typeof call.value === 'number') return { value: call.value };
  if (call.value !== null && typeof call.value === 'object')
    return { missing: `The last run gave ${call.value.error} for this statistic.` };
  return { missing: `The last run gave no number for the ${statistic} of ${label}.` };
}
