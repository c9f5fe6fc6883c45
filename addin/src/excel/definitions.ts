/// <reference types="office-js" />
/**
 * Inputs and outputs the user defined in the pane, stored in the workbook's add-in settings (saved with
 * the document, so they survive save and reopen, on every platform).
 */
import { z } from 'zod';
import { DistributionSpec, TargetCell } from '../../../shared/model';

export const SETTINGS_KEY = 'montecell.definitions';

export const ModelDefinitions = z.object({
  version: z.literal(1),
  inputs: z.array(z.object({ cell: TargetCell, distribution: DistributionSpec })),
  outputs: z.array(z.object({ cell: TargetCell, name: z.string().max(255).optional() })),
});

export type ModelDefinitions = z.infer<typeof ModelDefinitions>;

export const emptyDefinitions: ModelDefinitions = { version: 1, inputs: [], outputs: [] };

/** The subset of Office.Settings used here: the real settings object, or a test double. */
export type SettingsStore = Pick<Office.Settings, 'get' | 'set' | 'saveAsync'>;

export function loadDefinitions(settings: SettingsStore): ModelDefinitions {
  const parsed = ModelDefinitions.safeParse(settings.get(SETTINGS_KEY));
  return parsed.success ? parsed.data : emptyDefinitions;
}

export function saveDefinitions(settings: SettingsStore, definitions: ModelDefinitions): Promise<void> {
  settings.set(SETTINGS_KEY, ModelDefinitions.parse(definitions));
  return new Promise((resolve, reject) =>
    settings.saveAsync((result) =>
      String(result.status) === 'failed'
        ? reject(new Error(result.error?.message ?? 'saving settings failed'))
        : resolve(),
    ),
  );
}
