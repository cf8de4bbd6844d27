/**
 * The one error hierarchy (CONVENTIONS #4). Every error we throw on purpose is a {@link SambungError} with a
 * stable string `code`; HTTP and SIP edges map codes to statuses, never message text.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'SIP_PARSE'
  | 'SIP_TOO_LARGE'
  | 'SIP_FORBIDDEN'
  | 'SIP_NOT_FOUND'
  | 'SIP_UNAUTHORIZED'
  | 'TRANSACTION_TIMEOUT'
  | 'TRANSPORT_CLOSED'
  | 'ILLEGAL_TRANSITION'
  | 'MEDIA_FAILED'
  | 'HTTP_BAD_REQUEST'
  | 'HTTP_UNAUTHORIZED'
  | 'HTTP_FORBIDDEN'
  | 'HTTP_NOT_FOUND'
  | 'HTTP_BAD_GATEWAY'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STORE_FAILED'
  | 'CRM_FAILED'
  | 'DELIVERY_FAILED'
  | 'CLOSED';

export class SambungError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable detail (field errors, SIP status, …). */
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.detail = options?.detail;
  }
}

/** Configuration that fails validation at the entry point. */
export class ConfigError extends SambungError {
  static invalid(issues: string[]): ConfigError {
    return new ConfigError('CONFIG_INVALID', `invalid configuration:\n  ${issues.join('\n  ')}`, { detail: { issues } });
  }
}

/**
 * A SIP-level failure that maps to a SIP final response. `status` is the response code the server sends
 * when a response can be formed (RFC 3261 §21); `reason` its reason phrase.
 */
export class SipError extends SambungError {
  readonly status: number;
  readonly reason: string;

  constructor(code: ErrorCode, status: number, reason: string, options?: { cause?: unknown }) {
    super(code, `${status} ${reason}`, options);
    this.status = status;
    this.reason = reason;
  }

  /** 400 Bad Request with a specific reason phrase (RFC 3261 §21.4.1). */
  static badRequest(reason: string): SipError {
    return new SipError('SIP_PARSE', 400, reason);
  }
  /** 513 Message Too Large (RFC 3261 §21.5.11). */
  static tooLarge(): SipError {
    return new SipError('SIP_TOO_LARGE', 513, 'Message Too Large');
  }
  static forbidden(reason = 'Forbidden'): SipError {
    return new SipError('SIP_FORBIDDEN', 403, reason);
  }
  static notFound(reason = 'Not Found'): SipError {
    return new SipError('SIP_NOT_FOUND', 404, reason);
  }
}

/** Transactions, transports and other timed operations. */
export class TimeoutError extends SambungError {
  static transaction(what: string): TimeoutError {
    return new TimeoutError('TRANSACTION_TIMEOUT', `${what} timed out`);
  }
}

export class ClosedError extends SambungError {
  static transport(): ClosedError {
    return new ClosedError('TRANSPORT_CLOSED', 'transport closed');
  }
  static closed(what: string): ClosedError {
    return new ClosedError('CLOSED', `${what} is closed`);
  }
}

/** A state machine asked for a move its transition table does not allow (CONVENTIONS #2). */
export class TransitionError extends SambungError {
  static illegal(machine: string, from: string, to: string): TransitionError {
    return new TransitionError('ILLEGAL_TRANSITION', `${machine}: illegal transition ${from} -> ${to}`, {
      detail: { machine, from, to },
    });
  }
}

export class MediaError extends SambungError {
  static failed(message: string, cause?: unknown): MediaError {
    return new MediaError('MEDIA_FAILED', message, { cause });
  }
}

/** HTTP-facing errors; the express error middleware maps `code` to a status. */
export class HttpError extends SambungError {
  static badRequest(message: string, fieldErrors?: Record<string, string[]>): HttpError {
    return new HttpError('HTTP_BAD_REQUEST', message, fieldErrors ? { detail: { fieldErrors } } : undefined);
  }
  static unauthorized(message = 'authentication required'): HttpError {
    return new HttpError('HTTP_UNAUTHORIZED', message);
  }
  static forbidden(message = 'forbidden'): HttpError {
    return new HttpError('HTTP_FORBIDDEN', message);
  }
  static notFound(message = 'not found'): HttpError {
    return new HttpError('HTTP_NOT_FOUND', message);
  }
  /** 409: the request cannot be carried out in the current state (e.g. the CRM needs reconnecting). */
  static conflict(message: string): HttpError {
    return new HttpError('CONFLICT', message);
  }
  /**
   * 502: a service we depend on (a tenant's CRM) failed. Unlike every other 5xx, the message IS shown to the
   * caller, so it must be written for them: what failed and why, never a credential or a stack.
   */
  static badGateway(message: string, cause?: unknown): HttpError {
    return new HttpError('HTTP_BAD_GATEWAY', message, cause === undefined ? undefined : { cause });
  }
}

export class StoreError extends SambungError {
  static notFound(what: string): StoreError {
    return new StoreError('NOT_FOUND', `${what} not found`);
  }
  static conflict(what: string): StoreError {
    return new StoreError('CONFLICT', `${what} already exists`);
  }
}
