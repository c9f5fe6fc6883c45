import type { FunctionDefinition } from './types';

export const databaseFunctions: FunctionDefinition[] = [];
