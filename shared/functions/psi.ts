/**
 * Analytic Solver workbooks (Frontline's Psi* functions) run as the @RISK model they are: each Psi call
 * with an @RISK equivalent is rewritten, once when a formula is parsed, into that @RISK call, so sampling,
 * outputs, statistics cells and their checks are the engine's one implementation. A Psi call with no
 * equivalent, or in a form the equivalent does not cover, keeps its Psi name and is refused before a run
 * like any function the engine does not implement.
 */
import { PSI_DISTRIBUTIONS, PSI_PROPERTIES } from '../distributions/psi-functions';
import type { CallNode, FormulaNode } from '../formula/ast';
import { someNode } from '../formula/walk';
import { STATISTICS_FUNCTIONS, THEORETICAL_FUNCTIONS } from './statistics';

/**
 * Psi statistics functions → @RISK's. Psi's take (cell, statistic's arguments, simulation, struc_format,
 * param_slice) with an optional PsiTruncate; the last two (dimensional models) must be left out.
 * PsiKurtosis, like @RISK's, is not the excess (a normal's is 3).
 */
const PSI_STATISTICS: ReadonlyMap<string, string> = new Map(
  [
    'MEAN',
    'STDDEV',
    'VARIANCE',
    'MIN',
    'MAX',
    'RANGE',
    'SKEWNESS',
    'KURTOSIS',
    'MODE',
    'PERCENTILE', // (cell, percentile from 0 to 1)
    'PERCENTILED',
    'TARGET', // (cell, target value): the share of trials at or below it
    'TARGETD',
  ].flatMap((statistic) => [
    [`PSI${statistic}`, `RISK${statistic}`],
    [`PSITHEO${statistic}`, `RISKTHEO${statistic}`],
  ]),
);

/** PsiTheoPtoX is PsiTheoPercentile by another name, as @RISK's RiskTheoPtoX. */
const PSI_STATISTIC_ALIASES: ReadonlyMap<string, string> = new Map([['PSITHEOPTOX', 'RISKTHEOPTOX']]);

/** PsiMedian(cell) and PsiTheoMedian(cell): the 50th percentile. */
const PSI_MEDIANS: ReadonlyMap<string, string> = new Map([
  ['PSIMEDIAN', 'RISKPERCENTILE'],
  ['PSITHEOMEDIAN', 'RISKTHEOPERCENTILE'],
]);

/** PsiOutput() and PsiSimOutput() mark the cell they are in as an output, as RiskOutput(). */
const PSI_OUTPUTS: ReadonlySet<string> = new Set(['PSIOUTPUT', 'PSISIMOUTPUT']);

/** A formula text that marks its cell as an output: RiskOutput(…), PsiOutput(…) or PsiSimOutput(…). */
export const OUTPUT_CALL = /(?:RISKOUTPUT|PSIOUTPUT|PSISIMOUTPUT)\s*\(/i;

/** Whether an upper-case name is a Psi distribution Montecell samples (as its @RISK equivalent). */
export function isPsiDistribution(name: string): boolean {
  return PSI_DISTRIBUTIONS.has(name);
}

/** The formula with every Psi call that has an @RISK equivalent written as that call; else the same tree. */
export function translatePsiCalls(tree: FormulaNode): FormulaNode {
  const callsPsi = someNode(tree, (node) => node.type === 'call' && node.name.startsWith('PSI'));
  return callsPsi ? translated(tree) : tree;
}

// Recursion is bounded by the parser's MAX_DEPTH (1024), far below the stack's limit.
function translated(node: FormulaNode): FormulaNode {
  switch (node.type) {
    case 'call': {
      const args = node.args.map(translated);
      return riskCall(node.name, args) ?? { type: 'call', name: node.name, args };
    }
    case 'invoke':
      return { type: 'invoke', callee: translated(node.callee), args: node.args.map(translated) };
    case 'unary':
      return { type: 'unary', op: node.op, operand: translated(node.operand) };
    case 'binary':
      return { type: 'binary', op: node.op, left: translated(node.left), right: translated(node.right) };
    default:
      return node;
  }
}

/** The @RISK call a Psi call (its arguments already translated) is, or undefined when it has none. */
function riskCall(name: string, args: FormulaNode[]): CallNode | undefined {
  const call = (risk: string, riskArgs: FormulaNode[]): CallNode => ({
    type: 'call',
    name: risk,
    args: riskArgs,
  });
  const distribution = PSI_DISTRIBUTIONS.get(name);
  if (distribution) return call(distribution, args);
  const property = PSI_PROPERTIES.get(name);
  if (property) {
    if (args.length > property.maxArgs) return undefined;
    if (name === 'PSITRUNCATE') {
      // PsiTruncate(min, max, type): type 1 (the default) gives the bounds as values; 2 (in standard
      // deviations) and 3 (percentiles) have no @RISK form here.
      const type = args[2];
      if (type && type.type !== 'empty' && !(type.type === 'number' && type.value === 1)) return undefined;
      return call(property.risk, args.slice(0, 2));
    }
    return call(property.risk, args);
  }
  if (PSI_OUTPUTS.has(name)) {
    // PsiOutput("name", instance) names its cell's output; PsiOutput(B1) marks another cell, which
    // RiskOutput cannot, so it stays unknown.
    if (args.length === 0) return call('RISKOUTPUT', []);
    return args[0].type === 'string' && args.length <= 2 ? call('RISKOUTPUT', [args[0]]) : undefined;
  }
  const median = PSI_MEDIANS.get(name);
  if (median)
    return args.length === 0
      ? undefined
      : statisticCall(median, [args[0], { type: 'number', value: 0.5 }, ...args.slice(1)]);
  const statistic = PSI_STATISTICS.get(name) ?? PSI_STATISTIC_ALIASES.get(name);
  return statistic ? statisticCall(statistic, args) : undefined;
}

/**
 * A Psi statistics call as the @RISK one: the cell, the statistic's arguments and the simulation number
 * kept, PsiTruncate (now RiskTruncate) kept wherever it is; the dimensional-model arguments that follow
 * must be empty. Theoretical statistics take no simulation number.
 */
function statisticCall(risk: string, args: FormulaNode[]): CallNode | undefined {
  if (args.length === 0) return undefined;
  const simulated = STATISTICS_FUNCTIONS.get(risk);
  const info = simulated ?? THEORETICAL_FUNCTIONS.get(risk);
  if (!info) return undefined;
  const isTruncate = (a: FormulaNode) => a.type === 'call' && a.name === 'RISKTRUNCATE';
  const positional = args.filter((a) => !isTruncate(a));
  const kept = 1 + info.params.length + (simulated ? 1 : 0);
  if (positional.slice(kept).some((a) => a.type !== 'empty')) return undefined;
  return { type: 'call', name: risk, args: [...positional.slice(0, kept), ...args.filter(isTruncate)] };
}
