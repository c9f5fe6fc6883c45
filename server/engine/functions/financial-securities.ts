import type { FunctionDefinition } from './types';

export const securitiesFunctions: FunctionDefinition[] = [];
