import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { corpusDir, listCorpusWorkbooks } from '../helpers/corpus';
import { checkWorkbook, summarize } from '../helpers/excel-compat';

/** Floors recorded in docs/excel-compatibility.md by `npm run compat -- --write`. */
function recordedFloors(): Record<string, number> {
  const doc = readFileSync(resolve(__dirname, '../../docs/excel-compatibility.md'), 'utf8');
  const m = /```json floors\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('docs/excel-compatibility.md has no floors block');
  return JSON.parse(m[1]);
}

describe('Excel compatibility over the corpus', () => {
  const results = listCorpusWorkbooks().map((file) => checkWorkbook(corpusDir(), file));
  const { categories, overall } = summarize(results);

  it('reads and recalculates every workbook without crashing', () => {
    expect(results.filter((r) => r.error).map((r) => `${r.file}: ${r.error}`)).toEqual([]);
    expect(overall.cells).toBe(68_379);
  });

  it.each(Object.entries(recordedFloors()))(
    '%s stays at or above its recorded floor (%d %%)',
    (category, floor) => {
      const summary = category === 'all files' ? overall : categories.find((c) => c.category === category);
      expect(summary).toBeDefined();
      expect(summary!.fileMeanPercent).toBeGreaterThanOrEqual(floor);
    },
  );
});
