import type { FunctionDefinition } from './types';

export const lookupFunctions: FunctionDefinition[] = [];
