/**
 * RiskSimtable(list): multiple simulations. Simulation k of a run gives the k-th value of the list in
 * every trial, so each simulation is the model under one scenario, all drawn from the same seed.
 */

/** Upper-case names (RISKSIMTABLE and its MC.* twin). */
export const SIMTABLE_FUNCTIONS: ReadonlySet<string> = new Set(['RISKSIMTABLE', 'MC.SIMTABLE']);

/** The most simulations one run may hold: each is a whole run of its trials. */
export const MAX_SIMULATIONS = 100;
