/**
 * `bench recording-deliver`: hang-up → the CRM confirmed the call log and every recording part, through a real
 * in-process bridge (recorded call, real werift media, Opus audio for ~2 s) and the fake CRM over HTTP. Includes
 * closing the encrypted recording, rendering the stereo WAV, splitting, the outbox and the uploads.
 * Target from the issue: p95 ≤ 10 s. The comparison printed beside it is the target.
 */
import { FakeCrmServer } from '../src/crm/fake-crm-server.js';
import { HttpCrmAdapter } from '../src/crm/http-crm-adapter.js';
import { connectedCall, until } from '../test/support/recorded-call.js';
import type { SipWsClient } from '../test/support/sip-ws-client.js';
import { startTestBridge } from '../test/support/test-bridge.js';
import type { TestPeer } from '../test/support/webrtc-peer.js';

const CALLS = 10;

export default async function benchRecordingDeliver(): Promise<void> {
  const crm = await FakeCrmServer.start();
  const account = crm.createAccount('bench-token');
  const adapter = new HttpCrmAdapter({ baseUrl: crm.url, token: () => 'bench-token' });
  const bridge = await startTestBridge(
    { RECORDING_KEY: Buffer.alloc(32, 5).toString('base64') },
    { crm: async (tenantId) => ({ adapter, ctx: { tenantId, timeZone: 'Asia/Jakarta' } }) },
  );
  const own = { clients: [] as SipWsClient[], peers: [] as TestPeer[] };
  const samples: number[] = [];
  try {
    for (let i = 0; i < CALLS; i++) {
      const { cdr, hungUpAt: hungUp } = await connectedCall(bridge, own, 2000);
      await until(() => account.callLogs.some((l) => l.call_id === cdr.id) && account.attachments.some((a) => a.call_log_id === account.callLogs.find((l) => l.call_id === cdr.id)!.id), 'delivered', 60_000);
      samples.push((performance.now() - hungUp) / 1000);
      for (const c of own.clients.splice(0)) c.close();
      await Promise.all(own.peers.splice(0).map((p) => p.close()));
    }
  } finally {
    await bridge.dispose();
    await crm.close();
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.log(`bench recording-deliver: p50=${q(0.5).toFixed(2)}s p95=${q(0.95).toFixed(2)}s calls=${CALLS} target-p95=10s ratio-vs-target=${(q(0.95) / 10).toFixed(2)}`);
}
