import type { FunctionDefinition } from './types';

export const statisticalFunctions: FunctionDefinition[] = [];
