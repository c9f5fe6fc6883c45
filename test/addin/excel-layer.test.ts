import { loadDefinitions, SETTINGS_KEY, saveDefinitions } from '../../addin/src/excel/definitions';
import { ModelLimitError, type ReadProgress, readWorkbookModel } from '../../addin/src/excel/read-model';
import {
  blocksByBytes,
  errorOfTrials,
  freeName,
  literalText,
  writeResultsSheet,
} from '../../addin/src/excel/results-sheet';
import { selectCell, selectedCells } from '../../addin/src/excel/workbook-actions';
import { LIMITS } from '../../shared/model';
import { mockExcel, OfficeMockObject } from './excel-mock';

const npvSheet = {
  name: 'Model',
  origin: [1, 1] as [number, number], // used range starts at B2
  grid: [
    ['Investment', '=RiskTriang(900,1000,1300)'],
    ['Revenue', '=RiskNormal(700,70)'],
    ['Ratio', '=B3/B2'],
    [true, '#DIV/0!'],
    [null, 'x'],
  ],
  names: [{ name: 'LocalRate', formula: '=Model!$C$4' }],
};

test('reads formulas, values, errors and booleans at their addresses, and names of both scopes', async () => {
  const excel = mockExcel({
    sheets: [npvSheet, { name: 'Empty', grid: [] }],
    names: [
      { name: 'Rate', formula: '=0.08' },
      { name: '_xlnm.Print_Area', formula: '=Model!$A$1:$C$9' },
    ],
  });
  const { model, cells, formulas } = await readWorkbookModel(excel.context, { readSpills: false });
  expect(model.sheets.map((s) => s.name)).toEqual(['Model', 'Empty']);
  expect(model.sheets[0].cells).toEqual({
    B2: { value: 'Investment' },
    C2: { formula: '=RiskTriang(900,1000,1300)' },
    B3: { value: 'Revenue' },
    C3: { formula: '=RiskNormal(700,70)' },
    B4: { value: 'Ratio' },
    C4: { formula: '=B3/B2' },
    B5: { value: true },
    C5: { value: { error: '#DIV/0!' } },
    C6: { value: 'x' },
  });
  expect(model.sheets[1].cells).toEqual({});
  expect(model.names).toEqual([
    { name: 'Rate', ref: '=0.08' },
    { name: 'LocalRate', ref: '=Model!$C$4', scope: 'Model' },
  ]);
  expect({ cells, formulas }).toEqual({ cells: 9, formulas: 3 });
});

test('reads in row blocks, one sync per block, reporting progress', async () => {
  const grid = Array.from({ length: 10 }, (_, r) => [r, `=A${r + 1}*2`]);
  const excel = mockExcel({ sheets: [{ name: 'Sheet1', grid }] });
  const progress: ReadProgress[] = [];
  const result = await readWorkbookModel(excel.context, {
    readSpills: false,
    cellsPerRequest: 6, // 3 rows of 2 columns
    onProgress: (p) => progress.push(p),
  });
  expect(progress.map((p) => p.rowsDone)).toEqual([3, 6, 9, 10]);
  expect(progress.at(-1)).toMatchObject({ rowsTotal: 10, cellsRead: 20, sheet: 'Sheet1', sheetCount: 1 });
  // sheets, used ranges + sheet names, workbook names, then 4 blocks
  expect(result.requests).toBe(7);
  expect(excel.syncs()).toBe(7);
  expect(result.model.sheets[0].cells.B10).toEqual({ formula: '=A10*2' });
});

test('records the range a dynamic-array formula spills to', async () => {
  const excel = mockExcel({
    sheets: [
      {
        name: 'Sheet1',
        grid: [
          ['=SEQUENCE(3)', '=A1*2'],
          [2, null],
          [3, null],
        ],
      },
    ],
    spills: { 'Sheet1!A1': 'Sheet1!$A$1:$A$3' },
  });
  const { model, requests } = await readWorkbookModel(excel.context, { readSpills: true });
  expect(model.sheets[0].cells.A1).toEqual({ formula: '=SEQUENCE(3)', array_ref: 'A1:A3' });
  expect(model.sheets[0].cells.A2).toEqual({ value: 2 });
  expect(model.sheets[0].cells.B1).toEqual({ formula: '=A1*2' }); // no spilled neighbour: not asked
  expect(requests).toBe(5); // one extra sync for the block's spill look-ups
});

test('stops with the counts when the workbook is over the service limit', async () => {
  const row = Array.from({ length: 10 }, () => 1);
  const grid = Array.from({ length: 30 }, () => row);
  const excel = mockExcel({
    sheets: [
      { name: 'Big', grid },
      { name: 'More', grid },
    ],
  });
  const reading = readWorkbookModel(excel.context, {
    readSpills: false,
    cellsPerRequest: 100,
    maxCells: 250,
  });
  await expect(reading).rejects.toThrow(ModelLimitError);
  await expect(reading).rejects.toThrow(
    'The workbook has more than 250 non-empty cells (300 read in the first 1 of 2 sheets); the Montecell service accepts at most 250.',
  );
});

test('explains formulas the service would reject, naming the cell', async () => {
  const long = `=${'1+'.repeat(LIMITS.maxFormulaLength)}1`;
  const excel = mockExcel({ sheets: [{ name: 'Sheet1', grid: [[long]] }] });
  await expect(readWorkbookModel(excel.context, { readSpills: false })).rejects.toThrow(
    /Sheet1!A1: formula must be at most 8192 characters/,
  );
});

