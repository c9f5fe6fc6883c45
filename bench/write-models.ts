/** `npx tsx bench/write-models.ts`: writes the benchmark workbooks to bench/models/*.xlsx. */
import { resolve } from 'node:path';
import { writeBenchModels } from './models';

for (const path of writeBenchModels(resolve(__dirname, '..'))) console.log(`wrote ${path}`);
