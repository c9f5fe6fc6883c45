/** Functions that draw a new value in every trial: a cell calling one is a random input of the model. */
import { ALT_FUNCTIONS } from '../distributions/alt-forms';
import { DISTRIBUTION_FUNCTIONS } from '../distributions/catalogue';

/** Excel's own random functions; the simulation compiler samples them from the run's streams. */
export const RANDOM_FUNCTIONS: ReadonlySet<string> = new Set(['RAND', 'RANDBETWEEN', 'RANDARRAY']);

/** RAND(), RANDBETWEEN(), RANDARRAY() or a distribution function (Risk*, its Alt forms, MC.*), by upper-case name. */
export function isRandomFunction(name: string): boolean {
  return RANDOM_FUNCTIONS.has(name) || DISTRIBUTION_FUNCTIONS.has(name) || ALT_FUNCTIONS.has(name);
}
