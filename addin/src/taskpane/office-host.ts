/// <reference types="office-js" />
/** Where the pane meets Office: Excel.run, the document settings, the Office theme. */
import type { SettingsStore } from '../excel/definitions';

export function withExcel<T>(work: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
  if (typeof Excel === 'undefined')
    return Promise.reject(new Error('Excel is not available: open this pane from Excel'));
  return Excel.run(work);
}

export function documentSettings(): SettingsStore | undefined {
  return typeof Office !== 'undefined' ? Office.context?.document?.settings : undefined;
}

/** Office's theme is dark when its body background is dark. */
export function officeIsDark(): boolean {
  const color = typeof Office !== 'undefined' ? Office.context?.officeTheme?.bodyBackgroundColor : undefined;
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color ?? '');
  if (!m) return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const [r, g, b] = m.slice(1).map((h) => Number.parseInt(h, 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5;
}

/** Office's storage partition for this add-in (Office on the web); undefined where the host has none. */
export function officePartitionKey(): string | undefined {
  const key = typeof Office !== 'undefined' ? Office.context?.partitionKey : undefined;
  return typeof key === 'string' && key !== '' ? key : undefined;
}
