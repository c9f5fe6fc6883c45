/**
 * The Model tab's reading of inputs (name, distribution, theoretical range) and its rewriting of an
 * input's formula, and the patching of re-read cells into the model: pure functions of the model.
 */
import { patchModel } from '../../addin/src/excel/read-model';
import { describeInput, rewriteDistribution, rowLabel } from '../../addin/src/model/inputs';
import { parseFormula } from '../../shared/formula/parser';
import type { WorkbookModel } from '../../shared/model';

const model: WorkbookModel = {
  version: 1,
  names: [],
  sheets: [
    {
      name: 'Model',
      cells: {
        A1: { value: 'Price' },
        B1: { value: 'Units' },
        A2: { value: 'Demand' },
        C2: { formula: '=RiskNormal(100,10)' },
        B3: { formula: '=RiskTriang(-10,0,20,RiskName("Cost shock"))' },
        B4: { formula: '=RiskUniform(A1,5)' },
        C5: { formula: '=SUM(C2:C4)', array_ref: 'C5:C6' },
      },
    },
  ],
};

const input = (cell: string) => {
  const sheet = model.sheets[0].cells[cell.split('!')[1]];
  if (!('formula' in sheet)) throw new Error('not a formula');
  return describeInput(model, { cell, function: 'Risk', formula: sheet.formula });
};

test('the name: RiskName first, else the nearest text left in the row, else above in the column', () => {
  expect(input('Model!B3').name).toBe('Cost shock');
  expect(input('Model!C2').name).toBe('Demand');
  expect(rowLabel(model, 'Model!B4')).toBe('Units'); // nothing to its left: the column's header
  expect(rowLabel(model, 'Model!A1')).toBeUndefined();
});

test('the range: the support where bounded, the 1 % and 99 % points where not', () => {
  const normal = input('Model!C2');
  // Φ⁻¹(0.01) = -2.326347874…
  expect(normal.low?.label).toBe('P1');
  expect(normal.low?.value).toBeCloseTo(100 - 23.26347874, 6);
  expect(normal.high?.label).toBe('P99');
  expect(normal.mean).toBe(100);
  const triangular = input('Model!B3');
  expect(triangular.low).toEqual({ value: -10, label: 'min' });
  expect(triangular.high).toEqual({ value: 20, label: 'max' });
  expect(triangular.mean).toBeCloseTo((-10 + 0 + 20) / 3, 12);
  expect(triangular.spec).toEqual({ type: 'triangular', params: [-10, 0, 20] });
});

test('parameters computed from cells: listed, not read as a distribution', () => {
  const computed = input('Model!B4');
  expect(computed.spec).toBeUndefined();
  expect(computed.unreadable).toMatch(/computed from other cells/);
});

test('rewriting keeps what surrounds the call and its properties, and the family written (Risk or MC.)', () => {
  const rewritten = rewriteDistribution(
    '=2*RiskTriang(-10,0,20,RiskName("Cost shock"))+1',
    { type: 'normal', params: [-5, 3] },
    'RiskTriang',
  );
  expect(parseFormula(rewritten.slice(1))).toEqual(
    parseFormula('2*RiskNormal(-5,3,RiskName("Cost shock"))+1'),
  );
  expect(
    rewriteDistribution(
      '=MC.NORMAL(1,2)',
      { type: 'discrete', params: [], values: [1, 2], weights: [0.25, 0.75] },
      'MC.NORMAL',
    ),
  ).toBe('=MC.DISCRETE({1,2},{0.25,0.75})');
});

test('patching: cells replaced, emptied cells removed, a spill range kept while its formula is unchanged', () => {
  const patched = patchModel(model, [
    {
      sheet: 'Model',
      cells: {
        C2: { formula: '=RiskNormal(200,10)' },
        A2: undefined,
        C5: { formula: '=SUM(C2:C4)' },
      },
    },
  ]);
  const cells = patched.sheets[0].cells;
  expect(cells.C2).toEqual({ formula: '=RiskNormal(200,10)' });
  expect(cells.A2).toBeUndefined();
  expect(cells.C5).toEqual({ formula: '=SUM(C2:C4)', array_ref: 'C5:C6' });
  // the model read before is left as it was
  expect(model.sheets[0].cells.C2).toEqual({ formula: '=RiskNormal(100,10)' });
  expect(model.sheets[0].cells.A2).toEqual({ value: 'Demand' });
});
