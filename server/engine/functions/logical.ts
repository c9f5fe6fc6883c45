import type { FunctionDefinition } from './types';

export const logicalFunctions: FunctionDefinition[] = [];
