import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { getHeader, type SipRequest } from '../src/sip/message.js';
import { SipWsClient } from './support/sip-ws-client.js';
import { DOMAIN, registerAgent, rand, startTestBridge, visitorInvite, visitorToken } from './support/test-bridge.js';
import { TestPeer } from './support/webrtc-peer.js';
import { TestResources } from './support/test-resources.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;

let bridge: TestBridge;
const own = new TestResources();
const { clients, peers } = own;

async function client(): Promise<SipWsClient> {
  const c = await SipWsClient.connect(bridge.wsUrl);
  clients.push(c);
  return c;
}
async function agent(name: 'alice' | 'bob'): Promise<SipWsClient> {
  const c = await registerAgent(bridge.wsUrl, name);
  clients.push(c);
  return c;
}
function peer(): TestPeer {
  const p = new TestPeer();
  peers.push(p);
  return p;
}
async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
async function cdr(sipCallId: string) {
  await bridge.b2bua.flush();
  const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
  return bridge.store.calls.findBySipCallId(tenant.id, sipCallId);
}

beforeEach(async () => {
  bridge = await startTestBridge();
});

afterEach(async () => {
  await own.release();
  await bridge.dispose();
});

describe('agent registration', () => {
  it('challenges a REGISTER with digest, then binds the agent', async () => {
    const c = await client();
    c.send(`REGISTER sip:${DOMAIN} SIP/2.0
Via: SIP/2.0/WS ${c.host};branch=z9hG4bK${rand()}
Max-Forwards: 70
To: <sip:alice@${DOMAIN}>
From: <sip:alice@${DOMAIN}>;tag=${rand()}
Call-ID: ${rand()}
CSeq: 1 REGISTER
Contact: <sip:alice@${c.host};transport=ws>
Content-Length: 0

`);
    const challenge = await c.response('REGISTER');
    expect(challenge.status).toBe(401);
    const www = getHeader(challenge, 'www-authenticate')!;
    expect(www).toMatch(/^Digest /);
    expect(www).toContain(`realm="${DOMAIN}"`);
    expect(www).toMatch(/qop="auth"/);
    expect(bridge.registrar.lookup(`sip:alice@${DOMAIN}`)).toHaveLength(0);

    const alice = await agent('alice');
    expect(alice.received.at(-1)).toMatchObject({ kind: 'response', status: 200 });
    expect(getHeader(alice.received.at(-1)!, 'contact')).toMatch(/expires=\d+/);
    expect(bridge.registrar.lookup(`sip:alice@${DOMAIN}`)).toHaveLength(1);
  });

  it('refuses a wrong password and an unauthenticated or foreign registration', async () => {
    await expect(registerAgent(bridge.wsUrl, 'alice', 'not-the-password')).rejects.toThrow(/403/);
    expect(bridge.registrar.lookup(`sip:alice@${DOMAIN}`)).toHaveLength(0);
  });

  it('drops the binding when the agent\u2019s WebSocket closes', async () => {
    const alice = await agent('alice');
    alice.close();
    await until(() => bridge.registrar.lookup(`sip:alice@${DOMAIN}`).length === 0, 'binding removed');
  });
});

