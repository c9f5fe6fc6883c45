import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { CellValue, SimulationResults } from '../../../shared/model';
import { expectedReportRow, REPORT_COLUMN_LETTERS, REPORT_HEADER } from '../../helpers/report-sheet';
import { ARTIFACTS, fakeOfficeScript, openPane, type PaneBench, startPaneBench, WORKBOOK } from './harness';

let bench: PaneBench;

beforeAll(async () => {
  bench = await startPaneBench();
}, 180_000);

afterAll(() => bench?.close());

/** project-npv.xlsx plus a formula whose text only reads like a function call, and a call in a larger formula. */
function officeScript(background = '#ffffff'): string {
  return fakeOfficeScript(WORKBOOK, 'Model!D11', background, (model) => {
    const cells = model.sheets.find((s) => s.name === 'Model')?.cells ?? {};
    cells.J2 = { formula: '="RiskMean(B22)"' };
    cells.J3 = { formula: '=RiskTarget(B22,0)*100' }; // P(NPV ≤ 0) in per cent
  });
}

async function open(background?: string, width = 380): Promise<{ page: Page; results: SimulationResults[] }> {
  const results: SimulationResults[] = [];
  const page = await openPane(
    bench.browser,
    bench.paneUrl,
    officeScript(background),
    bench.serviceUrl,
    (page) => {
      page.on('response', async (response) => {
        if (response.request().method() === 'GET' && /\/api\/simulations\/[^/]+$/.test(response.url()))
          results.push((await response.json()).results);
      });
      return page.setViewportSize({ width, height: 1400 });
    },
  );
  await visible(page.getByRole('list', { name: 'Outputs' }).getByText('NPV'));
  return { page, results };
}

async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

const cellValue = (page: Page, cell: string) =>
  page.evaluate((c) => window.__fakeExcel.values('Model')[c] as CellValue, cell);
const formula = (page: Page, cell: string) =>
  page.evaluate((c) => window.__fakeExcel.dump('Model')[c] as CellValue, cell);

/** What a cell must come to show: an error, a number, or a number other than one it showed. */
type Expected = 'error' | 'number' | { not: number } | { is: number };

/** Waits for the cell's streaming function to set the expected result; returns the value. */
async function cellBecomes(page: Page, cell: string, expected: Expected): Promise<CellValue> {
  await page.waitForFunction(
    ([c, want]) => {
      const v = window.__fakeExcel.values('Model')[c];
      if (want === 'error') return typeof v === 'object' && v !== null;
      if (want === 'number') return typeof v === 'number';
      return typeof v === 'number' && ('is' in want ? v === want.is : v !== want.not);
    },
    [cell, expected] as const,
    { timeout: 20_000 },
  );
  return cellValue(page, cell);
}

/** Runs from the Run tab and opens the results once the pane has fetched them; returns them. */
async function run(page: Page, results: SimulationResults[], iterations: number): Promise<SimulationResults> {
  const before = results.length;
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByLabel('Iterations').fill(String(iterations));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: /Show results/ }).click({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=results]') !== null);
  for (let i = 0; i < 200 && results.length === before; i++) await page.waitForTimeout(50);
  expect(results.length).toBe(before + 1);
  return results[before];
}