test('the selection becomes sheet-qualified cells; selecting a cell activates its sheet', async () => {
  const excel = mockExcel({ sheets: [npvSheet], selection: "'Model'!$C$2:$C$3" });
  expect(await selectedCells(excel.context)).toEqual(['Model!C2', 'Model!C3']);
  await selectCell(excel.context, 'Model!C3');
  expect(excel.selected).toEqual(['Model!C3']);
});

test('writes statistics and samples to a new sheet without replacing an earlier one, outputs by name and cell', async () => {
  const excel = mockExcel({ sheets: [npvSheet, { name: 'Montecell results', grid: [] }] });
  const output = {
    statistics: {
      count: 3,
      mean: 2,
      std: 1,
      variance: 1,
      min: 1,
      max: 3,
      skewness: 0,
      kurtosis: null,
      std_error: 0.58,
      ci95: [-0.48, 4.48] as [number, number],
    },
    percentiles: { '50': 2, '5': 1.1 },
    histogram: { edges: [1, 2, 3], counts: [1, 2] },
    cdf: [],
    errors: 0,
    non_numeric: {},
  };
  const name = await writeResultsSheet(excel.context, {
    simulationId: 'sim-9',
    results: {
      outputs: { 'Model!C4': { name: 'Margin', ...output }, 'Model!C5': output },
      sensitivity: {},
      elapsed_ms: 12,
      engine_used: 'cpu',
      seed: 1,
      iterations: 3,
      sampling: 'monte_carlo',
    },
    samples: { 'Model!C4': new Float64Array([1, 2, 3]), 'Model!C5': new Float64Array([4, 5, 6]) },
  });
  expect(name).toBe('Montecell results (2)');
  expect(excel.added).toEqual(['Montecell results (2)']);
  const [table, header, samples] = excel.written;
  expect(table.values[0]).toEqual(['Statistic', 'Margin (Model!C4)', 'Model!C5']);
  expect(table.values).toContainEqual(['Mean', 2, 2]);
  expect(table.values).toContainEqual(['Kurtosis', '', '']);
  expect(table.values.map((r) => r[0])).toEqual(expect.arrayContaining(['P5', 'P50', 'Simulation']));
  expect(header).toMatchObject({
    row: 0,
    column: 4,
    values: [['Samples Margin (Model!C4)', 'Samples Model!C5']],
  });
  expect(samples).toMatchObject({
    row: 1,
    column: 4,
    values: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  });
  expect(freeName(['montecell RESULTS', 'Montecell results (2)'])).toBe('Montecell results (3)');
});

test('input and output definitions round-trip through the document settings', async () => {
  const store = new Map<string, unknown>();
  const settings = new OfficeMockObject({
    get: (key: string) => store.get(key),
    set: (key: string, value: unknown) => store.set(key, value),
    saveAsync: (callback: (r: { status: string }) => void) => callback({ status: 'succeeded' }),
  }) as unknown as Office.Settings;
  expect(loadDefinitions(settings)).toEqual({ version: 1, inputs: [], outputs: [] });
  const definitions = {
    version: 1 as const,
    inputs: [{ cell: 'Model!B7', distribution: { type: 'normal' as const, params: [0.08, 0.01] } }],
    outputs: [{ cell: 'Model!C4', name: 'Ratio' }],
  };
  await saveDefinitions(settings, definitions);
  expect(store.get(SETTINGS_KEY)).toEqual(definitions);
  expect(loadDefinitions(settings)).toEqual(definitions);
  store.set(SETTINGS_KEY, { version: 99 }); // written by a future version: ignored, not a crash
  expect(loadDefinitions(settings).inputs).toEqual([]);
});

test('sample blocks are cut by the bytes of their JSON, not by a fixed number of rows', () => {
  // rows of two numbers of 9 characters: [123456.78,123456.78] is 21 bytes, 22 with its comma
  const row = () => [123456.78, 123456.78];
  const blocks = [...blocksByBytes(10, row, 2 + 22 * 4)];
  expect(blocks.map((b) => [b.start, b.rows.length])).toEqual([
    [0, 4],
    [4, 4],
    [8, 2],
  ]);
  for (const block of blocks) expect(JSON.stringify(block.rows).length).toBeLessThanOrEqual(2 + 22 * 4);
  // a row larger than the budget still goes, alone
  expect([...blocksByBytes(2, row, 10)].map((b) => b.rows.length)).toEqual([1, 1]);
});

test('text Excel would parse as typed keeps a leading apostrophe; error trials are written as their error', () => {
  expect(literalText("'Model Outputs'!B2")).toBe("''Model Outputs'!B2");
  expect(literalText('=SUM(A1)')).toBe("'=SUM(A1)");
  expect(literalText('#N/A')).toBe("'#N/A");
  expect(literalText('12e3')).toBe("'12e3");
  expect(literalText('TRUE')).toBe("'TRUE");
  expect(literalText('NPV (Model!B22)')).toBe('NPV (Model!B22)');
  expect(errorOfTrials({ '#DIV/0!': 5 })).toBe('#DIV/0!');
  expect(errorOfTrials({ '#DIV/0!': 5, '#VALUE!': 1 })).toBe('#N/A');
  expect(errorOfTrials({ text: 3 })).toBe('#N/A');
});
