/**
 * An optional capability of a {@link CrmAdapter}: opening a record in front of one CRM user from the server, as
 * Zendesk Talk Partner Edition does (`POST /api/v2/channels/voice/agents/{agent_id}/users/{user_id}/display`).
 * The bridge's screen-pop rules (`crm/screen-pop-rules.ts`) use it when the adapter has it; CRMs without a server
 * display API pop the record in the browser through the softphone's `HostAdapter` instead.
 *
 * Same rules as the rest of the contract: every failure is a `CrmError` of the right kind, every request is
 * bounded by a timeout, credentials never appear in a log or a result, and every text field is plain text.
 */
import type { CrmAdapter, CrmContext } from './crm-adapter.js';

/** A record a screen pop can bring in front of an agent. */
export interface CrmRecordRef {
  readonly type: 'contact' | 'ticket';
  /** The CRM's id ({@link CrmContact.id} for a contact). */
  readonly id: string;
  /** Shown to the agent as text: the contact's name, or `#<id> <subject>` for a ticket. */
  readonly label: string;
}

export interface CrmScreenPop {
  /**
   * The newest ticket requested by `contactId` that is not solved or closed, or null when there is none.
   * MUST return null — not an error — for a contact without tickets.
   */
  newestOpenTicket(ctx: CrmContext, contactId: string): Promise<CrmRecordRef | null>;

  /**
   * Opens `record` in the browser of the CRM user `crmUserId` (who must be signed in to the CRM).
   * An unknown user or record MUST fail as `rejected` with the CRM's error text; MUST NOT open anything for
   * anybody else.
   */
  displayToAgent(ctx: CrmContext, crmUserId: string, record: CrmRecordRef): Promise<void>;
}

/** Who the credentials belong to: what an admin sees after connecting the CRM. */
export interface CrmAccount {
  /** The CRM user the credentials act as (e-mail or name). */
  readonly user: string;
  /** The CRM account (Zendesk subdomain, Salesforce org, HubSpot portal). */
  readonly account: string;
}

export interface CrmConnectionCheck {
  /**
   * Checks the credentials with one cheap authenticated read (Zendesk `GET /api/v2/users/me.json`).
   * Revoked or wrong credentials MUST fail as `auth`.
   */
  checkConnection(ctx: CrmContext): Promise<CrmAccount>;
}

export function canScreenPop(adapter: CrmAdapter): adapter is CrmAdapter & CrmScreenPop {
  const candidate = adapter as Partial<CrmScreenPop>;
  return typeof candidate.displayToAgent === 'function' && typeof candidate.newestOpenTicket === 'function';
}

export function canCheckConnection(adapter: CrmAdapter): adapter is CrmAdapter & CrmConnectionCheck {
  return typeof (adapter as Partial<CrmConnectionCheck>).checkConnection === 'function';
}
