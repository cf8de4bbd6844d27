/**
 * A CRM connector as the bridge loads it: how to read a tenant's stored connection settings and build the
 * adapter for them. One per CRM (`connectors/<crm>/server/<crm>-connector.ts`); `crm/connectors.ts` lists them.
 *
 * Settings are what an admin types when connecting the CRM (`PUT /api/admin/crm`). The bridge validates them
 * with `settings` once, stores the `secret` part encrypted (AES-256-GCM) and never returns it through any API.
 */
import type { z } from 'zod';
import type { CrmAdapter } from './crm-adapter.js';

export interface CrmConnectorOptions {
  /**
   * Where the CRM's API is for `account` (e.g. a Zendesk subdomain). Production: the vendor's host over HTTPS;
   * tests and the demo point it at the fake CRM. The admin never chooses an arbitrary URL (no SSRF).
   */
  readonly apiBase: (account: string) => string;
  /** Per-request timeout; a request that does not answer fails as `retryable`. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface CrmConnector<Settings extends { readonly account: string }, Secret> {
  /** Lowercase id stored with the connection: `zendesk`, `salesforce`, `hubspot`. */
  readonly kind: string;
  /** How admins and agents call the CRM in messages: `Zendesk`, `Salesforce`, `HubSpot`. */
  readonly displayName: string;
  /** The non-secret settings (account, screen-pop target, recording delivery mode …). */
  readonly settings: z.ZodType<Settings>;
  /** The credentials (API token, OAuth token): stored encrypted, never sent to a browser. */
  readonly secret: z.ZodType<Secret>;
  create(settings: Settings, secret: Secret, options: CrmConnectorOptions): CrmAdapter;
  /**
   * Whether, with these settings, the CRM plays recordings from our signed links instead of holding the bytes
   * (then the local files stay until the retention purge). Default: false.
   */
  keepsRecordingLinks?(settings: Settings): boolean;
}
