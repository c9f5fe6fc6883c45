import { parseArgs } from 'node:util';
import { recalculate } from '../engine/recalc';
import { loadWorkbookFile } from './load-workbook';

export function runRecalc(argv: string[]): number {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const workbook = loadWorkbookFile(positionals[0]);
  const result = recalculate(workbook.model);
  for (const use of result.unsupported)
    process.stderr.write(
      `unsupported function ${use.name} in ${use.sheet}!${use.address} (shown as #NAME?)\n`,
    );
  for (const e of result.parseErrors)
    process.stderr.write(`cannot parse the formula in ${e.cell}: ${e.message}\n`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ cells: Object.fromEntries(result.cells) }, null, 2)}\n`);
  } else {
    for (const [cell, value] of result.cells) process.stdout.write(`${cell}\t${formatValue(value)}\n`);
  }
  return 0;
}

function formatValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'error' in value) return String(value.error);
  return JSON.stringify(value);
}
