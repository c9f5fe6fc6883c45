/**
 * An intake thread: runs one task at a time for the API (see ./tasks). Every failure goes back as the
 * API error it is; one that is not a user's error goes back as a bug, with its stack for the log.
 */
import { parentPort } from 'node:worker_threads';
import { ApiError, toApiError } from '../api/errors';
import { type IntakeTask, prepareSubmission, readUpload } from './tasks';

export type IntakeReply =
  | { type: 'done'; result: unknown }
  | { type: 'refused'; status: number; code: string; message: string; details?: unknown }
  | { type: 'bug'; message: string; stack?: string };

function run(task: IntakeTask): unknown {
  return task.kind === 'upload' ? readUpload(task) : prepareSubmission(task);
}

parentPort?.on('message', (task: IntakeTask) => {
  let reply: IntakeReply;
  try {
    reply = { type: 'done', result: run(task) };
  } catch (error) {
    const api = toApiError(tooDeep(error) ?? error);
    reply =
      api.status >= 500 && api.code === 'internal'
        ? { type: 'bug', message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack }
        : { type: 'refused', status: api.status, code: api.code, message: api.message, details: api.details };
  }
  parentPort?.postMessage(reply);
});

/** A stack overflow while compiling is the model's depth, not a bug: refuse it like any model too complex. */
function tooDeep(error: unknown): ApiError | undefined {
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return new ApiError(
      422,
      'model-too-complex',
      'the model nests too deeply to compile (formulas, names or LAMBDA calls within each other); simplify it',
    );
  return undefined;
}
