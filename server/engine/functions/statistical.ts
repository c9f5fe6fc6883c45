import { descriptiveFunctions } from './statistical-descriptive';
import type { FunctionDefinition } from './types';

export const statisticalFunctions: FunctionDefinition[] = [...descriptiveFunctions];
