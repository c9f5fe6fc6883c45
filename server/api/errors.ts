/** API errors: `{ error: { code, message, details } }` with the status that says whose fault it is. */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { EngineError } from '../engine/errors';
import { isRedisUnavailable } from '../redis/connect';
import { XlsxError } from '../xlsx/package-reader';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'not-found', `no ${what} ${id}`);

const XLSX_STATUS: Record<string, number> = { 'not-xlsx': 415, 'too-large': 413 };

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError)
    return new ApiError(400, 'invalid-request', describeIssues(error), error.issues.slice(0, 20));
  if (error instanceof EngineError) return new ApiError(422, error.code, error.message, error.details);
  if (error instanceof XlsxError)
    return new ApiError(XLSX_STATUS[error.code] ?? 422, error.code, error.message);
  if (isRedisUnavailable(error))
    return new ApiError(503, 'unavailable', 'the service’s Redis is unavailable; try again shortly');
  const status = (error as { status?: number; type?: string }).status;
  if ((error as { type?: string }).type === 'entity.parse.failed')
    return new ApiError(400, 'invalid-json', 'the request body is not valid JSON');
  if ((error as { type?: string }).type === 'entity.too.large')
    return new ApiError(413, 'too-large', 'the request body is too large');
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new ApiError(status, 'bad-request', (error as Error).message);
  return new ApiError(500, 'internal', 'internal error');
}

/** The first issue of a schema error, where it is and what is wrong, in one line. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/**
 * An error that is ours, not the request's: logged with its stack under an id the user can quote,
 * answered 500 without the stack.
 */
export function bugReport(message: string, stack?: string): ApiError {
  const id = randomUUID();
  console.error(`montecell: internal error ${id}: ${stack ?? message}`);
  return new ApiError(500, 'internal', `internal error (reference ${id})`, { correlation_id: id });
}

export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  let api = toApiError(error);
  if (api.status >= 500 && api.code === 'internal' && !(error instanceof ApiError))
    api = bugReport(String((error as Error)?.message ?? error), (error as Error)?.stack);
  res.status(api.status).json({
    error: {
      code: api.code,
      message: api.message,
      ...(api.details !== undefined ? { details: api.details } : {}),
    },
  });
};
