import { access } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { FakeCrmServer, type FakeCrmAccount } from '../../crm/fake-crm-server.js';
import { HttpCrmAdapter } from '../../crm/http-crm-adapter.js';
import type { Recording } from '../../store/recording-repo.js';
import type { Store } from '../../store/store.js';
import { testBackends, useStore } from '../../store/test-backends.js';
import { seededRandom } from './backoff.js';
import { registerDeliveryHandlers } from './delivery-handlers.js';
import { callLogKey, enqueueDelivery, partKey, type FinishedCall } from './delivery-plan.js';
import { drain, partBytes, renderedRecording, tenantWithQueue } from './delivery-test-kit.js';
import { Outbox } from './outbox.js';

const exists = (path: string) => access(path).then(() => true, () => false);
const MIN = 60_000;

/**
 * The delivery pipeline end to end on one side of the wire: the real outbox on the real store, the real handlers,
 * the HTTP adapter, and the fake CRM over loopback failing on command, all on one ManualClock.
 */
describe.each(testBackends())('delivering calls to the CRM on $name', (backend) => {
  const clock = new ManualClock(Date.parse('2026-11-22T00:00:00.000Z'));
  const store = useStore(backend, { clock });
  let fake: FakeCrmServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function setup(s: Store, options: { maxAttachmentBytes?: number } = {}) {
    fake = await FakeCrmServer.start({ clock, ...options });
    const account = fake.createAccount('token-1');
    let token = 'token-1';
    const adapter = new HttpCrmAdapter({ baseUrl: fake.url, token: () => token, timeoutMs: 250 });
    const { tenantId, call } = await tenantWithQueue(s);
    const ctx = { tenantId, timeZone: 'Asia/Jakarta' };
    const outbox = new Outbox({
      repo: s.outbox,
      clock,
      random: seededRandom(3),
      policy: { backoff: { baseMs: 5_000, factor: 2, capMs: 5 * MIN } },
    });
    registerDeliveryHandlers(outbox, { crm: async () => ({ adapter, ctx }), recordings: s.recordings });
    const recordedCall = async (sizes: number[], caller = {}): Promise<{ call: FinishedCall; recording: Recording }> => {
      const finished = await call(caller);
      return { call: finished, recording: await renderedRecording(s, tenantId, finished.log.callId, sizes) };
    };
    return { tenantId, account, outbox, recordedCall, fake: fake!, setToken: (t: string) => (token = t) };
  }

  /** What the CRM holds for a call: its logs and the part numbers and bytes attached, in arrival order. */
  function crmView(account: FakeCrmAccount, callId: string) {
    const logs = account.callLogs.filter((l) => l.call_id === callId);
    const parts = account.attachments.filter((a) => logs.some((l) => l.id === a.call_log_id));
    return { logs, parts: parts.map((p) => p.part), bytes: parts.map((p) => p.bytes) };
  }

  async function expectDelivered(s: Store, account: FakeCrmAccount, tenantId: string, x: { call: FinishedCall; recording: Recording }) {
    const sizes = x.recording.parts.map((p) => p.bytes);
    const view = crmView(account, x.call.log.callId);
    expect(view.logs).toHaveLength(1);
    expect(view.parts).toEqual(sizes.map((_, i) => i + 1));
    expect(view.bytes).toEqual(sizes.map((size, i) => partBytes(i + 1, size)));
    for (const path of [x.recording.path, ...x.recording.parts.map((p) => p.path)]) expect(await exists(path)).toBe(false);
    expect(await s.recordings.get(tenantId, x.recording.id)).toMatchObject({ state: 'delivered', deliveredAt: expect.any(Date) });
  }

  it('delivers the log, then parts 1…n in order, exactly once, then deletes the local files', async () => {
    const { tenantId, account, outbox, recordedCall } = await setup(store());
    const x = await recordedCall([300, 200, 100], { phone: '+62 812 1111 2222' });
    const jobs = await enqueueDelivery(outbox, x.call, x.recording);
    expect(jobs.map((j) => j.kind)).toEqual(['call-log', 'recording-part', 'recording-part', 'recording-part', 'recording-cleanup']);
    await drain(outbox, clock);
    await expectDelivered(store(), account, tenantId, x);
    // The visitor gave no name: the contact is the anonymous web user, at the call's time in Jakarta.
    expect(account.contacts).toEqual([expect.objectContaining({ name: 'Web User \u2013 11/22 06:05', phone: '+62 812 1111 2222' })]);
    expect(account.callLogs[0]!.contact_id).toBe(account.contacts[0]!.id);
    expect(account.attachments.map((a) => a.filename)).toEqual([1, 2, 3].map((i) => `call-${x.call.log.callId}-part-${i}-of-3.wav`));
  });

  it('rides out 500s for 10 simulated minutes: after recovery every log and part arrives exactly once, in order', async () => {
    const { tenantId, account, outbox, recordedCall, fake } = await setup(store());
    const calls = [await recordedCall([120, 80]), await recordedCall([90]), await recordedCall([50, 60, 70])];
    const start = clock.now();
    fake.faults.add({ fault: { type: 'status', status: 500 }, forMs: 10 * MIN });
    for (const x of calls) await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock, 10 * MIN - 1);
    expect(account.callLogs).toEqual([]);
    expect(fake.requests.filter((r) => r.status === 500).length).toBeGreaterThan(3);
    await drain(outbox, clock);
    expect(clock.now() - start).toBeGreaterThanOrEqual(10 * MIN);
    for (const x of calls) await expectDelivered(store(), account, tenantId, x);
    expect(account.attachments).toHaveLength(6);
    const counts = await outbox.status(tenantId);
    expect(counts.counts).toMatchObject({ done: 3 + 3 + 2 + 4, pending: 0, parked: 0, running: 0 });
  });

  it('sends nothing to a CRM that answered 429 until its Retry-After has passed', async () => {
    const { tenantId, account, outbox, recordedCall, fake } = await setup(store());
    const x = await recordedCall([100]);
    fake.faults.add({ fault: { type: 'status', status: 429, retryAfter: '120' } });
    const [log] = await enqueueDelivery(outbox, x.call, x.recording);
    await outbox.runDue();
    const sent = fake.requests.length;
    expect((await outbox.job(tenantId, log!.id)).nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.now() + 120_000);
    clock.advance(119_999);
    await outbox.runDue();
    expect(fake.requests.length).toBe(sent);
    await drain(outbox, clock);
    await expectDelivered(store(), account, tenantId, x);
  });

  it('never duplicates a log or a part when requests time out or their answers are lost', async () => {
    const { tenantId, account, outbox, recordedCall, fake } = await setup(store());
    const x = await recordedCall([100, 100]);
    fake.faults.add({ fault: { type: 'lost-response' }, match: 'PUT /api/v1/call-logs' });
    fake.faults.add({ fault: { type: 'hang' }, match: 'part=1' });
    fake.faults.add({ fault: { type: 'lost-response' }, match: 'part=2' });
    await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock);
    await expectDelivered(store(), account, tenantId, x);
    expect(fake.requests.filter((r) => r.status === 'none')).toHaveLength(3);
  });

  it('keeps retrying a part above the CRM\'s size limit with backoff, and keeps the local files meanwhile', async () => {
    const { tenantId, account, outbox, recordedCall } = await setup(store(), { maxAttachmentBytes: 1000 });
    const x = await recordedCall([1000, 1001]);
    await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock, 30 * MIN);
    expect(crmView(account, x.call.log.callId).parts).toEqual([1]);
    const part2 = (await outbox.jobs(tenantId, { kind: 'recording-part' })).find((j) => j.dedupeKey === partKey(x.recording.id, 2))!;
    expect(part2).toMatchObject({ state: 'pending', lastError: expect.stringContaining('too large') });
    expect(part2.attempts).toBeGreaterThan(3);
    expect((await outbox.jobs(tenantId, { kind: 'recording-cleanup' }))[0]!.state).toBe('pending');
    for (const p of x.recording.parts) expect(await exists(p.path)).toBe(true);
    expect((await store().recordings.get(tenantId, x.recording.id)).state).toBe('rendered');
  });

  it('waits as "reconnect the CRM" while credentials are revoked, then delivers once reconnected', async () => {
    const { tenantId, account, outbox, recordedCall, fake, setToken } = await setup(store());
    const x = await recordedCall([100, 100]);
    fake.setToken(account, 'token-2'); // the admin revoked the old token in the CRM
    await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock, 30 * MIN);
    expect(await outbox.status(tenantId)).toMatchObject({ needsReconnect: true, counts: { 'waiting-auth': 1, pending: 3 } });
    expect(account.callLogs).toEqual([]);
    for (const p of x.recording.parts) expect(await exists(p.path)).toBe(true);
    setToken('token-2'); // reconnected with the new token
    await outbox.reconnected(tenantId);
    await drain(outbox, clock);
    await expectDelivered(store(), account, tenantId, x);
    expect((await outbox.status(tenantId)).needsReconnect).toBe(false);
  });

  it('parks a 422 with the CRM\'s text, holds the later steps back, and finishes after an operator retry', async () => {
    const { tenantId, account, outbox, recordedCall, fake } = await setup(store());
    const x = await recordedCall([100, 100, 100]);
    fake.faults.add({ fault: { type: 'status', status: 422, message: 'Queue is not a valid value' }, match: 'part=3' });
    await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock);
    const part3 = (await outbox.jobs(tenantId, { state: 'parked' }))[0]!;
    expect(part3).toMatchObject({ dedupeKey: partKey(x.recording.id, 3), lastError: expect.stringContaining('Queue is not a valid value') });
    expect((await outbox.jobs(tenantId, { kind: 'recording-cleanup' }))[0]!.state).toBe('pending');
    for (const p of x.recording.parts) expect(await exists(p.path)).toBe(true);
    await outbox.retry(tenantId, part3.id);
    await drain(outbox, clock);
    await expectDelivered(store(), account, tenantId, x);
  });

  it('parks a call log whose answer is not the documented JSON, saying so', async () => {
    const { tenantId, outbox, recordedCall, fake } = await setup(store());
    const x = await recordedCall([100]);
    fake.faults.add({ fault: { type: 'garbage' }, match: 'PUT /api/v1/call-logs' });
    const [log] = await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock);
    expect(await outbox.job(tenantId, log!.id)).toMatchObject({
      state: 'parked',
      lastError: 'reference CRM answered PUT /api/v1/call-logs/by-call/' + x.call.log.callId + ' with a body that is not JSON',
    });
  });

  it('resumes after a restart mid-delivery without duplicating the part that was in flight', async () => {
    const { tenantId, account, outbox, recordedCall, fake } = await setup(store());
    const x = await recordedCall([100, 100, 100]);
    // Part 2 reaches the CRM but its answer is lost; then the bridge dies with the job still claimed.
    fake.faults.add({ fault: { type: 'lost-response' }, match: 'part=2' });
    fake.faults.add({ fault: { type: 'status', status: 503 }, match: 'part=2', forMs: 60 * MIN });
    await enqueueDelivery(outbox, x.call, x.recording);
    await outbox.runDue();
    const part2 = (await store().outbox.byDedupeKey(tenantId, partKey(x.recording.id, 2)))!;
    await store().outbox.transition(tenantId, part2.id, { from: ['pending'], to: 'running', attempts: part2.attempts + 1 });
    fake.faults.clear();

    const restarted = new Outbox({ repo: store().outbox, clock, random: seededRandom(4) });
    registerDeliveryHandlers(restarted, {
      crm: async () => ({ adapter: new HttpCrmAdapter({ baseUrl: fake.url, token: () => 'token-1', timeoutMs: 250 }), ctx: { tenantId, timeZone: 'UTC' } }),
      recordings: store().recordings,
    });
    expect(await restarted.recoverAfterRestart()).toBe(1);
    await drain(restarted, clock);
    await expectDelivered(store(), account, tenantId, x);
    expect((await restarted.job(tenantId, part2.id)).history.map((e) => e.event)).toContain('recovered');
  });

  it('enqueues nothing new when the same call is planned twice', async () => {
    const { tenantId, account, outbox, recordedCall } = await setup(store());
    const x = await recordedCall([100]);
    const first = await enqueueDelivery(outbox, x.call, x.recording);
    const again = await enqueueDelivery(outbox, x.call, x.recording);
    expect(again.map((j) => j.id)).toEqual(first.map((j) => j.id));
    await drain(outbox, clock);
    await expectDelivered(store(), account, tenantId, x);
    expect((await outbox.job(tenantId, first[0]!.id)).dedupeKey).toBe(callLogKey(x.call.log.callId));
  });

  it('never sends a part before the one before it is confirmed', async () => {
    const { tenantId, account, outbox, recordedCall, fake } = await setup(store());
    const x = await recordedCall([100, 100, 100]);
    fake.faults.add({ fault: { type: 'status', status: 500 }, match: 'part=1', times: 3 });
    fake.faults.add({ fault: { type: 'hang' }, match: 'part=2', times: 2 });
    await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock);
    await expectDelivered(store(), account, tenantId, x);
    const attempts = fake.requests.filter((r) => r.path.endsWith('/attachments')).map((r) => [/part=(\d)/.exec(r.query)![1], r.status]);
    expect(attempts).toEqual([['1', 500], ['1', 500], ['1', 500], ['1', 201], ['2', 'none'], ['2', 'none'], ['2', 201], ['3', 201]]);
  });

  it('sends an updated log for the same call to the same CRM log', async () => {
    const { account, outbox, recordedCall } = await setup(store());
    const x = await recordedCall([100], { name: 'Siti', email: 'siti@example.com' });
    await enqueueDelivery(outbox, x.call, x.recording);
    await drain(outbox, clock);
    await enqueueDelivery(outbox, { ...x.call, revision: 2, log: { ...x.call.log, disposition: 'sale', notes: 'wants a quote' } });
    await drain(outbox, clock);
    expect(account.callLogs).toEqual([expect.objectContaining({ disposition: 'sale', notes: 'wants a quote' })]);
    expect(account.contacts).toEqual([expect.objectContaining({ name: 'Siti', email: 'siti@example.com' })]);
  });
});
