import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { LIVE_MARK, LIVE_STEPS } from '../../../addin/src/taskpane/use-live-mode';
import { dcfModel } from '../../../bench/models';
import type { WorkbookModel } from '../../../shared/model';
import {
  ARTIFACTS,
  fakeOfficeScript,
  fakeOfficeScriptOf,
  openPane,
  type PaneBench,
  startPaneBench,
  WORKBOOK,
} from './harness';

/** The standard normal's 99th percentile, Φ⁻¹(0.99), to 16 digits (tables: 2.326347874...). */
const Z99 = 2.3263478740408408;

let bench: PaneBench;

// the deployed service (npm start), so that the live-mode timing is the one a user gets
beforeAll(async () => {
  bench = await startPaneBench('deployed');
}, 180_000);

afterAll(() => bench?.close());

function open(script: string, width = 350): Promise<Page> {
  return openPane(bench.browser, bench.paneUrl, script, bench.serviceUrl, (page) =>
    page.setViewportSize({ width, height: 1100 }),
  );
}

const shown = (locator: Locator, timeout = 10_000) => locator.first().waitFor({ state: 'visible', timeout });

/** The number written after `label` in an input's range line ("mean 1,066.67"). */
async function statistic(item: Locator, label: string): Promise<number> {
  const text = (await item.textContent()) ?? '';
  const match = new RegExp(`${label} (−?-?[\\d,.]+)`).exec(text);
  if (!match) throw new Error(`no "${label}" in "${text}"`);
  return Number(match[1].replace(/,/g, '').replace('−', '-'));
}

function withCells(edit: (cells: WorkbookModel['sheets'][number]['cells']) => void) {
  return fakeOfficeScript(WORKBOOK, 'Model!D11', '#ffffff', (model) => {
    edit(model.sheets.find((s) => s.name === 'Model')?.cells ?? {});
  });
}

test('the Model tab lists each input with name, cell, distribution, parameters and range; an edit rewrites the formula', async () => {
  const page = await open(fakeOfficeScript(WORKBOOK, 'Model!D11'));
  await screenshotsIn(page, 'light');
  const inputs = page.getByRole('list', { name: 'Inputs' });
  const revenue = inputs.getByRole('listitem', { name: 'Input Model!B4' });
  await shown(revenue.getByText('RiskNormal(700, 70)'));
  await shown(revenue.getByText('Year-1 revenue')); // the row label, as @RISK names it
  await shown(revenue.getByRole('button', { name: 'Select Model!B4' }));
  await shown(revenue.getByTestId('density-preview'));
  // unbounded: the range shown is the 1 % and 99 % points, 700 ∓ z₀.₉₉·70
  expect(await statistic(revenue, 'mean')).toBe(700);
  expect(await statistic(revenue, 'P1')).toBeCloseTo(700 - Z99 * 70, 2);
  expect(await statistic(revenue, 'P99')).toBeCloseTo(700 + Z99 * 70, 2);

  // Triangular(900, 1000, 1300): bounded, mean (a + m + b) / 3
  const investment = inputs.getByRole('listitem', { name: 'Input Model!B3' });
  await shown(investment.getByText('Initial investment'));
  await shown(investment.getByText('RiskTriang(900, 1000, 1300)'));
  expect(await statistic(investment, 'min')).toBe(900);
  expect(await statistic(investment, 'mean')).toBeCloseTo((900 + 1000 + 1300) / 3, 2);
  expect(await statistic(investment, 'max')).toBe(1300);
  // PERT(0.01, 0.04, 0.09): mean (a + 4m + b) / 6
  const growth = inputs.getByRole('listitem', { name: 'Input Model!B5' });
  expect(await statistic(growth, 'mean')).toBeCloseTo((0.01 + 4 * 0.04 + 0.09) / 6, 5);
  const margin = inputs.getByRole('listitem', { name: 'Input Model!B6' });
  expect(await statistic(margin, 'mean')).toBeCloseTo(0.3, 10);

  const outputs = page.getByRole('list', { name: 'Outputs' });
  await shown(outputs.getByText('NPV'));
  await shown(outputs.getByText('IRR'));
  await shown(page.getByText('Checked: the engine can run this model.'));

  // edit in place: Normal(700, 70) → Normal(800, 70)
  await revenue.getByRole('button', { name: 'Edit input Model!B4' }).click();
  const form = page.getByRole('form', { name: 'Edit input Model!B4' });
  await shown(form);
  await form.getByLabel('mean', { exact: true }).fill('800');
  await page.screenshot({ path: join(ARTIFACTS, 'addin-model-edit-350.png'), fullPage: true });
  await form.getByRole('button', { name: 'Apply' }).click();
  await shown(revenue.getByText('RiskNormal(800, 70)'));
  expect(await statistic(revenue, 'mean')).toBe(800);
  const cells = await page.evaluate(() => window.__fakeExcel.dump('Model'));
  expect(cells.B4).toBe('=RiskNormal(800,70)');
  expect(await form.count()).toBe(0);
  // the distribution itself: Normal → Uniform(600, 900), whose mean is (600 + 900) / 2
  await revenue.getByRole('button', { name: 'Edit input Model!B4' }).click();
  await form.getByRole('combobox').click();
  await page.getByRole('option', { name: 'Uniform', exact: true }).click();
  await form.getByLabel('min', { exact: true }).fill('600');
  await form.getByLabel('max', { exact: true }).fill('900');
  await form.getByRole('button', { name: 'Apply' }).click();
  await shown(revenue.getByText('RiskUniform(600, 900)'));
  expect(await statistic(revenue, 'mean')).toBe(750);
  expect(await statistic(revenue, 'min')).toBe(600);
  expect((await page.evaluate(() => window.__fakeExcel.dump('Model'))).B4).toBe('=RiskUniform(600,900)');
});

