/**
 * Errors that stop a model from compiling or running: the user's model or request is at fault, and the
 * message says what to change (naming the cell). The service answers them with 422, the CLI with exit 2.
 */
export type EngineErrorCode =
  | 'unknown-target'
  | 'circular-reference'
  | 'unsupported-function'
  | 'unsupported-formula'
  | 'invalid-distribution'
  | 'external-reference'
  | 'formula-syntax'
  | 'invalid-request'
  /** The model exceeds an engine limit (array size, name nesting, recursion depth); see limits.ts. */
  | 'model-too-complex'
  /** The model needs more memory than an engine thread has (THREAD_MEMORY_MB). */
  | 'out-of-memory'
  /** A GPU backend cannot run this model or request, the CPU engine can (BackendUnsupported). */
  | 'gpu-unsupported';

export class EngineError extends Error {
  readonly userFacing = true;
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
