/** The grid value of an MC.* function, from the shared distribution catalogue (pure TypeScript). */
import { specFromArguments } from '../../../shared/distributions/catalogue';
import { createDistribution, type DistributionSpec } from '../../../shared/distributions/distribution';

declare const CustomFunctions:
  | { Error: new (code: string, message?: string) => Error; ErrorCode: { invalidValue: string } }
  | undefined;

/** Excel shows #VALUE! with the message as its tooltip; outside Excel (tests) a plain Error. */
function invalidValue(message: string): Error {
  return typeof CustomFunctions !== 'undefined'
    ? new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, message)
    : new Error(message);
}

export function staticValueOf(functionName: string, args: ReadonlyArray<number | readonly number[]>): number {
  const spec = specFromArguments(functionName, args);
  if ('error' in spec) throw invalidValue(spec.error);
  return staticValueOfSpec(spec);
}

/** The grid value of a distribution given by its spec (MC.METALOG builds its own: optional arguments). */
export function staticValueOfSpec(spec: DistributionSpec): number {
  const distribution = createDistribution(spec);
  if ('error' in distribution) throw invalidValue(distribution.error);
  return distribution.staticValue;
}
