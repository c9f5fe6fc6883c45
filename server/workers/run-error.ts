/** How any error of a run is reported: a code and a message a user can act on. */
import { randomUUID } from 'node:crypto';
import type { SimulationError } from '../../shared/model';
import { EngineError } from '../engine/errors';

export class RunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

export function toSimulationError(error: unknown): SimulationError {
  if (error instanceof EngineError)
    return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  if (error instanceof RunError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  // BullMQ's words when the workers holding a chunk died (lock lost) more often than maxStalledCount.
  if (/stalled more than allowable limit/.test(message))
    return {
      code: 'worker-lost',
      message:
        'the workers running part of this simulation died repeatedly (out of memory or a crash); ' +
        'the model may need more memory than a worker has: simplify it, or ask for THREAD_MEMORY_MB to be raised',
    };
  // Ours, not the user's: the stack goes to the log under an id the user can quote, never to the user.
  const id = randomUUID();
  console.error(`montecell: internal error ${id} in a simulation: ${(error as Error)?.stack ?? message}`);
  return { code: 'internal', message: `the simulation failed on an internal error (reference ${id})` };
}
