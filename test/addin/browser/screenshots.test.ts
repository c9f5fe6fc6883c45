import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, fakeOfficeScript, openPane, type PaneBench, startPaneBench, WORKBOOK } from './harness';

const WIDTH = 350;

let bench: PaneBench;

beforeAll(async () => {
  bench = await startPaneBench();
}, 180_000);

afterAll(() => bench?.close());

/** What sticks out past the pane's right edge (beyond a scrollbar's rounding), by its text or role. */
async function outsideThePane(page: Page): Promise<string[]> {
  return page.evaluate((width) => {
    const found: string[] = [];
    for (const element of document.querySelectorAll('main *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
      // a chart's own clipped drawing (an axis tick's overhang) is inside an svg: judge the svg itself
      if (element.closest('svg') && element.tagName.toLowerCase() !== 'svg') continue;
      found.push(
        `${element.tagName.toLowerCase()} "${(element.textContent ?? '').slice(0, 40)}" right=${box.right}`,
      );
    }
    return found;
  }, WIDTH);
}

/** Pickers whose control wrapped below or beside its label in a way that takes two lines. */
async function wrappedPickers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const wrapped: string[] = [];
    for (const combobox of document.querySelectorAll('main [role=combobox]')) {
      const box = combobox.getBoundingClientRect();
      if (box.height === 0) continue;
      const lineHeight = Number.parseFloat(getComputedStyle(combobox).lineHeight) || 20;
      // a dropdown of one line is at most about two line heights tall (its padding included)
      if (box.height > 2.2 * lineHeight) wrapped.push(`${combobox.textContent} height=${box.height}`);
    }
    return wrapped;
  });
}

for (const [theme, background] of [
  ['light', '#ffffff'],
  ['dark', '#262626'],
] as const) {
  test(`every tab at ${WIDTH} px, ${theme} theme: nothing clipped, no picker wrapped`, async () => {
    const script = fakeOfficeScript(WORKBOOK, 'Model!D11', background);
    const page = await openPane(bench.browser, bench.paneUrl, script, bench.serviceUrl, (p) =>
      p.setViewportSize({ width: WIDTH, height: 1000 }),
    );
    await page.getByRole('list', { name: 'Outputs' }).getByText('NPV').first().waitFor();
    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByLabel('Iterations').fill('5000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: /Show results/ }).waitFor({ timeout: 30_000 });

    for (const tab of ['Model', 'Run', 'Results', 'Settings']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await page.waitForLoadState('networkidle');
      await page.screenshot({
        path: join(ARTIFACTS, `tab-${tab.toLowerCase()}-${WIDTH}-${theme}.png`),
        fullPage: true,
        animations: 'disabled',
      });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ tab, overflow }).toEqual({ tab, overflow: 0 });
      expect({ tab, outside: await outsideThePane(page) }).toEqual({ tab, outside: [] });
      expect({ tab, wrapped: await wrappedPickers(page) }).toEqual({ tab, wrapped: [] });
    }
    // the Run tab keeps what was typed there across the other tabs' visits
    await page.getByRole('tab', { name: 'Run' }).click();
    expect(await page.getByLabel('Iterations').inputValue()).toBe('5000');
  });
}
