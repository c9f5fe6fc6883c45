import type { FunctionDefinition } from './types';

export const textFunctions: FunctionDefinition[] = [];
