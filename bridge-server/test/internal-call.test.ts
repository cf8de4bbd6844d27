import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { getHeader, type SipRequest, type SipResponse } from '../src/sip/message.js';
import { INTERNAL_RING_TIMEOUT_MS } from '../src/calls/internal-calls.js';
import { agentDial, agentUri, calleeRequest, dialAuthenticated } from './support/agent-dial.js';
import { SipWsClient, digestAuthorization } from './support/sip-ws-client.js';
import { DOMAIN, PASSWORDS, rand, registerAgent, startTestBridge, visitorInvite, visitorToken } from './support/test-bridge.js';
import { TestPeer } from './support/webrtc-peer.js';
import { TestResources } from './support/test-resources.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;

let bridge: TestBridge;
const own = new TestResources();
const { clients, peers } = own;

async function agent(name: 'alice' | 'bob' | 'admin'): Promise<SipWsClient> {
  const c = await registerAgent(bridge.wsUrl, name, PASSWORDS[name]);
  clients.push(c);
  return c;
}
function peer(): TestPeer {
  const p = new TestPeer();
  peers.push(p);
  return p;
}
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
/** The first final response to the INVITE with this Call-ID and CSeq. */
function finalTo(c: SipWsClient, callId: string, cseq = 2): Promise<SipResponse> {
  return c.next<SipResponse>((m) => m.kind === 'response' && m.callId === callId && m.cseq.method === 'INVITE'
    && m.cseq.seq === cseq && m.status >= 200);
}
const invites = (c: SipWsClient) => c.received.filter((m) => m.kind === 'request' && (m as SipRequest).method === 'INVITE');
const internalCalls = () => bridge.b2bua.internal.activeCalls;

/** The callee's softphone answers the bridge's INVITE with a real WebRTC answer. */
async function answer(callee: SipWsClient, invite: SipRequest, tag: string, calleePeer: TestPeer): Promise<void> {
  callee.reply(invite, 200, 'OK', {
    toTag: tag,
    headers: [`Contact: <sip:callee@${callee.host};transport=ws>`, 'Content-Type: application/sdp'],
    body: await calleePeer.answer(invite.body),
  });
  await callee.request('ACK', invite.callId);
}

/** alice dials bob, whose softphone rings (180 back to alice). */
async function ringingCall() {
  const alice = await agent('alice');
  const bob = await agent('bob');
  const { dial } = await dialAuthenticated(alice, { from: 'alice', target: agentUri('bob'), sdp: await peer().offer() });
  const invite = await bob.request('INVITE');
  const bobTag = rand();
  bob.reply(invite, 180, 'Ringing', { toTag: bobTag });
  await alice.response('INVITE', 180, dial.callId);
  return { alice, bob, dial, invite, bobTag };
}

/** The bridge CANCELs the ringing callee's INVITE: 200 to the CANCEL, 487 to the INVITE, and its ACK arrives. */
async function calleeCancelled(callee: SipWsClient, invite: SipRequest, tag: string): Promise<void> {
  const cancel = await callee.request('CANCEL', invite.callId);
  callee.reply(cancel, 200, 'OK', { toTag: tag });
  callee.reply(invite, 487, 'Request Terminated', { toTag: tag });
  await callee.request('ACK', invite.callId);
}

/** alice dials bob and bob answers: both peers connected through the bridge. */
async function connectedCall() {
  const alice = await agent('alice');
  const bob = await agent('bob');
  const [aPeer, bPeer] = [peer(), peer()];
  const { dial } = await dialAuthenticated(alice, { from: 'alice', target: agentUri('bob'), sdp: await aPeer.offer() });
  const invite = await bob.request('INVITE');
  const bobTag = rand();
  await answer(bob, invite, bobTag, bPeer);
  const ok = await finalTo(alice, dial.callId);
  expect(ok.status).toBe(200);
  await aPeer.accept(ok.body);
  dial.ack(ok.to.params.tag!, 2);
  return { alice, bob, aPeer, bPeer, dial, invite, bobTag, aliceTag: ok.to.params.tag! };
}

beforeEach(async () => {
  bridge = await startTestBridge();
});

afterEach(async () => {
  await own.release();
  await bridge.dispose();
});

