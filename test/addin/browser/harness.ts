/**
 * The browser test bench: builds the add-in with the real webpack config, serves it over HTTP, and opens
 * it in Debian's Chromium (playwright-core, no browser download) with office.js replaced by the fake
 * Office/Excel backed by a real .xlsx.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { buildSync } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import webpack from 'webpack';
import { readWorkbook } from '../../../server/xlsx/read-workbook';
import type { CellValue, WorkbookModel } from '../../../shared/model';
import type { ServiceKind } from './real-service';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = join(__dirname, '../../..');
/** The example workbook the pane's tests open, as the fake Excel holds it. */
export const WORKBOOK = join(ROOT, 'examples/project-npv.xlsx');
/** Where the tests leave screenshots and measurements to be looked at (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');
// one cache per checkout: worktrees building at the same time never share one
const CACHE = join(
  tmpdir(),
  `montecell-addin-webpack-${createHash('sha1').update(ROOT).digest('hex').slice(0, 8)}`,
);

/**
 * Builds the add-in (no source maps, persistent cache) into a temporary folder: in development mode, or
 * as it is deployed (production: React without its development checks, minified).
 */
export async function buildAddin(mode: 'development' | 'production' = 'development'): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'montecell-addin-dist-'));
  const makeConfig = require(join(ROOT, 'webpack.config.js'));
  const config = await makeConfig({}, { mode });
  config.output.path = outDir;
  config.devtool = false;
  config.cache = {
    type: 'filesystem',
    cacheDirectory: CACHE,
    buildDependencies: { config: [join(ROOT, 'webpack.config.js')] },
  };
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(config, (error, result) => (error || !result ? reject(error) : resolve(result))),
  );
  const errors = stats.toJson({ all: false, errors: true }).errors ?? [];
  if (errors.length > 0) throw new Error(`webpack: ${errors.map((e) => e.message).join('\n')}`);
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.png': 'image/png',
  '.xml': 'application/xml',
};

export async function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Office.context.partitionKey as Office on the web gives one (a desktop host may give none). */
export const WEB_PARTITION_KEY = 'https://excel.officeapps.live.com/montecell-test/';

/** The fake office.js: the workbook's model and cached values, then the fake API. */
export function fakeOfficeScript(
  xlsxPath: string,
  selection: string,
  background = '#ffffff',
  /** Edits the workbook before the fake Excel holds it (formulas a test needs). */
  edit: (model: WorkbookModel) => void = () => {},
  /** The host's storage partition: undefined for a desktop host that has none. */
  host: { partitionKey?: string } = { partitionKey: WEB_PARTITION_KEY },
): string {
  const { model, cachedValues } = readWorkbook(readFileSync(xlsxPath));
  edit(model);
  return fakeOfficeScriptOf(model, Object.fromEntries(cachedValues), selection, background, host);
}

/** The fake office.js holding a model built in the test (formula cells without cached values show 0). */
export function fakeOfficeScriptOf(
  model: WorkbookModel,
  values: Record<string, CellValue>,
  selection: string,
  background = '#ffffff',
  /** The host's storage partition: undefined for a desktop host that has none. */
  host: { partitionKey?: string } = { partitionKey: WEB_PARTITION_KEY },
): string {
  const init = { model, values, selection, background, partitionKey: host.partitionKey };
  const bundle = buildSync({
    entryPoints: [join(__dirname, 'fake-office.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
  });
  return `window.__fakeExcelInit = ${JSON.stringify(init)};\n${bundle.outputFiles[0].text}`;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run npm run setup (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), 'montecell-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 380, height: 1400 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the pane with the fake Office and the given service URL in the user's settings; every request
 * outside loopback is refused, as on the CI machine.
 */
export async function openPane(
  browser: Browser,
  paneUrl: string,
  officeScript: string,
  serviceUrl: string,
  /** Runs before the pane loads: network observers, WebSocket fault injection. */
  prepare?: (page: Page) => Promise<void> | void,
  /** The fake host's partition key (fakeOfficeScript's), under which the settings are stored. */
  partitionKey: string | undefined = WEB_PARTITION_KEY,
): Promise<Page> {
  const page = await browser.context.newPage();
  await prepare?.(page);
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('https://appsforoffice.microsoft.com/'))
      return route.fulfill({ contentType: 'text/javascript', body: officeScript });
    if (/^(http|ws)s?:\/\/127\.0\.0\.1[:/]/.test(url)) return route.continue();
    return route.abort();
  });
  await page.addInitScript(
    ({ key, settings }) => {
      localStorage.setItem(key, JSON.stringify(settings));
    },
    { key: `${partitionKey ?? ''}montecell.settings`, settings: { serviceUrl, apiKey: '' } },
  );
  await page.goto(`${paneUrl}/taskpane.html`);
  return page;
}

/** The add-in built and served, Chromium, and one real service: what a browser test file starts with. */
export interface PaneBench {
  paneUrl: string;
  browser: Browser;
  serviceUrl: string;
  close(): Promise<void>;
}

/**
 * `service`: the service in this process and the add-in built for development (the default), or both
 * as deployed (./real-service; the add-in's production build), for timings a user would see.
 */
export async function startPaneBench(service: ServiceKind = 'in-process'): Promise<PaneBench> {
  // imported here so that the harness alone does not start Redis connections
  const { startRealService } = await import('./real-service');
  const dist = await buildAddin(service === 'deployed' ? 'production' : 'development');
  const pane = await serveStatic(dist);
  const browser = await launchChromium();
  // a service that cannot start (a stale build, no Redis) must not leave Chromium and the server open:
  // jest would wait for them instead of reporting the failure
  const running = await startRealService(pane.url, service).catch(async (error: unknown) => {
    await browser.close();
    pane.server.close();
    rmSync(dist, { recursive: true, force: true });
    throw error;
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    paneUrl: pane.url,
    browser,
    serviceUrl: running.url,
    close: async () => {
      await browser.close();
      await running.close();
      pane.server.close();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}
