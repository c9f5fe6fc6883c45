/**
 * Swapping @RISK functions for their MC.* twins and back (RiskMean(B22) ⇄ MC.MEAN(B22), RiskNormal(100,10)
 * ⇄ MC.NORMAL(100,10)): Excel shows an MC.* function's value through Montecell's custom functions, while
 * colleagues on @RISK need the Risk* names. The rewrite is made on the parsed formula, so text in strings,
 * defined names and sheet names that look like a function are left alone.
 */
import { DISTRIBUTION_TWINS } from '../distributions/catalogue';
import { type CallNode, parseFormula, printFormula, someNode } from '../formula';
import { STATISTICS_TWINS } from './statistics';

export type SwapDirection = 'to-mc' | 'to-risk';

interface Twin {
  /** The name the swap writes. */
  name: string;
  /** How many arguments the function written takes: a call with more is not swapped. */
  arity: number;
}

const TWINS = [...DISTRIBUTION_TWINS, ...STATISTICS_TWINS];

/** Upper-case name (as parsed) to the twin each direction writes. */
const TARGETS: Record<SwapDirection, ReadonlyMap<string, Twin>> = {
  'to-mc': new Map(TWINS.map((t) => [t.risk.toUpperCase(), { name: t.mc, arity: t.arity }])),
  // several @RISK names may share a twin (RiskPtoX, RiskPercentile): the first listed is written back
  'to-risk': new Map(
    [...TWINS].reverse().map((t) => [t.mc.toUpperCase(), { name: t.risk, arity: t.arity }] as const),
  ),
};

/** What a swap in one direction replaces: the Risk* functions, or the MC.* ones. */
const SOURCE_PREFIX: Record<SwapDirection, string> = { 'to-mc': 'RISK', 'to-risk': 'MC.' };

/** A function renamed by a swap, as the user reads it: "RiskMean" → "MC.MEAN". */
export interface Renamed {
  from: string;
  to: string;
}

export type FormulaSwap =
  | { kind: 'swapped'; formula: string; renamed: Renamed[] }
  | { kind: 'unchanged' }
  /** Left as it is, because one of its calls has no twin that takes its arguments. */
  | { kind: 'kept'; reason: string };

/** How the user reads a source function: @RISK's spelling of a Risk* one ("RiskMean"), MC.MEAN as it is. */
function sourceName(direction: SwapDirection, parsed: string): string {
  if (direction === 'to-risk') return parsed;
  const twin = TWINS.find((t) => t.risk.toUpperCase() === parsed);
  return twin?.risk ?? parsed; // a function without a twin is named as parsed: RISKOUTPUT
}

/**
 * A formula with every function of the source family replaced by its twin, or why it is kept: a cell is
 * swapped whole or not at all, so it never mixes a Risk* call inside an MC.* one it cannot be read by.
 */
export function swapFormula(formula: string, direction: SwapDirection): FormulaSwap {
  const prefix = SOURCE_PREFIX[direction];
  if (!formula.startsWith('=') || !formula.toUpperCase().includes(prefix)) return { kind: 'unchanged' };
  let tree: ReturnType<typeof parseFormula>;
  try {
    tree = parseFormula(formula);
  } catch {
    return { kind: 'kept', reason: 'the formula could not be read' };
  }
  const calls: CallNode[] = [];
  someNode(tree, (node) => {
    if (node.type === 'call' && node.name.startsWith(prefix)) calls.push(node);
    return false;
  });
  if (calls.length === 0) return { kind: 'unchanged' };
  const targets = TARGETS[direction];
  for (const call of calls) {
    const twin = targets.get(call.name);
    const name = sourceName(direction, call.name);
    if (!twin)
      return { kind: 'kept', reason: `${name} has no ${direction === 'to-mc' ? 'MC.*' : '@RISK'} twin` };
    if (call.args.length > twin.arity)
      return { kind: 'kept', reason: `${name} is given more arguments than ${twin.name} takes` };
  }
  const renamed = calls.map((call) => {
    const from = sourceName(direction, call.name);
    call.name = (targets.get(call.name) as Twin).name;
    return { from, to: call.name };
  });
  return { kind: 'swapped', formula: `=${printFormula(tree)}`, renamed };
}

/** A cell's formula and where it is, "Sheet1!B3". */
export interface FormulaCell {
  address: string;
  formula: string;
}

/** What a swap of a workbook will do, for the user to confirm before anything is written. */
export interface SwapPlan {
  direction: SwapDirection;
  /** The cells rewritten, with their new formulas. */
  changes: (FormulaCell & { before: string })[];
  /** Per function renamed ("RiskMean → MC.MEAN"): the cells where it is. */
  byFunction: { from: string; to: string; cells: string[] }[];
  /** Cells with a function of the source family that stay as they are, and why. */
  kept: { address: string; reason: string }[];
}

export function planSwap(cells: Iterable<FormulaCell>, direction: SwapDirection): SwapPlan {
  const plan: SwapPlan = { direction, changes: [], byFunction: [], kept: [] };
  const groups = new Map<string, SwapPlan['byFunction'][number]>();
  for (const { address, formula } of cells) {
    const swap = swapFormula(formula, direction);
    if (swap.kind === 'kept') plan.kept.push({ address, reason: swap.reason });
    if (swap.kind !== 'swapped') continue;
    plan.changes.push({ address, formula: swap.formula, before: formula });
    for (const { from, to } of swap.renamed) {
      const key = `${from}→${to}`;
      const group = groups.get(key) ?? { from, to, cells: [] };
      if (!group.cells.includes(address)) group.cells.push(address);
      groups.set(key, group);
    }
  }
  plan.byFunction = [...groups.values()].sort(
    (a, b) => b.cells.length - a.cells.length || a.from.localeCompare(b.from),
  );
  return plan;
}
