import type { FunctionDefinition } from './types';

export const engineeringFunctions: FunctionDefinition[] = [];