describe('a visitor call through the bridge', () => {
  it('queues with early media, rings the agent with the caller\u2019s details, bridges media and ends on BYE', async () => {
    const alice = await agent('alice');
    const visitor = await client();
    const vPeer = peer();
    const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await vPeer.offer() });
    inv.send();

    expect((await visitor.response('INVITE')).status).toBe(100);
    const early = await visitor.response('INVITE', 183);
    expect(getHeader(early, 'content-type')).toBe('application/sdp');
    expect(early.body).toMatch(/a=fingerprint:/);
    await vPeer.accept(early.body);

    const offer = await alice.request('INVITE');
    expect(offer.from.displayName).toBe('Siti Rahma');
    expect(getHeader(offer, 'x-sambung-caller-name')).toBe(encodeURIComponent('Siti Rahma'));
    expect(getHeader(offer, 'x-sambung-caller-phone')).toBe(encodeURIComponent('+62 812 5555 0101'));
    expect(getHeader(offer, 'x-sambung-caller-email')).toBe(encodeURIComponent('siti@example.id'));
    expect(getHeader(offer, 'x-sambung-queue')).toBe('sales');
    expect(offer.body).toMatch(/m=audio/);

    const aPeer = peer();
    const agentTag = rand();
    alice.reply(offer, 180, 'Ringing', { toTag: agentTag, headers: [`Contact: <sip:alice@${alice.host};transport=ws>`] });
    await visitor.response('INVITE', 180);
    alice.reply(offer, 200, 'OK', {
      toTag: agentTag,
      headers: [`Contact: <sip:alice@${alice.host};transport=ws>`, 'Content-Type: application/sdp'],
      body: await aPeer.answer(offer.body),
    });
    const ack = await alice.request('ACK', offer.callId);
    expect(ack.cseq).toEqual({ seq: offer.cseq.seq, method: 'ACK' });

    const ok = await visitor.response('INVITE', 200);
    expect(getHeader(ok, 'x-sambung-agent')).toBe(encodeURIComponent('Alice Agent'));
    inv.ack(ok.to.params.tag!);

    vPeer.talk();
    aPeer.talk();
    await until(() => vPeer.received > 20 && aPeer.received > 20, 'media both ways through the bridge');
    const [call] = bridge.b2bua.activeCalls;
    expect(call!.visitorMedia.stats.packetsIn).toBeGreaterThan(0);
    expect(call!.agentMedia!.stats.packetsIn).toBeGreaterThan(0);

    inv.bye(ok.to.params.tag!, 2);
    expect((await visitor.response('BYE')).status).toBe(200);
    const bye = await alice.request('BYE', offer.callId);
    alice.reply(bye, 200, 'OK');

    const row = await cdr(inv.callId);
    expect(row).toMatchObject({ endReason: 'completed', callerName: 'Siti Rahma', callerPhone: '+62 812 5555 0101' });
    expect(row!.agentId).toBeTruthy();
    expect(row!.talkSeconds).toBeGreaterThan(0);
    expect(row!.waitSeconds).toBeGreaterThanOrEqual(0);
    expect(bridge.b2bua.activeCalls).toHaveLength(0);
  });

  it('lets a queued visitor CANCEL: 200 to the CANCEL, 487 to the INVITE, CDR abandoned', async () => {
    const visitor = await client();
    const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await peer().offer() });
    inv.send();
    await visitor.response('INVITE', 183);
    const queued = await visitor.response('INVITE', 182);
    expect(getHeader(queued, 'x-sambung-queue-position')).toBe('1');
    inv.cancel();
    expect((await visitor.response('CANCEL')).status).toBe(200);
    const terminated = await visitor.response('INVITE', 487);
    inv.ack(terminated.to.params.tag!, 1, true);
    expect(await cdr(inv.callId)).toMatchObject({ endReason: 'abandoned', answeredAt: null, agentId: null });
  });

  it('offers the call to the next agent when the first answers 486 Busy Here', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const visitor = await client();
    const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await peer().offer() });
    inv.send();
    const first = await alice.request('INVITE');
    alice.reply(first, 486, 'Busy Here', { toTag: rand() });
    expect((await alice.request('ACK', first.callId)).cseq.method).toBe('ACK');
    const second = await bob.request('INVITE');
    bob.reply(second, 200, 'OK', {
      toTag: rand(),
      headers: [`Contact: <sip:bob@${bob.host};transport=ws>`, 'Content-Type: application/sdp'],
      body: await peer().answer(second.body),
    });
    const ok = await visitor.response('INVITE', 200);
    expect(decodeURIComponent(getHeader(ok, 'x-sambung-agent')!)).toBe('Bob Agent');
  });

  it('offers the call to the next agent when the first does not answer within the ring timeout', async () => {
    await bridge.store.db.updateTable('queues').set({ ring_timeout_sec: 1 }).execute();
    const alice = await agent('alice');
    const bob = await agent('bob');
    const visitor = await client();
    const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await peer().offer() });
    inv.send();
    const first = await alice.request('INVITE');
    const tag = rand();
    alice.reply(first, 180, 'Ringing', { toTag: tag });
    const cancel = await alice.request('CANCEL', first.callId);
    alice.reply(cancel, 200, 'OK', { toTag: tag });
    alice.reply(first, 487, 'Request Terminated', { toTag: tag });
    expect((await bob.request('INVITE')).method).toBe('INVITE');
  });
});

describe('no stuck calls', () => {
  it('ends both legs with BYE when the visitor never ACKs the 200 OK (RFC 3261 §13.3.1.4)', async () => {
    await bridge.dispose();
    const clock = new ManualClock(Date.now());
    bridge = await startTestBridge({}, { clock });
    const alice = await agent('alice');
    const visitor = await client();
    const vPeer = peer();
    const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await vPeer.offer() });
    inv.send();
    await vPeer.accept((await visitor.response('INVITE', 183)).body);
    const offer = await alice.request('INVITE');
    alice.reply(offer, 200, 'OK', {
      toTag: rand(),
      headers: [`Contact: <sip:alice@${alice.host};transport=ws>`, 'Content-Type: application/sdp'],
      body: await peer().answer(offer.body),
    });
    await visitor.response('INVITE', 200);
    await until(() => bridge.b2bua.activeCalls[0]?.state === 'connected', 'connected');
    const [call] = bridge.b2bua.activeCalls;
    await Promise.all([call!.visitorMedia.connected, call!.agentMedia!.connected]);
    clock.advance(31_000);
    expect(bridge.b2bua.activeCalls).toHaveLength(1);
    clock.advance(2_000);
    const bye = await visitor.request('BYE');
    visitor.reply(bye, 200, 'OK');
    const agentBye = await alice.request('BYE', offer.callId);
    alice.reply(agentBye, 200, 'OK');
    expect(await cdr(inv.callId)).toMatchObject({ endReason: 'failed' });
  });
});

