/** The part of a prepared run that assembling its chunks needs; it crosses threads, the run does not. */
import type { PreparedRun } from '../engine/simulate';

/**
 * What `assembleResult` reads of a prepared run: its size, seed and the labels of its outputs and
 * inputs. Sent instead of the run, so the thread does not compile the model again.
 */
export interface RunShape {
  iterations: number;
  seed: number;
  sampling: PreparedRun['sampling'];
  recordLimit: number;
  compiled: { program: { outputs: { label: string }[]; inputs: { label: string; name?: string }[] } };
}

export function runShape(run: PreparedRun): RunShape {
  const { outputs, inputs } = run.compiled.program;
  return {
    iterations: run.iterations,
    seed: run.seed,
    sampling: run.sampling,
    recordLimit: run.recordLimit,
    compiled: {
      program: {
        outputs: outputs.map((o) => ({ label: o.label })),
        inputs: inputs.map((i) => ({ label: i.label, ...(i.name !== undefined ? { name: i.name } : {}) })),
      },
    },
  };
}
