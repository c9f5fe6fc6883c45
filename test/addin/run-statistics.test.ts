/**
 * What an MC.* statistics function shows for a cell once a run has completed: the output's own statistic
 * where the results hold it, else the service's value for that very call, else why there is none.
 */
import { runStatistic } from '../../addin/src/functions/run-statistics';
import type { OutputResults, SimulationResults } from '../../shared/model';

const output = (name: string, values: number[]): OutputResults => {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return {
    name,
    statistics: {
      count: n,
      mean,
      std: Math.sqrt(variance),
      variance,
      min: Math.min(...values),
      max: Math.max(...values),
      skewness: 0,
      kurtosis: -1.2,
      std_error: null,
      ci95: null,
    },
    percentiles: { '5': 1.2, '50': 3, '95': 4.8 },
    histogram: { edges: [], counts: [] },
    cdf: [],
    errors: 0,
    non_numeric: {},
  };
};

const results: SimulationResults = {
  outputs: { 'Model!B22': output('NPV', [1, 2, 3, 4, 5]), "'Other sheet'!C3": output('IRR', [0.1, 0.3]) },
  sensitivity: {},
  elapsed_ms: 1,
  engine_used: 'cpu',
  seed: 1,
  iterations: 5,
  sampling: 'monte_carlo',
  // =MC.TARGET(B22,0)*100 in H14 is 40; its call's own value is 0.4
  cells: { 'Model!H14': 40, 'Model!H20': { error: '#DIV/0!' } },
  statistic_calls: [
    { statistic: 'target', cell: 'Model!B22', args: [0], value: 0.4 },
    { statistic: 'percentile', cell: 'Model!B22', args: [0.975], value: 4.9 },
    { statistic: 'mode', cell: "'Other sheet'!C3", args: [], value: { error: '#DIV/0!' } },
  ],
};

const value = (...args: Parameters<typeof runStatistic>) => runStatistic(...args);

test('no run yet: a message, no value', () => {
  expect(value(undefined, 'mean', { address: 'Model!B22' })).toEqual({
    missing: 'No simulation has run yet: run one from the Montecell pane.',
  });
});

test('the output’s statistics, whatever the address’s quoting and $ signs', () => {
  expect(value(results, 'mean', { address: 'Model!$B$22' })).toEqual({ value: 3 });
  expect(value(results, 'variance', { address: 'model!b22' })).toEqual({ value: 2.5 }); // Σ(x-3)²/4
  expect(value(results, 'range', { address: 'Model!B22' })).toEqual({ value: 4 });
  // @RISK's kurtosis is the excess plus 3
  expect(value(results, 'kurtosis', { address: 'Model!B22' })).toEqual({ value: 1.8 });
  expect(value(results, 'percentile', { address: 'Model!B22' }, 0.95)).toEqual({ value: 4.8 });
  expect(value(results, 'percentile-descending', { address: 'Model!B22' }, 0.05)).toEqual({
    value: 4.8,
  });
  expect(value(results, 'max', { address: 'Other sheet!C3' })).toEqual({ value: 0.3 });
  expect(value(results, 'min', { address: '', name: 'IRR' })).toEqual({ value: 0.1 }); // MC.MIN("IRR")
});

test('what the output results do not hold: the service’s value for the same call, whatever the formula around it', () => {
  // the call's value, not the cell's 40 (=MC.TARGET(B22,0)*100)
  expect(value(results, 'target', { address: 'Model!$B$22' }, 0)).toEqual({ value: 0.4 });
  expect(value(results, 'target', { address: '', name: 'NPV' }, 0)).toEqual({ value: 0.4 });
  // a percentile between the results' whole ones
  expect(value(results, 'percentile', { address: 'Model!B22' }, 0.975)).toEqual({ value: 4.9 });
  // the same statistic with another argument is another call
  expect(value(results, 'target', { address: 'Model!B22' }, 1)).toEqual({
    missing: 'Run again to compute the target of Model!B22: the last run had no such call.',
  });
  expect(value(results, 'mode', { address: 'Other sheet!C3' })).toEqual({
    missing: 'The last run gave #DIV/0! for this statistic.',
  });
  expect(value(results, 'mode', { address: 'Model!B9' })).toEqual({
    missing: 'Model!B9 was not simulated in the last run.',
  });
});
