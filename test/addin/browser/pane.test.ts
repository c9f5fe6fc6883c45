/**
 * The task pane in a real browser (Debian's Chromium through playwright-core), inside a fake Excel backed by
 * examples/project-npv.xlsx, against the real service (API, workers, Redis). Every observation is made in
 * the browser, and faults (socket killed, service silent) are injected on the page's WebSocket.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  ARTIFACTS,
  type Browser,
  buildAddin,
  fakeOfficeScript,
  launchChromium,
  openPane,
  serveStatic,
  WEB_PARTITION_KEY,
  WORKBOOK,
} from './harness';
import { type ServiceUnderTest, startRealService } from './real-service';

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
  // which engine ran, in words, with the service's reason on demand; not the requested "auto"
  await visible(page.getByTestId('run-progress').getByText('Ran on the CPU'));
  expect(
    await page
      .getByTestId('run-progress')
      .getByText(/Engine/)
      .count(),
  ).toBe(0);
  const why = page.getByTestId('run-progress').getByRole('button', { name: 'Why: Ran on the CPU' });
  if ((await why.count()) > 0) {
    await why.click();
    await visible(page.getByText(/GPU/));
    await page.keyboard.press('Escape');
  }
  await page.screenshot({ path: join(ARTIFACTS, 'addin-run.png') });

  // the WebSocket was open and had said hello before POST /run
  expect(network.slice(0, 3)).toEqual(['ws:open', 'ws:hello', 'POST /run']);

  await page.getByRole('button', { name: /Show results/ }).click();
  const results = page.getByTestId('results');
  await visible(results.getByTestId('statistics').getByText('Mean'));
  // the output picker shows the RiskOutput name beside the cell
  await visible(results.getByText('NPV (Model!B22)'));
  for (const chart of ['histogram', 'cdf']) await visible(results.getByTestId(chart).locator('svg').first());
  // the tornado names the inputs in full (the workbook's row labels), none cut short
  const tornado = results.getByRole('list', { name: 'Tornado: Rank correlation' });
  const names = await tornado.getByRole('listitem').allTextContents();
  expect(names.length).toBeGreaterThanOrEqual(3);
  for (const name of names) expect(name).not.toContain('…');
  await visible(tornado.getByText('Operating margin', { exact: true }));
  await visible(results.getByText('Ran on the CPU'));
  await page.screenshot({ path: join(ARTIFACTS, 'addin-results.png'), fullPage: true });

  await page.getByRole('button', { name: 'Write to sheet' }).click();
  await visible(page.getByText('Written to the sheet "Montecell results".'));
  const sheet = await page.evaluate(() => window.__fakeExcel.dump('Montecell results'));
  expect(sheet.A1).toBe('Statistic');
  expect(sheet.B1).toBe('NPV (Model!B22)');
  expect(Object.keys(sheet).length).toBeGreaterThan(3 * 100_000);
  const maxBytes = await page.evaluate(() => window.__fakeExcel.maxSyncBytes);
  expect(maxBytes).toBeLessThan(5 * 1024 * 1024);
}, 120_000); // a loaded 2-core machine takes about a minute over the run and the 300,000 cells written

/** Seconds in the pane's duration text: "4.2 s", "1 min 05 s", "1 h 02 min". */
function durationSeconds(text: string): number {
  const h = /(\d+) h/.exec(text)?.[1];
  const min = /(\d+) min/.exec(text)?.[1];
  const sec = /([\d.]+) s/.exec(text)?.[1];
  return Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(sec ?? 0);
}

const CALIBRATION_TRIALS = 500_000;

