/**
 * The connect / reconnect form (pure): its defaults, the `PUT /api/admin/crm` body it sends, and where the
 * bridge's 400 lands. The bridge validates (the Zendesk connector's own zod schemas, then `GET /api/v2/users/me`
 * against Zendesk) and names fields by their path inside `settings` / `secret` (`account`, `token`, …), or
 * `timeZone`; the form puts each message next to its field and anything else in the form-level error.
 */
import type { ConnectRequest } from './admin-api.js';
import type { ConnectResult, CrmConnectionStatus } from './admin-api-shapes.js';
import { describeAdminError, isAdminError } from './admin-errors.js';
import { plural } from './crm-card-model.js';

export const CONNECT_FIELDS = ['account', 'email', 'token', 'screenPop', 'recordings', 'timeZone'] as const;
export type ConnectField = (typeof CONNECT_FIELDS)[number];

export interface ConnectFormValues {
  /** The Zendesk subdomain (`acme` for acme.zendesk.com). */
  readonly account: string;
  /** The e-mail of the Zendesk agent or admin who owns the API token. */
  readonly email: string;
  /** The API token (Admin Center → Apps and integrations → Zendesk API). Never pre-filled: the bridge never returns it. */
  readonly token: string;
  readonly screenPop: 'user' | 'ticket';
  readonly recordings: 'link' | 'upload';
  /** IANA zone, used for names like "Web User – 11/22 06:05". */
  readonly timeZone: string;
}

export interface ConnectFormErrors {
  /** The form-level sentence (the bridge's message, or Zendesk's refusal). */
  readonly message: string;
  readonly fields: Readonly<Partial<Record<ConnectField, readonly string[]>>>;
  /** Field errors that belong to no input of the form, as `path: message`. */
  readonly others: readonly string[];
}

/** The form's starting values: the current connection's (a reconnect changes only the token), else defaults. */
export function connectFormDefaults(connection: CrmConnectionStatus | null, browserTimeZone: string): ConnectFormValues {
  const s = connection?.settings ?? {};
  const email = connection?.accountUser ?? '';
  return {
    account: typeof s['account'] === 'string' ? s['account'] : '',
    email: email.includes('@') ? email : '',
    token: '',
    screenPop: s['screenPop'] === 'ticket' ? 'ticket' : 'user',
    recordings: s['recordings'] === 'upload' ? 'upload' : 'link',
    timeZone: connection?.timeZone ?? (browserTimeZone || 'UTC'),
  };
}

/** The request body; the bridge trims and validates, so only surrounding blanks are removed here. */
export function connectRequest(values: ConnectFormValues): ConnectRequest {
  return {
    kind: 'zendesk',
    timeZone: values.timeZone.trim(),
    settings: { account: values.account.trim(), screenPop: values.screenPop, recordings: values.recordings },
    secret: { kind: 'api-token', email: values.email.trim(), token: values.token.trim() },
  };
}

/** A failed connect as the form shows it. */
export function connectFormErrors(error: unknown): ConnectFormErrors {
  const message = describeAdminError(error);
  if (!isAdminError(error)) return { message, fields: {}, others: [] };
  const fields: Partial<Record<ConnectField, readonly string[]>> = {};
  const others: string[] = [];
  for (const [path, messages] of Object.entries(error.fieldErrors)) {
    const field = (CONNECT_FIELDS as readonly string[]).includes(path) ? (path as ConnectField) : null;
    if (field) fields[field] = [...(fields[field] ?? []), ...messages];
    else others.push(`${path}: ${messages.join(', ')}`);
  }
  return { message, fields, others };
}

/** "Connected — 3 deliveries resumed". */
export function connectedText(result: ConnectResult): string {
  return `Connected — ${plural(result.resumedDeliveries, 'delivery', 'deliveries')} resumed`;
}