describe('an agent calls a colleague through the bridge', () => {
  it('challenges the INVITE with digest, rings the colleague, relays media both ways and ends on the caller\u2019s BYE', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const [aPeer, bPeer] = [peer(), peer()];
    const aliceSdp = await aPeer.offer();
    const { dial, challenge } = await dialAuthenticated(alice, { from: 'alice', target: agentUri('bob'), sdp: aliceSdp });
    expect(getHeader(challenge, 'www-authenticate')).toMatch(new RegExp(`^Digest realm="${DOMAIN}", nonce="[^"]+", algorithm=MD5, qop="auth"`));

    const invite = await bob.request('INVITE');
    expect(invite.from.displayName).toBe('Alice Agent');
    expect(invite.from.uri.user).toBe('alice');
    expect(getHeader(invite, 'x-sambung-call-kind')).toBe('internal');
    expect(getHeader(invite, 'x-sambung-caller-name')).toBe(encodeURIComponent('Alice Agent'));
    expect(getHeader(invite, 'x-sambung-caller-phone')).toBe('');
    expect(invite.body).toMatch(/m=audio/);
    expect(invite.body).not.toBe(aliceSdp); // media is anchored: the bridge's own offer, not alice's
    const bobTag = rand();
    bob.reply(invite, 180, 'Ringing', { toTag: bobTag });
    expect((await alice.response('INVITE', 180, dial.callId)).to.params.tag).toBeTruthy();
    expect(internalCalls()[0]!.state).toBe('ringing');

    await answer(bob, invite, bobTag, bPeer);
    const ok = await finalTo(alice, dial.callId);
    expect(ok.status).toBe(200);
    expect(getHeader(ok, 'content-type')).toBe('application/sdp');
    await aPeer.accept(ok.body);
    dial.ack(ok.to.params.tag!, 2);

    aPeer.talk();
    bPeer.talk();
    await until(() => aPeer.received > 20 && bPeer.received > 20, 'media both ways through the bridge');
    const [call] = internalCalls();
    expect(call!.state).toBe('connected');
    expect(call!.callerMedia!.stats.packetsIn).toBeGreaterThan(0);
    expect(call!.calleeMedia!.stats.packetsIn).toBeGreaterThan(0);

    dial.inDialog('BYE', ok.to.params.tag!, 3);
    expect((await alice.response('BYE', undefined, dial.callId)).status).toBe(200);
    const bye = await bob.request('BYE', invite.callId);
    bob.reply(bye, 200, 'OK');
    expect(internalCalls()).toHaveLength(0);
    expect(call!.endReason).toBe('completed');
  });

  it('ends the caller\u2019s leg with BYE when the callee hangs up', async () => {
    const { alice, bob, dial, invite, bobTag } = await connectedCall();
    calleeRequest(bob, invite, bobTag, 'BYE', 1);
    expect((await bob.response('BYE', 200, invite.callId)).status).toBe(200);
    const bye = await alice.request('BYE', dial.callId);
    alice.reply(bye, 200, 'OK');
    expect(internalCalls()).toHaveLength(0);
  });

  it('takes both agents out of queue routing while they talk (ACD away: internal-call), and back after', async () => {
    const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
    const idOf = async (username: string) => (await bridge.store.agents.findByUsername(tenant.id, username))!.id;
    const view = async (username: string) => bridge.acd.agentView(tenant.id, await idOf(username));
    const { alice, bob, dial, invite, bobTag } = await connectedCall();
    for (const name of ['alice', 'bob']) {
      await expect.poll(async () => (await view(name))?.awayReason).toBe('internal-call');
      expect((await view(name))?.state).toBe('away');
    }
    calleeRequest(bob, invite, bobTag, 'BYE', 1);
    await bob.response('BYE', 200, invite.callId);
    alice.reply(await alice.request('BYE', dial.callId), 200, 'OK');
    await expect.poll(async () => (await view('alice'))?.state).toBe('available');
    await expect.poll(async () => (await view('bob'))?.state).toBe('available');
  });

  it('holds and resumes over INFO, answers 409 to recording controls and passes DTMF on', async () => {
    const { alice, bob, bPeer, dial, aliceTag } = await connectedCall();
    await internalCalls()[0]!.calleeMedia!.connected;
    const control = (action: string, cseq: number) =>
      dial.inDialog('INFO', aliceTag, cseq, { type: 'application/vnd.sambung.control+json', text: JSON.stringify({ action }) });
    control('hold', 3);
    expect((await alice.response('INFO', undefined, dial.callId)).status).toBe(200);
    expect(internalCalls()[0]!.state).toBe('held');
    await until(() => bPeer.received > 10, 'hold audio to the held colleague');
    control('unhold', 4);
    expect((await alice.response('INFO', undefined, dial.callId)).status).toBe(200);
    expect(internalCalls()[0]!.state).toBe('connected');
    control('pause-recording', 5);
    const refused = await alice.response('INFO', undefined, dial.callId);
    expect(refused).toMatchObject({ status: 409, reason: 'Conflict - internal calls are not recorded' });

    dial.inDialog('INFO', aliceTag, 6, { type: 'application/dtmf-relay', text: 'Signal=5\r\nDuration=160\r\n' });
    expect((await alice.response('INFO', undefined, dial.callId)).status).toBe(200);
    const dtmf = await bob.request('INFO');
    expect(dtmf.body).toContain('Signal=5');
    bob.reply(dtmf, 200, 'OK');
  });

  it('lets the caller CANCEL while the colleague\u2019s phone rings: 487 to the caller, CANCEL to the callee', async () => {
    const { alice, bob, dial, invite, bobTag } = await ringingCall();

    dial.cancel(2);
    expect((await alice.response('CANCEL', undefined, dial.callId)).status).toBe(200);
    const terminated = await finalTo(alice, dial.callId);
    expect(terminated.status).toBe(487);
    dial.ack(terminated.to.params.tag!, 2, true);
    await calleeCancelled(bob, invite, bobTag);
    expect(internalCalls()).toHaveLength(0);
  });

  it.each([
    [486, 'Busy Here'],
    [603, 'Decline'],
  ])('passes the callee\u2019s %i back to the caller', async (status, reason) => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const { dial } = await dialAuthenticated(alice, { from: 'alice', target: agentUri('bob'), sdp: await peer().offer() });
    const invite = await bob.request('INVITE');
    bob.reply(invite, status, reason, { toTag: rand() });
    expect((await finalTo(alice, dial.callId)).status).toBe(status);
    expect(internalCalls()).toHaveLength(0);
  });

  it('answers 480 when the colleague\u2019s connection drops while ringing', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const { dial } = await dialAuthenticated(alice, { from: 'alice', target: agentUri('bob'), sdp: await peer().offer() });
    const invite = await bob.request('INVITE');
    bob.reply(invite, 180, 'Ringing', { toTag: rand() });
    await alice.response('INVITE', 180, dial.callId);
    bob.close();
    expect((await finalTo(alice, dial.callId)).status).toBe(480);
    await until(() => internalCalls().length === 0, 'call ended');
  });

  it('ends the callee\u2019s leg with BYE when the caller\u2019s connection drops mid-call', async () => {
    const { alice, bob, invite } = await connectedCall();
    alice.close();
    const bye = await bob.request('BYE', invite.callId);
    bob.reply(bye, 200, 'OK');
    expect(internalCalls()).toHaveLength(0);
  });
});