test('at 350 px: the time left is within 3× of the real remaining time; pickers sit on one line beside their labels', async () => {
  const { page } = await paneWith((page) => page.setViewportSize({ width: 350, height: 1100 }));
  await visible(page.getByRole('list', { name: 'Outputs' }).getByText('NPV'));
  // The pane says nothing until it has measured 2 s of trials: a run of seconds on any machine, sized
  // by a first run (20 s at its speed, which its start-up slows: some 5 s of trials on a 2-core machine).
  const calibration = Date.now();
  await runFromRunTab(page, CALIBRATION_TRIALS);
  await phaseBecomes(page, 'completed', 60_000);
  const perSecond = CALIBRATION_TRIALS / ((Date.now() - calibration) / 1000);
  const trials = Math.min(10_000_000, Math.max(2_000_000, Math.round((perSecond * 20) / 100_000) * 100_000));
  await runFromRunTab(page, trials);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=run-progress]')?.getAttribute('data-phase') !== 'completed',
  );
  let first: { estimateS: number; at: number; text: string } | undefined;
  let computingStatistics = false;
  while ((await phase(page)) !== 'completed') {
    const timeLeft = page.getByTestId('run-time-left');
    if (!first && (await timeLeft.count()) > 0) {
      const text = (await timeLeft.textContent()) ?? '';
      first = { estimateS: durationSeconds(text), at: Date.now(), text };
    }
    // after the last trial the bar at 100 % says what the service is still doing
    computingStatistics ||=
      (await page.getByTestId('run-progress').getByText('Computing statistics').count()) > 0;
    expect(await phase(page)).not.toBe('failed');
    await page.waitForTimeout(50);
  }
  const remainingS = (Date.now() - (first?.at ?? Number.NaN)) / 1000;
  expect(first).toBeDefined(); // a run of seconds shows an estimate
  const ratio = (first?.estimateS ?? 0) / remainingS;
  writeFileSync(
    join(ARTIFACTS, 'time-left.json'),
    JSON.stringify({ trials, shown: first?.text, estimateS: first?.estimateS, remainingS, ratio }),
  );
  expect({ shown: first?.text, remainingS, ratio, within3x: ratio >= 1 / 3 && ratio <= 3 }).toMatchObject({
    within3x: true,
  });
  expect(computingStatistics).toBe(true);
  await visible(page.getByTestId('run-progress').getByText('Ran on the CPU'));
  await page.screenshot({ path: join(ARTIFACTS, 'addin-run-350.png') });

  await page.getByRole('button', { name: /Show results/ }).click();
  const results = page.getByTestId('results');
  await visible(results.getByTestId('statistics').getByText('Mean'));
  for (const label of ['Run', 'Output']) {
    const picker = results.getByRole('combobox', { name: label, exact: true });
    const labelBox = await results.getByText(label, { exact: true }).boundingBox();
    const pickerBox = await picker.boundingBox();
    if (!labelBox || !pickerBox) throw new Error(`${label}: not laid out`);
    // beside each other: the label's middle within the picker's height, and the picker one line high
    const middle = labelBox.y + labelBox.height / 2;
    expect({ label, beside: middle > pickerBox.y && middle < pickerBox.y + pickerBox.height }).toEqual({
      label,
      beside: true,
    });
    expect(labelBox.x + labelBox.width).toBeLessThanOrEqual(pickerBox.x);
    expect(pickerBox.height).toBeLessThan(40);
    expect(pickerBox.x + pickerBox.width).toBeLessThanOrEqual(350);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBe(0);
  await page.screenshot({ path: join(ARTIFACTS, 'addin-results-350.png'), fullPage: true });
}, 240_000);

