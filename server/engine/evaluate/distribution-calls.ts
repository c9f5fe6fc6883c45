/**
 * Distribution functions in formulas (@RISK's Risk* and Montecell's MC.*). Outside a simulation they show
 * their static value (RiskStatic's, else the mean, or for discrete distributions the possible value
 * nearest the mean, as @RISK does); the simulation compiler turns them into sampled inputs.
 */
import { PROPERTY_FUNCTIONS } from '../../../shared/distributions/catalogue';
import {
  type DistributionArgs,
  distributionFromCall,
  isDistributionName,
} from '../sampling/formula-distributions';
import { Errors, type Value } from '../values/value';

export function isDistributionFunction(name: string): boolean {
  return name === 'RISKOUTPUT' || PROPERTY_FUNCTIONS.has(name) || isDistributionName(name);
}

/** The static value of a distribution call whose arguments are evaluated. */
export function staticDistributionValue(
  name: string,
  params: DistributionArgs['params'],
  properties: DistributionArgs['properties'],
  components?: DistributionArgs['components'],
): Value {
  if (name === 'RISKOUTPUT' || PROPERTY_FUNCTIONS.has(name)) return 0;
  const result = distributionFromCall({ name, params, properties, ...(components ? { components } : {}) });
  if ('error' in result) return result.excelError === '#NUM!' ? Errors.NUM : Errors.VALUE;
  return result.staticValue;
}
