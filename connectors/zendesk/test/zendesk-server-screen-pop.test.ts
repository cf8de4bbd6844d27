import { afterEach, describe, expect, it } from 'vitest';
import type { CrmContext } from '../../../bridge-server/src/crm/crm-adapter.js';
import type { LiveCrmConnection } from '../../../bridge-server/src/crm/crm-connections.js';
import { screenPop } from '../../../bridge-server/src/crm/screen-pop.js';
import { HARNESS_EMAIL, startZendeskHarness, type ZendeskAdapter, type ZendeskHarness } from '../fake/fake-zendesk-harness.js';
import { zendeskConnector } from '../server/zendesk-connector.js';

const ctx: CrmContext = { tenantId: 'tenant-zd', timeZone: 'UTC' };

describe('ZendeskCrmAdapter: screen pop and connection check', () => {
  let h: ZendeskHarness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('finds the newest ticket the user requested that is not solved or closed', async () => {
    h = await startZendeskHarness();
    const siti = h.zendesk.seedEndUser({ name: 'Siti', phone: '+62 21 555 0100' });
    const other = h.zendesk.seedEndUser({ name: 'Other' });
    h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Router <b>broken</b>', status: 'open' });
    h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Billing', status: 'pending' });
    h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Solved one', status: 'solved' });
    h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Closed one', status: 'closed' });
    h.zendesk.seedTicket({ requesterId: other.id, subject: 'Not hers', status: 'open' });
    const newestOpen = h.zendesk.tickets().find((t) => t.subject === 'Billing')!;
    expect(await h.adapter.newestOpenTicket(ctx, String(siti.id))).toEqual({ type: 'ticket', id: String(newestOpen.id), label: `#${newestOpen.id} Billing` });
    h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Newest but solved', status: 'solved' });
    expect((await h.adapter.newestOpenTicket(ctx, String(siti.id)))?.id).toBe(String(newestOpen.id));
  });

  it('answers null, not an error, for a user without open tickets', async () => {
    h = await startZendeskHarness();
    const siti = h.zendesk.seedEndUser({ name: 'Siti' });
    expect(await h.adapter.newestOpenTicket(ctx, String(siti.id))).toBeNull();
    h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Done', status: 'closed' });
    expect(await h.adapter.newestOpenTicket(ctx, String(siti.id))).toBeNull();
  });

  it('shows the agent the user, or a ticket, through the Talk display endpoints', async () => {
    h = await startZendeskHarness();
    const alice = h.zendesk.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
    const siti = h.zendesk.seedEndUser({ name: 'Siti' });
    const ticket = h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Help' });
    await h.adapter.displayToAgent(ctx, String(alice.id), { type: 'contact', id: String(siti.id), label: 'Siti' });
    await h.adapter.displayToAgent(ctx, String(alice.id), { type: 'ticket', id: String(ticket.id), label: '#1 Help' });
    expect(h.zendesk.displays().map(({ agentId, type, id }) => ({ agentId, type, id }))).toEqual([
      { agentId: alice.id, type: 'user', id: siti.id },
      { agentId: alice.id, type: 'ticket', id: ticket.id },
    ]);
    expect(h.zendesk.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /api/v2/channels/voice/agents/${alice.id}/users/${siti.id}/display.json`,
      `POST /api/v2/channels/voice/agents/${alice.id}/tickets/${ticket.id}/display.json`,
    ]);
  });

  it('fails as rejected with Zendesk\'s text when the agent or record is unknown (404), and shows nobody anything', async () => {
    h = await startZendeskHarness();
    const alice = h.zendesk.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
    const siti = h.zendesk.seedEndUser({ name: 'Siti' });
    const cases = [
      h.adapter.displayToAgent(ctx, String(alice.id), { type: 'ticket', id: '999999', label: '#999999' }),
      h.adapter.displayToAgent(ctx, String(siti.id), { type: 'contact', id: String(siti.id), label: 'Siti' }),
      h.adapter.displayToAgent(ctx, '123456789', { type: 'contact', id: String(siti.id), label: 'Siti' }),
    ];
    for (const attempt of cases) {
      await expect(attempt).rejects.toMatchObject({ kind: 'rejected', status: 404, crmMessage: 'RecordNotFound: Not found' });
    }
    expect(h.zendesk.displays()).toEqual([]);
  });

  it('refuses ids that are not Zendesk ids without asking Zendesk', async () => {
    h = await startZendeskHarness();
    await expect(h.adapter.displayToAgent(ctx, 'alice@acme.test', { type: 'contact', id: '1', label: 'x' })).rejects.toMatchObject({ kind: 'rejected' });
    await expect(h.adapter.displayToAgent(ctx, '1', { type: 'ticket', id: '../users/2', label: 'x' })).rejects.toMatchObject({ kind: 'rejected' });
    await expect(h.adapter.newestOpenTicket(ctx, '1 OR 1')).rejects.toMatchObject({ kind: 'rejected' });
    expect(h.zendesk.requests()).toEqual([]);
  });

  it('pops the newest open ticket, or the user when they have none, through the bridge\'s screen-pop rule', async () => {
    h = await startZendeskHarness();
    const alice = h.zendesk.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
    const siti = h.zendesk.seedEndUser({ name: 'Siti', phone: '+62 21 555 0100' });
    const conn = (screenPop: 'user' | 'ticket'): LiveCrmConnection => ({ kind: 'zendesk', adapter: h!.adapter, ctx, settings: { screenPop } });
    const request = { callId: 'c-1', caller: { name: null, phone: '+62215550100', email: null }, at: new Date(), crmUserId: String(alice.id) };
    expect(await screenPop(conn('ticket'), request)).toMatchObject({ kind: 'opened', record: { type: 'contact', id: String(siti.id) } });
    const ticket = h.zendesk.seedTicket({ requesterId: siti.id, subject: 'Open issue' });
    expect(await screenPop(conn('ticket'), request)).toMatchObject({ record: { type: 'ticket', id: String(ticket.id), label: `#${ticket.id} Open issue` } });
    expect(await screenPop(conn('user'), request)).toMatchObject({ record: { type: 'contact', id: String(siti.id), label: 'Siti' } });
    expect(h.zendesk.displays().map((d) => d.type)).toEqual(['user', 'ticket', 'user']);
  });

  it('checks the connection: who the credentials act as, and on which account', async () => {
    h = await startZendeskHarness();
    expect(await h.adapter.checkConnection(ctx)).toEqual({ user: HARNESS_EMAIL, account: h.zendesk.subdomain });
  });

  it('works with an OAuth access token as Bearer', async () => {
    h = await startZendeskHarness({}, { oauthToken: 'oauth-access-123' });
    const oauth = h.connect({}, { kind: 'oauth', accessToken: 'oauth-access-123' });
    expect(await oauth.checkConnection(ctx)).toMatchObject({ user: HARNESS_EMAIL });
    await expect(h.connect({}, { kind: 'oauth', accessToken: 'wrong' }).findContactsByEmail(ctx, 'a@b.co')).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('calls revoked credentials auth everywhere — the anonymous user of users/me included — until Zendesk is reconnected', async () => {
    h = await startZendeskHarness();
    h.zendesk.revokeToken();
    const me = await fetch(`${h.zendesk.url}/api/v2/users/me.json`, { headers: { authorization: 'Basic eDp5' } });
    expect(me.status).toBe(200);
    await expect(h.adapter.checkConnection(ctx)).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('anonymous') });
    await expect(h.adapter.findContactsByPhone(ctx, '+62 21 555 0100')).rejects.toMatchObject({ kind: 'auth', status: 401, message: expect.stringContaining("Couldn't authenticate you") });
    h.zendesk.setCredentials({ apiToken: 'rotated-token' });
    await expect(h.adapter.checkConnection(ctx)).rejects.toMatchObject({ kind: 'auth' });
    const reconnected = h.connect({}, { kind: 'api-token', email: HARNESS_EMAIL, token: 'rotated-token' });
    expect(await reconnected.checkConnection(ctx)).toMatchObject({ user: HARNESS_EMAIL });
  });

  it('refuses credentials that belong to an end user', async () => {
    h = await startZendeskHarness();
    const fetchAsEndUser: typeof fetch = async () =>
      new Response(JSON.stringify({ user: { id: 5, name: 'Someone', email: 'someone@example.com', role: 'end-user' } }), { status: 200 });
    const asEndUser = zendeskConnector.create({ account: 'acme', screenPop: 'user', recordings: 'link' }, { kind: 'oauth', accessToken: 'x' }, { apiBase: () => h!.zendesk.url, fetch: fetchAsEndUser });
    await expect((asEndUser as ZendeskAdapter).checkConnection(ctx)).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('end user') });
  });
});