test('half the trials #DIV/0!: Results warns with the share by kind; the sheet gets the errors, names and a quoted sheet kept as written', async () => {
  const script = fakeOfficeScript(WORKBOOK, "'Model Outputs'!B2", '#ffffff', (model) => {
    const cells = model.sheets.find((s) => s.name === 'Model')?.cells ?? {};
    cells.E1 = { formula: '=RiskOutput("Ratio")+1/IF(RiskUniform(0,1)<0.5,0,1)' };
    model.sheets.push({ name: 'Model Outputs', cells: { B2: { formula: '=Model!B22*2' } } });
  });
  const { page } = await paneWith(undefined, script);
  const outputs = page.getByRole('list', { name: 'Outputs' });
  await visible(outputs.getByText('Ratio'));
  await page.getByRole('button', { name: 'Add output' }).click();
  await visible(outputs.getByRole('button', { name: "Select 'Model Outputs'!B2" }));
  await runFromRunTab(page, 10_000);
  await phaseBecomes(page, 'completed');
  await page.getByRole('button', { name: /Show results/ }).click();
  const results = page.getByTestId('results');
  await results.getByRole('combobox', { name: 'Output', exact: true }).click();
  await page.getByRole('option', { name: 'Ratio (Model!E1)' }).click();
  const warning = results.getByTestId('error-trials');
  await visible(warning);
  const text = (await warning.textContent()) ?? '';
  // P(U < 0.5) = 1/2: 10,000 trials put the share within 6 standard deviations (0.5 % each) of 50 %
  const share = Number(/([\d.]+) % of the trials are not numbers/.exec(text)?.[1]);
  expect(share).toBeGreaterThan(47);
  expect(share).toBeLessThan(53);
  expect(text).toMatch(/#DIV\/0! in [\d,]+ trials \([\d.]+ %\)/);
  // constant where it is a number: no tornado of 0.00 bars
  await visible(
    results.getByText('Sensitivity: no input moves this output’s numeric trials (rank correlation).'),
  );
  expect(await results.getByRole('list', { name: 'Tornado: Rank correlation' }).count()).toBe(0);
  await page.screenshot({ path: join(ARTIFACTS, 'addin-results-errors.png'), fullPage: true });

  await page.getByRole('button', { name: 'Write to sheet' }).click();
  await visible(page.getByText('Written to the sheet "Montecell results".'));
  const sheet = await page.evaluate(() => window.__fakeExcel.dump('Montecell results'));
  const headers = Object.entries(sheet).filter(([address]) => /^[A-Z]+1$/.test(address));
  const column = (header: string) =>
    headers.find(([, value]) => value === header)?.[0].replace(/1$/, '') ?? 'missing';
  expect(headers.map(([, value]) => value)).toEqual(
    expect.arrayContaining(['Ratio (Model!E1)', "'Model Outputs'!B2", "Samples 'Model Outputs'!B2"]),
  );
  const ratio = column('Samples Ratio (Model!E1)');
  const samples = Array.from({ length: 10_000 }, (_, i) => sheet[`${ratio}${i + 2}`]);
  const errors = samples.filter((v) => typeof v === 'object' && v !== null && v.error === '#DIV/0!');
  expect(errors.length).toBe(Math.round((share / 100) * 10_000));
  expect(samples.filter((v) => v === 1).length).toBe(10_000 - errors.length); // 1/1, and no blanks
});

test('8 outputs × 50,000 trials written to the sheet with every request under Excel on the web’s 5 MB', async () => {
  const script = fakeOfficeScript(WORKBOOK, 'Model!D11', '#ffffff', (model) => {
    const cells = model.sheets.find((s) => s.name === 'Model')?.cells ?? {};
    for (let k = 1; k <= 8; k++)
      cells[`F${k}`] = { formula: `=RiskOutput("Scenario ${k}")+B22*${k}/7+RiskNormal(0,1)` };
  });
  const { page } = await paneWith(undefined, script);
  await visible(page.getByRole('list', { name: 'Outputs' }).getByText('Scenario 8'));
  // the fake host refuses a request over 5 MB as Excel on the web does, so this test can fail
  const refused = await page.evaluate(() =>
    Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.add('Too big');
      sheet.getRangeByIndexes(0, 0, 400_000, 1).values = Array.from({ length: 400_000 }, () => [
        Math.PI * 1e6,
      ]);
      await context.sync();
    }).then(
      () => 'accepted',
      (e: Error) => e.message,
    ),
  );
  expect(refused).toMatch(/^RequestPayloadSizeLimitExceeded/);
  await page.evaluate(() => {
    window.__fakeExcel.maxRequestBytes = 0;
  });

  await runFromRunTab(page, 50_000);
  await phaseBecomes(page, 'completed', 60_000);
  await page.getByRole('button', { name: /Show results/ }).click();
  await page.getByRole('button', { name: 'Write to sheet' }).click();
  await visible(page.getByText('Written to the sheet "Montecell results".'), 60_000);
  const { maxRequestBytes, cells } = await page.evaluate(() => ({
    maxRequestBytes: window.__fakeExcel.maxRequestBytes,
    cells: Object.values(window.__fakeExcel.dump('Montecell results')).filter((v) => typeof v === 'number')
      .length,
  }));
  expect(maxRequestBytes).toBeLessThan(5 * 1024 * 1024);
  expect(maxRequestBytes).toBeGreaterThan(1024 * 1024); // the samples went in large requests, not row by row
  expect(cells).toBeGreaterThanOrEqual(9 * 50_000); // NPV's and the 8 scenarios' samples
}, 180_000);

test('the API key is stored under Office’s partition key, and without one where the host has none', async () => {
  for (const partitionKey of [WEB_PARTITION_KEY, undefined]) {
    const service = await startRealService(pane.url);
    services.push(service);
    const script = fakeOfficeScript(WORKBOOK, 'Model!D11', '#ffffff', undefined, { partitionKey });
    const page = await openPane(browser, pane.url, script, service.url, undefined, partitionKey);
    await page.getByRole('tab', { name: 'Settings' }).click();
    const apiKey = `key-for-${partitionKey ? 'web' : 'desktop'}`;
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Save' }).click();
    const stored = await page.evaluate(() => ({ ...localStorage }));
    const key = `${partitionKey ?? ''}montecell.settings`;
    expect(JSON.parse(stored[key] ?? '{}')).toMatchObject({ apiKey: apiKey });
    // under that key only (the browser profile, and so the storage, is shared by the tests' pages)
    const holding = Object.keys(stored).filter((k) => stored[k].includes(apiKey));
    expect(holding).toEqual([key]);
    await page.close();
  }
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
  // long enough on any machine to still be running when Cancel is pressed
  await runFromRunTab(page, 4_000_000);
  await visible(page.getByTestId('run-iterations'));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await phaseBecomes(page, 'cancelled');
  await visible(page.getByText('The simulation was cancelled.'));
  expect(cancels).toHaveLength(1);
  const done = await page.getByTestId('run-iterations').textContent();
  expect(done).not.toBe('4,000,000 of 4,000,000 iterations');
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
