/**
 * The Model tab's view of one input, as @RISK's Model window shows it: its name (RiskName, else the row
 * label), the distribution and its parameters read from the formula, and its theoretical range and mean.
 * Also the formula that replaces the distribution when the user edits it in place. Pure: runs on the
 * WorkbookModel alone.
 */
import {
  DISTRIBUTION_FUNCTIONS,
  riskFunctionName,
  specFromArguments,
} from '../../../shared/distributions/catalogue';
import { createDistribution, type Distribution } from '../../../shared/distributions/distribution';
import { theoreticalStatistics } from '../../../shared/distributions/theoretical';
import type { CallNode, FormulaNode } from '../../../shared/formula/ast';
import { parseFormula } from '../../../shared/formula/parser';
import { printFormula } from '../../../shared/formula/printer';
import { numberToColumn, tryParseCellAddress } from '../../../shared/formula/references';
import { childrenOf, mapChildren } from '../../../shared/formula/walk';
import type { DistributionSpec, WorkbookModel } from '../../../shared/model';
import { splitAddress } from '../excel/addresses';
import { entryFor } from './catalogue';
import type { FoundInput } from './scan';

/** Where the support is unbounded, the range shown is the 1 % and 99 % points instead. */
export const TAIL_PROBABILITY = 0.01;

export interface RangeEnd {
  value: number;
  /** "min" / "max" for the support's end, "P1" / "P99" for a percentile standing in for an infinite one. */
  label: 'min' | 'max' | 'P1' | 'P99';
}

export interface InputDetail extends FoundInput {
  /** RiskName's text, else the nearest text to the left in its row, else above in its column. */
  name?: string;
  /** The distribution as the formula writes it, when every parameter is a number written in the formula. */
  spec?: DistributionSpec;
  distribution?: Distribution;
  /** Theoretical mean and range (truncation and shift included). */
  low?: RangeEnd;
  mean?: number;
  high?: RangeEnd;
  /** Why the distribution is not shown: parameters computed from cells, or a function the form does not offer. */
  unreadable?: string;
}

const RISK_NAME = 'RISKNAME';

export function describeInputs(model: WorkbookModel, inputs: FoundInput[]): InputDetail[] {
  return inputs.map((input) => describeInput(model, input));
}

export function describeInput(model: WorkbookModel, input: FoundInput): InputDetail {
  const detail: InputDetail = { ...input, name: rowLabel(model, input.cell) };
  let call: CallNode | undefined;
  try {
    call = distributionCall(parseFormula(input.formula));
  } catch {
    return { ...detail, unreadable: 'the formula cannot be read' };
  }
  if (!call) return { ...detail, unreadable: 'a random function without a distribution' };
  const info = DISTRIBUTION_FUNCTIONS.get(call.name);
  if (!info) return detail;
  const riskName = call.args.slice(info.params.length).find(isCallTo(RISK_NAME));
  const nameArg = riskName?.type === 'call' ? riskName.args[0] : undefined;
  if (nameArg?.type === 'string') detail.name = nameArg.value;

  const args = call.args.slice(0, info.params.length).map(literal);
  if (args.some((a) => a === undefined))
    return { ...detail, unreadable: 'its parameters are computed from other cells' };
  const built = specFromArguments(call.name, args as (number | number[])[]);
  if ('error' in built) return { ...detail, unreadable: built.error };
  const { name: _function, ...spec } = built;
  const distribution = createDistribution(built);
  const statistics = theoreticalStatistics(built);
  if ('error' in distribution) return { ...detail, spec, unreadable: distribution.error };
  if ('error' in statistics) return { ...detail, spec, unreadable: statistics.error };
  return {
    ...detail,
    spec,
    distribution,
    mean: statistics.mean,
    low: Number.isFinite(statistics.min)
      ? { value: statistics.min, label: 'min' }
      : { value: distribution.inverseCdf(TAIL_PROBABILITY), label: 'P1' },
    high: Number.isFinite(statistics.max)
      ? { value: statistics.max, label: 'max' }
      : { value: distribution.inverseCdf(1 - TAIL_PROBABILITY), label: 'P99' },
  };
}

/** Whether the Model tab can edit the input in place: a distribution of the form's catalogue, read. */
export function isEditable(input: InputDetail): boolean {
  return input.spec !== undefined && entryFor(input.spec.type) !== undefined;
}

