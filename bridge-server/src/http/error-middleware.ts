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
};

export interface ErrorLogger {
  error(obj: object, msg: string): void;
}

export function errorMiddleware(log: ErrorLogger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof SambungError) {
      const status = statusOf[err.code] ?? 500;
      if (status >= 500) log.error({ err }, 'request failed');
      const fieldErrors = (err.detail as { fieldErrors?: unknown } | undefined)?.fieldErrors;
      res.status(status).json({ error: { code: err.code, message: status >= 500 ? 'internal error' : err.message, ...(fieldErrors ? { fieldErrors } : {}) } });
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
