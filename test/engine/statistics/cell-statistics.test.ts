/**
 * Statistics functions in cells (issue 15, item 4): RiskMean(B3), RiskPercentile("Total", 0.95)… show a
 * statistic of the simulated values of the cell they name once a run has ended, and so does every cell
 * depending on them. The expected values are computed here from the run's own trials with textbook
 * formulas (and checked against the exact values of the distributions), not read from the engine.
 */
import { EngineError } from '../../../server/engine/errors';
import { recalculate } from '../../../server/engine/recalc';
import {
  type AssembledRun,
  assembledResults,
  describeAssembled,
} from '../../../server/engine/runtime/assembled-run';
import { simulateOnThreads } from '../../../server/engine/runtime/threaded-run';
import { type EngineResult, simulate } from '../../../server/engine/simulate';
import { describeResults } from '../../../server/engine/statistics/results';
import { type CellModel, SimulationResults, type WorkbookModel } from '../../../shared/model';

const ITERATIONS = 40_000;

const cells: Record<string, CellModel> = {
  A1: { value: 'Cost' },
  B1: { formula: '=RiskNormal(100,10)' },
  A2: { value: 'Units' },
  B2: { formula: '=RiskDiscrete({1,2,3},{1,1,2})' },
  B3: { formula: '=RiskOutput("Total")+B1*B2' },
  D1: { formula: '=RiskMean(B3)' },
  D2: { formula: '=RiskStdDev(B1)' },
  D3: { formula: '=RiskPercentile("Total",0.95)' },
  D4: { formula: '=RiskTarget(B1,100)' },
  D5: { formula: '=RiskMode(B2)' },
  D6: { formula: '=RiskKurtosis(B1)' },
  D7: { formula: '=D1*2' },
  D8: { formula: '=RiskMean(B1,RiskTruncate(100,))' },
  D9: { formula: '=RiskPercentileD(B1,0.1)' },
  D10: { formula: '=RiskXtoQ(B3,300)' },
  D11: { formula: '=MC.VARIANCE(B1)' },
  D12: { formula: '=RiskRange(B2)' },
  D13: { formula: '=RiskSkewness(B1)' },
  D14: { formula: '=RiskPtoX(B3,0.5,2)' },
  D15: { formula: '=RiskMean("no such output")' },
  D16: { formula: '=RiskPercentile(B1,1.5)' },
  // two calls inside a larger formula, as an MC.* swap leaves =RiskTarget(B1,100)*100
  D17: { formula: '=MC.TARGET(B1,100)*100+RiskPercentile(B1,0.975)' },
  E1: { formula: '=B1+1' },
};
const model = (c: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Model', cells: c }],
  names: [],
});

/** The trials of a cell the run simulated, by its label. */
function trials(result: EngineResult, label: string): number[] {
  const output = result.outputs.find((o) => o.label === label);
  if (!output) throw new Error(`${label} was not simulated`);
  return Array.from(output.values);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleVariance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};
