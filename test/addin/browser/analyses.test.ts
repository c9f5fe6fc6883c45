import type { Page } from 'playwright-core';
import { fakeOfficeScript, openPane, type PaneBench, startPaneBench, WORKBOOK } from './harness';

let bench: PaneBench;
let page: Page;

beforeAll(async () => {
  bench = await startPaneBench();
  const script = fakeOfficeScript(WORKBOOK, 'Model!D11', '#ffffff', (model) => {
    const cells = model.sheets.find((s) => s.name === 'Model')?.cells ?? {};
    cells.A3 = { value: 'Demand' };
    cells.B3 = { formula: '=RiskNormal(B4,1)' };
    cells.A4 = { value: 'Market size, the driver of demand' };
    cells.B4 = { formula: '=RiskNormal(10,2)' };
    cells.B22 = { formula: '=RiskOutput("Demand out")+B3' };
  });
  page = await openPane(bench.browser, bench.paneUrl, script, bench.serviceUrl);
  await page.getByRole('list', { name: 'Outputs' }).getByText('Demand out').first().waitFor();
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByLabel('Iterations').fill('20000');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: /Show results/ }).click({ timeout: 60_000 });
}, 240_000);

afterAll(() => bench?.close());

/** The tornado's bars as the user reads them: "name: value". */
async function tornadoBars(): Promise<Map<string, string>> {
  const items = page.getByTestId('results').getByTestId('tornado').getByRole('listitem');
  await items.first().waitFor();
  const labels = await items.evaluateAll((li) => li.map((e) => e.getAttribute('aria-label') ?? ''));
  return new Map(labels.map((l) => [l.slice(0, l.lastIndexOf(': ')), l.slice(l.lastIndexOf(': ') + 2)]));
}

async function pickMethod(method: string): Promise<void> {
  await page.getByTestId('results').getByRole('combobox', { name: 'Method' }).click();
  await page.getByRole('option', { name: method }).click();
}

test('contribution to variance stays right when one input is the other’s parameter: 20 % / 80 %', async () => {
  await pickMethod('Contribution to variance');
  const bars = await tornadoBars();
  const share = (name: string) => Number(bars.get(name)?.replace(' %', ''));
  expect(Math.abs(share('Market size, the driver of demand') - 80)).toBeLessThan(4);
  expect(Math.abs(share('Demand') - 20)).toBeLessThan(4);
  // the long name is shown in full (it wraps), not cut
  await page.getByText('Market size, the driver of demand', { exact: true }).first().waitFor();
});

test('regression and rank correlation rank the output itself first; change in mean in output units', async () => {
  await pickMethod('Regression (standardised)');
  // the output is B3 exactly: a regression on B3 and B4 gives B3 a coefficient of 1 and B4 none
  const regression = await tornadoBars();
  expect(Number(regression.get('Demand')?.replace('−', '-'))).toBeCloseTo(1, 2);
  expect(
    Math.abs(Number(regression.get('Market size, the driver of demand')?.replace('−', '-'))),
  ).toBeLessThan(0.02);
  await pickMethod('Change in output mean');
  const change = await tornadoBars();
  // across B4's deciles the output's mean moves with B4's (0.8 × B3's spread is B4's): several units
  expect(Number(change.get('Market size, the driver of demand')?.replace(/,/g, ''))).toBeGreaterThan(4);
});

test('spider, scatter and scenarios are drawn from the service’s analyses', async () => {
  const results = page.getByTestId('results');
  const spider = results.getByTestId('spider');
  await spider.waitFor();
  expect(Number(await spider.getAttribute('data-lines'))).toBe(4); // B3, B4 and the two other inputs left
  const scatter = results.getByTestId('scatter');
  await scatter.waitFor();
  expect(Number(await scatter.getAttribute('data-points'))).toBe(1000);
  await scatter.getByRole('combobox', { name: 'Input' }).click();
  await page.getByRole('option', { name: 'Market size, the driver of demand' }).click();
  await scatter.getByText('Market size, the driver of demand', { exact: true }).first().waitFor();

  const scenarios = results.getByRole('region', { name: 'Scenarios' });
  const table = scenarios.getByRole('table', { name: /Highest 10 %/ });
  const row = table.getByRole('row').filter({ hasText: 'Market size, the driver of demand' });
  const shift = Number((await row.getByRole('cell').nth(2).textContent())?.replace('−', '-'));
  expect(Math.abs(shift - (0.8 * 1.755 * Math.sqrt(5)) / 2)).toBeLessThan(0.25);
});
