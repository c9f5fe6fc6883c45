import type { FunctionDefinition } from './types';

export const conditionalFunctions: FunctionDefinition[] = [];
