/**
 * The last completed run's results, shared by the task pane (which fetches them from the service) and the
 * MC.* statistics functions (which show them in cells). Webpack builds the pane and the functions as
 * separate bundles, each with its own copy of this module; the shared runtime (manifest.xml) gives them one
 * window, so the store lives on it.
 */
import type { SimulationResults } from '../../../shared/model';

type Listener = (results: SimulationResults) => void;

interface Store {
  results?: SimulationResults;
  listeners: Set<Listener>;
}

const KEY = '__montecellRunResults';

function store(): Store {
  const host = globalThis as unknown as Record<string, Store | undefined>;
  host[KEY] ??= { listeners: new Set() };
  return host[KEY];
}

/** A run has completed: every statistics cell shows its values. */
export function publishRunResults(results: SimulationResults): void {
  const shared = store();
  shared.results = results;
  for (const listener of shared.listeners) listener(results);
}

export function lastRunResults(): SimulationResults | undefined {
  return store().results;
}

/** Calls `listener` with each run's results from now on; returns the call that stops it. */
export function onRunResults(listener: Listener): () => void {
  const { listeners } = store();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
