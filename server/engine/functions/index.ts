/**
 * The function library: every Excel function the engine evaluates, by upper-case name. Special forms whose
 * arguments are evaluated lazily (IF, IFS, IFERROR, IFNA, CHOOSE, SWITCH, LET, LAMBDA) live in the
 * evaluators instead; distribution functions (Risk*, MC.*) live in shared/distributions. Their names are
 * listed again in shared/functions/supported.ts for the task pane (a test keeps the two equal).
 */
import { arraysFunctions } from './arrays';
import { conditionalFunctions } from './conditional';
import { databaseFunctions } from './database';
import { dateFunctions } from './date';
import { engineeringFunctions } from './engineering';
import { financialFunctions } from './financial';
import { informationFunctions } from './information';
import { logicalFunctions } from './logical';
import { lookupFunctions } from './lookup';
import { mathFunctions } from './math';
import { statisticalFunctions } from './statistical';
import { textFunctions } from './text';
import type { FunctionDefinition } from './types';

const all: FunctionDefinition[] = [
  ...mathFunctions,
  ...logicalFunctions,
  ...textFunctions,
  ...informationFunctions,
  ...engineeringFunctions,
  ...statisticalFunctions,
  ...conditionalFunctions,
  ...databaseFunctions,
  ...financialFunctions,
  ...dateFunctions,
  ...lookupFunctions,
  ...arraysFunctions,
];

export const functionLibrary: ReadonlyMap<string, FunctionDefinition> = (() => {
  const map = new Map<string, FunctionDefinition>();
  for (const def of all) {
    if (map.has(def.name)) throw new Error(`function ${def.name} is defined twice`);
    map.set(def.name, def);
  }
  return map;
})();

export function lookupFunction(name: string): FunctionDefinition | undefined {
  return functionLibrary.get(name);
}
