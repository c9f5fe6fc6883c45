/**
 * Generates examples/project-npv.xlsx, the workbook `npm run demo` simulates: a ten-year project with
 * @RISK-style uncertain inputs, two outputs (NPV and IRR) and a summary block of statistics functions. Run with `npx tsx scripts/make-examples.ts`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeWorkbook } from '../server/xlsx/write-workbook';
import type { CellModel, WorkbookModel } from '../shared/model';

export function projectNpvModel(): WorkbookModel {
  const cells: Record<string, CellModel> = {
    A1: { value: 'Project NPV model (Montecell example)' },
    A3: { value: 'Initial investment' },
    B3: { formula: '=RiskTriang(900,1000,1300)' },
    A4: { value: 'Year-1 revenue' },
    B4: { formula: '=RiskNormal(700,70)' },
    A5: { value: 'Revenue growth' },
    B5: { formula: '=RiskPert(0.01,0.04,0.09)' },
    A6: { value: 'Operating margin' },
    B6: { formula: '=RiskUniform(0.25,0.35)' },
    A7: { value: 'Discount rate' },
    B7: { value: 0.08 },
    A8: { value: 'Tax rate' },
    B8: { value: 0.25 },
    A10: { value: 'Year' },
    B10: { value: 'Revenue' },
    C10: { value: 'Cash flow' },
    D10: { value: 'Discounted' },
    E10: { formula: '=-B3' },
  };
  for (let year = 1; year <= 10; year++) {
    const r = 10 + year;
    cells[`A${r}`] = { value: year };
    cells[`B${r}`] = { formula: year === 1 ? '=B4' : `=B${r - 1}*(1+$B$5)` };
    cells[`C${r}`] = { formula: `=B${r}*$B$6*(1-$B$8)` };
    cells[`D${r}`] = { formula: `=C${r}/(1+$B$7)^A${r}` };
    cells[`E${r}`] = { formula: `=C${r}` };
  }
  cells.A22 = { value: 'NPV' };
  cells.B22 = { formula: '=RiskOutput("NPV")+SUM(D11:D20)-B3' };
  cells.A23 = { value: 'IRR' };
  cells.B23 = { formula: '=RiskOutput("IRR")+IRR(E10:E20)' };
  // The summary block most @RISK models carry: statistics of the outputs, filled in after a run.
  cells.G10 = { value: 'Summary' };
  cells.G11 = { value: 'Mean NPV' };
  cells.H11 = { formula: '=RiskMean(B22)' };
  cells.G12 = { value: 'NPV, 5th percentile' };
  cells.H12 = { formula: '=RiskPercentile(B22,0.05)' };
  cells.G13 = { value: 'NPV, 95th percentile' };
  cells.H13 = { formula: '=RiskPercentile(B22,0.95)' };
  cells.G14 = { value: 'Chance of a loss' };
  cells.H14 = { formula: '=RiskTarget(B22,0)' };
  cells.G15 = { value: 'Mean IRR' };
  cells.H15 = { formula: '=RiskMean("IRR")' };
  cells.G16 = { value: 'Mean NPV per unit invested' };
  cells.H16 = { formula: '=H11/B3' };
  return { version: 1, sheets: [{ name: 'Model', cells }], names: [{ name: 'NPV', ref: '=Model!$B$22' }] };
}

if (require.main === module) {
  const path = resolve(__dirname, '../examples/project-npv.xlsx');
  writeFileSync(path, writeWorkbook(projectNpvModel()));
  console.log(`wrote ${path}`);
}
