/**
 * What an MC.* statistics function shows for a cell once a run has completed: the output's own statistic
 * where the results hold it, else the service's value for the calling cell, else why there is none.
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
  cells: { 'Model!H14': 0.4, 'Model!H20': { error: '#DIV/0!' } },
};

const value = (...args: Parameters<typeof runStatistic>) => runStatistic(...args);

test('no run yet: a message, no value', () => {
  expect(value(undefined, 'mean', { address: 'Model!B22' }, 'Model!H11')).toEqual({
    missing: 'No simulation has run yet: run one from the Montecell pane.',
  });
});

test('the output’s statistics, whatever the address’s quoting and $ signs', () => {
  expect(value(results, 'mean', { address: 'Model!$B$22' }, 'Model!H11')).toEqual({ value: 3 });
  expect(value(results, 'variance', { address: 'model!b22' }, undefined)).toEqual({ value: 2.5 }); // Σ(x-3)²/4
  expect(value(results, 'range', { address: 'Model!B22' }, undefined)).toEqual({ value: 4 });
  // @RISK's kurtosis is the excess plus 3
  expect(value(results, 'kurtosis', { address: 'Model!B22' }, undefined)).toEqual({ value: 1.8 });
  expect(value(results, 'percentile', { address: 'Model!B22' }, undefined, 0.95)).toEqual({ value: 4.8 });
  expect(value(results, 'percentile-descending', { address: 'Model!B22' }, undefined, 0.05)).toEqual({
    value: 4.8,
  });
  expect(value(results, 'max', { address: 'Other sheet!C3' }, undefined)).toEqual({ value: 0.3 });
  expect(value(results, 'min', { address: '', name: 'IRR' }, undefined)).toEqual({ value: 0.1 }); // MC.MIN("IRR")
});

test('what the results do not hold: the value the service computed for the calling cell, else why not', () => {
  expect(value(results, 'target', { address: 'Model!B22' }, 'Model!H14', 0)).toEqual({ value: 0.4 });
  expect(value(results, 'percentile', { address: 'Model!B22' }, 'Model!H30', 0.33)).toEqual({
    missing: 'Run again to compute the percentile of Model!B22: the last run had no such cell.',
  });
  expect(value(results, 'mode', { address: 'Model!B9' }, 'Model!H20')).toEqual({
    missing: 'The last run gave #DIV/0! for this cell.',
  });
  expect(value(results, 'mode', { address: 'Model!B9' }, 'Model!H21')).toEqual({
    missing: 'Model!B9 was not simulated in the last run.',
  });
});