/**
 * The input's formula with its distribution replaced by `spec`, keeping what surrounds the call and its
 * property functions (RiskName, RiskCorrmat …). The function keeps the family the user wrote: RiskX
 * stays RiskY, MC.X becomes MC.Y.
 */
export function rewriteDistribution(
  formula: string,
  spec: DistributionSpec,
  functionAsWritten: string,
): string {
  const tree = parseFormula(formula);
  const call = distributionCall(tree);
  const entry = entryFor(spec.type);
  if (!call || !entry) throw new Error(`${formula} has no distribution the form can write`);
  const info = DISTRIBUTION_FUNCTIONS.get(call.name);
  const properties = info ? call.args.slice(info.params.length) : [];
  const risk = !functionAsWritten.toUpperCase().startsWith('MC.');
  const name = risk ? (riskFunctionName(spec.type) ?? entry.functionName) : entry.functionName;
  const scalars = [...spec.params];
  const params: FormulaNode[] = entry.params.map((param) => {
    const list = arrayParam(spec, param);
    if (list) return { type: 'array', rows: [list.map((value) => ({ type: 'number', value }))] };
    return numberNode(scalars.shift() ?? 0);
  });
  const replaced = replaceNode(tree, call, { type: 'call', name, args: [...params, ...properties] });
  return `=${printFormula(replaced)}`;
}

function arrayParam(spec: DistributionSpec, param: string): number[] | undefined {
  if (param === 'values') return spec.values ?? [];
  if (param === 'weights') return spec.weights ?? [];
  if (param === 'xValues') return spec.points?.x ?? [];
  if (param === 'pValues' || param === 'densities') return spec.points?.y ?? [];
  return undefined;
}

function numberNode(value: number): FormulaNode {
  return value < 0
    ? { type: 'unary', op: '-', operand: { type: 'number', value: -value } }
    : { type: 'number', value };
}

/** A number or a one-dimensional array of numbers written in the formula; undefined for anything else. */
function literal(node: FormulaNode): number | number[] | undefined {
  if (node.type === 'number') return node.value;
  if (node.type === 'unary' && node.op === '-' && node.operand.type === 'number') return -node.operand.value;
  if (node.type === 'array') {
    const values = node.rows.flat().map((e) => (e.type === 'number' ? e.value : Number.NaN));
    return values.every(Number.isFinite) ? values : undefined;
  }
  return undefined;
}

const isCallTo = (name: string) => (node: FormulaNode) => node.type === 'call' && node.name === name;

/** The first distribution call of a formula, depth first. */
function distributionCall(node: FormulaNode): CallNode | undefined {
  if (node.type === 'call' && DISTRIBUTION_FUNCTIONS.has(node.name)) return node;
  for (const child of childrenOf(node)) {
    const found = distributionCall(child);
    if (found) return found;
  }
  return undefined;
}

function replaceNode(node: FormulaNode, target: FormulaNode, by: FormulaNode): FormulaNode {
  return node === target ? by : mapChildren(node, (child) => replaceNode(child, target, by));
}

/** @RISK's default name: the nearest text to the left in the cell's row, else above in its column. */
export function rowLabel(model: WorkbookModel, qualified: string): string | undefined {
  const { sheet: sheetName, start } = splitAddress(qualified);
  const sheet = model.sheets.find((s) => s.name === sheetName);
  const at = tryParseCellAddress(start);
  if (!sheet || !at) return undefined;
  const textAt = (row: number, col: number) => {
    const cell = sheet.cells[`${numberToColumn(col)}${row}`];
    return cell && 'value' in cell && typeof cell.value === 'string' && cell.value.trim() !== ''
      ? cell.value
      : undefined;
  };
  for (let col = at.col - 1; col >= 1; col--) {
    const text = textAt(at.row, col);
    if (text) return text;
  }
  for (let row = at.row - 1; row >= 1; row--) {
    const text = textAt(row, at.col);
    if (text) return text;
  }
  return undefined;
}

/** The name an output is known by: its RiskOutput name, else its row label. */
export function outputName(model: WorkbookModel, cell: string, riskOutputName?: string): string | undefined {
  return riskOutputName ?? rowLabel(model, cell);
}
