import { descriptiveFunctions } from './statistical-descriptive';
import { distributionFunctions } from './statistical-distributions';
import { regressionFunctions } from './statistical-regression';
import { testFunctions } from './statistical-tests';
import type { FunctionDefinition } from './types';

export const statisticalFunctions: FunctionDefinition[] = [
  ...descriptiveFunctions,
  ...regressionFunctions,
  ...distributionFunctions,
  ...testFunctions,
];
