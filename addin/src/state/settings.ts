/**
 * The user's service URL and API key: stored per user (browser storage of the add-in's origin), never in
 * the workbook. Keyed by Office's partition key where the host gives one: Office on the web partitions
 * an add-in's storage per host document origin, and asks add-ins to prefix their keys with it.
 */
import type { ServiceSettings } from '../service/client';
import { officePartitionKey } from '../taskpane/office-host';

const KEY = 'montecell.settings';

/** The storage key of the settings: "<partitionKey>montecell.settings", or the bare key without one. */
export function settingsKey(partitionKey: string | undefined): string {
  return `${partitionKey ?? ''}${KEY}`;
}

export function defaultServiceUrl(): string {
  return process.env.MONTECELL_SERVICE_URL ?? '';
}

export function loadSettings(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
  partitionKey: string | undefined = officePartitionKey(),
): ServiceSettings {
  const fallback = { serviceUrl: defaultServiceUrl(), apiKey: '' };
  try {
    const stored = JSON.parse(
      storage?.getItem(settingsKey(partitionKey)) ?? 'null',
    ) as Partial<ServiceSettings> | null;
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
  partitionKey: string | undefined = officePartitionKey(),
): void {
  storage?.setItem(settingsKey(partitionKey), JSON.stringify(settings));
}
