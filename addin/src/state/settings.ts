/** The user's service URL and API key: stored per user (browser storage of the add-in's origin), never in the workbook. */
import type { ServiceSettings } from '../service/client';

const KEY = 'montecell.settings';

export function defaultServiceUrl(): string {
  return process.env.MONTECELL_SERVICE_URL ?? '';
}

export function loadSettings(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
): ServiceSettings {
  const fallback = { serviceUrl: defaultServiceUrl(), apiKey: '' };
  try {
    const stored = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<ServiceSettings> | null;
    return {
      serviceUrl: typeof stored?.serviceUrl === 'string' ? stored.serviceUrl : fallback.serviceUrl,
      apiKey: typeof stored?.apiKey === 'string' ? stored.apiKey : '',
    };
  } catch {
    return fallback;
  }
}

export function saveSettings(
  settings: ServiceSettings,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  storage?.setItem(KEY, JSON.stringify(settings));
}
