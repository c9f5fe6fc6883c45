import type { FunctionDefinition } from './types';

export const informationFunctions: FunctionDefinition[] = [];
