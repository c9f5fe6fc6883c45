/**
 * The recalculation baseline: a benchmark workbook loaded into IronCalc (a real spreadsheet engine,
 * Rust compiled to WebAssembly) and simulated as recalculation-driven add-ins do: each trial writes
 * sampled numbers into the input cells, recalculates the workbook and reads the output cells.
 */
import { readFileSync } from 'node:fs';
import { initSync, Model } from '@ironcalc/wasm';
import { createDistribution } from '../shared/distributions/distribution';
import { parseCellAddress } from '../shared/formula/references';
import type { CellModel } from '../shared/model';
import type { BenchModel } from './models';

let initialised = false;

function initIronCalc(): void {
  if (initialised) return;
  initSync({ module: readFileSync(require.resolve('@ironcalc/wasm/wasm_bg.wasm')) });
  initialised = true;
}

/** Enough digits to read a double back from IronCalc's formatted text. */
const FULL_PRECISION = '0.00000000000000E+00';

interface Place {
  sheet: number;
  row: number;
  column: number;
}

/** What IronCalc cannot evaluate: RiskOutput marks outputs by adding 0, so the term is dropped. */
function withoutRiskOutput(formula: string): string {
  return formula.replace(/RiskOutput\([^)]*\)\+/gi, '');
}

function cellInput(cell: CellModel): string {
  if ('formula' in cell) return withoutRiskOutput(cell.formula);
  const v = cell.value;
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'object') return v.error;
  return String(v);
}

export class IronCalcWorkbook {
  private readonly model: Model;
  private readonly inputs: Place[];
  private readonly outputs: Place[];

  constructor(bench: BenchModel) {
    initIronCalc();
    const sheets = bench.workbook.sheets;
    const sheetIndex = new Map(sheets.map((s, i) => [s.name, i]));
    const place = (sheet: string, cell: string): Place => {
      const index = sheetIndex.get(sheet);
      if (index === undefined) throw new Error(`no sheet ${sheet}`);
      const { row, col } = parseCellAddress(cell);
      return { sheet: index, row, column: col };
    };
    const split = (label: string) => {
      const [sheet, cell] = label.split('!');
      return place(sheet, cell);
    };
    this.model = new Model('bench', 'en', 'UTC', 'en');
    this.model.pauseEvaluation();
    sheets.forEach((sheet, i) => {
      if (i > 0) this.model.newSheet();
      this.model.renameSheet(i, sheet.name);
    });
    const inputCells = new Set(bench.inputs.map((input) => `${input.sheet}!${input.cell}`));
    sheets.forEach((sheet, i) => {
      for (const [address, cell] of Object.entries(sheet.cells)) {
        if (inputCells.has(`${sheet.name}!${address}`)) continue;
        const { row, col } = parseCellAddress(address);
        this.model.setUserInput(i, row, col, cellInput(cell));
      }
    });
    this.inputs = bench.inputs.map((input) => place(input.sheet, input.cell));
    bench.inputs.forEach((input, k) => {
      const d = createDistribution(input.spec, { manyDraws: true });
      if ('error' in d) throw new Error(d.error);
      this.setInput(k, d.staticValue);
    });
    this.outputs = bench.outputs.map(split);
    for (const o of this.outputs)
      this.model.updateRangeStyle(
        { sheet: o.sheet, row: o.row, column: o.column, width: 1, height: 1 },
        'num_fmt',
        FULL_PRECISION,
      );
    this.model.evaluate();
  }

  private setInput(k: number, value: number): void {
    const { sheet, row, column } = this.inputs[k];
    this.model.setUserInput(sheet, row, column, String(value));
  }

  /** One trial: the inputs' values in BenchModel.inputs order; returns the outputs (NaN for errors). */
  trial(values: ArrayLike<number>, results: Float64Array): void {
    for (let k = 0; k < this.inputs.length; k++) this.setInput(k, values[k]);
    this.model.evaluate();
    this.outputs.forEach(({ sheet, row, column }, j) => {
      results[j] = Number(this.model.getFormattedCellValue(sheet, row, column));
    });
  }

  free(): void {
    this.model.free();
  }
}
