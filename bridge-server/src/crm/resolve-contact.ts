import type { CrmAdapter, CrmContact, CrmContext } from './crm-adapter.js';
import { sameEmail } from './contact-match.js';

export interface ContactChoice {
  contactId: string | null;
  /** `matched` one contact, `created` a new one, or `ambiguous`: several matched and none could be told apart. */
  how: 'matched' | 'created' | 'ambiguous';
  /** The contact chosen or created; every candidate when `ambiguous`. */
  contacts: CrmContact[];
}

/**
 * Which contact a call log belongs to, by the screen-pop rule (issue 4, seed 002): one match → it; none → create
 * one ("Web User – MM/DD HH:MM" when the visitor gave no name); several → the one whose e-mail also matches, else
 * none — the log is not pinned to a guess (the agent chose in the softphone when it mattered, see `contactId`).
 * Phone first, e-mail when the phone finds nobody. `createContact` is idempotent by `idempotencyKey`, so a retry
 * after a lost answer reuses the contact created the first time. The screen pop (`screen-pop.ts`) uses the same rule,
 * so the record an agent is shown is the record the call is logged on.
 */
export async function resolveContact(
  adapter: CrmAdapter,
  ctx: CrmContext,
  caller: { name: string | null; phone: string | null; email: string | null },
  at: Date,
  idempotencyKey: string,
): Promise<ContactChoice> {
  let matches: CrmContact[] = caller.phone ? await adapter.findContactsByPhone(ctx, caller.phone) : [];
  if (matches.length > 1 && caller.email) {
    const byEmail = matches.filter((c) => sameEmail(c.email, caller.email));
    if (byEmail.length === 1) matches = byEmail;
  }
  if (matches.length === 0 && caller.email) matches = await adapter.findContactsByEmail(ctx, caller.email);
  if (matches.length === 1) return { contactId: matches[0]!.id, how: 'matched', contacts: matches };
  if (matches.length > 1) return { contactId: null, how: 'ambiguous', contacts: matches };
  const created = await adapter.createContact(ctx, { name: caller.name, phone: caller.phone, email: caller.email, at }, idempotencyKey);
  return { contactId: created.id, how: 'created', contacts: [created] };
}
