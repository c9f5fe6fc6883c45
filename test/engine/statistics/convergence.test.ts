/**
 * An output's own convergence test, RiskOutput(…, RiskConvergence(tolerance, toleranceType,
 * confidenceLevel, useMean, useStdDev, usePercentile, percentile)), as RiskConvergenceLevel reports it.
 * The expected levels are computed here from the run's trials with the textbook intervals.
 */
import { EngineError } from '../../../server/engine/errors';
import { type EngineResult, simulate } from '../../../server/engine/simulate';
import { convergenceTest, DEFAULT_CONVERGENCE } from '../../../server/engine/statistics/convergence';
import { describeResults } from '../../../server/engine/statistics/results';
import type { CellModel, WorkbookModel } from '../../../shared/model';

const model = (cells: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Model', cells }],
  names: [],
});

const Z_90 = 1.6448536269514722;
const Z_95 = 1.959963984540054;

describe('RiskConvergence’s arguments', () => {
  it('left out, they are @RISK’s defaults; @RISK’s own example tests the mean within ±3 % at 95 %', () => {
    expect(convergenceTest([])).toEqual(DEFAULT_CONVERGENCE);
    expect(convergenceTest([0.03, 2, 0.95, true])).toEqual(DEFAULT_CONVERGENCE);
    expect(convergenceTest([5, 1, 0.9, false, true])).toEqual({
      tolerance: 5,
      relative: false,
      confidence: 0.9,
      mean: false,
      stdDev: true,
    });
    // a percentile asked for without saying which is the 90th
    expect(convergenceTest([0.01, 2, null, null, null, true])).toMatchObject({
      mean: false,
      percentile: 0.9,
    });
    expect(convergenceTest([0.01, 2, null, true, true, true, 0.05])).toMatchObject({
      mean: true,
      stdDev: true,
      percentile: 0.05,
    });
  });

  it('say what is wrong with them', () => {
    expect(convergenceTest([0])).toBe('RiskConvergence needs a tolerance above 0');
    expect(convergenceTest([1, 3])).toMatch(/tolerance type must be 1 .* or 2/);
    expect(convergenceTest([1, 1, 95])).toBe('RiskConvergence confidence level must be between 0 and 1');
    expect(convergenceTest([1, 1, 0.9, false, false, false])).toMatch(/tests no statistic/);
    expect(convergenceTest([1, 1, 0.9, 'yes'])).toMatch(/must be TRUE or FALSE/);
    expect(convergenceTest([1, 1, 0.9, false, false, true, 90])).toBe(
      'RiskConvergence percentile must be between 0 and 1',
    );
  });
});

describe('RiskConvergenceLevel of an output with its own test', () => {
  const TRIALS = 20_000;
  let result: EngineResult;
  let cells: Record<string, unknown>;
  beforeAll(async () => {
    const workbook = model({
      B1: { formula: '=RiskNormal(100,20)' },
      // the standard deviation within ±0.1 at 90 %
      B2: { formula: '=RiskOutput("Spread",,,RiskConvergence(0.1,1,0.9,FALSE,TRUE))+B1' },
      // the median within ±0.2 at 95 %
      B3: { formula: '=RiskOutput("Median",,,RiskConvergence(0.2,1,0.95,FALSE,FALSE,TRUE,0.5))+B1' },
      // @RISK's example: the mean within ±3 % at 95 %
      B4: { formula: '=RiskOutput("Mean",,,RiskConvergence(3%,2,95%,TRUE))+B1' },
      D2: { formula: '=RiskConvergenceLevel(B2)' },
      D3: { formula: '=RiskConvergenceLevel("Median")' },
      D4: { formula: '=RiskConvergenceLevel(B4)' },
    });
    result = await simulate(workbook, {
      targets: ['Model!B2', 'Model!B3', 'Model!B4'],
      iterations: TRIALS,
      seed: 9,
    });
    cells = (await describeResults(result, { engine_used: 'cpu' })).cells ?? {};
  });
  const trials = (label: string) =>
    Array.from(result.outputs.find((o) => o.label === label)?.values ?? []).sort((a, b) => a - b);

  it('tests the standard deviation: the share of the trials its interval needs, from the kurtosis', () => {
    const xs = trials('Model!B2');
    const n = xs.length;
    const mean = xs.reduce((a, x) => a + x, 0) / n;
    const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
    const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / n;
    const s2 = (m2 * n) / (n - 1);
    // Var(s) ≈ s²(κ − 1)/4n, κ = m4/m2²: the excess kurtosis + 3, about 3 for a normal
    const needed = (Z_90 ** 2 * s2 * (m4 / m2 ** 2 - 1)) / (4 * 0.1 ** 2);
    const level = Math.floor((100 * n) / needed);
    // a normal of sd 20 needs about 1.645² · 400 · 2 / (4 · 0.01) = 54,000 trials
    expect(level).toBeGreaterThan(30);
    expect(level).toBeLessThan(43);
    expect(Math.abs((cells['Model!D2'] as number) - level)).toBeLessThanOrEqual(1);
  });

  it('tests a percentile: the order statistics z binomial deviations either side of it', () => {
    const xs = trials('Model!B3');
    const n = xs.length;
    const median = (xs[n / 2 - 1] + xs[n / 2]) / 2;
    const reach = Z_95 * Math.sqrt(n * 0.25);
    const halfWidth = Math.max(
      median - xs[Math.floor(n / 2 - reach) - 1],
      xs[Math.ceil(n / 2 + reach) - 1] - median,
    );
    const needed = n * (halfWidth / 0.2) ** 2;
    // about 1.96 · √(n/4) / (n · φ-density 0.01995) = 0.35 wide: some 60,000 trials for ±0.2
    expect(halfWidth).toBeGreaterThan(0.25);
    expect(halfWidth).toBeLessThan(0.45);
    expect(cells['Model!D3']).toBe(Math.floor((100 * n) / needed));
  });

  it('tests the mean as @RISK’s example asks: converged', () => {
    expect(cells['Model!D4']).toBe(true);
  });
});

describe('RiskConvergence the engine refuses before a run', () => {
  const refusal = async (c: Record<string, CellModel>, targets: string[]) => {
    const error = await simulate(model(c), { targets, iterations: 100, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  };

  it('with settings it cannot test, naming the output', async () => {
    const error = await refusal({ B1: { formula: '=RiskOutput(,,,RiskConvergence(0))+RiskNormal(0,1)' } }, [
      'Model!B1',
    ]);
    expect(error.message).toBe('Model!B1: RiskConvergence needs a tolerance above 0');
    const twice = await refusal(
      { B1: { formula: '=RiskOutput(,,,RiskConvergence(1),RiskConvergence(2))+RiskNormal(0,1)' } },
      ['Model!B1'],
    );
    expect(twice.message).toBe('Model!B1: an output takes one RiskConvergence');
  });

  it('anywhere but in RiskOutput, as @RISK does', async () => {
    const error = await refusal({ B1: { formula: '=RiskNormal(0,1,RiskConvergence(0.01))' } }, ['Model!B1']);
    expect(error.code).toBe('unsupported-function');
    expect(error.message).toMatch(/RISKCONVERGENCE|RiskConvergence/);
  });
});
