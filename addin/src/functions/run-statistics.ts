/**
 * The value an MC.* statistics function shows for a cell once a run has completed: the statistic of the
 * cell's simulated values when the run has them as an output (the results' own numbers, so a cell and the
 * Results tab never disagree); otherwise the value the service computed for the calling cell itself (its
 * `cells`), which is the statistic when the cell holds the call alone, as a swap writes it.
 */
import type { CellStatistic } from '../../../shared/functions/statistics';
import type { OutputResults, SimulationResults } from '../../../shared/model';
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

export function runStatistic(
  results: SimulationResults | undefined,
  statistic: CellStatistic,
  /** The cell the function names, or the output's name given as text ("NPV"). */
  subject: { address?: string; name?: string },
  caller: string | undefined,
  arg?: number,
): RunStatistic {
  if (!results) return { missing: 'No simulation has run yet: run one from the Montecell pane.' };
  const output = subject.address?.includes('!')
    ? findByAddress(results.outputs, subject.address)
    : Object.values(results.outputs).find((o) => subject.name !== undefined && o.name === subject.name);
  const label = subject.name ?? subject.address ?? 'The cell';
  const exact = output ? fromOutput(output, statistic, arg) : undefined;
  if (typeof exact === 'number') return { value: exact };
  if (exact === null) return { missing: `The last run's trials of ${label} give no ${statistic}.` };
  const computed = caller ? findByAddress(results.cells, caller) : undefined;
  if (typeof computed === 'number') return { value: computed };
  if (computed !== null && typeof computed === 'object')
    return { missing: `The last run gave ${computed.error} for this cell.` };
  // the service computes a statistics cell it finds in the model: this formula was not there then
  if (output)
    return { missing: `Run again to compute the ${statistic} of ${label}: the last run had no such cell.` };
  return { missing: `${label} was not simulated in the last run.` };
}
