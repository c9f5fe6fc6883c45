import type { FunctionDefinition } from './types';

export const dateFunctions: FunctionDefinition[] = [];
