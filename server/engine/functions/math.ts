import type { FunctionDefinition } from './types';

export const mathFunctions: FunctionDefinition[] = [];
