/**
 * What an admin types when connecting Zendesk (`PUT /api/admin/crm` with `kind: "zendesk"`), validated once at
 * the edge (CONVENTIONS #6). The settings are stored as they are; the secret is sealed by the bridge and never
 * returned by any API.
 */
import { z } from 'zod';

/**
 * A Zendesk subdomain: `acme` in `acme.zendesk.com`. Lowercase letters, digits and dashes, starting with a letter
 * or digit, at most 63 characters (one DNS label). The API host is built from it, never typed by the admin, so a
 * tenant cannot point the bridge at an arbitrary URL.
 */
export const ZENDESK_ACCOUNT = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const zendeskSettings = z.object({
  account: z
    .string()
    .trim()
    .toLowerCase()
    .regex(ZENDESK_ACCOUNT, 'must be your Zendesk subdomain, e.g. "acme" for acme.zendesk.com'),
  /**
   * What the agent is shown when they answer: the caller's user profile (`user`), or the caller's newest open
   * ticket, falling back to the profile when they have none (`ticket`).
   */
  screenPop: z.enum(['user', 'ticket']).default('user'),
  /**
   * How recordings reach the voice ticket: `link` puts our signed URL in the voice comment's `recording_url`
   * (Zendesk plays it from the bridge; the files stay until the retention purge); `upload` uploads each WAV part
   * as an attachment of a private comment (Zendesk keeps the bytes; at most 50 MB per file).
   */
  recordings: z.enum(['link', 'upload']).default('link'),
});

export type ZendeskSettings = z.output<typeof zendeskSettings>;

/**
 * The credentials the adapter acts with. An API token authenticates as `{email}/token:{token}` (HTTP Basic); an
 * OAuth access token as `Bearer` (https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
 * The user must be an agent or admin: the Talk Partner Edition endpoints are "Allowed for: Agents".
 */
export const zendeskSecret = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('api-token'),
    email: z.string().trim().email('must be the e-mail address of the Zendesk agent or admin who owns the token'),
    token: z.string().trim().min(1, 'must be a Zendesk API token').max(200),
  }),
  z.object({
    kind: z.literal('oauth'),
    accessToken: z.string().trim().min(1, 'must be a Zendesk OAuth access token').max(2000),
  }),
]);

export type ZendeskSecret = z.output<typeof zendeskSecret>;

/** The `Authorization` header value for `secret`. Never logged, never put in an error. */
export function authorizationHeader(secret: ZendeskSecret): string {
  if (secret.kind === 'oauth') return `Bearer ${secret.accessToken}`;
  return `Basic ${Buffer.from(`${secret.email}/token:${secret.token}`, 'utf8').toString('base64')}`;
}

/** Production: the account's own host over HTTPS. */
export function zendeskApiBase(account: string): string {
  return `https://${account}.zendesk.com`;
}
