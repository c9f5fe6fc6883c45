import type { FunctionDefinition } from './types';

export const randomFunctions: FunctionDefinition[] = [];