test('a function the engine does not evaluate is shown on the Model tab before Run, with the engine’s refusal', async () => {
  const page = await open(
    withCells((cells) => {
      cells.D11 = { formula: '=C11/(1+$B$7)^A11+0*WEBSERVICE("https://example.com")' };
    }),
  );
  const unsupported = page.getByRole('list', { name: 'Unsupported functions' });
  await shown(unsupported.getByText('WEBSERVICE'));
  await shown(unsupported.getByRole('button', { name: 'Select Model!D11' }));
  const check = page.getByTestId('model-check');
  await shown(check.getByText('The engine will not run this model'));
  expect(await check.textContent()).toMatch(/WEBSERVICE/);
  // and on the Run tab, where the user presses Run
  await page.getByRole('tab', { name: 'Run' }).click();
  await shown(page.getByTestId('model-check').getByText('The engine will not run this model'));
  expect(await page.getByTestId('run-progress').count()).toBe(0); // nothing was run
});

test('a correlation matrix no variables could have: the adjusted-matrix warning on the Model tab before Run', async () => {
  const page = await open(
    withCells((cells) => {
      cells.B3 = { formula: '=RiskTriang(900,1000,1300,RiskCorrmat(H1:J3,1))' };
      cells.B4 = { formula: '=RiskNormal(700,70,RiskCorrmat(H1:J3,2))' };
      cells.B5 = { formula: '=RiskPert(0.01,0.04,0.09,RiskCorrmat(H1:J3,3))' };
      // x~y and y~z at 0.9, x~z at -0.9: a negative determinant, so not positive semi-definite
      [
        [1, 0.9, -0.9],
        [0.9, 1, 0.9],
        [-0.9, 0.9, 1],
      ].forEach((row, r) => {
        row.forEach((value, c) => {
          cells[`${'HIJ'[c]}${r + 1}`] = { value };
        });
      });
    }),
  );
  const warnings = page.getByRole('list', { name: 'Model warnings' });
  await shown(warnings.getByText(/correlation matrix is not positive semi-definite/));
  await shown(page.getByText('Before you run'));
  // the inputs still read with their correlation property kept out of the parameters
  await shown(page.getByRole('listitem', { name: 'Input Model!B4' }).getByText('RiskNormal(700, 70)'));
  // the Run tab says it too, before Run
  await page.getByRole('tab', { name: 'Run' }).click();
  await shown(page.getByRole('list', { name: 'Model warnings' }).getByText(/not positive semi-definite/));
});