describe('who can call what', () => {
  const targets = [
    ['an agent', `sip:alice@${DOMAIN}`],
    ['a phone number', `sip:+6281234567890@${DOMAIN};user=phone`],
    ['another domain', 'sip:sales@evil.example.com'],
    ['another queue', `sip:support@${DOMAIN}`],
  ];
  it.each(targets)('refuses a visitor INVITE to %s with 403', async (_what, target) => {
    await agent('alice');
    const visitor = await client();
    const inv = visitorInvite(visitor, { target, token: await visitorToken(bridge), sdp: await peer().offer() });
    inv.send();
    const res = await visitor.next((m) => m.kind === 'response' && m.status >= 200);
    expect(res).toMatchObject({ status: 403 });
    expect(bridge.b2bua.activeCalls).toHaveLength(0);
  });

  it('challenges an INVITE without credentials and forbids a forged token', async () => {
    const alice = await agent('alice');
    const visitor = await client();
    const sdp = await peer().offer();
    visitorInvite(visitor, { token: null, sdp }).send();
    const challenge = await visitor.next((m) => m.kind === 'response' && m.status >= 200);
    expect(challenge).toMatchObject({ status: 401 });
    expect(getHeader(challenge, 'www-authenticate')).toMatch(/^Bearer realm=/);
    visitorInvite(visitor, { token: 'eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.forged', sdp }).send();
    expect(await visitor.next((m) => m.kind === 'response' && m.status >= 200)).toMatchObject({ status: 403 });
    expect(alice.received.filter((m) => m.kind === 'request' && (m as SipRequest).method === 'INVITE')).toHaveLength(0);
  });
});

/** An out-of-dialog request from a probe, written raw; each option bends one line of it. */
function probe(
  c: SipWsClient,
  o: { method?: string; cseq?: string; maxForwards?: string | null; headers?: string[]; contentLength?: number; body?: string } = {},
): string {
  const lines = [
    `${o.method ?? 'OPTIONS'} sip:${DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/WS ${c.host};branch=z9hG4bK${rand()}`,
    ...(o.maxForwards === null ? [] : [`Max-Forwards: ${o.maxForwards ?? '70'}`]),
    `To: <sip:${DOMAIN}>`,
    `From: <sip:probe@${DOMAIN}>;tag=${rand()}`,
    `Call-ID: ${rand()}`,
    `CSeq: ${o.cseq ?? '1 OPTIONS'}`,
    ...(o.headers ?? []),
    `Content-Length: ${o.contentLength ?? Buffer.byteLength(o.body ?? '')}`,
  ];
  return `${lines.join('\n')}\n\n${o.body ?? ''}`;
}

describe('bad input on the wire', () => {
  it('answers a malformed request 400 with a reason and keeps serving the connection', async () => {
    const c = await client();
    c.send(probe(c, { cseq: '7 INVITE', maxForwards: null }));
    const bad = await c.next((m) => m.kind === 'response');
    expect(bad).toMatchObject({ status: 400 });
    expect((bad as { reason: string }).reason).toMatch(/CSeq/i);
    c.send(probe(c, { cseq: '8 OPTIONS', maxForwards: 'many' }));
    const bad2 = await c.next((m) => m.kind === 'response');
    expect(bad2).toMatchObject({ status: 400 });
    expect((bad2 as { reason: string }).reason).toMatch(/Max-Forwards/i);
    c.send(probe(c));
    const ok = await c.response('OPTIONS', 200);
    expect(getHeader(ok, 'allow')).toContain('INVITE');
  });

  it('answers a message over 64 KiB with 513 and a Content-Length beyond the frame with 400', async () => {
    const c = await client();
    const big = 'a'.repeat(70_000);
    const message = (contentLength: number, body: string) =>
      probe(c, { method: 'MESSAGE', cseq: '1 MESSAGE', headers: ['Content-Type: text/plain'], contentLength, body });
    c.send(message(big.length, big));
    expect(await c.next((m) => m.kind === 'response')).toMatchObject({ status: 513 });
    c.send(message(500, 'short'));
    expect(await c.next((m) => m.kind === 'response')).toMatchObject({ status: 400 });
  });

  it('drops garbage that cannot be answered without closing the connection', async () => {
    const c = await client();
    c.send('\u0000\u0001 not sip at all');
    c.send(probe(c));
    expect(await c.response('OPTIONS')).toMatchObject({ status: 200 });
    expect(c.received).toHaveLength(1);
  });
});
