/**
 * The one error of a backend that cannot run a model or request: it names the backend, what it does
 * not support (a function, an operator, a sampling method) and the cell, e.g. "the CUDA backend does
 * not support OFFSET (Model!B7)". Engine selection reads it as the reason to run on the CPU instead.
 */
import { EngineError } from '../errors';
import { BACKEND_NAMES, type Backend } from './backend-support';

export class BackendUnsupported extends EngineError {
  constructor(
    readonly backend: Backend,
    /** A function name, an operator's name or a construct ("Latin hypercube sampling"). */
    readonly construct: string,
    /** The cell that uses it ("Model!B7"); absent when the request, not a cell, is at issue. */
    readonly cell?: string,
  ) {
    super(
      'gpu-unsupported',
      `${BACKEND_NAMES[backend]} does not support ${construct}${cell === undefined ? '' : ` (${cell})`}`,
      cell === undefined ? { backend, construct } : { backend, construct, cell },
    );
    this.name = 'BackendUnsupported';
  }
}
