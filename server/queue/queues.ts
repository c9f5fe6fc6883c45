/** BullMQ queue names and job shapes: a parent "assemble" job per simulation, one child job per chunk. */
export const SIMULATION_QUEUE = 'simulations';
export const CHUNK_QUEUE = 'chunks';
/** Chunks of runs that asked for engine "gpu": only workers with a validated GPU take them. */
export const GPU_CHUNK_QUEUE = 'chunks-gpu';

export interface ChunkJobData {
  simulation_id: string;
  index: number;
  start: number;
  end: number;
}

export interface AssembleJobData {
  simulation_id: string;
}

/** Lost workers (stalled locks) and transient failures are retried; model errors are not. */
export const CHUNK_ATTEMPTS = 3;

export function chunkJobId(simulationId: string, index: number): string {
  return `${simulationId}-c${index}`;
}
