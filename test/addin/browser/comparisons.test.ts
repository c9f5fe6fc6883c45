import { fakeOfficeScript, openPane, type PaneBench, startPaneBench, WORKBOOK } from './harness';

let bench: PaneBench;

beforeAll(async () => {
  bench = await startPaneBench();
}, 180_000);

afterAll(() => bench?.close());

test('a RiskSimtable run: each simulation side by side, their CDFs overlaid; outputs overlaid on demand', async () => {
  const rates = [0.06, 0.08, 0.1];
  const script = fakeOfficeScript(WORKBOOK, 'Model!D11', '#ffffff', (model) => {
    const cells = model.sheets.find((s) => s.name === 'Model')?.cells ?? {};
    cells.B7 = { formula: `=RiskSimtable({${rates.join(',')}})` };
  });
  const page = await openPane(bench.browser, bench.paneUrl, script, bench.serviceUrl);
  await page.getByRole('list', { name: 'Outputs' }).getByText('NPV').first().waitFor();
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByLabel('Iterations').fill('2000');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: /Show results/ }).click({ timeout: 30_000 });

  const results = page.getByTestId('results');
  const table = results.getByRole('table', { name: 'Simulations side by side' });
  await table.waitFor();
  const rows = await table.getByRole('row').allTextContents();
  expect(rows).toHaveLength(1 + rates.length);
  // The mean column (the second) as numbers, one per simulation.
  const means = await Promise.all(
    rates.map(async (_, i) =>
      Number(
        (
          await table
            .getByRole('row')
            .nth(i + 1)
            .getByRole('cell')
            .nth(1)
            .textContent()
        )?.replace(/,/g, ''),
      ),
    ),
  );
  expect(means.every(Number.isFinite)).toBe(true);
  expect(means[0]).toBeGreaterThan(means[1]);
  expect(means[1]).toBeGreaterThan(means[2]);
  const bySimulation = results.getByRole('region', { name: 'Cumulative distributions by simulation' });
  expect(await bySimulation.getAttribute('data-series')).toBe('3');
  for (let i = 1; i <= rates.length; i++) await bySimulation.getByText(`Simulation ${i}`).first().waitFor();

  // Overlay: NPV is shown; pick IRR too and both CDFs are drawn on one chart with their names.
  const picker = results.getByRole('combobox', { name: 'Outputs to overlay' });
  await picker.click();
  // a multi-select Fluent dropdown's options are menu item checkboxes
  const irr = page.getByRole('menuitemcheckbox', { name: 'IRR (Model!B23)' });
  await irr.click();
  await page.keyboard.press('Escape');
  const overlay = results.getByRole('region', { name: 'Overlay of cumulative distributions' });
  await overlay.waitFor();
  expect(await overlay.getAttribute('data-series')).toBe('2');
  await overlay.getByText('IRR', { exact: true }).first().waitFor();
  await overlay.getByText('NPV', { exact: true }).first().waitFor();
});
