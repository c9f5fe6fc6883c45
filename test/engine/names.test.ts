/**
 * Names in the results, as @RISK shows them: an output by its RiskOutput name, an input by its RiskName,
 * and either, without one, by its row label (the nearest text to the left) or else its column header.
 */
import { simulate } from '../../server/engine/simulate';
import { describeResults } from '../../server/engine/statistics/results';
import { type CellModel, SimulationResults } from '../../shared/model';

async function results(cells: Record<string, CellModel>, targets: string[]) {
  const model = { version: 1 as const, sheets: [{ name: 'Sheet1', cells }], names: [] };
  const described = await describeResults(await simulate(model, { targets, iterations: 500, seed: 4 }), {
    engine_used: 'cpu',
  });
  expect(SimulationResults.parse(described)).toEqual(described);
  return described;
}

/** Each input's name in an output's sensitivity, by the input's cell and function. */
function inputNames(described: SimulationResults, output: string): Record<string, string | undefined> {
  return Object.fromEntries(described.sensitivity[output].map((s) => [s.input, s.name]));
}

describe('output names', () => {
  it('are RiskOutput’s name, given as text or in a cell', async () => {
    const described = await results(
      {
        A1: { formula: '=RiskNormal(100,10)' },
        B1: { formula: '=RiskOutput("NPV")+A1*2' },
        B2: { formula: '=RiskOutput(D2)+A1-1' },
        D2: { value: 'Profit' },
      },
      ['B1', 'B2'],
    );
    expect(described.outputs['Sheet1!B1'].name).toBe('NPV');
    expect(described.outputs['Sheet1!B2'].name).toBe('Profit');
  });

  it('are the row label, else the column header, when RiskOutput gives none; absent when there is no text', async () => {
    const described = await results(
      {
        A1: { formula: '=RiskNormal(100,10)' },
        A3: { value: 'Total cost' },
        B3: { value: 7 },
        C3: { formula: '=RiskOutput()+A1+B3' },
        E1: { value: 'Margin' },
        E4: { formula: '=A1/2' },
        G4: { formula: '=A1*3' },
      },
      ['C3', 'E4', 'G4'],
    );
    expect(described.outputs['Sheet1!C3'].name).toBe('Total cost');
    expect(described.outputs['Sheet1!E4'].name).toBe('Margin');
    expect(described.outputs['Sheet1!G4']).not.toHaveProperty('name');
  });
});

describe('input names', () => {
  it('are RiskName’s, also when the distribution’s parameters change from trial to trial', async () => {
    const described = await results(
      {
        A1: { formula: '=RiskNormal(10,1)' },
        A2: { formula: '=RiskNormal(A1,2,RiskName("Cost"))' },
        A3: { formula: '=RiskUniform(0,A1,RiskName(C3))' },
        C3: { value: 'Price' },
        A4: { formula: '=A2+A3' },
      },
      ['A4'],
    );
    expect(inputNames(described, 'Sheet1!A4')).toMatchObject({
      'Sheet1!A2 RISKNORMAL': 'Cost',
      'Sheet1!A3 RISKUNIFORM': 'Price',
    });
  });

  it('read RiskName’s text from the cell it names, before any row label', async () => {
    const described = await results(
      {
        A1: { value: 'Revenue' },
        B1: { formula: '=RiskNormal(100,10,RiskName(D1))' },
        D1: { value: 'Year-1 revenue' },
        B2: { formula: '=B1*2' },
      },
      ['B2'],
    );
    expect(inputNames(described, 'Sheet1!B2')).toEqual({ 'Sheet1!B1 RISKNORMAL': 'Year-1 revenue' });
  });

  it('without RiskName are the nearest text to the left, else the column header above', async () => {
    const described = await results(
      {
        A2: { value: 'Growth' },
        B2: { value: 3 },
        C2: { formula: '=RiskPert(1,4,9)' },
        E1: { value: 'Cost' },
        E2: { value: 5 },
        E3: { formula: '=RiskUniform(0,1)' },
        E4: { formula: '=RiskTriang(0,1,3)' },
        E5: { formula: '=RiskNormal(E3,1)' },
        G3: { formula: '=RAND()' },
        A6: { value: 'Total' },
        B6: { formula: '=C2+E3+E4+E5+G3' },
      },
      ['B6'],
    );
    expect(inputNames(described, 'Sheet1!B6')).toEqual({
      'Sheet1!C2 RISKPERT': 'Growth',
      'Sheet1!E3 RISKUNIFORM': 'Cost',
      'Sheet1!E4 RISKTRIANG': 'Cost',
      'Sheet1!E5 RISKNORMAL': 'Cost',
      'Sheet1!G3 RAND': undefined,
    });
    expect(described.outputs['Sheet1!B6'].name).toBe('Total');
  });

  it('a RiskName that would change from trial to trial is refused, naming the cell', async () => {
    const model = {
      version: 1 as const,
      sheets: [
        {
          name: 'Sheet1',
          cells: {
            A1: { formula: '=RiskNormal(10,1)' },
            A2: { formula: '=RiskNormal(A1,2,RiskName(IF(A1>10,"high","low")))' },
          },
        },
      ],
      names: [],
    };
    await expect(simulate(model, { targets: ['A2'], iterations: 10 })).rejects.toThrow(
      'Sheet1!A2: RiskName needs a name that does not change from trial to trial',
    );
  });
});