test('swap to MC.*: the dialog lists each function’s cells; MC.MEAN… show #N/A, then each run’s values; swap back', async () => {
  const { page, results } = await open();
  await page.getByRole('tab', { name: 'Results' }).click();
  await page.getByRole('button', { name: 'Swap to MC.*' }).click();

  const dialog = page.getByRole('dialog');
  await visible(dialog.getByText('Swap 10 cells to MC.* functions?'));
  const items = await dialog
    .getByRole('list', { name: 'Functions to swap' })
    .getByRole('listitem')
    .allTextContents();
  expect(items).toEqual([
    'RiskMean → MC.MEAN: 2 cells (Model!H11, Model!H15)',
    'RiskPercentile → MC.PERCENTILE: 2 cells (Model!H12, Model!H13)',
    'RiskTarget → MC.TARGET: 2 cells (Model!J3, Model!H14)', // row by row
    'RiskNormal → MC.NORMAL: 1 cell (Model!B4)',
    'RiskPert → MC.PERT: 1 cell (Model!B5)',
    'RiskTriang → MC.TRIANG: 1 cell (Model!B3)',
    'RiskUniform → MC.UNIFORM: 1 cell (Model!B6)',
  ]);
  await visible(
    dialog.getByText(/^2 cells kept as they are: Model!B22 \(RISKOUTPUT has no MC\.\* twin\), …$/),
  );
  await page.screenshot({ path: join(ARTIFACTS, 'addin-swap-dialog.png') });
  await dialog.getByRole('button', { name: 'Swap', exact: true }).click();
  await visible(page.getByText('Swapped 10 cells to MC.* functions.'));

  expect(await formula(page, 'H11')).toBe('=MC.MEAN(B22)');
  expect(await formula(page, 'H12')).toBe('=MC.PERCENTILE(B22,0.05)');
  expect(await formula(page, 'H15')).toBe('=MC.MEAN("IRR")');
  expect(await formula(page, 'B3')).toBe('=MC.TRIANG(900,1000,1300)');
  expect(await formula(page, 'B22')).toBe('=RiskOutput("NPV")+SUM(D11:D20)-B3');
  expect(await formula(page, 'J2')).toBe('="RiskMean(B22)"'); // text, not a call
  expect(await formula(page, 'J3')).toBe('=MC.TARGET(B22,0)*100');
  // no run yet: the statistics are #N/A; a distribution shows its static value (a normal's mean)
  expect(await cellBecomes(page, 'H11', 'error')).toEqual({ error: '#N/A' });
  expect(await cellBecomes(page, 'B4', { is: 700 })).toBe(700);

  const first = await run(page, results, 4_000);
  const npv = first.outputs['Model!B22'];
  expect(await cellBecomes(page, 'H11', 'number')).toBe(npv.statistics.mean);
  expect(await cellValue(page, 'H12')).toBe(npv.percentiles['5']);
  expect(await cellValue(page, 'H13')).toBe(npv.percentiles['95']);
  expect(await cellValue(page, 'H15')).toBe(first.outputs['Model!B23'].statistics.mean); // by its name
  const target = await cellValue(page, 'H14'); // P(NPV ≤ 0): a share of the 4,000 trials
  expect(target).toBe(first.cells?.['Model!H14']);
  expect(Number.isInteger((target as number) * 4_000)).toBe(true);
  // inside a larger formula the call shows its own value, which Excel then multiplies, not its cell's
  // (a share above 0, so that the two differ)
  expect(target).toBeGreaterThan(0);
  expect(await cellValue(page, 'J3')).toBe((target as number) * 100);
  expect(first.cells?.['Model!J3']).toBeCloseTo((target as number) * 100, 9);

  // a second run: the same cells follow it
  const second = await run(page, results, 3_000);
  expect(second.iterations).toBe(3_000);
  const mean = second.outputs['Model!B22'].statistics.mean;
  expect(await cellBecomes(page, 'H11', { not: npv.statistics.mean as number })).toBe(mean);

  // and back: the functions are @RISK's again, and Excel cancels the streaming calls
  await page.getByRole('button', { name: 'Swap back to Risk*' }).click();
  await visible(dialog.getByText('Swap 10 cells to @RISK functions?'));
  await dialog.getByRole('button', { name: 'Swap', exact: true }).click();
  await visible(page.getByText('Swapped 10 cells to @RISK functions.'));
  expect(await formula(page, 'H11')).toBe('=RiskMean(B22)');
  expect(await formula(page, 'H14')).toBe('=RiskTarget(B22,0)');
  expect(await formula(page, 'J3')).toBe('=RiskTarget(B22,0)*100');
  expect(await formula(page, 'B4')).toBe('=RiskNormal(700,70)');
  const fake = await page.evaluate(() => ({
    running: Object.keys(window.__fakeExcel.invocations),
    cancelled: window.__fakeExcel.cancelled,
  }));
  expect(fake.running).toEqual([]);
  expect([...fake.cancelled].sort()).toEqual([
    'Model!H11',
    'Model!H12',
    'Model!H13',
    'Model!H14',
    'Model!H15',
    'Model!J3',
  ]);
});

