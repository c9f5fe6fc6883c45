/**
 * The sensitivity analyses end to end through the engine: an input whose mean is another input (the
 * issue's model), where only a measure on each input's own randomness gives the right shares, and the
 * same numbers whatever the threads.
 */
import { simulateOnThreads } from '../../server/engine/runtime/threaded-run';
import { simulate } from '../../server/engine/simulate';
import { describeResults } from '../../server/engine/statistics/results';
import { type CellModel, SimulationResults, type WorkbookModel } from '../../shared/model';

const book = (cells: Record<string, CellModel>): WorkbookModel => ({
  version: 1,
  sheets: [{ name: 'Sheet1', cells }],
  names: [],
});

// B3 ~ Normal(B4, 1), B4 ~ Normal(10, 2), output B3: Var = 1 (B3's own draw) + 4 (B4's).
const dependentInputs = book({
  B3: { formula: '=RiskNormal(B4,1)' },
  B4: { formula: '=RiskNormal(10,2)' },
  B5: { formula: '=RiskOutput()+B3' },
});

const byInput = (results: SimulationResults, output: string) =>
  Object.fromEntries(results.sensitivity[output].map((s) => [s.input.split(' ')[0], s]));

describe('sensitivity analyses of a simulation', () => {
  it.each(['monte_carlo', 'latin_hypercube'] as const)(
    'gives B3 20 % and B4 80 % of Var(B3) when B3 = RiskNormal(B4, 1), B4 = RiskNormal(10, 2) (%s)',
    async (sampling) => {
      const results = SimulationResults.parse(
        await describeResults(
          await simulate(dependentInputs, { targets: ['B5'], iterations: 20_000, seed: 5, sampling }),
          {
            engine_used: 'cpu',
          },
        ),
      );
      const s = byInput(results, 'Sheet1!B5');
      expect(Math.abs((s['Sheet1!B3'].contribution_to_variance as number) - 0.2)).toBeLessThan(0.02);
      expect(Math.abs((s['Sheet1!B4'].contribution_to_variance as number) - 0.8)).toBeLessThan(0.02);
      // The squared rank correlations give B3 the larger share: corr(B3, B5) = 1, corr(B4, B5) = 2/√5.
      expect(s['Sheet1!B3'].variance_share).toBeGreaterThan(0.5);
      // The output is B3 itself: a regression on both inputs puts everything on B3.
      expect(s['Sheet1!B3'].regression).toBeCloseTo(1, 9);
      expect(s['Sheet1!B4'].regression).toBeCloseTo(0, 9);
      // The tornado stays in order of |rank correlation|.
      expect(results.sensitivity['Sheet1!B5'][0].input).toBe('Sheet1!B3 RISKNORMAL');
    },
  );

  it('gives decile means, scenarios and scatter data of y = a + b with a, b uniform on (0, 1)', async () => {
    const model = book({
      A1: { formula: '=RiskUniform(0,1)' },
      A2: { formula: '=RiskUniform(0,1)' },
      A3: { formula: '=RiskOutput()+A1+A2' },
    });
    const results = SimulationResults.parse(
      await describeResults(await simulate(model, { targets: ['A3'], iterations: 50_000, seed: 8 }), {
        engine_used: 'cpu',
      }),
    );
    const a = byInput(results, 'Sheet1!A3')['Sheet1!A1'];
    // E[a + b | a in decile d] = (d + ½)/10 + ½.
    (a.change_in_mean?.decile_means ?? []).forEach((mean, d) => {
      expect(mean).toBeCloseTo((d + 0.5) / 10 + 0.5, 1);
    });
    expect(a.change_in_mean?.decile_means).toHaveLength(10);
    expect(a.change_in_mean?.spread).toBeCloseTo(0.9, 1);
    expect(a.regression).toBeCloseTo(Math.SQRT1_2, 2);
    expect(a.contribution_to_variance).toBeCloseTo(0.5, 1);
    // In the lowest 10 % of a + b (a + b < √0.2, a triangle), a's median is 1 − √0.5 of √0.2 ≈ 0.1310;
    // its overall median is ½ and its sd 1/√12: a shift of about −1.28 sds, beyond @RISK's 0.5.
    const low = results.scenarios?.['Sheet1!A3'].find((s) => s.tail === 'low' && s.percent === 10);
    expect(low?.trials).toBe(5_000);
    const lowA = low?.inputs.find((i) => i.input === 'Sheet1!A1 RISKUNIFORM');
    expect(lowA?.median).toBeCloseTo((1 - Math.SQRT1_2) * Math.sqrt(0.2), 2);
    expect(lowA?.shift).toBeCloseTo(((1 - Math.SQRT1_2) * Math.sqrt(0.2) - 0.5) * Math.sqrt(12), 1);
    const scatter = results.scatter?.['Sheet1!A3'];
    expect(scatter?.output).toHaveLength(1_000);
    expect(scatter?.inputs.map((i) => i.values.length)).toEqual([1_000, 1_000]);
    // Each pair is one trial's: the output is the sum of the two inputs shown.
    scatter?.output.forEach((y, i) => {
      expect(y).toBeCloseTo((scatter.inputs[0].values[i] ?? 0) + (scatter.inputs[1].values[i] ?? 0), 12);
    });
  });

  it('gives the same analyses on 1 thread and on 2 threads', async () => {
    const request = { targets: ['B5'], iterations: 30_007, seed: 4 };
    const single = await describeResults(await simulate(dependentInputs, request), { engine_used: 'cpu' });
    const threaded = await simulateOnThreads(dependentInputs, request, { threads: 2 });
    const { elapsed_ms: _a, ...fromThreads } = threaded.results;
    const { elapsed_ms: _b, ...fromHere } = single;
    expect(fromThreads).toEqual(fromHere);
  });
});
