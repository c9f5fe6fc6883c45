/**
 * The task pane in a real browser (Debian's Chromium through playwright-core), inside a fake Excel backed by
 * examples/project-npv.xlsx, against a service speaking the shared protocol. Today that service is the
 * in-test fake (fake-service.ts: real engine, paced progress, fault switches); to run against the real
 * service (issue 4, with Redis) change `startService` below — nothing else depends on which one it is.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { type FakeServiceOptions, type ServiceUnderTest, startFakeService } from './fake-service';
import { type Browser, buildAddin, fakeOfficeScript, launchChromium, openPane, serveStatic } from './harness';

const startService = (options: FakeServiceOptions = {}): Promise<ServiceUnderTest> =>
  startFakeService(options);

const WORKBOOK = join(__dirname, '../../../examples/project-npv.xlsx');
const ARTIFACTS = join(__dirname, '../../../test-artifacts');

let dist: string;
let pane: { url: string; server: Server };
let browser: Browser;
let officeScript: string;
const services: ServiceUnderTest[] = [];

beforeAll(async () => {
  dist = await buildAddin();
  pane = await serveStatic(dist);
  browser = await launchChromium();
  officeScript = fakeOfficeScript(WORKBOOK, 'Model!D11');
  mkdirSync(ARTIFACTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(services.map((s) => s.close()));
  pane?.server.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

async function paneWith(
  options: FakeServiceOptions = {},
): Promise<{ page: Page; service: ServiceUnderTest }> {
  const service = await startService(options);
  services.push(service);
  const page = await openPane(browser, pane.url, officeScript, service.url);
  return { page, service };
}

async function runFromRunTab(page: Page, iterations: number): Promise<void> {
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByLabel('Iterations').fill(String(iterations));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

const phase = (page: Page) => page.getByTestId('run-progress').getAttribute('data-phase');

async function visible(locator: Locator, timeout = 5_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

async function hasText(locator: Locator, text: string, timeout = 5_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: string | undefined;
  while (Date.now() < deadline) {
    last = (await locator.textContent())?.trim();
    if (last === text) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(last).toBe(text);
}

async function phaseBecomes(page: Page, expected: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=run-progress]')?.getAttribute('data-phase') === want,
    expected,
    { timeout },
  );
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

test('add an output, run 10,000 trials: the bar advances to 100 %, results and charts appear', async () => {
  const { page, service } = await paneWith();
  const network: { event: string; at: number }[] = [];
  page.on('websocket', (ws) => {
    network.push({ event: 'ws:open', at: Date.now() });
    ws.on('framereceived', (frame) => {
      if (String(frame.payload).includes('"hello"')) network.push({ event: 'ws:hello', at: Date.now() });
    });
  });
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/simulations/run'))
      network.push({ event: 'POST /run', at: Date.now() });
  });

  // the model as read through the fake Office.js: the workbook's @RISK inputs and RiskOutput cells
  const inputs = page.getByRole('list', { name: 'Inputs' });
  await visible(inputs.getByText('RiskTriang'));
  await visible(inputs.getByRole('button', { name: 'Select Model!B4' }));
  const outputs = page.getByRole('list', { name: 'Outputs' });
  await visible(outputs.getByText('NPV'));

  // Add output on the selection (Model!D11); it is saved in the workbook's settings
  await page.getByRole('button', { name: 'Add output' }).click();
  await visible(outputs.getByRole('button', { name: 'Select Model!D11' }));
  const saved = await page.evaluate(() => window.__fakeExcel.settings.get('montecell.definitions'));
  expect(saved).toMatchObject({ outputs: [{ cell: 'Model!D11' }] });

  await runFromRunTab(page, 10_000);
  const seen: string[] = [];
  for (let i = 0; i < 400 && (await phase(page)) !== 'completed'; i++) {
    seen.push((await page.getByTestId('run-status').textContent()) ?? '');
    await page.waitForTimeout(25);
  }
  expect(await phase(page)).toBe('completed');
  const percents = seen
    .map((s) => /([\d.]+) %/.exec(s)?.[1])
    .filter(Boolean)
    .map(Number);
  expect(percents.some((p) => p > 0 && p < 100)).toBe(true); // it advanced, never jumped straight to the end
  expect(percents).toEqual([...percents].sort((a, b) => a - b));
  await hasText(page.getByTestId('run-status'), 'Completed — 100 %');
  await hasText(page.getByTestId('run-iterations'), '10,000 of 10,000 iterations');

  // the WebSocket was open and had said hello before POST /run
  const order = network.map((n) => n.event);
  expect(order.slice(0, 3)).toEqual(['ws:open', 'ws:hello', 'POST /run']);
  expect(service.log.indexOf('ws:hello')).toBeLessThan(service.log.indexOf('POST /api/simulations/run'));

  await page.getByRole('button', { name: /Show results/ }).click();
  const results = page.getByTestId('results');
  await visible(results.getByTestId('statistics').getByText('Mean'));
  for (const chart of ['histogram', 'cdf', 'tornado'])
    await visible(results.getByTestId(chart).locator('svg').first());
  await page.screenshot({ path: join(ARTIFACTS, 'addin-results.png'), fullPage: true });

  await page.getByRole('button', { name: 'Write to sheet' }).click();
  await visible(page.getByText('Written to the sheet "Montecell results".'));
  const sheet = await page.evaluate(() => window.__fakeExcel.dump('Montecell results'));
  expect(sheet.A1).toBe('Statistic');
  expect(sheet.B1).toBe('Model!B22');
  expect(Object.keys(sheet).length).toBeGreaterThan(3 * 10_000);
  const maxBytes = await page.evaluate(() => window.__fakeExcel.maxSyncBytes);
  expect(maxBytes).toBeLessThan(5 * 1024 * 1024);
});

test('with the service down: a clear error, not a frozen bar', async () => {
  const { page, service } = await paneWith();
  await service.close(); // nothing listens there any more
  await runFromRunTab(page, 1_000);
  await visible(page.getByTestId('run-error'));
  expect(await page.getByTestId('run-error').textContent()).toMatch(/Could not connect|did not answer/);
  expect(await page.getByRole('progressbar').count()).toBe(0);
});

test('Cancel stops a long run and the pane shows cancelled', async () => {
  const { page, service } = await paneWith({ sliceTrials: 1_000, sliceDelayMs: 200 });
  await runFromRunTab(page, 1_000_000);
  await visible(page.getByTestId('run-iterations'));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await phaseBecomes(page, 'cancelled');
  await visible(page.getByText('The simulation was cancelled.'));
  expect(service.log.some((line) => new RegExp(`^POST /api/simulations/${UUID}/cancel$`).test(line))).toBe(
    true,
  );
});

test('the socket killed mid-run: the pane reconnects, subscribes, and shows the final state', async () => {
  const { page, service } = await paneWith({ dropSocketsAfterSlice: 3 });
  await runFromRunTab(page, 10_000);
  await phaseBecomes(page, 'completed');
  expect(service.log).toContain('ws:drop');
  const afterDrop = service.log.slice(service.log.indexOf('ws:drop'));
  expect(afterDrop.some((line) => new RegExp(`^ws:subscribe ${UUID}$`).test(line))).toBe(true);
  await hasText(page.getByTestId('run-iterations'), '10,000 of 10,000 iterations');
});

test('heartbeats stop: a visible stall with the seconds of silence, then the run completes', async () => {
  const { page } = await paneWith({ silenceAfterSlice: 2, silenceMs: 6_500 });
  await runFromRunTab(page, 5_000);
  await visible(page.getByTestId('run-stalled'), 10_000);
  expect(await page.getByTestId('run-stalled').textContent()).toMatch(
    /No response from the service for [5-9] s/,
  );
  await phaseBecomes(page, 'completed');
  expect(await page.getByTestId('run-stalled').count()).toBe(0);
});
