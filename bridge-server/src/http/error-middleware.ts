import type { ErrorRequestHandler } from 'express';
import { SambungError, type ErrorCode } from '../errors.js';

/** The one mapping from error codes to HTTP statuses (CONVENTIONS #4). */
const statusOf: Partial<Record<ErrorCode, number>> = {
  HTTP_BAD_REQUEST: 400,
  HTTP_UNAUTHORIZED: 401,
  HTTP_FORBIDDEN: 403,
  HTTP_NOT_FOUND: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  HTTP_BAD_GATEWAY: 502,
};

/**
 * The 5xx codes whose message is written for the caller (`HttpError.badGateway`: which CRM failed and why). Every
 * other 5xx answers 'internal error': its message may hold internals.
 */
const shownServerErrors: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['HTTP_BAD_GATEWAY']);

export interface ErrorLogger {
  error(obj: object, msg: string): void;
}

export function errorMiddleware(log: ErrorLogger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof SambungError) {
      const status = statusOf[err.code] ?? 500;
      if (status >= 500) log.error({ err }, 'request failed');
      const fieldErrors = (err.detail as { fieldErrors?: unknown } | undefined)?.fieldErrors;
      const message = status >= 500 && !shownServerErrors.has(err.code) ? 'internal error' : err.message;
      res.status(status).json({ error: { code: err.code, message, ...(fieldErrors ? { fieldErrors } : {}) } });
      return;
    }
    // express's own errors (bad JSON body, payload too large) carry a 4xx `status`.
    const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'HTTP_BAD_REQUEST', message: (err as Error).message } });
      return;
    }
    log.error({ err }, 'unexpected error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
  };
}
