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
 * A visitor call waiting in the queue and offered to alice (registered here): the visitor's INVITE got its 183
 * and alice holds the INVITE. `answer()` has alice take it (her peer sends Opus silence) and gives `hangUp()`,
 * the visitor's BYE with alice's 200. `callId` is the bridge's CDR id (`X-Sambung-Call-Id`).
 */
export async function offeredCall(
  bridge: TestBridge,
  own: { clients: SipWsClient[]; peers: TestPeer[] },
  visitorDetails: Record<string, string> = {},
  /** Runs before the INVITE leaves, e.g. to watch everything the visitor's peer receives from the start. */
  beforeInvite?: (visitorPeer: TestPeer) => void,
) {
  const alice = await registerAgent(bridge.wsUrl, 'alice');
  const visitor = await SipWsClient.connect(bridge.wsUrl);
  own.clients.push(alice, visitor);
  const vPeer = new TestPeer();
  const aPeer = new TestPeer();
  own.peers.push(vPeer, aPeer);
  beforeInvite?.(vPeer);
  const inv = visitorInvite(visitor, { token: await visitorToken(bridge, visitorDetails), sdp: await vPeer.offer() });
  inv.send();
  await vPeer.accept((await visitor.response('INVITE', 183)).body);
  const offer = await alice.request('INVITE');
  const answer = async () => {
    alice.reply(offer, 200, 'OK', {
      toTag: rand(),
      headers: [`Contact: <sip:alice@${alice.host};transport=ws>`, 'Content-Type: application/sdp'],
      body: await aPeer.answer(offer.body),
    });
    const ok = await visitor.response('INVITE', 200);
    inv.ack(ok.to.params.tag!);
    aPeer.talk();
    const hangUp = async (): Promise<void> => {
      inv.bye(ok.to.params.tag!, 2);
      alice.reply(await alice.request('BYE', offer.callId), 200, 'OK');
      await bridge.b2bua.flush();
    };
    return { ok, hangUp };
  };
  return { alice, visitor, vPeer, aPeer, inv, offer, callId: String(offer.headers.get('x-sambung-call-id')), answer };
}

/**
 * A connected call through the bridge where only the caller speaks (real Opus audio from the hold file) and the
 * agent sends Opus silence; the visitor hangs up after `talkMs`. Returns the CDR once written.
 */
export async function connectedCall(bridge: TestBridge, own: { clients: SipWsClient[]; peers: TestPeer[] }, talkMs: number) {
  const call = await offeredCall(bridge, own);
  const { hangUp } = await call.answer();
  call.vPeer.talk([...(await loadHoldAudio())]);
  await new Promise((r) => setTimeout(r, talkMs));
  const hungUpAt = performance.now();
  await hangUp();
  const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
  const cdr = (await bridge.store.calls.findBySipCallId(tenant.id, call.inv.callId))!;
  return { tenant, cdr, hungUpAt };
}

/** Part `part` of a recording as a supervisor plays it: through a signed link, decrypted by the bridge. */
export async function playedRecording(bridge: TestBridge, recordingId: string, part = 1): Promise<Buffer> {
  const res = await fetch(`${bridge.url}/api/recordings/${recordingId}/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await login(bridge, 'admin')}` },
  });
  const { parts } = (await res.json()) as { parts: { part: number; url: string }[] };
  const link = parts.find((p) => p.part === part);
  if (!link) throw new Error(`recording ${recordingId} has no part ${part}`);
  return Buffer.from(await (await fetch(link.url)).arrayBuffer());
}
