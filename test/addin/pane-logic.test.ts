/** The pane's pure helpers: MC.* static values, the distribution picker, the service client's errors, formats. */
import * as mc from '../../addin/src/functions/functions';
import { buildSpec, CATALOGUE, describeSpec, entryFor } from '../../addin/src/model/catalogue';
import { baseUrl, ServiceClient, ServiceError, webSocketUrl } from '../../addin/src/service/client';
import { formatDuration, formatStatistic } from '../../addin/src/state/format';
import { loadSettings, saveSettings } from '../../addin/src/state/settings';
import { densityPoints } from '../../shared/distributions/density';

describe('MC.* custom functions show the static value', () => {
  test('the mean for continuous distributions', () => {
    expect(mc.normal(100, 10)).toBe(100);
    expect(mc.triang(1, 2, 6)).toBeCloseTo(3, 12);
    expect(mc.pert(0, 1, 8)).toBeCloseTo(2, 12); // (min + 4·mode + max) / 6
    expect(mc.uniform(-1, 3)).toBe(1);
    expect(mc.lognormal(100, 20)).toBeCloseTo(100, 8);
  });

  test('the possible value nearest the mean for discrete ones', () => {
    expect(mc.discrete([[1], [2], [10]], [[0.45], [0.45], [0.1]])).toBe(2); // mean 2.35
    expect(mc.bernoulli(0.3)).toBe(0);
    expect(mc.intUniform(1, 6)).toBe(3); // 3.5: the lower one on a tie
  });

  test('invalid parameters raise the engine’s message', () => {
    expect(() => mc.normal(0, -1)).toThrow(/MC.NORMAL/);
    expect(() => mc.triang(3, 2, 1)).toThrow();
  });
});

describe('distribution picker', () => {
  const triangular = entryFor('triangular')!;

  test('offers the engine’s MC.* signatures', () => {
    expect(triangular.params).toEqual(['min', 'mode', 'max']);
    expect(CATALOGUE.map((e) => e.functionName)).toEqual(
      expect.arrayContaining(['MC.NORMAL', 'MC.PERT', 'MC.DISCRETE']),
    );
    for (const entry of CATALOGUE) expect(buildSpec(entry, entry.example)).toHaveProperty('spec');
  });

  test('validates fields, then parameters with the engine', () => {
    expect(buildSpec(triangular, ['1', '', '3'])).toEqual({ error: 'mode: enter a number', field: 1 });
    expect(buildSpec(triangular, ['1', '5', '3'])).toHaveProperty('error');
    const built = buildSpec(entryFor('discrete')!, ['1, 2, 3', '1;1;2']);
    expect(built).toMatchObject({ spec: { type: 'discrete', values: [1, 2, 3], weights: [1, 1, 2] } });
    if ('spec' in built) expect(describeSpec(built.spec)).toBe('Discrete({1, 2, 3}, {1, 1, 2})');
  });

  test('density points for the preview', () => {
    const normal = buildSpec(entryFor('normal')!, ['0', '1']);
    if (!('distribution' in normal)) throw new Error(normal.error);
    const points = densityPoints(normal.distribution);
    const peak = points.reduce((a, b) => (b.y > a.y ? b : a));
    expect(Math.abs(peak.x)).toBeLessThan(0.1);
    expect(peak.y).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 2);
    const binomial = buildSpec(entryFor('binomial')!, ['4', '0.5']);
    if (!('distribution' in binomial)) throw new Error(binomial.error);
    const mass = densityPoints(binomial.distribution);
    expect(mass.map((p) => p.x)).toEqual([0, 1, 2, 3, 4]);
    expect(mass[2].y).toBeCloseTo(6 / 16, 12);
  });
});

describe('service client', () => {
  const settings = { serviceUrl: 'https://svc.example/', apiKey: 'k1' };

  test('URLs: same origin by default, ws(s) with the key as a query parameter', () => {
    expect(baseUrl({ serviceUrl: '', apiKey: '' }, 'https://localhost:3000')).toBe('https://localhost:3000');
    expect(webSocketUrl(settings)).toBe('wss://svc.example/ws?api_key=k1');
    expect(webSocketUrl({ serviceUrl: 'http://127.0.0.1:8000', apiKey: '' })).toBe('ws://127.0.0.1:8000/ws');
  });

  test('sends the key header and surfaces the service’s error message', async () => {
    const calls: [string, RequestInit][] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(
        JSON.stringify({ error: { code: 'unsupported', message: 'Model!A4: WEBSERVICE is not supported' } }),
        {
          status: 422,
        },
      );
    }) as typeof fetch;
    const run = new ServiceClient(settings, fetchImpl).run({} as never);
    await expect(run).rejects.toThrow('Model!A4: WEBSERVICE is not supported');
    await expect(run).rejects.toMatchObject({ code: 'unsupported', status: 422 });
    expect(calls[0][0]).toBe('https://svc.example/api/simulations/run');
    expect((calls[0][1].headers as Record<string, string>)['X-API-Key']).toBe('k1');
  });

  test('an unreachable service says so, with the URL', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const health = new ServiceClient(settings, fetchImpl).health();
    await expect(health).rejects.toBeInstanceOf(ServiceError);
    await expect(health).rejects.toThrow('The Montecell service at https://svc.example did not answer');
  });
});

test('formats and per-user settings', () => {
  expect(formatDuration(4_200)).toBe('4.2 s');
  expect(formatDuration(65_000)).toBe('1 min 05 s');
  expect(formatStatistic(1234.5678)).toBe('1,234.57');
  expect(formatStatistic(null)).toBe('—');
  const store = new Map<string, string>();
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
  };
  expect(loadSettings(storage, undefined)).toEqual({ serviceUrl: '', apiKey: '' });
  saveSettings({ serviceUrl: 'https://svc', apiKey: 'k' }, storage, undefined);
  expect(loadSettings(storage, undefined)).toEqual({ serviceUrl: 'https://svc', apiKey: 'k' });
  expect([...store.keys()]).toEqual(['montecell.settings']);
  // another partition (another document origin in Office on the web) neither sees nor overwrites it
  expect(loadSettings(storage, 'https://contoso.sharepoint.com')).toEqual({ serviceUrl: '', apiKey: '' });
  saveSettings({ serviceUrl: 'https://other', apiKey: 'k2' }, storage, 'https://contoso.sharepoint.com');
  expect(store.get('https://contoso.sharepoint.commontecell.settings')).toBe(
    JSON.stringify({ serviceUrl: 'https://other', apiKey: 'k2' }),
  );
  expect(loadSettings(storage, undefined)).toEqual({ serviceUrl: 'https://svc', apiKey: 'k' });
});
