/**
 * `npm run compat`: recalculates the Excel corpus, prints per-file mismatches with --verbose, and with
 * --write updates docs/excel-compatibility.md (the table and the floors the compatibility test enforces).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkWorkbook, corpusWorkbooks, requireCorpus, summarize } from '../test/helpers/excel-compat';

const verbose = process.argv.includes('--verbose');
const write = process.argv.includes('--write');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const dir = requireCorpus();
const results = corpusWorkbooks(dir)
  .filter((f) => !only || f.includes(only))
  .map((f) => checkWorkbook(dir, f));

for (const r of results) {
  const pct = r.cells === 0 ? 100 : (100 * r.matched) / r.cells;
  if (pct < 100 || r.error)
    console.log(
      `${pct.toFixed(1).padStart(6)}%  ${r.matched}/${r.cells}  ${r.file}${r.error ? `  ERROR ${r.error.split('\n')[0]}` : ''}`,
    );
  if (verbose)
    for (const m of r.mismatches.slice(0, 40))
      console.log(`      ${m.cell}: expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.actual)}`);
}
const { categories, overall } = summarize(results);
const rows = [...categories, overall].map(
  (c) => `| ${c.category} | ${c.files} | ${c.cells} | ${c.fileMeanPercent.toFixed(1)} |`,
);
const table = [
  '| category | files | formula cells | file-mean match % |',
  '|---|---:|---:|---:|',
  ...rows,
].join('\n');
console.log(table);

if (write) {
  const floors = Object.fromEntries(
    [...categories, overall].map((c) => [c.category, Math.floor(c.fileMeanPercent * 10) / 10]),
  );
  const doc = `# Excel compatibility

\`montecell recalc\` is checked against the values Excel itself cached in the reference corpus
(\`../shared/corpora/excel-calc\`: 202 workbooks, 198 saved by Excel). Each file counts as the share of its
formula cells whose recalculated value matches Excel's (numbers to 1e-9 relative), so that a few large
files (ARABIC_ROMAN.xlsx alone has 40,427 cells) do not hide the rest; a category's score is the mean over
its files.

Measured ${new Date().toISOString().slice(0, 10)} with \`npm run compat -- --write\`.

${table}

Cells that use a function the engine does not implement evaluate to \`#NAME?\` (and are listed on stderr by
\`montecell recalc\`); \`montecell simulate\` refuses such a model before running.

The test \`test/engine/excel-compat.test.ts\` fails if any category falls below its floor:

\`\`\`json floors
${JSON.stringify(floors, null, 2)}
\`\`\`
`;
  writeFileSync(resolve(__dirname, '../docs/excel-compatibility.md'), doc);
  console.log('wrote docs/excel-compatibility.md');
}