test('Write report: a "Montecell Report" sheet with the statistics table and three native charts per output', async () => {
  const { page, results } = await open();
  const ran = await run(page, results, 2_000);
  for (let time = 0; time < 2; time++) {
    // written twice: the second replaces the first
    await page.getByRole('button', { name: 'Write report' }).click();
    await visible(page.getByText('Written to the sheet "Montecell Report".'));
  }
  const report = await page.evaluate(() => {
    const sheets = window.__fakeExcel.sheets.filter((s) => s.name === 'Montecell Report');
    return { count: sheets.length, cells: window.__fakeExcel.dump('Montecell Report'), sheet: sheets[0] };
  });
  expect(report.count).toBe(1);
  const { cells } = report;
  expect(cells.A1).toBe('Montecell Report');
  expect(REPORT_COLUMN_LETTERS.map((c) => cells[`${c}4`])).toEqual(REPORT_HEADER);
  const npv = ran.outputs['Model!B22'];
  expect(REPORT_COLUMN_LETTERS.map((c) => cells[`${c}5`])).toEqual(
    expectedReportRow('NPV', 'Model!B22', npv),
  );
  expect(cells.A6).toBe('IRR');

  const charts = report.sheet.charts ?? [];
  expect(charts.map((c) => [c.type, c.title])).toEqual([
    ['ColumnClustered', 'NPV: histogram'],
    ['XYScatterLinesNoMarkers', 'NPV: cumulative probability'],
    ['BarClustered', 'NPV: sensitivity (rank correlation)'],
    ['ColumnClustered', 'IRR: histogram'],
    ['XYScatterLinesNoMarkers', 'IRR: cumulative probability'],
    ['BarClustered', 'IRR: sensitivity (rank correlation)'],
  ]);
  // the histogram's source: a header and one row per bin, the trials summing to the run's
  const histogram = /^'Montecell Report'!([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(charts[0].source);
  expect(histogram).not.toBeNull();
  const [, from, top, to, bottom] = histogram as RegExpExecArray;
  expect(Number(bottom) - Number(top)).toBe(npv.histogram.counts.length);
  let trials = 0;
  for (let row = Number(top) + 1; row <= Number(bottom); row++) trials += cells[`${to}${row}`] as number;
  expect(trials).toBe(npv.statistics.count);
  expect(cells[`${from}${top}`]).toBe('NPV: bin');
  // the tornado's source: the inputs, the most influential at the bottom row (drawn at the top)
  const tornado = /!([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(charts[2].source) as RegExpExecArray;
  const strongest = ran.sensitivity['Model!B22'][0];
  expect(cells[`${tornado[1]}${tornado[4]}`]).toBe(strongest.name);
  expect(cells[`${tornado[3]}${tornado[4]}`]).toBe(strongest.rank_correlation);
  expect(charts.every((c) => c.seriesBy === 'Columns' && c.position !== undefined)).toBe(true);
  expect(report.sheet.pageLayout).toEqual({ orientation: 'Landscape', zoom: { horizontalFitToPages: 1 } });
  expect(report.sheet.numberFormats?.C5).toBe('#,##0.00');
  expect(report.sheet.columnWidths?.A).toBeGreaterThan(report.sheet.columnWidths?.C ?? Infinity);
});

test.each([
  ['light', '#ffffff'],
  ['dark', '#262626'],
])('the swap and report controls fit a 350 px pane (%s)', async (theme, background) => {
  const { page, results } = await open(background, 350);
  await run(page, results, 1_000);
  await visible(page.getByRole('button', { name: 'Write report' }));
  await visible(page.getByRole('button', { name: 'Swap to MC.*' }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBe(0);
  await page.getByRole('button', { name: 'Write report' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, `addin-report-swap-350-${theme}.png`) });
});
