import type { FunctionDefinition } from './types';

export const arraysFunctions: FunctionDefinition[] = [];