/**
 * Raises a user's edit in the fake Excel and waits, in the page, until the histogram shows a newer run;
 * with the time of each of the live run's steps (the pane's User Timing marks) from the edit.
 */
async function editAndWait(page: Page, cell: string, formula: string | number) {
  return page.evaluate(
    async ({ cell, formula, steps, prefix }) => {
      const figure = () => document.querySelector<HTMLElement>('[data-testid=live-histogram]');
      const before = Number(figure()?.dataset.generation ?? 0);
      const started = performance.now();
      window.__fakeExcel.userEdit(cell, formula);
      await new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (Number(figure()?.dataset.generation ?? 0) > before) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      const ms = performance.now() - started;
      const at = (step: string) =>
        performance.getEntriesByName(`${prefix}${step}`)[0]?.startTime ?? Number.NaN;
      const edit = at('edit');
      return {
        ms,
        mean: Number(figure()?.dataset.mean),
        steps: Object.fromEntries(steps.map((step) => [step, at(step) - edit])),
      };
    },
    { cell, formula, steps: [...LIVE_STEPS], prefix: LIVE_MARK },
  );
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

test('live mode on benchmark model (a): each edit redraws the NPV histogram, moved as the edit says', async () => {
  const dcf = dcfModel();
  const page = await open(fakeOfficeScriptOf(dcf.workbook, {}, 'DCF!B2'));
  await shown(page.getByRole('list', { name: 'Outputs' }).getByText('NPV'), 20_000);
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByRole('switch', { name: 'Live' }).click();
  const histogram = page.getByTestId('live-histogram');
  await shown(histogram, 20_000);
  await shown(histogram.getByText(/^NPV \(DCF!B\d+\): mean/));
  await page.screenshot({ path: join(ARTIFACTS, 'addin-live-dcf-350.png'), fullPage: true });
  const base = Number(await histogram.getAttribute('data-mean'));
  expect(Number.isFinite(base)).toBe(true);

  // NPV + K: with the same seed every run draws the same trials, so the mean moves by exactly K
  const npvCell = dcf.outputs[0];
  const npvFormula = dcf.workbook.sheets.find((s) => s.name === 'DCF')?.cells[npvCell.split('!')[1]];
  if (!npvFormula || !('formula' in npvFormula)) throw new Error('model (a) has no NPV formula');
  const times: number[] = [];
  const stepTimes: Record<string, number>[] = [];
  const EDITS = 24;
  for (let k = 1; k <= EDITS; k++) {
    const shift = 1_000 * k;
    const { ms, mean, steps } = await editAndWait(page, npvCell, `${npvFormula.formula}+${shift}`);
    expect(mean).toBeCloseTo(base + shift, 6);
    // every step of the run, in order, within the time it took
    const order = LIVE_STEPS.map((step) => steps[step]);
    expect(order.every((t, i) => Number.isFinite(t) && t >= (order[i - 1] ?? 0) && t <= ms)).toBe(true);
    times.push(ms);
    stepTimes.push({ ...steps, drawn: ms });
  }

  // a sheet inserted since the pane read the workbook: typing there reads the workbook again, so the
  // model can use the new sheet's cells
  await page.evaluate(() => window.__fakeExcel.userAddSheet('Adjustments'));
  const typed = await editAndWait(page, 'Adjustments!A1', 5_000);
  expect(typed.mean).toBeCloseTo(base + 1_000 * EDITS, 6); // the NPV formula as the last edit left it
  const adjusted = await editAndWait(page, npvCell, `${npvFormula.formula}+Adjustments!A1`);
  expect(adjusted.mean).toBeCloseTo(base + 5_000, 6);

  // edits closer together than a run: only the newest is drawn, never an older one after it
  const burst = await page.evaluate(
    async (edit) => {
      const figure = () => document.querySelector<HTMLElement>('[data-testid=live-histogram]');
      const drawn: { mean: number; at: number }[] = [];
      // each histogram drawn after the burst began: the one before it is not one of them
      const shown = () => (figure()?.dataset.mean ? Number(figure()?.dataset.mean) : undefined);
      let last = shown();
      const observer = new MutationObserver(() => {
        const mean = shown();
        if (mean === undefined || mean === last) return;
        last = mean;
        drawn.push({ mean, at: performance.now() });
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      const type = (shift: number) => {
        window.__fakeExcel.userEdit(edit.cell, `${edit.formula}+${shift}`);
        return performance.now();
      };
      type(1);
      // the second edit once the first one's run is under way (after the debounce), the third just after
      const secondAt = await new Promise<number>((resolve) => setTimeout(() => resolve(type(2)), 200));
      await new Promise((resolve) => setTimeout(() => resolve(type(3)), 10));
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      observer.disconnect();
      return { drawn, secondAt };
    },
    { cell: npvCell, formula: npvFormula.formula },
  );
  const means = burst.drawn.map((d) => d.mean);
  expect(means[means.length - 1]).toBeCloseTo(base + 3, 6);
  // +2 never ran (the third edit came within the debounce), and +1 only if it was drawn before +2 came
  expect(means.some((mean) => Math.abs(mean - (base + 2)) < 1e-6)).toBe(false);
  for (const d of burst.drawn)
    if (Math.abs(d.mean - (base + 1)) < 1e-6) expect(d.at).toBeLessThan(burst.secondAt);
  expect(means.length).toBeLessThanOrEqual(2);

  const sorted = [...times].sort((a, b) => a - b);
  // each step's own time (from the one before), median over the edits
  const names = [...LIVE_STEPS, 'drawn'];
  const steps = names.slice(1).map((step, i) => {
    const own = stepTimes.map((t) => t[step] - t[names[i]]).sort((a, b) => a - b);
    return `${step} +${percentile(own, 50).toFixed(0)}`;
  });
  console.log(
    `live mode, model (a), ${EDITS} edits: edit → histogram redrawn median ${percentile(sorted, 50).toFixed(0)} ms, ` +
      `p95 ${percentile(sorted, 95).toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)}); ` +
      `step medians (ms after the step before): ${steps.join(', ')}`,
  );
}, 120_000);

/** The Model tab and the Run tab's live switch, at 350 px, as a reviewer looks at them. */
async function screenshotsIn(page: Page, theme: 'light' | 'dark') {
  await shown(page.getByText('Checked: the engine can run this model.'));
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBe(0);
  await page.screenshot({ path: join(ARTIFACTS, `addin-model-${theme}-350.png`), fullPage: true });
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByRole('switch', { name: 'Live' }).click();
  await shown(page.getByTestId('live-histogram'), 20_000);
  expect(await overflow()).toBe(0);
  await page.screenshot({ path: join(ARTIFACTS, `addin-live-${theme}-350.png`), fullPage: true });
  await page.getByRole('switch', { name: 'Live' }).click();
  await page.getByRole('tab', { name: 'Model' }).click();
}

test('dark theme at 350 px: the Model tab and the live switch fit without horizontal scrolling', async () => {
  const page = await open(fakeOfficeScript(WORKBOOK, 'Model!D11', '#262626'));
  await screenshotsIn(page, 'dark');
});
