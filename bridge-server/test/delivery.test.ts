import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { FakeCrmServer } from '../src/crm/fake-crm-server.js';
import { HttpCrmAdapter } from '../src/crm/http-crm-adapter.js';
import { connectedCall, until } from './support/recorded-call.js';
import type { SipWsClient } from './support/sip-ws-client.js';
import { startTestBridge } from './support/test-bridge.js';
import type { TestPeer } from './support/webrtc-peer.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;
let bridge: TestBridge | undefined;
let crm: FakeCrmServer | undefined;
const clients: SipWsClient[] = [];
const peers: TestPeer[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await bridge?.dispose();
  await crm?.close();
});

describe('delivery to the CRM through the real bridge', () => {
  it('delivers the call log and every recording part exactly once, in order, through 429s and 500s, then deletes the local copy', async () => {
    const clock = new ManualClock(Date.now());
    crm = await FakeCrmServer.start({ clock });
    const account = crm.createAccount('tenant-token');
    const adapter = new HttpCrmAdapter({ baseUrl: crm.url, token: () => 'tenant-token', clock, timeoutMs: 5_000 });
    bridge = await startTestBridge(
      { RECORDING_KEY: Buffer.alloc(32, 9).toString('base64'), RECORDING_PART_MAX_MB: '1' },
      { clock, crm: async (tenantId) => ({ adapter, ctx: { tenantId, timeZone: 'Asia/Jakarta' } }) },
    );
    crm.faults.add({ fault: { type: 'status', status: 429, retryAfter: '30' }, times: 2, match: '/call-logs' });
    crm.faults.add({ fault: { type: 'status', status: 500 }, forMs: 10 * 60_000, match: '/attachments' });

    const { tenant, cdr } = await connectedCall(bridge, { clients, peers }, 1500);
    const recording = await until(async () => {
      const [r] = await bridge!.store.recordings.byCall(tenant.id, cdr.id);
      return r?.state === 'rendered' || r?.state === 'delivered' ? r : null;
    }, 'recording rendered');
    const partPaths = recording.parts.map((p) => p.path);
    expect(partPaths.length).toBeGreaterThanOrEqual(1);

    // Ten simulated minutes of 500s, then recovery: drive the injected clock in steps, letting real I/O run.
    await until(
      async () => (await bridge!.store.recordings.get(tenant.id, recording.id)).state === 'delivered',
      'recording delivered',
      60_000,
      () => clock.advance(20_000),
    );
    expect(clock.now() - cdr.endedAt!.getTime()).toBeGreaterThan(10 * 60_000);

    expect(account.callLogs).toHaveLength(1);
    expect(account.callLogs[0]).toMatchObject({ call_id: cdr.id });
    const parts = account.attachments.map((a) => a.part);
    expect(parts).toEqual(recording.parts.map((p) => p.index));
    for (const path of partPaths) expect(existsSync(path)).toBe(false);
    expect(existsSync(recording.path)).toBe(false);

    const jobs = await bridge.outbox.jobs(tenant.id, {});
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    const log = await bridge.outbox.job(tenant.id, jobs.find((j) => j.kind === 'call-log')!.id);
    expect(log.history.filter((e) => /429|retry/i.test(`${e.event} ${e.detail ?? ''}`)).length).toBeGreaterThanOrEqual(2);
  });
});