describe('what an agent may dial', () => {
  async function refusal(target: string, opts: { password?: string; from?: 'alice' | 'admin' } = {}): Promise<SipResponse> {
    const caller = await agent(opts.from ?? 'alice');
    const { dial } = await dialAuthenticated(caller, { from: opts.from ?? 'alice', target, sdp: await peer().offer(), ...opts });
    return finalTo(caller, dial.callId);
  }

  it('answers 404 for an extension no agent has', async () => {
    expect(await refusal(agentUri('zed'))).toMatchObject({ status: 404, reason: 'Not Found - no such extension' });
  });

  it('answers 480 when the colleague is not signed in', async () => {
    expect(await refusal(agentUri('bob'))).toMatchObject({ status: 480, reason: 'Temporarily Unavailable - bob is not signed in' });
  });

  it('answers 486 without ringing when the colleague is already on a call', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const { dial } = await dialAuthenticated(alice, { from: 'alice', target: agentUri('bob'), sdp: await peer().offer() });
    await bob.request('INVITE');
    expect(await refusal(agentUri('bob'), { from: 'admin' })).toMatchObject({ status: 486, reason: 'Busy Here - bob is on a call' });
    expect(invites(bob)).toHaveLength(1);
    dial.cancel(2);
    expect((await finalTo(alice, dial.callId)).status).toBe(487);
  });

  it('answers 486 without ringing when the ACD is offering the colleague a queue call', async () => {
    const bob = await agent('bob');
    const visitor = await SipWsClient.connect(bridge.wsUrl);
    clients.push(visitor);
    visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await peer().offer() }).send();
    await bob.request('INVITE'); // the ACD reserved bob for the visitor
    expect(await refusal(agentUri('bob'), { from: 'admin' })).toMatchObject({ status: 486 });
    expect(invites(bob)).toHaveLength(1);
  });

  it('answers 488 to an INVITE without an audio offer', async () => {
    await agent('bob');
    const alice = await agent('alice');
    const { dial } = await dialAuthenticated(alice, { from: 'alice', target: agentUri('bob'), sdp: '' });
    expect(await finalTo(alice, dial.callId)).toMatchObject({ status: 488 });
  });

  it('refuses an agent of another tenant with 403', async () => {
    const other = await bridge.store.tenants.create({ slug: 'other', name: 'Other Co', sipDomain: 'other.sambung.local' });
    await bridge.store.agents.create({ tenantId: other.id, username: 'carol', displayName: 'Carol', password: 'carol-pass-1', realm: other.sipDomain, queueIds: [] });
    expect(await refusal(agentUri('carol', other.sipDomain))).toMatchObject({
      status: 403, reason: 'Forbidden - only agents of your organisation can be called',
    });
  });

  it.each([
    ['a global number', `sip:+6281234567890@${DOMAIN};user=phone`],
    ['a national number', `sip:081234567890@${DOMAIN}`],
  ])('refuses %s with 403: there is no trunk yet', async (_what, target) => {
    expect(await refusal(target)).toMatchObject({ status: 403, reason: 'Forbidden - outside numbers cannot be called yet (no trunk)' });
  });

  it('refuses a call to oneself with 403', async () => {
    expect(await refusal(agentUri('alice'))).toMatchObject({ status: 403, reason: 'Forbidden - you cannot call yourself' });
  });

  it('refuses a wrong password with 403 and rings nobody', async () => {
    const bob = await agent('bob');
    expect(await refusal(agentUri('bob'), { password: 'not-the-password' })).toMatchObject({ status: 403, reason: 'Forbidden - bad credentials' });
    expect(invites(bob)).toHaveLength(0);
  });

  it('refuses to dial as someone else: From must be the authenticated agent', async () => {
    const bob = await agent('bob');
    const mallory = await SipWsClient.connect(bridge.wsUrl);
    clients.push(mallory);
    const dial = agentDial(mallory, { from: 'admin', target: agentUri('bob'), sdp: await peer().offer() });
    dial.invite(1);
    const challenge = await mallory.response('INVITE', 401, dial.callId);
    dial.ack(challenge.to.params.tag!, 1, true);
    dial.invite(2, digestAuthorization(getHeader(challenge, 'www-authenticate')!, {
      username: 'alice', password: PASSWORDS.alice, method: 'INVITE', uri: agentUri('bob'),
    }));
    expect(await finalTo(mallory, dial.callId)).toMatchObject({ status: 403, reason: 'Forbidden - you may only call as yourself' });
    expect(invites(bob)).toHaveLength(0);
  });

  it('keeps visitors on their queue: a visitor token cannot reach an agent, and a bare INVITE to a queue gets the Bearer challenge', async () => {
    const bob = await agent('bob');
    const visitor = await SipWsClient.connect(bridge.wsUrl);
    clients.push(visitor);
    const sdp = await peer().offer();
    visitorInvite(visitor, { target: agentUri('bob'), token: await visitorToken(bridge), sdp }).send();
    expect(await visitor.next((m) => m.kind === 'response' && m.status >= 200)).toMatchObject({ status: 403 });
    visitorInvite(visitor, { token: null, sdp }).send();
    const challenge = await visitor.next((m) => m.kind === 'response' && m.status >= 200);
    expect(challenge).toMatchObject({ status: 401 });
    expect(getHeader(challenge, 'www-authenticate')).toMatch(/^Bearer realm=/);
    expect(invites(bob)).toHaveLength(0);
  });
});

describe('an internal call nobody answers', () => {
  it('gives up after the ring timeout: CANCEL to the callee, 480 to the caller', async () => {
    await bridge.dispose();
    const clock = new ManualClock(Date.now());
    bridge = await startTestBridge({}, { clock });
    const { alice, bob, dial, invite, bobTag } = await ringingCall();
    clock.advance(INTERNAL_RING_TIMEOUT_MS - 1);
    expect(internalCalls()).toHaveLength(1);
    clock.advance(1);
    expect(await finalTo(alice, dial.callId)).toMatchObject({ status: 480, reason: 'Temporarily Unavailable - no answer' });
    await calleeCancelled(bob, invite, bobTag);
    expect(internalCalls()).toHaveLength(0);
  });
});
