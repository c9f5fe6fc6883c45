/**
 * Distribution functions in formulas (@RISK's Risk* and Montecell's MC.*). Outside a simulation they show
 * their static value (the mean, as @RISK does); the simulation compiler turns them into sampled inputs.
 */
import type { CellPosition } from '../functions/types';
import type { Matrix, Scalar, Value } from '../values/value';
import { Errors } from '../values/value';

export interface DistributionCall {
  name: string;
  args: (Scalar | Matrix)[];
  caller: CellPosition;
}

/** Property functions only qualify a distribution; alone in a cell they show nothing useful. */
const PROPERTY_FUNCTIONS = new Set([
  'RISKNAME',
  'RISKTRUNCATE',
  'RISKSHIFT',
  'RISKCORRMAT',
  'RISKSTATIC',
  'RISKUNITS',
]);

export function isDistributionFunction(name: string): boolean {
  return name.startsWith('RISK') || name.startsWith('MC.');
}

export function evaluateDistributionCall(
  name: string,
  args: (Scalar | Matrix)[],
  onDistribution: ((call: DistributionCall) => void) | undefined,
  caller: CellPosition,
): Value {
  if (name === 'RISKOUTPUT') return 0;
  if (PROPERTY_FUNCTIONS.has(name)) return 0;
  onDistribution?.({ name, args, caller });
  return Errors.NAME;
}