/** Excel's PERCENTILE.INC. */
function percentileInc(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return lo >= sorted.length - 1
    ? sorted[sorted.length - 1]
    : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

describe('statistics functions in cells', () => {
  let result: EngineResult;
  let described: SimulationResults;
  beforeAll(async () => {
    result = await simulate(model(cells), { targets: ['Model!B3'], iterations: ITERATIONS, seed: 11 });
    described = await describeResults(result, { engine_used: 'cpu' });
    expect(SimulationResults.parse(described)).toEqual(described);
  });

  it('simulate the cells they name, after the requested outputs', () => {
    expect(result.outputs.map((o) => o.label)).toEqual(['Model!B3', 'Model!B1', 'Model!B2']);
  });

  it('give the statistic of the named cell’s simulated values', () => {
    const total = trials(result, 'Model!B3');
    const cost = trials(result, 'Model!B1');
    const units = trials(result, 'Model!B2');
    const got = described.cells!;
    expect(got['Model!D1']).toBeCloseTo(mean(total), 9);
    expect(got['Model!D2']).toBeCloseTo(Math.sqrt(sampleVariance(cost)), 9);
    expect(got['Model!D3']).toBeCloseTo(percentileInc(total, 0.95), 9);
    expect(got['Model!D4']).toBe(cost.filter((x) => x <= 100).length / ITERATIONS);
    expect(got['Model!D9']).toBeCloseTo(percentileInc(cost, 0.9), 9);
    expect(got['Model!D10']).toBe(total.filter((x) => x > 300).length / ITERATIONS);
    expect(got['Model!D11']).toBeCloseTo(sampleVariance(cost), 6);
    expect(got['Model!D12']).toBe(Math.max(...units) - Math.min(...units));
    // RiskTruncate(100,) reads the values from 100 up.
    expect(got['Model!D8']).toBeCloseTo(mean(cost.filter((x) => x >= 100)), 9);
    // A statistic of a simulation this run of one does not have, and the results say so.
    expect(got['Model!D14']).toEqual({ error: '#N/A' });
    expect(described.warnings).toEqual([
      'statistics functions naming simulation 2 are #N/A: the run has no simulation 2',
    ]);
  });

  it('agree with the exact values of the distributions within sampling error', () => {
    const got = described.cells!;
    const se = 10 / Math.sqrt(ITERATIONS);
    // Total = Cost × Units, independent, E[Units] = 2.25 and E[Units²] = 5.75: E[Total] = 225 and
    // Var[Total] = E[Cost²]·E[Units²] − 225² = 10,100 × 5.75 − 50,625 = 7,450.
    expect(Math.abs((got['Model!D1'] as number) - 225)).toBeLessThan(
      (5 * Math.sqrt(7450)) / Math.sqrt(ITERATIONS),
    );
    expect(Math.abs((got['Model!D2'] as number) - 10)).toBeLessThan(5 * se);
    expect(Math.abs((got['Model!D4'] as number) - 0.5)).toBeLessThan((5 * 0.5) / Math.sqrt(ITERATIONS));
    // The normal's kurtosis is 3 (not the excess), its skewness 0.
    expect(Math.abs((got['Model!D6'] as number) - 3)).toBeLessThan(0.15);
    expect(Math.abs(got['Model!D13'] as number)).toBeLessThan(0.05);
    // Half-normal above the mean: 100 + 10·√(2/π).
    expect(Math.abs((got['Model!D8'] as number) - (100 + 10 * Math.sqrt(2 / Math.PI)))).toBeLessThan(5 * se);
    // Units takes 3 with probability 1/2: the mode.
    expect(got['Model!D5']).toBe(3);
  });

  it('flow into the cells that depend on them; other cells are not reported', () => {
    const got = described.cells!;
    expect(got['Model!D7']).toBeCloseTo(2 * (got['Model!D1'] as number), 9);
    expect(got['Model!E1']).toBeUndefined();
    expect(got['Model!B3']).toBeUndefined();
  });

  it('list each distinct call with its own value, for the MC.* functions inside larger formulas', () => {
    const cost = trials(result, 'Model!B1');
    const total = trials(result, 'Model!B3');
    const calls = described.statistic_calls ?? [];
    const call = (statistic: string, cell: string, args: number[]) =>
      calls.filter((c) => c.statistic === statistic && c.cell === cell && c.args.join() === args.join());
    const target = cost.filter((x) => x <= 100).length / ITERATIONS;
    expect(call('target', 'Model!B1', [100])).toEqual([
      { statistic: 'target', cell: 'Model!B1', args: [100], value: target },
    ]);
    const p975 = call('percentile', 'Model!B1', [0.975]);
    expect(p975).toHaveLength(1);
    expect(p975[0].value).toBeCloseTo(percentileInc(cost, 0.975), 9);
    // the cell is the whole formula's value
    expect(described.cells?.['Model!D17']).toBeCloseTo(100 * target + (p975[0].value as number), 9);
    // a name given as text is listed under its cell; a call without arguments lists none
    expect(call('percentile', 'Model!B3', [0.95])[0].value).toBeCloseTo(percentileInc(total, 0.95), 9);
    expect(call('mean', 'Model!B3', [])[0].value).toBeCloseTo(mean(total), 9);
    // an error is listed as the error
    expect(call('percentile', 'Model!B1', [1.5])[0].value).toEqual({ error: '#NUM!' });
    // not the forms no MC.* function takes: truncated, or of another simulation
    expect(call('mean', 'Model!B1', [])).toEqual([]);
    expect(calls.some((c) => c.statistic === 'percentile' && c.args.join() === '0.5')).toBe(false);
    expect(SimulationResults.parse(described).statistic_calls).toEqual(calls);
  });

  it('give Excel’s errors for what cannot be computed', () => {
    const got = described.cells!;
    expect(got['Model!D15']).toEqual({ error: '#N/A' });
    expect(got['Model!D16']).toEqual({ error: '#NUM!' });
  });

  it('are #N/A before any simulation (recalc)', () => {
    const recalc = recalculate(model(cells));
    expect(recalc.cells.get('Model!D1')).toEqual({ error: '#N/A' });
    expect(recalc.cells.get('Model!D7')).toEqual({ error: '#N/A' });
    expect(recalc.unsupported).toEqual([]);
  });

  it('are the same when the run is split over threads', async () => {
    const threaded = await simulateOnThreads(
      model(cells),
      { targets: ['Model!B3'], iterations: ITERATIONS, seed: 11 },
      { threads: 2, engines: { engine_used: 'cpu' } },
    );
    expect(threaded.results.cells).toEqual(described.cells);
  });
});

describe('RiskSensitivity and RiskConvergenceLevel in cells', () => {
  // Profit = Volume + Price with independent normals, sd 20 and 10: Pearson correlations 2/√5 and 1/√5,
  // Spearman's 6/π·asin(ρ/2) for a bivariate normal.
  const spearman = (rho: number) => (6 / Math.PI) * Math.asin(rho / 2);
  const sensitivityCells: Record<string, CellModel> = {
    A1: { value: 'Volume' },
    B1: { formula: '=RiskNormal(100,20)' },
    A2: { value: 'Price' },
    B2: { formula: '=RiskNormal(50,10)' },
    B3: { formula: '=RiskOutput("Profit")+B1+B2' },
    B4: { formula: '=RiskNormal(1,10)' },
    D1: { formula: '=RiskSensitivity(B3,1,1,3,1)' },
    D2: { formula: '=RiskSensitivity("Profit",,2,3,2)' },
    D3: { formula: '=RiskSensitivity(B3,1,1,3,3)' },
    D4: { formula: '=RiskSensitivity(B3,1,1,3,4)' },
    D5: { formula: '=RiskSensitivity(B3,1,4,3,1)' },
    D6: { formula: '=RiskSensitivity(B3,1,0,3,1)' },
    D7: { formula: '=MC.SENSITIVITY(B3,2,1,3,1)' },
    D8: { formula: '=RiskConvergenceLevel(B3)' },
    D9: { formula: '=RiskConvergenceLevel(B4)' },
    D10: { formula: '=RiskSensitivity(B3,1,1,1,4)' },
    D11: { formula: '=RiskSensitivity(B3,1,2,2,4)' },
    D12: { formula: '=RiskSensitivity(B3,,2,1,1)' },
    D13: { formula: '=RiskSensitivity(B3,1,1,5,1)' },
  };
  let result: EngineResult;
  let got: NonNullable<SimulationResults['cells']>;
  beforeAll(async () => {
    result = await simulate(model(sensitivityCells), { targets: ['Model!B3'], iterations: 20_000, seed: 5 });
    got = (await describeResults(result, { engine_used: 'cpu' })).cells!;
  });

  it('name the input ranked first, second…, by its name, cell or function, or give its coefficient', () => {
    expect(got['Model!D1']).toBe('Volume');
    expect(got['Model!D2']).toBe('Model!B2');
    expect(got['Model!D3']).toBe('RiskNormal');
    expect(Math.abs((got['Model!D4'] as number) - spearman(2 / Math.sqrt(5)))).toBeLessThan(0.02);
  });

  it('rank by the regression: standardised, or mapped to the output’s units', () => {
    // Profit is exactly Volume + Price: the standardised coefficients are 20/√500 and 10/√500, and the
    // mapped one of Price is the change in Profit for one of its standard deviations, 10.
    expect(Math.abs((got['Model!D10'] as number) - 2 / Math.sqrt(5))).toBeLessThan(0.01);
    expect(Math.abs((got['Model!D11'] as number) - 10)).toBeLessThan(0.3);
    expect(got['Model!D12']).toBe('Price');
    expect(got['Model!D13']).toEqual({ error: '#VALUE!' });
  });

  it('give #N/A past the last input or for another simulation, #VALUE! for a rank below 1', () => {
    expect(got['Model!D5']).toEqual({ error: '#N/A' });
    expect(got['Model!D6']).toEqual({ error: '#VALUE!' });
    expect(got['Model!D7']).toEqual({ error: '#N/A' });
  });

  it('say TRUE once the mean is known within ±3 % at 95 % confidence, else the share of trials done', () => {
    expect(got['Model!D8']).toBe(true);
    // B4's mean 1 with sd 10 needs (1.96·s / (3 %·m))² trials, about 427,000: 20,000 is a few percent.
    const b4 = trials(result, 'Model!B4');
    const needed = ((1.959963984540054 * Math.sqrt(sampleVariance(b4))) / (0.03 * Math.abs(mean(b4)))) ** 2;
    expect(got['Model!D9']).toBe(Math.floor((100 * b4.length) / needed));
    expect(got['Model!D9']).toBeGreaterThan(2);
    expect(got['Model!D9']).toBeLessThan(8);
  });
});

describe('statistics naming a simulation, in a run of several (RiskSimtable)', () => {
  const scenarios = model({
    B1: { formula: '=RiskSimtable({1,2})' },
    B2: { formula: '=RiskOutput("Cost")+RiskNormal(100,10)*B1' },
    D1: { formula: '=RiskMean(B2,2)-RiskMean(B2,1)' },
    D2: { formula: '=RiskStdDev("Cost",2)' },
    D3: { formula: '=RiskMean(B2)' },
  });
  const runTwo = async () => {
    const assembled: AssembledRun[] = [];
    const results: EngineResult[] = [];
    for (const index of [1, 2]) {
      const result = await simulate(scenarios, {
        targets: ['Model!B2'],
        iterations: 5_000,
        seed: 3,
        simulation: index,
      });
      results.push(result);
      const earlier = index === 2 ? assembled.map((a) => a.exported) : [];
      assembled.push(
        await describeAssembled(result, ['Model!B2'], {
          engines: { engine_used: 'cpu' },
          keyByTargets: false,
          simulation: { index, count: 2, earlier },
        }),
      );
    }
    return { assembled, results, combined: assembledResults(assembled) };
  };

  it('read that simulation’s values in every simulation’s cells', async () => {
    const { assembled, results, combined } = await runTwo();
    // the first hands its cells to the second, which computes both simulations' statistics cells
    expect(assembled[0].exported?.map((c) => c.label)).toEqual(['Model!B2']);
    expect(assembled[1].earlierCells).toHaveLength(1);
    const cost = results.map((r) => trials(r, 'Model!B2'));
    const [one, two] = combined.simulations ?? [];
    for (const s of [one, two]) {
      expect(s.cells?.['Model!D1']).toBeCloseTo(mean(cost[1]) - mean(cost[0]), 9);
      expect(s.cells?.['Model!D2']).toBeCloseTo(Math.sqrt(sampleVariance(cost[1])), 9);
    }
    // without a simulation number, each simulation's own
    expect([one, two].map((s) => s.cells?.['Model!D3'])).toEqual(
      [mean(cost[0]), mean(cost[1])].map((m) => expect.closeTo(m, 9)),
    );
    expect(combined.warnings).toBeUndefined();
  });
});

describe('a statistics function naming an output or input by its name', () => {
  it('simulates the cell holding that RiskOutput or RiskName, even when no output was asked for it', async () => {
    const named = model({
      B1: { formula: '=RiskNormal(100,10,RiskName("Demand"))' },
      B2: { formula: '=RiskOutput("Total")+B1*3' },
      C1: { value: 1 },
      D1: { formula: '=RiskMean("total")' },
      D2: { formula: '=RiskStdDev("Demand")' },
      E1: { formula: '=C1+1' },
    });
    const result = await simulate(named, { targets: ['Model!E1'], iterations: 5_000, seed: 2 });
    // After the requested output, in the workbook's order.
    expect(result.outputs.map((o) => o.label)).toEqual(['Model!E1', 'Model!B1', 'Model!B2']);
    const got = (await describeResults(result, { engine_used: 'cpu' })).cells ?? {};
    expect(got['Model!D1']).toBeCloseTo(mean(trials(result, 'Model!B2')), 9);
    expect(got['Model!D2']).toBeCloseTo(Math.sqrt(sampleVariance(trials(result, 'Model!B1'))), 9);
  });
});

describe('statistics functions the engine refuses before a run', () => {
  const refusal = async (c: Record<string, CellModel>, targets: string[]) => {
    const error = await simulate(model(c), { targets, iterations: 100, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  };

  it('a trial that depends on a statistic of its own run', async () => {
    const error = await refusal(
      { B1: { formula: '=RiskNormal(0,1)' }, C1: { formula: '=RiskMean(B1)' }, D1: { formula: '=B1-C1' } },
      ['Model!D1'],
    );
    expect(error.code).toBe('unsupported-formula');
    expect(error.message).toMatch(
      /Model!C1 calls RiskMean, whose value is known only once the simulation has ended/,
    );
  });

  it('a statistic of a range or a computed reference', async () => {
    const error = await refusal(
      { B1: { formula: '=RiskNormal(0,1)' }, C1: { formula: '=RiskMean(B1:B2)' }, D1: { formula: '=B1' } },
      ['Model!D1'],
    );
    expect(error.code).toBe('unsupported-formula');
    expect(error.message).toBe(
      "Model!C1: RiskMean's first argument must be one cell (e.g. RiskMean(B10)) or an output's name in quotes",
    );
  });
});
