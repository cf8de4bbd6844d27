/**
 * The Zendesk connector inside a real bridge: an admin connects Zendesk (the fake) through the API, maps an agent,
 * a visitor calls, the agent answers and asks for the screen pop (Talk Partner Edition display), and after the
 * hang-up the outbox delivers the voice ticket with a recording link that downloads a stereo WAV. Then Zendesk
 * revokes the token: the admin sees "reconnect", deliveries wait, and a reconnect delivers them — nothing lost.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHoldAudio } from '../../../bridge-server/src/media/hold-player.js';
import { bridgeApi } from '../../../bridge-server/test/support/bridge-api.js';
import { login, offeredCall, until } from '../../../bridge-server/test/support/recorded-call.js';
import { TestResources } from '../../../bridge-server/test/support/test-resources.js';
import type { FakeZendesk } from '../fake/fake-zendesk-api.js';
import { startZendeskBridge, ZENDESK_ADMIN_EMAIL as EMAIL, type TestBridge, type ZendeskBridge } from './zendesk-bridge-kit.js';

const TOKEN = 'zd-secret-token-7f3a9c0e51d2b8a4';

let kit: ZendeskBridge;
let zendesk: FakeZendesk;
let bridge: TestBridge;
const own = new TestResources();

beforeEach(async () => {
  kit = await startZendeskBridge(TOKEN);
  ({ zendesk, bridge } = kit);
});

afterEach(async () => {
  await own.release();
  await kit.dispose();
});

const api = (method: string, path: string, token: string | null, body?: unknown) => bridgeApi(bridge.url, method, path, token, body);
const connectBody = (token?: string) => kit.connectBody(token);

/** Visitor calls, alice answers; returns the CDR id and a hang-up (after 1.5 s of the caller talking). */
async function answeredCall(visitorDetails: Record<string, string> = {}) {
  const call = await offeredCall(bridge, own, visitorDetails);
  const { hangUp } = await call.answer();
  call.vPeer.talk([...(await loadHoldAudio())]);
  return {
    callId: call.callId,
    async hangUp() {
      await new Promise((r) => setTimeout(r, 1500));
      await hangUp();
    },
  };
}

describe('Zendesk connected to a real bridge', () => {
  it('connects, screen-pops the caller to the mapped agent and delivers a voice ticket with a playable recording link', async () => {
    const admin = await login(bridge, 'admin');
    const refused = await api('PUT', '/api/admin/crm', admin, connectBody('wrong-token'));
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/zendesk refused the connection/i);

    const connected = await api('PUT', '/api/admin/crm', admin, connectBody());
    expect(connected.status).toBe(200);
    expect(connected.json.connection).toMatchObject({ kind: 'zendesk', status: 'connected', accountUser: EMAIL });
    expect((await api('GET', '/api/admin/crm', admin)).text).not.toContain(TOKEN);
    expect(connected.text).not.toContain(TOKEN);

    const zAgent = zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
    expect((await api('PUT', '/api/admin/crm/agents/alice', admin, { crmUserId: String(zAgent.id) })).status).toBe(200);
    const siti = zendesk.seedEndUser({ name: 'Siti Rahma', phone: '+6281255550101', email: 'siti@example.id' });

    const call = await answeredCall();
    const alice = await login(bridge, 'alice');
    const pop = await api('POST', `/api/agent/calls/${call.callId}/screen-pop`, alice, {});
    expect(pop.json).toEqual({ kind: 'opened', record: { type: 'contact', id: String(siti.id), label: 'Siti Rahma' } });
    expect(zendesk.displays()).toEqual([expect.objectContaining({ agentId: zAgent.id, type: 'user', id: siti.id })]);
    // Bob did not answer this call: no screen pop of someone else's caller.
    expect((await api('POST', `/api/agent/calls/${call.callId}/screen-pop`, await login(bridge, 'bob'), {})).status).toBe(404);
    await call.hangUp();

    const ticket = await until(() => zendesk.tickets().find((t) => t.external_id === `sambung-call:${call.callId}`), 'voice ticket');
    expect(ticket).toMatchObject({ requester_id: siti.id, via: { channel: 'voice', rel: 'inbound' } });
    const voice = await until(() => zendesk.comments(ticket.id).find((c) => c.type === 'VoiceComment' && c.data?.recording_url), 'voice comment');
    expect(voice.data).toMatchObject({ answered_by_id: zAgent.id, from: '+62 812 5555 0101' });
    const wav = await fetch(voice.data!.recording_url!);
    expect(wav.status).toBe(200);
    const bytes = Buffer.from(await wav.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.readUInt16LE(22)).toBe(2); // stereo: caller left, agent right

    // The Zendesk sidebars list this requester's calls through the app key.
    const appKey = (await api('POST', '/api/admin/crm/app-key', admin)).json.appKey as string;
    const recent = await api('GET', `/api/crm-app/recent-calls?contact_id=${siti.id}`, appKey);
    expect(recent.json.calls).toEqual([expect.objectContaining({ callId: call.callId, agent: 'Alice Agent', recordingUrl: expect.stringMatching(/\.wav$/) })]);
    expect((await api('GET', `/api/crm-app/recent-calls?contact_id=${siti.id}`, 'sbk_forged')).status).toBe(401);

    expect(kit.log()).not.toContain(TOKEN);
    expect(kit.log()).not.toContain(Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64'));
  });

  it('still rings an agent with no Zendesk mapping, and says why nothing was displayed', async () => {
    const admin = await login(bridge, 'admin');
    await api('PUT', '/api/admin/crm', admin, connectBody());
    const call = await answeredCall();
    const pop = await api('POST', `/api/agent/calls/${call.callId}/screen-pop`, await login(bridge, 'alice'), {});
    expect(pop.json).toEqual({ kind: 'none', reason: expect.stringContaining('no zendesk user mapping') });
    expect(zendesk.displays()).toEqual([]);
    expect(kit.log()).toContain('no zendesk user mapping');
    await call.hangUp();
  });

  it('on a revoked token shows "reconnect", keeps deliveries waiting, and delivers them after a reconnect', async () => {
    const admin = await login(bridge, 'admin');
    await api('PUT', '/api/admin/crm', admin, connectBody());
    zendesk.revokeToken();
    const call = await answeredCall({ phone: '+62 812 9999 0000', name: '<img src=x onerror=alert(1)>' });
    await call.hangUp();
    const status = await until(async () => {
      const s = (await api('GET', '/api/admin/crm', admin)).json;
      return s.connection.status === 'reconnect-required' && s.deliveries.needsReconnect ? s : null;
    }, 'reconnect-required');
    expect(status.connection.reason).toMatch(/401|credentials/i);
    expect(zendesk.tickets()).toEqual([]);

    zendesk.setCredentials({ apiToken: 'zd-new-token-after-rotation' });
    const again = await api('PUT', '/api/admin/crm', admin, connectBody('zd-new-token-after-rotation'));
    expect(again.json.resumedDeliveries).toBeGreaterThan(0);
    const ticket = await until(() => zendesk.tickets().find((t) => t.external_id === `sambung-call:${call.callId}`), 'delivered after reconnect');
    // The visitor's markup arrives in Zendesk as the plain text they typed.
    const requester = zendesk.users().find((u) => u.id === ticket.requester_id)!;
    expect(requester.name).toBe('<img src=x onerror=alert(1)>');
    expect(zendesk.tickets().filter((t) => t.external_id === `sambung-call:${call.callId}`)).toHaveLength(1);
  });
});
