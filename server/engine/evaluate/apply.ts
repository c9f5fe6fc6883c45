/**
 * Calling a library function with evaluated arguments: scalar parameters given arrays are lifted element
 * by element, and non-finite numbers become #NUM!. Shared by the interpreter and the compiled kernel.
 */
import type { FunctionContext, FunctionDefinition } from '../functions/types';
import { Errors, Lambda, Matrix, Reference, type Scalar, type Value } from '../values/value';
import { liftN } from './broadcast';
import { finite } from './operators';

export function checkResult(value: Value): Value {
  return typeof value === 'number' ? finite(value) : value;
}

/**
 * `args` must already be prepared for each parameter kind (see ParamKind): scalar parameters hold a
 * Scalar or, to be lifted, a Matrix. `elementOf` turns a lifted call's non-scalar result into one element.
 */
export function applyFunction(
  def: FunctionDefinition,
  args: Value[],
  ctx: FunctionContext,
  elementOf: (value: Reference) => Scalar,
): Value {
  let liftPositions: number[] | undefined;
  for (let i = 0; i < args.length; i++)
    if (
      args[i] instanceof Matrix &&
      (def.params[Math.min(i, def.params.length - 1)] ?? 'scalar') === 'scalar'
    )
      (liftPositions ??= []).push(i);
  if (!liftPositions) return checkResult(def.impl(args, ctx));
  const positions = liftPositions;
  return liftN(
    positions.map((i) => args[i] as Matrix),
    (values) => {
      const callArgs = args.slice();
      for (let j = 0; j < positions.length; j++) callArgs[positions[j]] = values[j];
      const result = checkResult(def.impl(callArgs, ctx));
      if (result instanceof Matrix) return result.data[0];
      if (result instanceof Reference) return elementOf(result);
      if (result instanceof Lambda) return Errors.CALC;
      return result;
    },
  );
}
