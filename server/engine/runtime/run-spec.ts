/**
 * What an engine thread needs to run any range of a simulation's trials: the model and the engine
 * request, its seed fixed, so that every range, on any thread of any host, draws from the same streams.
 * It travels as JSON text and is parsed by the thread that compiles it, never on an event loop.
 */
import type { WorkbookModel } from '../../../shared/model';
import { type EngineRequest, type PreparedRun, prepareRun } from '../simulate';

export interface RunSpec {
  model: WorkbookModel;
  request: EngineRequest & { seed: number };
  /** Which simulation of the run, when it holds several (RiskSimtable); overrides the request's. */
  simulation?: number;
}

/**
 * The spec of simulation k of a stored run, from the run's JSON text without parsing it here (an event
 * loop must not parse a model): the field is put first, and the engine thread reads it.
 */
export function simulationSpecText(specText: string, simulation: number): string {
  return simulation === 1
    ? specText
    : `{"simulation":${simulation},${specText.slice(specText.indexOf('{') + 1)}`;
}

/** The key an engine thread keeps simulation k of a run warm under (the run's own for the first). */
export function simulationRunKey(run: string, simulation: number): string {
  return simulation === 1 ? run : `${run}#${simulation}`;
}

/** A run compiled by an engine thread, kept warm for its next ranges. */
export interface WarmRun {
  spec: RunSpec;
  prepared: PreparedRun;
}

/**
 * The compiled runs an engine thread keeps, least recently used dropped first: compiling a model takes
 * tens to hundreds of ms, and a run sends a thread many ranges.
 */
export class WarmRuns {
  private readonly runs = new Map<string, WarmRun>();
  constructor(private readonly capacity: number) {}

  /** The run compiled, from `specText` when it is not warm; undefined when neither (ask for the spec). */
  get(id: string, specText: string | undefined): WarmRun | undefined {
    const hit = this.runs.get(id);
    if (hit) {
      this.runs.delete(id);
      this.runs.set(id, hit);
      return hit;
    }
    if (specText === undefined) return undefined;
    const spec = JSON.parse(specText) as RunSpec;
    const request =
      spec.simulation === undefined ? spec.request : { ...spec.request, simulation: spec.simulation };
    const entry = { spec, prepared: prepareRun(spec.model, request) };
    this.runs.set(id, entry);
    while (this.runs.size > this.capacity) this.runs.delete(this.runs.keys().next().value as string);
    return entry;
  }

  forget(id: string): void {
    this.runs.delete(id);
  }
}
