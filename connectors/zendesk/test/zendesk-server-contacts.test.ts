import { afterEach, describe, expect, it } from 'vitest';
import type { CrmContext } from '../../../bridge-server/src/crm/crm-adapter.js';
import { startZendeskHarness, type ZendeskHarness } from '../fake/fake-zendesk-harness.js';

const ctx: CrmContext = { tenantId: 'tenant-zd', timeZone: 'UTC' };

describe('ZendeskCrmAdapter: finding and creating users', () => {
  let h: ZendeskHarness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });
  const searches = (z: ZendeskHarness) => z.zendesk.requests().filter((r) => r.path === '/api/v2/search.json').map((r) => r.query['query']);

  it('searches by phone with the documented syntax — digits only, a leading wildcard — and keeps only the same number', async () => {
    h = await startZendeskHarness();
    const siti = h.zendesk.seedEndUser({ name: 'Siti', phone: '+62 21-555 0100' });
    h.zendesk.seedEndUser({ name: 'Longer number, same ending', phone: '+1 62 21 555 0100' });
    h.zendesk.seedAgent({ name: 'Agent with that number', email: 'agent@acme.test' });
    const found = await h.adapter.findContactsByPhone(ctx, '0062 (21) 555-0100');
    expect(searches(h)).toEqual(['role:end-user phone:*62215550100']);
    expect(found).toEqual([{ id: String(siti.id), name: 'Siti', phone: '+62 21-555 0100', email: null }]);
  });

  it('does not search at all for a number with fewer than 5 digits', async () => {
    h = await startZendeskHarness();
    expect(await h.adapter.findContactsByPhone(ctx, '12-34')).toEqual([]);
    expect(h.zendesk.requests()).toEqual([]);
  });

  it('searches end users by quoted e-mail and compares it case-insensitively', async () => {
    h = await startZendeskHarness();
    const siti = h.zendesk.seedEndUser({ name: 'Siti', email: 'Siti.Rahma@Example.com' });
    expect((await h.adapter.findContactsByEmail(ctx, '  SITI.rahma@example.COM ')).map((c) => c.id)).toEqual([String(siti.id)]);
    expect(searches(h)).toEqual(['role:end-user email:"siti.rahma@example.com"']);
  });

  it('never finds an agent, even by their exact address', async () => {
    h = await startZendeskHarness();
    h.zendesk.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
    expect(await h.adapter.findContactsByEmail(ctx, 'alice@acme.test')).toEqual([]);
  });

  for (const hostile of [
    '<img src=x onerror=alert(1)>',
    'siti@example.com" role:agent',
    'siti@example.com role:agent',
    'role:agent',
    '*@acme.test',
    '"alice@acme.test"',
    'alice@acme.test\\',
    '-role:end-user@acme.test',
  ]) {
    it(`cannot widen the search with visitor text: ${JSON.stringify(hostile)} finds no one and is never sent`, async () => {
      h = await startZendeskHarness();
      h.zendesk.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
      h.zendesk.seedEndUser({ name: 'Siti', email: 'siti@example.com' });
      expect(await h.adapter.findContactsByEmail(ctx, hostile)).toEqual([]);
      expect(h.zendesk.requests()).toEqual([]);
    });
  }

  it('creates an end user keyed by the idempotency key, with the name, phone and e-mail as typed', async () => {
    h = await startZendeskHarness();
    const name = '<img src=x onerror=alert(1)> Siti';
    const created = await h.adapter.createContact(ctx, { name, phone: '+62 812 1111 2222', email: 'siti@example.com', at: new Date() }, 'sambung:contact:call-1');
    const sent = h.zendesk.requests().find((r) => r.path === '/api/v2/users/create_or_update.json')!;
    expect(sent.json).toEqual({
      user: { name, role: 'end-user', external_id: 'sambung-contact:sambung:contact:call-1', skip_verify_email: true, email: 'siti@example.com', phone: '+62 812 1111 2222' },
    });
    expect(h.zendesk.endUsers()).toEqual([expect.objectContaining({ id: Number(created.id), name, role: 'end-user', external_id: 'sambung-contact:sambung:contact:call-1' })]);
  });

  it('creates the user once when the answer to the create was lost, with or without an e-mail', async () => {
    h = await startZendeskHarness();
    for (const [key, email] of [['k-1', null], ['k-2', 'budi@example.com']] as const) {
      h.zendesk.failNext({ kind: 'lost-response' }, 'create_or_update');
      const input = { name: 'Budi', phone: '+62 812 0000 0001', email, at: new Date() };
      await expect(h.adapter.createContact(ctx, input, key)).rejects.toMatchObject({ kind: 'retryable' });
      const again = await h.adapter.createContact(ctx, input, key);
      expect(h.zendesk.endUsers().filter((u) => u.external_id === `sambung-contact:${key}`).map((u) => String(u.id))).toEqual([again.id]);
    }
    expect(h.zendesk.endUsers()).toHaveLength(2);
  });

  it('refuses to create a contact with an address another user has, leaving that user (an agent) untouched', async () => {
    h = await startZendeskHarness();
    const alice = h.zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
    const attempt = h.adapter.createContact(ctx, { name: 'Mallory', phone: null, email: 'ALICE@acme.test', at: new Date() }, 'k');
    await expect(attempt).rejects.toMatchObject({ kind: 'rejected', crmMessage: expect.stringContaining(`Zendesk user ${alice.id} already has this e-mail address`) });
    expect(h.zendesk.users().find((u) => u.id === alice.id)).toMatchObject({ name: 'Alice Agent', role: 'agent' });
    expect(h.zendesk.requests().some((r) => r.path.includes('create_or_update'))).toBe(false);
  });

  it('reports Zendesk\'s validation text when it refuses a user (422 RecordInvalid)', async () => {
    h = await startZendeskHarness();
    const attempt = h.adapter.createContact(ctx, { name: 'X', phone: null, email: 'siti@localhost', at: new Date() }, 'k');
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'rejected',
      status: 422,
      crmMessage: 'RecordInvalid: Record validation errors — Email: siti@localhost is not properly formatted',
    });
    expect(h.zendesk.endUsers()).toEqual([]);
  });

  it('refuses, without writing, an address that cannot be searched for safely (it could be another user\'s)', async () => {
    h = await startZendeskHarness();
    for (const email of ['alice*@acme.test', 'not an address', '"quoted"@acme.test']) {
      const attempt = h.adapter.createContact(ctx, { name: 'X', phone: null, email, at: new Date() }, `k-${email}`);
      await expect(attempt).rejects.toMatchObject({ kind: 'rejected', crmMessage: expect.stringContaining('cannot be checked') });
    }
    expect(h.zendesk.requests()).toEqual([]);
  });

  it('finds and creates an address with an apostrophe', async () => {
    h = await startZendeskHarness();
    const created = await h.adapter.createContact(ctx, { name: "Siobhan O'Brien", phone: null, email: "o'brien@example.com", at: new Date() }, 'k');
    expect((await h.adapter.findContactsByEmail(ctx, "O'Brien@example.com")).map((c) => c.id)).toEqual([created.id]);
  });

  it('names a caller who gave no name after the call time in the tenant\'s zone', async () => {
    h = await startZendeskHarness();
    const created = await h.adapter.createContact({ tenantId: 't', timeZone: 'Asia/Jakarta' }, { name: ' ', phone: '+62 812 1', email: null, at: new Date('2026-11-21T23:05:00Z') }, 'k');
    expect(created.name).toBe('Web User \u2013 11/22 06:05');
  });
});
