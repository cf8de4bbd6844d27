import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { FakeCrmServer } from '../src/crm/fake-crm-server.js';
import { HttpCrmAdapter } from '../src/crm/http-crm-adapter.js';
import { connectedCall, login, until } from './support/recorded-call.js';
import { decryptPart, plaintextWavFiles } from './support/recording-files.js';
import { startTestBridge } from './support/test-bridge.js';
import { TestResources } from './support/test-resources.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;
let bridge: TestBridge | undefined;
let crm: FakeCrmServer | undefined;
const own = new TestResources();

afterEach(async () => {
  await own.release();
  await bridge?.dispose();
  await crm?.close();
});

describe('delivery to the CRM through the real bridge', () => {
  it('delivers the call log and every recording part exactly once, in order, through 429s and 500s, then deletes the local copy', async () => {
    const clock = new ManualClock(Date.now());
    crm = await FakeCrmServer.start({ clock });
    const account = crm.createAccount('tenant-token');
    const adapter = new HttpCrmAdapter({ baseUrl: crm.url, token: () => 'tenant-token', clock, timeoutMs: 5_000 });
    const key = Buffer.alloc(32, 9).toString('base64');
    bridge = await startTestBridge(
      { RECORDING_KEY: key, RECORDING_PART_MAX_MB: '1' },
      { clock, crm: async (tenantId) => ({ adapter, ctx: { tenantId, timeZone: 'Asia/Jakarta' } }) },
    );
    crm.faults.add({ fault: { type: 'status', status: 429, retryAfter: '30' }, times: 2, match: '/call-logs' });
    crm.faults.add({ fault: { type: 'status', status: 500 }, forMs: 10 * 60_000, match: '/attachments' });

    const { tenant, cdr } = await connectedCall(bridge, own, 1500);
    const recording = await until(async () => {
      const [r] = await bridge!.store.recordings.byCall(tenant.id, cdr.id);
      return r?.state === 'rendered' || r?.state === 'delivered' ? r : null;
    }, 'recording rendered');
    const partPaths = recording.parts.map((p) => p.path);
    expect(partPaths.length).toBeGreaterThanOrEqual(1);
    // At rest the parts are encrypted; what the CRM must receive is their plaintext, byte for byte.
    expect(await plaintextWavFiles(bridge.config.recording.dir)).toEqual([]);
    const wavs = await Promise.all(partPaths.map((p) => decryptPart(p, key)));
    expect(wavs.map((w) => w.length)).toEqual(recording.parts.map((p) => p.bytes));

    // Ten simulated minutes of 500s, then recovery: drive the injected clock in steps, letting real I/O run.
    await until(
      async () => (await bridge!.store.recordings.get(tenant.id, recording.id)).state === 'delivered',
      'recording delivered',
      60_000,
      () => clock.advance(20_000),
    );
    expect(clock.now() - cdr.endedAt!.getTime()).toBeGreaterThanOrEqual(10 * 60_000);

    expect(account.callLogs).toHaveLength(1);
    expect(account.callLogs[0]).toMatchObject({ call_id: cdr.id });
    const parts = account.attachments.map((a) => a.part);
    expect(parts).toEqual(recording.parts.map((p) => p.index));
    account.attachments.forEach((a, i) => expect(a.bytes.equals(wavs[i]!), `part ${a.part}`).toBe(true));
    for (const path of partPaths) expect(existsSync(path)).toBe(false);
    expect(existsSync(recording.path)).toBe(false);

    const jobs = await bridge.outbox.jobs(tenant.id, {});
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    const log = await bridge.outbox.job(tenant.id, jobs.find((j) => j.kind === 'call-log')!.id);
    expect(log.history.filter((e) => /429|retry/i.test(`${e.event} ${e.detail ?? ''}`)).length).toBeGreaterThanOrEqual(2);
  });

  it('waits for a reconnected CRM on 401 and parks a 422 with the CRM’s text, both visible by API', async () => {
    crm = await FakeCrmServer.start();
    const account = crm.createAccount('good-token');
    let token = 'revoked-token';
    const adapter = new HttpCrmAdapter({ baseUrl: crm.url, token: () => token, timeoutMs: 5_000 });
    bridge = await startTestBridge(
      { RECORDING_KEY: Buffer.alloc(32, 4).toString('base64') },
      { crm: async (tenantId) => ({ adapter, ctx: { tenantId, timeZone: 'Asia/Jakarta' } }) },
    );
    const admin = await login(bridge, 'admin');
    const api = async (method: string, path: string) => {
      const res = await fetch(`${bridge!.url}${path}`, { method, headers: { authorization: `Bearer ${admin}` } });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const { tenant, cdr } = await connectedCall(bridge, own, 800);
    await until(async () => (await api('GET', '/api/admin/deliveries')).body['status'].needsReconnect, 'reconnect the CRM');
    expect(account.callLogs).toHaveLength(0);

    token = 'good-token';
    crm.faults.add({ fault: { type: 'status', status: 422, message: 'Attachment rejected: virus scanner busy' }, times: 1, match: '/attachments' });
    expect((await api('POST', '/api/admin/deliveries/reconnected')).status).toBe(200);
    const parked = await until(async () => {
      const jobs = (await api('GET', '/api/admin/deliveries?state=parked')).body['jobs'] as { id: string; lastError: string }[];
      return jobs[0] ?? null;
    }, 'a parked part');
    const detail = await api('GET', `/api/admin/deliveries/${parked.id}`);
    expect(JSON.stringify(detail.body)).toMatch(/virus scanner busy/);
    expect(account.callLogs.map((l) => l.call_id)).toEqual([cdr.id]);

    expect((await api('POST', `/api/admin/deliveries/${parked.id}/retry`)).status).toBe(200);
    await until(async () => {
      const [r] = await bridge!.store.recordings.byCall(tenant.id, cdr.id);
      return r?.state === 'delivered';
    }, 'delivered after the retry');
    expect(account.attachments).toHaveLength(1);
  });
});
