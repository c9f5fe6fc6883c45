import type { FunctionDefinition } from './types';

export const financialFunctions: FunctionDefinition[] = [];
