/**
 * The task pane in a real browser (Debian's Chromium through playwright-core), inside a fake Excel backed by
 * examples/project-npv.xlsx, against the real service (API, workers, Redis). Every observation is made in
 * the browser, and faults (socket killed, service silent) are injected on the page's WebSocket.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { type Browser, buildAddin, fakeOfficeScript, launchChromium, openPane, serveStatic } from './harness';
import { type ServiceUnderTest, startRealService } from './real-service';

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
  prepare?: (page: Page) => Promise<void> | void,
  script = officeScript,
): Promise<{ page: Page; service: ServiceUnderTest }> {
  const service = await startRealService(pane.url);
  services.push(service);
  const page = await openPane(browser, pane.url, script, service.url, prepare);
  return { page, service };
}

const isProgressFrame = (message: string | Buffer) => String(message).includes('"type":"progress"');

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

test('add an output, run 100,000 trials: the bar advances to 100 %, results and charts appear', async () => {
  const network: string[] = [];
  const { page } = await paneWith((page) => {
    page.on('websocket', (ws) => {
      network.push('ws:open');
      ws.on('framereceived', (frame) => {
        if (String(frame.payload).includes('"type":"hello"')) network.push('ws:hello');
      });
    });
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/simulations/run'))
        network.push('POST /run');
    });
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

  // Long enough (a few hundred ms) for the bar to be seen between 0 and 100 %.
  await runFromRunTab(page, 100_000);
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
  await hasText(page.getByTestId('run-iterations'), '100,000 of 100,000 iterations');
  await page.screenshot({ path: join(ARTIFACTS, 'addin-run.png') });

  // the WebSocket was open and had said hello before POST /run
  expect(network.slice(0, 3)).toEqual(['ws:open', 'ws:hello', 'POST /run']);

  await page.getByRole('button', { name: /Show results/ }).click();
  const results = page.getByTestId('results');
  await visible(results.getByTestId('statistics').getByText('Mean'));
  // the output picker shows the RiskOutput name beside the cell
  await visible(results.getByText('NPV (Model!B22)'));
  for (const chart of ['histogram', 'cdf']) await visible(results.getByTestId(chart).locator('svg').first());
  await visible(results.getByTestId('tornado').getByRole('listitem'));
  await page.screenshot({ path: join(ARTIFACTS, 'addin-results.png'), fullPage: true });

  await page.getByRole('button', { name: 'Write to sheet' }).click();
  await visible(page.getByText('Written to the sheet "Montecell results".'));
  const sheet = await page.evaluate(() => window.__fakeExcel.dump('Montecell results'));
  expect(sheet.A1).toBe('Statistic');
  expect(sheet.B1).toBe('NPV (Model!B22)');
  expect(Object.keys(sheet).length).toBeGreaterThan(3 * 100_000);
  const maxBytes = await page.evaluate(() => window.__fakeExcel.maxSyncBytes);
  expect(maxBytes).toBeLessThan(5 * 1024 * 1024);
});

test('an inconsistent correlation matrix: the run completes and Results shows the engine’s warning', async () => {
  // Three inputs correlated by a matrix no variables could have (x~y and y~z strongly, x~z strongly against).
  const script = fakeOfficeScript(WORKBOOK, 'Model!D11', '#ffffff', (model) => {
    const cells = model.sheets.find((s) => s.name === 'Model')?.cells ?? {};
    cells.B3 = { formula: '=RiskTriang(900,1000,1300,RiskCorrmat(H1:J3,1))' };
    cells.B4 = { formula: '=RiskNormal(700,70,RiskCorrmat(H1:J3,2))' };
    cells.B5 = { formula: '=RiskPert(0.01,0.04,0.09,RiskCorrmat(H1:J3,3))' };
    const matrix = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    matrix.forEach((row, r) => {
      row.forEach((value, c) => {
        cells[`${'HIJ'[c]}${r + 1}`] = { value };
      });
    });
  });
  const { page } = await paneWith(undefined, script);
  await visible(page.getByRole('list', { name: 'Outputs' }).getByText('NPV'));
  await runFromRunTab(page, 2_000);
  await phaseBecomes(page, 'completed');
  await page.getByRole('button', { name: /Show results/ }).click();
  await visible(page.getByTestId('results').getByText(/correlation matrix is not positive semi-definite/));
});

test('Add input on the selected cell, by keyboard: distribution, validated parameters, density preview, saved', async () => {
  const { page } = await paneWith();
  await visible(page.getByRole('list', { name: 'Inputs' }).getByText('RiskTriang'));
  await page.evaluate(() => {
    window.__fakeExcel.selection = 'Model!B7';
  });
  await page.getByRole('button', { name: 'Add input' }).focus();
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Add input on Model!B7' });
  await visible(form);
  await visible(form.getByTestId('density-preview')); // Normal(100, 10) to start with

  await form.getByRole('combobox').focus();
  await page.keyboard.press('Enter');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter'); // Normal → Lognormal → Uniform → Triangular
  await hasText(form.getByRole('combobox'), 'Triangular');

  await form.getByLabel('min', { exact: true }).fill('0.05');
  await form.getByLabel('mode', { exact: true }).fill('0.2');
  await form.getByLabel('max', { exact: true }).fill('0.12');
  await visible(form.getByRole('alert')); // the engine's own check: mode above max
  expect(await form.getByRole('alert').textContent()).toMatch(/mode|max/i);
  expect(await form.getByRole('button', { name: 'Add input' }).isDisabled()).toBe(true);
  await form.getByLabel('mode', { exact: true }).fill('0.08');
  await visible(form.getByTestId('density-preview'));
  await page.screenshot({ path: join(ARTIFACTS, 'addin-add-input.png') });
  await form.getByRole('button', { name: 'Add input' }).click();

  const inputs = page.getByRole('list', { name: 'Inputs' });
  await visible(inputs.getByText('Triangular(0.05, 0.08, 0.12)'));
  const saved = await page.evaluate(() => window.__fakeExcel.settings.get('montecell.definitions'));
  expect(saved).toMatchObject({
    inputs: [{ cell: 'Model!B7', distribution: { type: 'triangular', params: [0.05, 0.08, 0.12] } }],
  });
  await page.getByRole('button', { name: 'Select Model!B7' }).first().click();
  await page.waitForFunction(() => window.__fakeExcel.selected.includes('Model!B7'));
});

test('follows Office’s dark theme and fits a 320 px pane without horizontal scrolling', async () => {
  const service = await startRealService(pane.url);
  services.push(service);
  const dark = fakeOfficeScript(WORKBOOK, 'Model!D11', '#262626');
  const page = await openPane(browser, pane.url, dark, service.url, (page) =>
    page.setViewportSize({ width: 320, height: 900 }),
  );
  await visible(page.getByRole('list', { name: 'Inputs' }).getByText('RiskTriang'));
  const background = await page.locator('main').evaluate((main) => getComputedStyle(main).backgroundColor);
  const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
  expect(r + g + b).toBeLessThan(3 * 80);
  for (const tab of ['Model', 'Run', 'Settings']) {
    await page.getByRole('tab', { name: tab }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect({ tab, overflow }).toEqual({ tab, overflow: 0 });
  }
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.screenshot({ path: join(ARTIFACTS, 'addin-dark-320.png') });

  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Check connection' }).click();
  await visible(page.getByTestId('connection-check'));
  expect(await page.getByTestId('connection-check').textContent()).toMatch(
    /^Service status: ok · [1-9]\d* workers?$/,
  );
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
  const cancels: string[] = [];
  const { page } = await paneWith((page) => {
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/simulations\/[^/]+\/cancel$/.test(request.url()))
        cancels.push(request.url());
    });
  });
  await runFromRunTab(page, 1_000_000);
  await visible(page.getByTestId('run-iterations'));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await phaseBecomes(page, 'cancelled');
  await visible(page.getByText('The simulation was cancelled.'));
  expect(cancels).toHaveLength(1);
  const done = await page.getByTestId('run-iterations').textContent();
  expect(done).not.toBe('1,000,000 of 1,000,000 iterations');
});

test('the socket killed mid-run: the pane reconnects, subscribes, and shows the final state', async () => {
  let connections = 0;
  const afterReconnect: string[] = [];
  const { page } = await paneWith((page) =>
    page.routeWebSocket(/\/ws/, (ws) => {
      const connection = ++connections;
      const server = ws.connectToServer();
      let progress = 0;
      ws.onMessage((message) => {
        if (connection > 1) afterReconnect.push(String(message));
        server.send(message);
      });
      server.onMessage((message) => {
        ws.send(message);
        if (connection === 1 && isProgressFrame(message) && ++progress === 3) {
          ws.close({ code: 4000, reason: 'killed by the test' });
          server.close();
        }
      });
    }),
  );
  await runFromRunTab(page, 10_000);
  await phaseBecomes(page, 'completed');
  expect(connections).toBeGreaterThanOrEqual(2);
  expect(afterReconnect.map((m) => JSON.parse(m).type)).toContain('subscribe');
  await hasText(page.getByTestId('run-iterations'), '10,000 of 10,000 iterations');
});

test('the service goes silent: a visible stall with the seconds of silence, then the run completes', async () => {
  const SILENCE_MS = 6_500;
  let holdUntil = 0;
  const { page } = await paneWith((page) =>
    page.routeWebSocket(/\/ws/, (ws) => {
      const server = ws.connectToServer();
      let progress = 0;
      server.onMessage((message) => {
        if (isProgressFrame(message) && ++progress === 2) holdUntil = Date.now() + SILENCE_MS;
        const wait = holdUntil - Date.now();
        if (wait > 0)
          setTimeout(() => ws.send(message), wait); // released together, in order
        else ws.send(message);
      });
    }),
  );
  await runFromRunTab(page, 5_000);
  await visible(page.getByTestId('run-stalled'), 10_000);
  expect(await page.getByTestId('run-stalled').textContent()).toMatch(
    /No response from the service for [5-9] s/,
  );
  await phaseBecomes(page, 'completed');
  expect(await page.getByTestId('run-stalled').count()).toBe(0);
});
