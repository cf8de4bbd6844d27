import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../src/bridge.js';
import { loadConfig } from '../src/config.js';
import { FakeCrmServer } from '../src/crm/fake-crm-server.js';
import { HttpCrmAdapter } from '../src/crm/http-crm-adapter.js';
import { loadHoldAudio } from '../src/media/hold-player.js';
import type { SipRequest } from '../src/sip/message.js';
import { until } from './support/recorded-call.js';
import { plaintextWavFiles } from './support/recording-files.js';
import { SipWsClient } from './support/sip-ws-client.js';
import { PASSWORDS, rand, registerAgent, visitorInvite, visitorToken } from './support/test-bridge.js';
import { channelRms } from './support/wav.js';
import { TestPeer } from './support/webrtc-peer.js';
import { TestResources } from './support/test-resources.js';

const CALLS = 10;
const dataDir = mkdtempSync(join(tmpdir(), 'sambung-crash-'));
const env = {
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  TOKEN_SECRET: 'crash-test-secret-'.padEnd(40, 'x'),
  RECORDING_KEY: Buffer.alloc(32, 3).toString('base64'),
  MEDIA_PUBLIC_ADDRESS: '127.0.0.1',
  DEMO_PASSWORD_ALICE: PASSWORDS.alice,
  DEMO_PASSWORD_BOB: PASSWORDS.bob,
  DEMO_PASSWORD_ADMIN: PASSWORDS.admin,
};
let child: ChildProcess | undefined;
let restarted: Bridge | undefined;
let crm: FakeCrmServer | undefined;
const own = new TestResources();
const { clients, peers } = own;

afterEach(async () => {
  child?.kill('SIGKILL');
  await own.release();
  await restarted?.close();
  await crm?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('a crash during recorded calls', () => {
  it('keeps every recording up to its last flushed chunk, closes the CDRs as failed and delivers after restart', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'bridge-server/src/main.ts'], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    await until(() => fetch(`${url}/healthz`).then((r) => r.ok, () => false), 'the bridge to start', 30_000);
    const bridge = { url, wsUrl: `ws://127.0.0.1:${port}/sip` };

    const login = await fetch(`${url}/api/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', username: 'admin', password: PASSWORDS.admin }),
    });
    const { token: admin } = (await login.json()) as { token: string };
    const agents = ['alice', 'bob'];
    for (let i = 3; i <= CALLS; i++) {
      const res = await fetch(`${url}/api/admin/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ username: `agent${i}`, displayName: `Agent ${i}`, password: 'agent-pass-123', queues: ['sales'] }),
      });
      expect(res.status).toBe(201);
      agents.push(`agent${i}`);
    }
    const phones = await Promise.all(agents.map((a) => registerAgent(bridge.wsUrl, a, a.startsWith('agent') ? 'agent-pass-123' : undefined)));
    clients.push(...phones);
    const audio = [...(await loadHoldAudio())];

    // Ten calls, each answered by whichever agent rings.
    const answered = new Set<string>();
    for (let i = 0; i < CALLS; i++) {
      const visitor = await SipWsClient.connect(bridge.wsUrl);
      clients.push(visitor);
      const vPeer = new TestPeer();
      const aPeer = new TestPeer();
      peers.push(vPeer, aPeer);
      const inv = visitorInvite(visitor, { token: await visitorToken(bridge as never), sdp: await vPeer.offer() });
      inv.send();
      await vPeer.accept((await visitor.response('INVITE', 183)).body);
      const offer = await until(() => {
        for (const p of phones) {
          const req = p.received.find((m) => m.kind === 'request' && m.method === 'INVITE' && !answered.has(m.callId));
          if (req) return { p, req: req as SipRequest };
        }
        return null;
      }, 'an agent to ring');
      answered.add(offer.req.callId);
      offer.p.reply(offer.req, 200, 'OK', {
        toTag: rand(),
        headers: [`Contact: <sip:a@${offer.p.host};transport=ws>`, 'Content-Type: application/sdp'],
        body: await aPeer.answer(offer.req.body),
      });
      const ok = await visitor.response('INVITE', 200);
      inv.ack(ok.to.params.tag!);
      vPeer.talk(audio);
      aPeer.talk();
    }
    await new Promise((r) => setTimeout(r, 7_000)); // every recording has flushed at least one 5-second chunk
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    crm = await FakeCrmServer.start();
    const account = crm.createAccount('crash-token');
    const adapter = new HttpCrmAdapter({ baseUrl: crm.url, token: () => 'crash-token' });
    restarted = await startBridge(loadConfig({ ...env, PORT: '0' }), { crm: async (tenantId) => ({ adapter, ctx: { tenantId, timeZone: 'Asia/Jakarta' } }) });
    const tenant = (await restarted.store.tenants.findBySlug('demo'))!;
    const cdrs = await restarted.store.calls.list(tenant.id, { limit: 100 });
    expect(cdrs).toHaveLength(CALLS);
    expect(cdrs.every((c) => c.endReason === 'failed' && c.answeredAt !== null)).toBe(true);
    // Recovery rendered every recording into encrypted parts: no plaintext audio is left on disk.
    const recordings = await Promise.all(cdrs.map(async (c) => (await restarted!.store.recordings.byCall(tenant.id, c.id))[0]));
    expect(recordings.every((r) => r !== undefined && r.parts.length > 0 && r.parts.every((p) => p.path.endsWith('.wav.enc')))).toBe(true);
    expect(await plaintextWavFiles(join(dataDir, 'recordings'))).toEqual([]);

    await until(() => account.callLogs.length === CALLS && account.attachments.length >= CALLS, 'deliveries after restart', 60_000);
    for (const attachment of account.attachments) {
      const m = channelRms(attachment.bytes);
      expect(m.channels).toBe(2);
      expect(m.seconds).toBeGreaterThan(3);
      expect(m.left).toBeGreaterThan(100);
    }
    expect(new Set(account.callLogs.map((l) => l.call_id))).toEqual(new Set(cdrs.map((c) => c.id)));
  }, 120_000);
});
