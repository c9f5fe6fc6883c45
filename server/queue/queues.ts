/** BullMQ queue names and job shapes: a parent "assemble" job per simulation, one child job per chunk. */
export const SIMULATION_QUEUE = 'simulations';
export const CHUNK_QUEUE = 'chunks';
/** Chunks of runs that asked for engine "gpu": only workers with a validated GPU take them. */
export const GPU_CHUNK_QUEUE = 'chunks-gpu';

export interface ChunkJobData {
  simulation_id: string;
  /** The chunk's place among all the run's chunks (every simulation's, in order). */
  index: number;
  /** Trials [start, end) of its simulation. */
  start: number;
  end: number;
  /** Which simulation of the run (RiskSimtable), 1 first; absent in runs of one. */
  simulation?: number;
}

export interface AssembleJobData {
  simulation_id: string;
  /** Simulations in the run, each with the same number of chunks; absent in runs of one. */
  simulations?: number;
}

/** Lost workers (stalled locks) and transient failures are retried; model errors are not. */
export const CHUNK_ATTEMPTS = 3;

export function chunkJobId(simulationId: string, index: number): string {
  return `${simulationId}-c${index}`;
}
