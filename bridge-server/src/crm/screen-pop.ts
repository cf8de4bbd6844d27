/**
 * The server-side screen pop (issue 5): when an agent answers, bring the caller's record in front of them in the
 * CRM. The rule is the call log's (`resolve-contact.ts`): phone first, then e-mail; one match → display it (or,
 * when the tenant chose `ticket`, the contact's newest open ticket, else the contact); several → the agent picks in
 * the softphone (nothing is displayed until they do); none → create the contact, then display it.
 *
 * Only for CRMs with a server display API ({@link CrmScreenPop}: Zendesk Talk Partner Edition). The record the
 * agent is shown is remembered on the call, so the call log lands on the same record.
 */
import type { CrmContact } from './crm-adapter.js';
import type { LiveCrmConnection } from './crm-connections.js';
import { canScreenPop, type CrmRecordRef } from './crm-screen-pop.js';
import { resolveContact } from './resolve-contact.js';

export type ScreenPopOutcome =
  | { readonly kind: 'opened' | 'created'; readonly record: CrmRecordRef; readonly contactId: string }
  | { readonly kind: 'choose'; readonly candidates: readonly CrmRecordRef[] }
  | { readonly kind: 'none'; readonly reason: string };

export interface ScreenPopRequest {
  readonly callId: string;
  readonly caller: { readonly name: string | null; readonly phone: string | null; readonly email: string | null };
  /** When the call was offered: an anonymous contact is named after it. */
  readonly at: Date;
  /** The answering agent's CRM user, or null when the tenant has not mapped them. */
  readonly crmUserId: string | null;
}

/** Runs the screen-pop rule for an answered call. CRM failures propagate as `CrmError`. */
export async function screenPop(conn: LiveCrmConnection, req: ScreenPopRequest): Promise<ScreenPopOutcome> {
  const { adapter, ctx } = conn;
  if (!canScreenPop(adapter)) return { kind: 'none', reason: `${conn.kind} pops records in the browser, not from the server` };
  if (req.crmUserId === null) return { kind: 'none', reason: `the agent has no ${conn.kind} user mapping: ask an admin to map them` };
  const choice = await resolveContact(adapter, ctx, req.caller, req.at, `sambung:screen-pop:${req.callId}:contact`);
  if (choice.how === 'ambiguous') return { kind: 'choose', candidates: choice.contacts.map(contactRecord) };
  const contact = choice.contacts[0]!;
  const record = (conn.settings.screenPop === 'ticket' ? await adapter.newestOpenTicket(ctx, contact.id) : null) ?? contactRecord(contact);
  await adapter.displayToAgent(ctx, req.crmUserId, record);
  return { kind: choice.how === 'created' ? 'created' : 'opened', record, contactId: contact.id };
}

/** Displays the record the agent picked among several candidates. */
export async function displayChoice(conn: LiveCrmConnection, crmUserId: string, record: CrmRecordRef): Promise<void> {
  if (!canScreenPop(conn.adapter)) return;
  await conn.adapter.displayToAgent(conn.ctx, crmUserId, record);
}

export function contactRecord(contact: CrmContact): CrmRecordRef {
  return { type: 'contact', id: contact.id, label: contact.name };
}
