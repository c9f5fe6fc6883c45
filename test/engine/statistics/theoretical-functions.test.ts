/**
 * RiskTheo* in cells: statistics of a distribution itself (the cell holding it, or a distribution
 * function given in place), known without simulating, so recalc shows them; after a run the results
 * carry them with the simulated statistics. Expected values from the distributions' definitions.
 */
import { EngineError } from '../../../server/engine/errors';
import { recalculate } from '../../../server/engine/recalc';
import { simulate } from '../../../server/engine/simulate';
import { describeResults } from '../../../server/engine/statistics/results';
import type { CellModel, WorkbookModel } from '../../../shared/model';

const model = (cells: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Model', cells }],
  names: [],
});

const cells: Record<string, CellModel> = {
  B1: { formula: '=RiskNormal(100,10)' },
  B2: { formula: '=RiskDiscrete({1,2,3},{1,1,2})' },
  B3: { formula: '=RiskOutput()+B1*B2' },
  C1: { value: 7 },
  D1: { formula: '=RiskTheoMean(B1)' },
  D2: { formula: '=RiskTheoStdDev(B1)' },
  D3: { formula: '=RiskTheoPercentile(B1,0.975)' },
  D4: { formula: '=RiskTheoXtoP(B1,100)' },
  D5: { formula: '=RiskTheoKurtosis(B1)' },
  D6: { formula: '=RiskTheoMean(RiskTriang(0,3,6))' },
  D7: { formula: '=RiskTheoMode(B2)' },
  D8: { formula: '=RiskTheoMean(RiskCauchy(0,1))' },
  D9: { formula: '=RiskTheoMean(C1)' },
  D10: { formula: '=RiskTheoMean(RiskNormal(0,1,RiskTruncate(5,),RiskShift(5)))' },
  D11: { formula: '=MC.THEOVARIANCE(B2)' },
  D12: { formula: '=RiskTheoTargetD(B2,2)' },
  D13: { formula: '=RiskTheoPercentile(B1,2)' },
  D14: { formula: '=RiskMean(B1)-RiskTheoMean(B1)' },
};

describe('theoretical statistics in cells', () => {
  it('show in recalc, before any simulation', () => {
    const got = recalculate(model(cells)).cells;
    expect(got.get('Model!D1')).toBe(100);
    expect(got.get('Model!D2')).toBeCloseTo(10, 9);
    expect(got.get('Model!D3')).toBeCloseTo(100 + 10 * 1.959963984540054, 8);
    expect(got.get('Model!D4')).toBeCloseTo(0.5, 12);
    expect(got.get('Model!D5')).toBeCloseTo(3, 6);
    expect(got.get('Model!D6')).toBeCloseTo(3, 9);
    expect(got.get('Model!D7')).toBe(3);
    // The Cauchy has no mean; a number is not a distribution.
    expect(got.get('Model!D8')).toEqual({ error: '#NUM!' });
    expect(got.get('Model!D9')).toEqual({ error: '#VALUE!' });
    // A standard normal shifted by 5, then kept above 5 (truncation limits are shifted values): 5 + √(2/π).
    expect(got.get('Model!D10')).toBeCloseTo(5 + Math.sqrt(2 / Math.PI), 8);
    // E[X²] - E[X]² = (1 + 4 + 2·9)/4 - 2.25².
    expect(got.get('Model!D11')).toBeCloseTo(23 / 4 - 2.25 ** 2, 12);
    expect(got.get('Model!D12')).toBeCloseTo(0.5, 12);
    expect(got.get('Model!D13')).toEqual({ error: '#NUM!' });
    // The simulated statistic is unknown before a run.
    expect(got.get('Model!D14')).toEqual({ error: '#N/A' });
  });

  it('come with the simulated statistics after a run', async () => {
    const result = await simulate(model(cells), { targets: ['Model!B3'], iterations: 20_000, seed: 3 });
    const described = await describeResults(result, { engine_used: 'cpu' });
    const got = described.cells ?? {};
    expect(got['Model!D1']).toBe(100);
    // The simulated mean of Normal(100, 10) within 5 standard errors of the theoretical one.
    expect(Math.abs(got['Model!D14'] as number)).toBeLessThan((5 * 10) / Math.sqrt(20_000));
  });

  it('are refused inside what the trials compute', async () => {
    const error = await simulate(
      model({ B1: { formula: '=RiskNormal(0,1)' }, C1: { formula: '=B1-RiskTheoMean(B1)' } }),
      { targets: ['Model!C1'], iterations: 100, seed: 1 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(
      /^Model!C1 calls RiskTheoMean, and the simulated cells depend on it/,
    );
  });
});
