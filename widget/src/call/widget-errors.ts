/**
 * The widget's error hierarchy (CONVENTIONS #4): a stable `code` to branch on, the original `cause`, and
 * static constructors. The view maps codes to sentences ({@link describeWidgetError}); never branch on text.
 */

export type WidgetErrorCode =
  /** fetch or WebSocket could not reach the bridge at all. */
  | 'WIDGET_ERR_BRIDGE_UNREACHABLE'
  /** The bridge answered 4xx to the token request (unknown queue, closed, rate-limited, invalid fields…). */
  | 'WIDGET_ERR_TOKEN_REJECTED'
  /**
   * The bridge answered 4xx to a visitor request made with the token (callback slots, booking, keep my place):
   * 401 the token expired, 400 with `fieldErrors` a slot or phone no longer valid, 404/409 nothing to act on.
   */
  | 'WIDGET_ERR_REQUEST_REJECTED'
  /** The bridge answered 5xx. */
  | 'WIDGET_ERR_BRIDGE_FAILED'
  /** The bridge answered 2xx with a body that is not the documented shape. */
  | 'WIDGET_ERR_BAD_RESPONSE'
  /** The visitor or the browser's policy refused the microphone. */
  | 'WIDGET_ERR_MIC_DENIED'
  /** No microphone, or it is busy, or this page is not a secure context. */
  | 'WIDGET_ERR_MIC_UNAVAILABLE';

export class WidgetError extends Error {
  override readonly name = 'WidgetError';

  constructor(
    readonly code: WidgetErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly status?: number; readonly serverCode?: string;
      readonly fieldErrors?: Readonly<Record<string, readonly string[]>> } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.serverCode = options.serverCode;
    this.fieldErrors = options.fieldErrors;
  }

  /** HTTP status when the error came from an HTTP answer. */
  readonly status: number | undefined;
  /** The bridge's own `error.code`, when it sent one. */
  readonly serverCode: string | undefined;
  /** The bridge's per-field validation messages, when it sent them. */
  readonly fieldErrors: Readonly<Record<string, readonly string[]>> | undefined;

  static unreachable(cause: unknown): WidgetError {
    return new WidgetError('WIDGET_ERR_BRIDGE_UNREACHABLE', 'The call service could not be reached', { cause });
  }

  static rejected(status: number, serverCode: string | undefined, message: string,
    fieldErrors: Readonly<Record<string, readonly string[]>> | undefined): WidgetError {
    return new WidgetError('WIDGET_ERR_TOKEN_REJECTED', message, { status, serverCode, fieldErrors });
  }

  static requestRejected(status: number, serverCode: string | undefined, message: string,
    fieldErrors: Readonly<Record<string, readonly string[]>> | undefined): WidgetError {
    return new WidgetError('WIDGET_ERR_REQUEST_REJECTED', message, { status, serverCode, fieldErrors });
  }

  /** The bridge no longer accepts the visitor token (it lives ~5 minutes): get a new one and retry once. */
  get isUnauthorized(): boolean {
    return this.status === 401 && (this.code === 'WIDGET_ERR_REQUEST_REJECTED' || this.code === 'WIDGET_ERR_TOKEN_REJECTED');
  }

  static bridgeFailed(status: number): WidgetError {
    return new WidgetError('WIDGET_ERR_BRIDGE_FAILED', `The call service failed (HTTP ${status})`, { status });
  }

  static badResponse(detail: string): WidgetError {
    return new WidgetError('WIDGET_ERR_BAD_RESPONSE', `Unexpected answer from the call service: ${detail}`);
  }

  /** Classifies a `getUserMedia` rejection (a DOMException) by its standard `name`. */
  static fromMediaError(cause: unknown): WidgetError {
    const name = typeof cause === 'object' && cause !== null ? (cause as { name?: unknown }).name : undefined;
    return name === 'NotAllowedError' || name === 'SecurityError'
      ? new WidgetError('WIDGET_ERR_MIC_DENIED', 'Microphone access was denied', { cause })
      : new WidgetError('WIDGET_ERR_MIC_UNAVAILABLE', 'No usable microphone', { cause });
  }
}

/** The sentence the visitor reads for an error. Never includes server-supplied text except a known code. */
export function describeWidgetError(error: unknown): string {
  if (!(error instanceof WidgetError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'WIDGET_ERR_BRIDGE_UNREACHABLE':
      return 'We could not reach our call service. Check your connection and try again.';
    case 'WIDGET_ERR_TOKEN_REJECTED':
      if (error.status === 429) return 'Too many call attempts. Please wait a minute and try again.';
      if (error.status === 404) return 'This call line is not available.';
      return 'We could not start your call. Please check your details and try again.';
    case 'WIDGET_ERR_REQUEST_REJECTED':
      if (error.status === 429) return 'Too many attempts. Please wait a minute and try again.';
      if (error.status === 401) return 'Your session expired. Please try again.';
      return 'We could not do that right now. Please try again.';
    case 'WIDGET_ERR_BRIDGE_FAILED':
    case 'WIDGET_ERR_BAD_RESPONSE':
      return 'Our call service is having trouble. Please try again later.';
    case 'WIDGET_ERR_MIC_DENIED':
      return 'Microphone access was blocked. Allow the microphone for this site and try again.';
    case 'WIDGET_ERR_MIC_UNAVAILABLE':
      return 'No microphone was found, or it is in use by another app.';
  }
}
