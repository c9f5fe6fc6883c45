/**
 * manifest.xml is well-formed, puts a Montecell button that opens the task pane on the Home tab, and every
 * URL and resource id it names exists: resids resolve to resources, resource URLs to files of the
 * production build (built here into a temporary folder, rewritten for a deployment origin). The task
 * pane's React tree is swapped for a stub to keep this fast: the browser tests build and load the real one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import webpack from 'webpack';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false });
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  parser.on('opentag', (tag) => {
    const element = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      children: [],
      text: '',
    };
    stack[stack.length - 1].children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => stack.pop());
  parser.on('text', (text) => {
    stack[stack.length - 1].text += text;
  });
  parser.write(xml).close();
  return root.children[0];
}

function descendants(element: XmlElement): XmlElement[] {
  return element.children.flatMap((child) => [child, ...descendants(child)]);
}

const ORIGIN = 'https://montecell.example.test';
let outDir: string;
let built: XmlElement;
let source: XmlElement;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'montecell-addin-'));
  const makeConfig = require('../../webpack.config.js');
  const config = await makeConfig({ origin: ORIGIN }, { mode: 'production' });
  config.output.path = outDir;
  config.entry.taskpane = join(outDir, 'taskpane-stub.js');
  writeFileSync(config.entry.taskpane, 'document.title = "Montecell";\n');
  config.devtool = false;
  config.optimization = { minimize: false };
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(config, (error, result) => (error || !result ? reject(error) : resolve(result))),
  );
  expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
  source = parseXml(readFileSync(join(__dirname, '../../manifest.xml'), 'utf8'));
  built = parseXml(readFileSync(join(outDir, 'manifest.xml'), 'utf8'));
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test('is a Workbook task pane add-in that can read and write the document', () => {
  const all = descendants(source);
  expect(source.name).toBe('OfficeApp');
  expect(all.find((e) => e.name === 'Host' && e.attributes.Name === 'Workbook')).toBeDefined();
  expect(all.find((e) => e.name === 'Permissions')?.text).toBe('ReadWriteDocument');
  const excelApi = all.find((e) => e.name === 'Set' && e.attributes.Name === 'ExcelApi');
  expect(excelApi?.attributes.MinVersion).toMatch(/^1\.\d+$/);
  expect(all.find((e) => e.name === 'Runtime')?.attributes.lifetime).toBe('long');
});

test('has a Montecell group on the Home tab with a button that shows the task pane', () => {
  const all = descendants(source);
  const home = all.find((e) => e.name === 'OfficeTab' && e.attributes.id === 'TabHome');
  const group = home?.children.find((e) => e.name === 'Group');
  const button = group?.children.find((e) => e.name === 'Control' && e.attributes['xsi:type'] === 'Button');
  const action = button && descendants(button).find((e) => e.name === 'Action');
  expect(action?.attributes['xsi:type']).toBe('ShowTaskpane');
  const label = group?.children.find((e) => e.name === 'Label')?.attributes.resid;
  const strings = all.filter((e) => e.name === 'bt:String');
  expect(strings.find((s) => s.attributes.id === label)?.attributes.DefaultValue).toBe('Montecell');
  const sizes =
    button &&
    descendants(button)
      .filter((e) => e.name === 'bt:Image')
      .map((e) => e.attributes.size);
  expect(sizes).toEqual(['16', '32', '80']);
});

test('declares custom functions in the MC namespace', () => {
  const all = descendants(source);
  const point = all.find(
    (e) => e.name === 'ExtensionPoint' && e.attributes['xsi:type'] === 'CustomFunctions',
  );
  const namespace = point && descendants(point).find((e) => e.name === 'Namespace')?.attributes.resid;
  const value = all.find((e) => e.name === 'bt:String' && e.attributes.id === namespace)?.attributes
    .DefaultValue;
  expect(value).toBe('MC');
});

test('every resid names a resource', () => {
  const all = descendants(source);
  const ids = new Set(
    all.filter((e) => e.name.startsWith('bt:') && e.attributes.id).map((e) => e.attributes.id),
  );
  const resids = all.map((e) => e.attributes.resid).filter(Boolean);
  expect(resids.length).toBeGreaterThan(10);
  for (const resid of resids) expect(ids).toContain(resid);
});

test('the built manifest points every URL at the deployment origin, and each names a built file', () => {
  const urls = descendants(built)
    .flatMap((e) => [e.attributes.DefaultValue, e.name === 'AppDomain' ? e.text : undefined])
    .filter((v): v is string => v?.startsWith('https://') ?? false);
  expect(urls.length).toBeGreaterThan(8);
  for (const url of urls) {
    expect(url.startsWith(ORIGIN)).toBe(true);
    const path = new URL(url).pathname.replace(/^\//, '');
    if (path) expect(existsSync(join(outDir, path))).toBe(true);
  }
});

test('the build generates functions.json for the MC distributions and loads all bundles in the shared runtime', () => {
  const metadata = JSON.parse(readFileSync(join(outDir, 'functions.json'), 'utf8'));
  const ids = metadata.functions.map((f: { id: string }) => f.id);
  expect(ids).toEqual(
    expect.arrayContaining(['NORMAL', 'TRIANG', 'PERT', 'UNIFORM', 'DISCRETE', 'LOGNORMAL']),
  );
  const page = readFileSync(join(outDir, 'taskpane.html'), 'utf8');
  for (const bundle of ['taskpane.js', 'commands.js', 'functions.js']) expect(page).toContain(bundle);
  expect(readFileSync(join(outDir, 'functions.js'), 'utf8')).toContain('CustomFunctions.associate("NORMAL"');
});
