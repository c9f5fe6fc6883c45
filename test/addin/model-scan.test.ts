import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanModel } from '../../addin/src/model/scan';
import { readWorkbook } from '../../server/xlsx/read-workbook';
import { isSupportedFunction } from '../../shared/functions/supported';
import type { WorkbookModel } from '../../shared/model';

test('finds the example workbook’s @RISK inputs', () => {
  const { model } = readWorkbook(readFileSync(join(__dirname, '../../examples/project-npv.xlsx')));
  const scan = scanModel(model);
  expect(scan.inputs.map((i) => [i.cell, i.function])).toEqual([
    ['Model!B3', 'RiskTriang'],
    ['Model!B4', 'RiskNormal'],
    ['Model!B5', 'RiskPert'],
    ['Model!B6', 'RiskUniform'],
  ]);
  expect(scan.unsupported).toEqual([]);
});

test('lists RiskOutput cells, RAND inputs, MC.* inputs, and unsupported functions with their cells', () => {
  const model: WorkbookModel = {
    version: 1,
    sheets: [
      {
        name: 'My Model',
        cells: {
          A1: { formula: '=NORM.INV(RAND(),100,10)' },
          A2: { formula: '=MC.PERT(1,2,4)*2' },
          A3: { formula: '=RiskOutput("NPV")+A1+A2' },
          A4: { formula: '=WEBSERVICE("http://x")+IF(A1>0,CUBEVALUE("c"),0)' },
          A5: { formula: '=WEBSERVICE("http://y")' },
          A6: { formula: '=MyLambda(2)+LET(x,1,x)+LET(f,LAMBDA(v,v+1),f(2))+RiskConvergence(0.03,2)' },
          A7: { formula: '=SUM(' },
        },
      },
    ],
    names: [{ name: 'MyLambda', ref: '=LAMBDA(x,x*2)' }],
  };
  const scan = scanModel(model);
  expect(scan.inputs).toEqual([
    { cell: "'My Model'!A1", function: 'RAND', formula: '=NORM.INV(RAND(),100,10)' },
    { cell: "'My Model'!A2", function: 'MC.PERT', formula: '=MC.PERT(1,2,4)*2' },
  ]);
  expect(scan.outputs).toEqual([{ cell: "'My Model'!A3", name: 'NPV' }]);
  expect(scan.unsupported).toEqual([
    { name: 'CUBEVALUE', cells: ["'My Model'!A4"], more: 0 },
    // An @RISK function Montecell lacks is unsupported like any function (and is no input).
    { name: 'RISKCONVERGENCE', cells: ["'My Model'!A6"], more: 0 },
    { name: 'WEBSERVICE', cells: ["'My Model'!A4", "'My Model'!A5"], more: 0 },
  ]);
  expect(scan.invalid.map((i) => i.cell)).toEqual(["'My Model'!A7"]);
});

test('supported: library functions, special forms, distributions, property functions', () => {
  for (const name of [
    'SUM',
    'XLOOKUP',
    'IFS',
    'LAMBDA',
    'RISKNORMAL',
    'MC.TRIANG',
    'RISKOUTPUT',
    'RISKTRUNCATE',
  ])
    expect(isSupportedFunction(name)).toBe(true);
  expect(isSupportedFunction('WEBSERVICE')).toBe(false);
});
