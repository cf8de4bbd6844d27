/**
 * The agent ↔ Zendesk user table (pure): our agents (`GET /api/admin/agents`) joined with their links
 * (`GET /api/admin/crm/agents`). The call log names the mapped user (`answered_by_id`) and the screen pop needs it
 * (Talk Partner Edition displays to a Zendesk agent id).
 */
import type { AgentSummary, CrmAgentLink, Role } from './admin-api-shapes.js';

export interface AgentMappingRow {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** The mapped Zendesk user id, or null when the agent is not mapped. */
  readonly crmUserId: string | null;
}

export function mappingRows(agents: readonly AgentSummary[], links: readonly CrmAgentLink[]): AgentMappingRow[] {
  const byUser = new Map<string, string>();
  for (const link of links) if (link.username !== null) byUser.set(link.username, link.crmUserId);
  return agents.map((a) => ({ username: a.username, displayName: a.displayName, role: a.role, crmUserId: byUser.get(a.username) ?? null }));
}

/** Links whose agent was deleted: the table cannot show them, the page says how many. */
export function orphanLinkCount(links: readonly CrmAgentLink[]): number {
  return links.filter((l) => l.username === null).length;
}

/** A Zendesk user id is a positive integer (Users API `id`); the bridge accepts at most 64 characters. */
const ZENDESK_USER_ID = /^[1-9]\d{0,19}$/;

export type CrmUserIdCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

/** What the admin typed as a Zendesk user id, checked before it is sent. */
export function checkCrmUserId(input: string): CrmUserIdCheck {
  const value = input.trim();
  if (value === '') return { ok: false, message: 'Enter the Zendesk user id, or choose Unmap.' };
  if (!ZENDESK_USER_ID.test(value)) {
    return { ok: false, message: "A Zendesk user id is a number: open the agent's profile in Zendesk; it is the number at the end of the address." };
  }
  return { ok: true, value };
}
