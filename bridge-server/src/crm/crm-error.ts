import { SambungError, type ErrorCode } from '../errors.js';

/** The stable code of every {@link CrmError}. */
export const CRM_FAILED: ErrorCode = 'CRM_FAILED';

/**
 * What went wrong, as far as a caller must act on it — never the CRM's own vocabulary:
 *
 * | kind               | the CRM said                                  | the outbox does                          |
 * |--------------------|-----------------------------------------------|------------------------------------------|
 * | `retryable`        | network error, timeout, 408, 429, 5xx         | backoff with jitter, `retryAfterMs` ≥    |
 * | `auth`             | 401 / 403: credentials revoked or expired     | `waiting-auth` ("reconnect the CRM")     |
 * | `rejected`         | another 4xx (422 …) with its error text       | `parked` for an operator                 |
 * | `too-large`        | 413: the body exceeds its limit               | backoff, unless the handler splits       |
 * | `invalid-response` | something its API does not document           | `parked` with the reason                 |
 */
export type CrmErrorKind = 'retryable' | 'auth' | 'rejected' | 'too-large' | 'invalid-response';

export interface CrmErrorOptions {
  /** The HTTP status the CRM answered, when there was one. */
  status?: number;
  cause?: unknown;
}

/** The one error a {@link CrmAdapter} throws (CONVENTIONS #4): callers branch on `kind`, never on text. */
export class CrmError extends SambungError {
  readonly kind: CrmErrorKind;
  readonly status: number | undefined;
  /** For `retryable`: the least time the CRM asked us to wait (`Retry-After`, RFC 9110 §10.2.3). */
  readonly retryAfterMs: number | undefined;
  /** For `rejected`: the CRM's own error text, so an operator can read why. */
  readonly crmMessage: string | undefined;

  private constructor(
    kind: CrmErrorKind,
    message: string,
    options: CrmErrorOptions & { retryAfterMs?: number | undefined; crmMessage?: string | undefined },
  ) {
    super(CRM_FAILED, message, {
      cause: options.cause,
      detail: { kind, ...(options.status === undefined ? {} : { status: options.status }) },
    });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.crmMessage = options.crmMessage;
  }

  /** Worth trying again later: network failure, timeout, 408, 429, 5xx. */
  static retryable(reason: string, options: CrmErrorOptions & { retryAfterMs?: number | undefined } = {}): CrmError {
    return new CrmError('retryable', reason, options);
  }

  /** The CRM refused our credentials (401/403): deliveries wait until the tenant reconnects the CRM. */
  static auth(reason: string, options: CrmErrorOptions = {}): CrmError {
    return new CrmError('auth', reason, options);
  }

  /** The CRM understood and refused the request (422 …): retrying the same request cannot help. */
  static rejected(crmMessage: string, options: CrmErrorOptions = {}): CrmError {
    const prefix = options.status === undefined ? 'CRM rejected the request' : `CRM rejected the request (${options.status})`;
    return new CrmError('rejected', `${prefix}: ${crmMessage}`, { ...options, crmMessage });
  }

  /** The body is larger than the CRM accepts (413). */
  static tooLarge(reason: string, options: CrmErrorOptions = {}): CrmError {
    return new CrmError('too-large', reason, { status: 413, ...options });
  }

  /** The CRM answered something its API does not document; `reason` says what exactly. */
  static invalidResponse(reason: string, options: CrmErrorOptions = {}): CrmError {
    return new CrmError('invalid-response', reason, options);
  }
}

export function isCrmError(error: unknown): error is CrmError {
  return error instanceof CrmError;
}
