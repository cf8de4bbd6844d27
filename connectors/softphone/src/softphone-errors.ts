/**
 * The softphone's error hierarchy (CONVENTIONS #4): branch on `code`, keep the `cause`.
 */

export type SoftphoneErrorCode =
  /** The bridge could not be reached over HTTP. */
  | 'SOFTPHONE_ERR_UNREACHABLE'
  /** 401 on login: wrong tenant, username or password. */
  | 'SOFTPHONE_ERR_BAD_CREDENTIALS'
  /** 401 on an authenticated call: the API token expired or was revoked. */
  | 'SOFTPHONE_ERR_SESSION_EXPIRED'
  /** Any other 4xx. */
  | 'SOFTPHONE_ERR_REJECTED'
  /** 5xx, or a 2xx whose body is not the documented shape. */
  | 'SOFTPHONE_ERR_BRIDGE_FAILED'
  /** The bridge answered an in-dialog control INFO (hold, pause recording) with a non-2xx; `status` is its code. */
  | 'SOFTPHONE_ERR_CONTROL_REFUSED'
  /** A control INFO got no final answer in time (a lost transport never answers). */
  | 'SOFTPHONE_ERR_CONTROL_TIMEOUT';

export class SoftphoneError extends Error {
  override readonly name = 'SoftphoneError';
  constructor(
    readonly code: SoftphoneErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly status?: number; readonly serverCode?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.serverCode = options.serverCode;
  }

  readonly status: number | undefined;
  readonly serverCode: string | undefined;

  static unreachable(cause: unknown): SoftphoneError {
    return new SoftphoneError('SOFTPHONE_ERR_UNREACHABLE', 'The bridge could not be reached', { cause });
  }

  /**
   * On an authenticated call, 404 means the bridge no longer holds this agent's session (it restarted): like
   * an expired token, the way out is to sign in again.
   */
  static fromStatus(status: number, serverCode: string | undefined, message: string, login: boolean): SoftphoneError {
    const code: SoftphoneErrorCode = login
      ? (status === 401 ? 'SOFTPHONE_ERR_BAD_CREDENTIALS' : status < 500 ? 'SOFTPHONE_ERR_REJECTED' : 'SOFTPHONE_ERR_BRIDGE_FAILED')
      : status === 401 || status === 404 ? 'SOFTPHONE_ERR_SESSION_EXPIRED'
        : status < 500 ? 'SOFTPHONE_ERR_REJECTED' : 'SOFTPHONE_ERR_BRIDGE_FAILED';
    return new SoftphoneError(code, message, { status, serverCode });
  }

  /** The bridge's final non-2xx answer to a control INFO (RFC 6086 §4.2.2). */
  static controlRefused(status: number | undefined): SoftphoneError {
    return new SoftphoneError('SOFTPHONE_ERR_CONTROL_REFUSED', `INFO refused (${status ?? 'no status'})`, { status });
  }

  static controlTimeout(): SoftphoneError {
    return new SoftphoneError('SOFTPHONE_ERR_CONTROL_TIMEOUT', 'INFO timed out');
  }

  static badResponse(detail: string): SoftphoneError {
    return new SoftphoneError('SOFTPHONE_ERR_BRIDGE_FAILED', `Unexpected answer from the bridge: ${detail}`);
  }
}

/** The sentence the agent reads. */
export function describeSoftphoneError(error: unknown): string {
  if (!(error instanceof SoftphoneError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'SOFTPHONE_ERR_UNREACHABLE':
      return 'Cannot reach the Sambung bridge. Check your connection.';
    case 'SOFTPHONE_ERR_BAD_CREDENTIALS':
      return 'Wrong username or password.';
    case 'SOFTPHONE_ERR_SESSION_EXPIRED':
      return 'Your session expired. Please sign in again.';
    case 'SOFTPHONE_ERR_REJECTED':
      return error.status === 429 ? 'Too many attempts. Wait a minute and try again.' : 'The bridge refused the request.';
    case 'SOFTPHONE_ERR_BRIDGE_FAILED':
      return 'The bridge is having trouble. Please try again shortly.';
    case 'SOFTPHONE_ERR_CONTROL_REFUSED':
      return 'The bridge refused the request.';
    case 'SOFTPHONE_ERR_CONTROL_TIMEOUT':
      return 'The bridge did not answer in time. Check your connection.';
  }
}
