/**
 * An optional capability of a {@link CrmAdapter}: listing the CRM's staff, so an admin can map each Sambung agent
 * to a CRM user by picking from a list instead of typing the CRM's numeric id (`GET /api/admin/crm/users`, then
 * `PUT /api/admin/crm/agents/:username {crmUserId}`). Zendesk has it (`GET /api/v2/users?role[]=agent&role[]=admin`);
 * a connector without a user listing API simply does not implement it, and the admin types the id instead.
 *
 * Rules, in addition to those of the whole contract (`crm-adapter.ts`):
 * - It MUST list only staff who can take calls in the CRM — in Zendesk the roles `agent` and `admin` — and MUST NOT
 *   list anyone else: never an end user (a customer), never a suspended or deleted user.
 * - It MUST be bounded: at most {@link MAX_CRM_AGENTS} users, with `truncated: true` when the CRM has more (and
 *   `false` only when the list is complete). It MUST NOT page through the CRM without a limit on the pages either.
 * - Every failure MUST be a `CrmError` of the right kind: revoked credentials `auth` (the connection then turns
 *   "reconnect-required" like on any other call), a 5xx or timeout `retryable`, an answer the CRM's API does not
 *   document `invalid-response` naming what was wrong. It MUST NOT return a partial list as if it were complete.
 * - Names and e-mail addresses are the CRM's data, returned as plain text: an implementation MUST NOT decode,
 *   interpret or add markup, and whoever shows them renders them as text (CONVENTIONS #12).
 */
import type { CrmAdapter, CrmContext } from './crm-adapter.js';

/** The most users a listing returns; beyond that it says `truncated: true`. */
export const MAX_CRM_AGENTS = 1000;

/** One CRM user who can take calls: what the admin picks an agent's mapping from. */
export interface CrmUser {
  /** The CRM's id, as a string (what `crm_agent_links.crm_user_id` stores; Zendesk's numeric user id). */
  readonly id: string;
  /** Display name, plain text. */
  readonly name: string;
  /** Primary e-mail address, or null when the CRM has none for the user. */
  readonly email: string | null;
  /** `admin` for the CRM's administrators, `agent` for every other staff member who can take calls. */
  readonly role: 'agent' | 'admin';
}

export interface CrmAgentList {
  /** At most {@link MAX_CRM_AGENTS}, each id once, in the CRM's order (callers sort for display). */
  readonly users: readonly CrmUser[];
  /** True when the CRM has more users who can take calls than {@link users} holds. */
  readonly truncated: boolean;
}

export interface CrmUserDirectory {
  /**
   * The CRM's staff who can take calls (see the rules above). MUST fail as `auth` when the CRM refuses the
   * credentials, and MUST NOT return an empty list in place of a failure.
   */
  listAgents(ctx: CrmContext): Promise<CrmAgentList>;
}

export function canListAgents(adapter: CrmAdapter): adapter is CrmAdapter & CrmUserDirectory {
  return typeof (adapter as Partial<CrmUserDirectory>).listAgents === 'function';
}
