/** How any error of a run is reported: a code and a message a user can act on. */
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
  return { code: 'internal', message: `the simulation failed: ${message}` };
}
