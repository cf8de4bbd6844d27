/**
 * `bench call-setup`: visitor INVITE sent → agent's softphone receives its INVITE, over loopback, 50 sequential
 * calls through a real in-process bridge (SQLite in memory). Includes token check, CDR insert, the bridge's ICE
 * gathering and DTLS set-up for the visitor leg (answer) and the agent leg (offer). The visitor's own SDP offer
 * is made before the clock starts. Target from the issue: p95 ≤ 500 ms.
 */
import { registerAgent, startTestBridge, visitorInvite, visitorToken } from '../test/support/test-bridge.js';
import { SipWsClient } from '../test/support/sip-ws-client.js';
import { TestPeer } from '../test/support/webrtc-peer.js';

const CALLS = 50;

export default async function benchCallSetup(): Promise<void> {
  const bridge = await startTestBridge();
  const alice = await registerAgent(bridge.wsUrl, 'alice');
  const visitor = await SipWsClient.connect(bridge.wsUrl);
  const samples: number[] = [];
  try {
    for (let i = 0; i < CALLS; i++) {
      const peer = new TestPeer();
      const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await peer.offer() });
      const t0 = performance.now();
      inv.send();
      const offer = await alice.request('INVITE');
      samples.push(performance.now() - t0);
      const tag = `b${i}`;
      alice.reply(offer, 180, 'Ringing', { toTag: tag });
      await visitor.response('INVITE', 180);
      inv.cancel();
      const cancel = await alice.request('CANCEL', offer.callId);
      alice.reply(cancel, 200, 'OK', { toTag: tag });
      alice.reply(offer, 487, 'Request Terminated', { toTag: tag });
      const terminated = await visitor.response('INVITE', 487);
      inv.ack(terminated.to.params.tag!, 1, true);
      await visitor.response('CANCEL');
      await peer.close();
      await bridge.b2bua.flush();
    }
  } finally {
    alice.close();
    visitor.close();
    await bridge.dispose();
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.log(`bench call-setup: p50=${q(0.5).toFixed(1)}ms p95=${q(0.95).toFixed(1)}ms calls=${CALLS} target-p95=500ms ratio-vs-target=${(q(0.95) / 500).toFixed(2)}`);
}
