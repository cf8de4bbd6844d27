import { describe, expect, it } from 'vitest';
import type { CrmContext } from './crm-adapter.js';
import type { LiveCrmConnection } from './crm-connections.js';
import { CrmError } from './crm-error.js';
import type { CrmRecordRef, CrmScreenPop } from './crm-screen-pop.js';
import { MemoryCrmAdapter } from './memory-crm-adapter.js';
import { displayChoice, screenPop } from './screen-pop.js';

/** The in-memory CRM with a server display API, recording what each CRM user was shown. */
class DisplayingCrm extends MemoryCrmAdapter implements CrmScreenPop {
  readonly displayed: Array<{ user: string; record: CrmRecordRef }> = [];
  readonly tickets = new Map<string, CrmRecordRef>();
  readonly agents = new Set(['zd-agent-1']);

  async newestOpenTicket(_ctx: CrmContext, contactId: string): Promise<CrmRecordRef | null> {
    return this.tickets.get(contactId) ?? null;
  }

  async displayToAgent(_ctx: CrmContext, crmUserId: string, record: CrmRecordRef): Promise<void> {
    if (!this.agents.has(crmUserId)) throw CrmError.rejected('RecordNotFound', { status: 404 });
    this.displayed.push({ user: crmUserId, record });
  }
}

const ctx: CrmContext = { tenantId: 't1', timeZone: 'Asia/Jakarta' };
const at = new Date('2026-11-22T02:05:00Z');

function connection(adapter: MemoryCrmAdapter, screenPopTarget: 'user' | 'ticket' = 'user'): LiveCrmConnection {
  return { kind: 'zendesk', adapter, ctx, settings: { screenPop: screenPopTarget } };
}

const caller = (over: Partial<{ name: string | null; phone: string | null; email: string | null }> = {}) => ({
  name: 'Siti',
  phone: '+62 812 3456 7890',
  email: 'siti@example.com',
  ...over,
});

describe('screenPop', () => {
  it('displays the one contact matching the phone to the answering agent', async () => {
    const crm = new DisplayingCrm();
    const siti = await crm.createContact(ctx, { name: 'Siti Rahma', phone: '+6281234567890', email: null, at }, 'k1');
    await crm.createContact(ctx, { name: 'Budi', phone: '+62 811 0000 0000', email: null, at }, 'k2');
    const outcome = await screenPop(connection(crm), { callId: 'c1', caller: caller(), at, crmUserId: 'zd-agent-1' });
    expect(outcome).toEqual({ kind: 'opened', record: { type: 'contact', id: siti.id, label: 'Siti Rahma' }, contactId: siti.id });
    expect(crm.displayed).toEqual([{ user: 'zd-agent-1', record: { type: 'contact', id: siti.id, label: 'Siti Rahma' } }]);
  });

  it("displays the contact's newest open ticket when the tenant chose tickets, else the contact", async () => {
    const crm = new DisplayingCrm();
    const siti = await crm.createContact(ctx, { name: 'Siti', phone: '+6281234567890', email: null, at }, 'k1');
    const ticket: CrmRecordRef = { type: 'ticket', id: '42', label: '#42 Refund' };
    crm.tickets.set(siti.id, ticket);
    const outcome = await screenPop(connection(crm, 'ticket'), { callId: 'c1', caller: caller(), at, crmUserId: 'zd-agent-1' });
    expect(outcome).toMatchObject({ kind: 'opened', record: ticket, contactId: siti.id });
    crm.tickets.clear();
    const fallback = await screenPop(connection(crm, 'ticket'), { callId: 'c2', caller: caller(), at, crmUserId: 'zd-agent-1' });
    expect(fallback).toMatchObject({ kind: 'opened', record: { type: 'contact', id: siti.id } });
  });

  it('offers every candidate and displays nothing when several match', async () => {
    const crm = new DisplayingCrm();
    await crm.createContact(ctx, { name: 'Siti (home)', phone: '+6281234567890', email: null, at }, 'k1');
    await crm.createContact(ctx, { name: 'Siti (work)', phone: '+62 812 3456 7890', email: null, at }, 'k2');
    const outcome = await screenPop(connection(crm), { callId: 'c1', caller: caller({ email: null }), at, crmUserId: 'zd-agent-1' });
    expect(outcome.kind).toBe('choose');
    if (outcome.kind === 'choose') expect(outcome.candidates.map((c) => c.label).sort()).toEqual(['Siti (home)', 'Siti (work)']);
    expect(crm.displayed).toEqual([]);
  });

  it('creates an anonymous visitor as "Web User – MM/DD HH:MM" in the tenant zone, once per call, then displays it', async () => {
    const crm = new DisplayingCrm();
    const request = { callId: 'c1', caller: caller({ name: null, phone: '+15550001111', email: null }), at, crmUserId: 'zd-agent-1' };
    const first = await screenPop(connection(crm), request);
    expect(first).toMatchObject({ kind: 'created', record: { type: 'contact', label: 'Web User \u2013 11/22 09:05' } });
    // The agent's softphone asked twice (a reload): the same contact, not a second one.
    crm.failNext({ kind: 'lost-response' });
    await screenPop(connection(crm), { ...request, caller: { ...request.caller, phone: '+1 555 000 9999' } }).catch(() => undefined);
    expect(crm.contacts('t1').filter((c) => c.name.startsWith('Web User'))).toHaveLength(1);
    expect(crm.displayed).toHaveLength(1);
  });

  it('says why nothing was displayed when the agent has no CRM user mapping', async () => {
    const crm = new DisplayingCrm();
    const outcome = await screenPop(connection(crm), { callId: 'c1', caller: caller(), at, crmUserId: null });
    expect(outcome).toEqual({ kind: 'none', reason: expect.stringContaining('no zendesk user mapping') });
    expect(crm.contacts('t1')).toEqual([]);
  });

  it('says so for a CRM without a server display API', async () => {
    const outcome = await screenPop(connection(new MemoryCrmAdapter()), { callId: 'c1', caller: caller(), at, crmUserId: 'u' });
    expect(outcome).toMatchObject({ kind: 'none', reason: expect.stringContaining('in the browser') });
  });

  it('passes the CRM refusing an unknown agent on as a rejected CrmError', async () => {
    const crm = new DisplayingCrm();
    await crm.createContact(ctx, { name: 'Siti', phone: '+6281234567890', email: null, at }, 'k1');
    await expect(screenPop(connection(crm), { callId: 'c1', caller: caller(), at, crmUserId: 'zd-nobody' })).rejects.toMatchObject({ kind: 'rejected' });
  });

  it('displays the candidate an agent picked', async () => {
    const crm = new DisplayingCrm();
    const record: CrmRecordRef = { type: 'contact', id: 'x1', label: 'Siti (work)' };
    await displayChoice(connection(crm), 'zd-agent-1', record);
    expect(crm.displayed).toEqual([{ user: 'zd-agent-1', record }]);
  });
});
