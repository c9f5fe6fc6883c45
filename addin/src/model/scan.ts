/**
 * What the Model tab lists, found in the workbook read through Office.js: inputs (cells with a Risk*, MC.*
 * or Psi* distribution, or RAND-family calls), outputs (cells with RiskOutput or PsiOutput), and calls to functions the
 * engine does not evaluate, with their cells. Pure: runs on the WorkbookModel alone.
 */

import type { FormulaNode } from '../../../shared/formula/ast';
import { parseFormula } from '../../../shared/formula/parser';
import { isPsiDistribution, translatePsiCalls } from '../../../shared/functions/psi';
import { isRandomFunction } from '../../../shared/functions/random';
import { unsupportedCalls } from '../../../shared/functions/supported';
import type { WorkbookModel } from '../../../shared/model';
import { qualify } from '../excel/addresses';

/** At most this many cells are listed per unsupported function. */
const MAX_CELLS_LISTED = 50;

export interface FoundInput {
  cell: string;
  /** The distribution or RAND function, as written: "RiskNormal", "MC.TRIANG", "RAND". */
  function: string;
  formula: string;
}

export interface FoundOutput {
  cell: string;
  /** RiskOutput's name argument, when a text literal. */
  name?: string;
}

export interface UnsupportedFunction {
  name: string;
  cells: string[];
  /** Cells beyond those listed. */
  more: number;
}

export interface ModelScan {
  inputs: FoundInput[];
  outputs: FoundOutput[];
  unsupported: UnsupportedFunction[];
  /** Formulas the parser rejects, with the reason. */
  invalid: { cell: string; message: string }[];
}

export function scanModel(model: WorkbookModel): ModelScan {
  const definedNames = new Set(model.names.map((n) => n.name.toUpperCase()));
  const scan: ModelScan = { inputs: [], outputs: [], unsupported: [], invalid: [] };
  const unsupported = new Map<string, UnsupportedFunction>();
  for (const sheet of model.sheets) {
    for (const [address, cell] of Object.entries(sheet.cells)) {
      if (!('formula' in cell)) continue;
      const where = qualify(sheet.name, address);
      let tree: FormulaNode;
      try {
        tree = parseFormula(cell.formula);
      } catch (e) {
        scan.invalid.push({ cell: where, message: e instanceof Error ? e.message : String(e) });
        continue;
      }
      const calls = callsIn(tree);
      const input = calls.find((c) => isRandomFunction(c.name) || isPsiDistribution(c.name));
      if (input)
        scan.inputs.push({
          cell: where,
          function: spelling(cell.formula, input.name),
          formula: cell.formula,
        });
      // PsiOutput("name") is read as RiskOutput("name").
      const output = callsIn(translatePsiCalls(tree)).find((c) => c.name === 'RISKOUTPUT');
      if (output) scan.outputs.push({ cell: where, ...outputName(output) });
      for (const name of unsupportedCalls(tree, definedNames)) {
        const entry = unsupported.get(name) ?? { name, cells: [], more: 0 };
        unsupported.set(name, entry);
        if (entry.cells.length < MAX_CELLS_LISTED) entry.cells.push(where);
        else entry.more++;
      }
    }
  }
  scan.unsupported = [...unsupported.values()].sort((a, b) => a.name.localeCompare(b.name));
  return scan;
}

type Call = Extract<FormulaNode, { type: 'call' }>;

function callsIn(node: FormulaNode, out: Call[] = []): Call[] {
  switch (node.type) {
    case 'call':
      out.push(node);
      for (const arg of node.args) callsIn(arg, out);
      break;
    case 'invoke':
      callsIn(node.callee, out);
      for (const arg of node.args) callsIn(arg, out);
      break;
    case 'unary':
      callsIn(node.operand, out);
      break;
    case 'binary':
      callsIn(node.left, out);
      callsIn(node.right, out);
      break;
  }
  return out;
}

function outputName(call: Call): { name?: string } {
  const first = call.args[0];
  return first?.type === 'string' ? { name: first.value } : {};
}

/** The function's name as the user wrote it ("RiskNormal" rather than the parser's "RISKNORMAL"). */
function spelling(formula: string, upper: string): string {
  const at = formula.toUpperCase().indexOf(upper);
  return at >= 0 ? formula.slice(at, at + upper.length) : upper;
}
