/**
 * The admin console's error hierarchy (CONVENTIONS #4): views branch on `code`, never on message text. The bridge's
 * own words (`message`, `fieldErrors` of its `{"error": {code, message, fieldErrors}}` body) are kept so the page
 * can show them next to what the admin typed.
 */

export type AdminErrorCode =
  /** The bridge could not be reached over HTTP. */
  | 'ADMIN_ERR_UNREACHABLE'
  /** 401 on sign-in: wrong tenant, username or password. */
  | 'ADMIN_ERR_BAD_CREDENTIALS'
  /** Signed in, but the account is not an admin (or the bridge answered 403). */
  | 'ADMIN_ERR_NOT_ADMIN'
  /** 401 on an authenticated call: the API token expired or was revoked. */
  | 'ADMIN_ERR_SESSION_EXPIRED'
  /** Any other 4xx: bad input (`fieldErrors`), nothing to act on (404), a state conflict (409). */
  | 'ADMIN_ERR_REJECTED'
  /** 502 with the bridge's own sentence: the CRM behind the bridge failed, and the bridge says how. */
  | 'ADMIN_ERR_CRM_FAILED'
  /** Any other 5xx, or a 2xx whose body is not the documented shape. */
  | 'ADMIN_ERR_BRIDGE_FAILED';

/** A 400's per-field messages, keyed by the field's path (`account`, `token`, `timeZone`, `crmUserId`). */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

export class AdminError extends Error {
  override readonly name = 'AdminError';
  readonly status: number | undefined;
  /** The bridge's stable error code (`HTTP_BAD_REQUEST`, `CONFLICT`, …), when it sent one. */
  readonly serverCode: string | undefined;
  readonly fieldErrors: FieldErrors;
  /** For `ADMIN_ERR_NOT_ADMIN` after a sign-in: the role the account has. */
  readonly role: string | undefined;

  constructor(
    readonly code: AdminErrorCode,
    message: string,
    options: {
      readonly cause?: unknown;
      readonly status?: number;
      readonly serverCode?: string;
      readonly fieldErrors?: FieldErrors;
      readonly role?: string;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.serverCode = options.serverCode;
    this.fieldErrors = options.fieldErrors ?? {};
    this.role = options.role;
  }

  static unreachable(cause: unknown): AdminError {
    return new AdminError('ADMIN_ERR_UNREACHABLE', 'The bridge could not be reached', { cause });
  }

  /** The account signed in but may not use this console. */
  static notAdmin(role: string): AdminError {
    return new AdminError('ADMIN_ERR_NOT_ADMIN', `signed in as ${role}, not admin`, { role });
  }

  static badResponse(detail: string): AdminError {
    return new AdminError('ADMIN_ERR_BRIDGE_FAILED', `Unexpected answer from the bridge: ${detail}`);
  }

  /**
   * A non-2xx answer. `signIn`: a 401 means wrong credentials rather than an expired session. A 5xx's words are
   * dropped (the bridge says only "internal error"), except a 502 that carries a sentence: the bridge relays why the
   * CRM failed (a proxy's own 502 is HTML, with no sentence, and stays "the bridge is having trouble").
   */
  static fromStatus(
    status: number,
    body: { serverCode?: string | undefined; message?: string | undefined; fieldErrors?: FieldErrors | undefined },
    signIn: boolean,
  ): AdminError {
    const crmFailed = status === 502 && (body.message ?? '').trim() !== '';
    const code: AdminErrorCode =
      crmFailed ? 'ADMIN_ERR_CRM_FAILED'
      : status === 401 ? (signIn ? 'ADMIN_ERR_BAD_CREDENTIALS' : 'ADMIN_ERR_SESSION_EXPIRED')
      : status === 403 ? 'ADMIN_ERR_NOT_ADMIN'
      : status >= 400 && status < 500 ? 'ADMIN_ERR_REJECTED'
      : 'ADMIN_ERR_BRIDGE_FAILED';
    const message = status >= 500 && !crmFailed ? `HTTP ${status}` : body.message || `HTTP ${status}`;
    return new AdminError(code, message, {
      status,
      ...(body.serverCode === undefined ? {} : { serverCode: body.serverCode }),
      ...(body.fieldErrors === undefined ? {} : { fieldErrors: body.fieldErrors }),
    });
  }
}

export function isAdminError(error: unknown): error is AdminError {
  return error instanceof AdminError;
}

/**
 * The sentence the admin reads. A refusal of their input (4xx) is the bridge's own message — it names the field
 * or says what Zendesk answered — shown as text; everything else is ours.
 */
export function describeAdminError(error: unknown): string {
  if (!isAdminError(error)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'ADMIN_ERR_UNREACHABLE':
      return 'Cannot reach the Sambung bridge. Check your connection.';
    case 'ADMIN_ERR_BAD_CREDENTIALS':
      return 'Wrong tenant, username or password.';
    case 'ADMIN_ERR_NOT_ADMIN':
      return error.role === undefined
        ? 'This needs the admin role. Ask an admin of your tenant to sign in, or to give you the admin role.'
        : `This console is for admins, and your role is ${error.role}. Ask an admin of your tenant to sign in, or to give you the admin role.`;
    case 'ADMIN_ERR_SESSION_EXPIRED':
      return 'Your session expired. Please sign in again.';
    case 'ADMIN_ERR_REJECTED':
      return error.status === 429 ? 'Too many attempts. Wait a minute and try again.' : sentence(error.message);
    case 'ADMIN_ERR_CRM_FAILED':
      return sentence(error.message);
    case 'ADMIN_ERR_BRIDGE_FAILED':
      return 'The bridge is having trouble. Please try again shortly.';
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'The bridge refused the request.';
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}`;
}
