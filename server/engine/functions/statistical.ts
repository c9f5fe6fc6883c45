import { descriptiveFunctions } from './statistical-descriptive';
import { regressionFunctions } from './statistical-regression';
import type { FunctionDefinition } from './types';

export const statisticalFunctions: FunctionDefinition[] = [...descriptiveFunctions, ...regressionFunctions];
