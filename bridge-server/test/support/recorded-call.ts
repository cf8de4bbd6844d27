import { loadHoldAudio } from '../../src/media/hold-player.js';
import { SipWsClient } from './sip-ws-client.js';
import { PASSWORDS, registerAgent, rand, startTestBridge, visitorInvite, visitorToken } from './test-bridge.js';
import { TestPeer } from './webrtc-peer.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;

/** Poll until `read` gives a value (real time; for conditions driven by real I/O). */
export async function until<T>(read: () => Promise<T | null | undefined> | T | null | undefined, what: string, ms = 20_000, step?: () => void): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    step?.();
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function login(bridge: TestBridge, username: 'admin' | 'alice' | 'bob'): Promise<string> {
  const res = await fetch(`${bridge.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username, password: PASSWORDS[username] }),
  });
  return ((await res.json()) as { token: string }).token;
}

/**
 * A connected call through the bridge where only the caller speaks (real Opus audio from the hold file) and the
 * agent sends Opus silence; the visitor hangs up after `talkMs`. Returns the CDR once written.
 */
export async function connectedCall(bridge: TestBridge, own: { clients: SipWsClient[]; peers: TestPeer[] }, talkMs: number) {
  const alice = await registerAgent(bridge.wsUrl, 'alice');
  const visitor = await SipWsClient.connect(bridge.wsUrl);
  own.clients.push(alice, visitor);
  const vPeer = new TestPeer();
  const aPeer = new TestPeer();
  own.peers.push(vPeer, aPeer);
  const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await vPeer.offer() });
  inv.send();
  await vPeer.accept((await visitor.response('INVITE', 183)).body);
  const offer = await alice.request('INVITE');
  alice.reply(offer, 200, 'OK', {
    toTag: rand(),
    headers: [`Contact: <sip:alice@${alice.host};transport=ws>`, 'Content-Type: application/sdp'],
    body: await aPeer.answer(offer.body),
  });
  const ok = await visitor.response('INVITE', 200);
  inv.ack(ok.to.params.tag!);
  vPeer.talk([...(await loadHoldAudio())]);
  aPeer.talk();
  await new Promise((r) => setTimeout(r, talkMs));
  const hungUpAt = performance.now();
  inv.bye(ok.to.params.tag!, 2);
  alice.reply(await alice.request('BYE', offer.callId), 200, 'OK');
  const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
  await bridge.b2bua.flush();
  const cdr = (await bridge.store.calls.findBySipCallId(tenant.id, inv.callId))!;
  return { tenant, cdr, hungUpAt };
}
