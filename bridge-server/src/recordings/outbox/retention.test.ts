import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { MemoryCrmAdapter } from '../../crm/memory-crm-adapter.js';
import type { Store } from '../../store/store.js';
import { testBackends, useStore } from '../../store/test-backends.js';
import { registerDeliveryHandlers } from './delivery-handlers.js';
import { enqueueDelivery } from './delivery-plan.js';
import { drain, renderedRecording, tenantWithQueue } from './delivery-test-kit.js';
import { Outbox } from './outbox.js';
import { MAX_RETENTION_MS, PURGED_BY_RETENTION, RecordingRetention } from './retention.js';

const exists = (path: string) => access(path).then(() => true, () => false);
const DAY = 24 * 60 * 60_000;

describe.each(testBackends())('recording retention on $name', (backend) => {
  const clock = new ManualClock(Date.parse('2026-11-22T00:00:00.000Z'));
  const store = useStore(backend, { clock });

  async function setup(s: Store) {
    const { tenantId, call } = await tenantWithQueue(s);
    const crm = new MemoryCrmAdapter();
    const outbox = new Outbox({ repo: s.outbox, clock });
    registerDeliveryHandlers(outbox, { crm: async () => ({ adapter: crm, ctx: { tenantId, timeZone: 'UTC' } }), recordings: s.recordings });
    const recorded = async (sizes: number[]) => {
      const finished = await call({ phone: '+62 812 1111 2222' });
      return { call: finished, recording: await renderedRecording(s, tenantId, finished.log.callId, sizes) };
    };
    return { tenantId, call, crm, outbox, recorded, retention: (retentionMs?: number) => new RecordingRetention({ recordings: s.recordings, outbox, clock, retentionMs }) };
  }

  it('deletes an undelivered recording after 7 days, marks it purged and parks its delivery with the reason', async () => {
    const { tenantId, crm, outbox, recorded, retention } = await setup(store());
    const old = await recorded([100, 100]);
    crm.failNext({ kind: 'unauthorized' }, 10_000); // the CRM stays disconnected all week
    const [log, part1, part2, cleanup] = await enqueueDelivery(outbox, old.call, old.recording);
    await drain(outbox, clock, 60_000);
    clock.advance(DAY);
    const young = await recorded([100]);

    clock.advance(6 * DAY + 1);
    const report = await retention().purgeExpired();
    expect(report.purged).toEqual([
      {
        tenantId,
        recordingId: old.recording.id,
        callId: old.call.log.callId,
        was: 'rendered',
        deleted: [...old.recording.parts.map((p) => p.path), old.recording.path],
        parkedJobs: 3,
      },
    ]);
    for (const path of report.purged[0]!.deleted) expect(await exists(path)).toBe(false);
    expect(await store().recordings.get(tenantId, old.recording.id)).toMatchObject({
      state: 'purged',
      purgedAt: new Date(clock.now()),
      purgeReason: 'retention: older than 7 days (not delivered)',
    });
    for (const job of [part1!, part2!, cleanup!]) {
      expect(await outbox.job(tenantId, job.id)).toMatchObject({ state: 'parked', lastError: PURGED_BY_RETENTION });
    }
    // The call log is not the recording's: it keeps waiting for the CRM.
    expect((await outbox.job(tenantId, log!.id)).state).toBe('waiting-auth');
    // The younger recording is untouched.
    expect((await store().recordings.get(tenantId, young.recording.id)).state).toBe('rendered');
    for (const p of young.recording.parts) expect(await exists(p.path)).toBe(true);
  });

  it('purges each recording once, and leaves delivered ones alone', async () => {
    const { tenantId, call, outbox, recorded, retention } = await setup(store());
    const delivered = await recorded([100]);
    const undelivered = await recorded([100]);
    await enqueueDelivery(outbox, delivered.call, delivered.recording);
    await drain(outbox, clock);
    expect((await store().recordings.get(tenantId, delivered.recording.id)).state).toBe('delivered');
    // A bridge that crashed mid-call leaves a recording that was never rendered.
    const crashed = await store().recordings.create({ tenantId, callId: (await call()).log.callId, path: '/nonexistent/rec' });
    clock.advance(8 * DAY);
    const first = await retention().purgeExpired();
    const purged = new Map(first.purged.map((p) => [p.recordingId, p.was]));
    expect(purged).toEqual(new Map([[undelivered.recording.id, 'rendered'], [crashed.id, 'recording']]));
    expect((await retention().purgeExpired()).purged).toEqual([]);
  });

  it('honours a retention shorter than 7 days and refuses a longer one', async () => {
    const { tenantId, recorded, retention } = await setup(store());
    const x = await recorded([100]);
    clock.advance(DAY - 1);
    expect((await retention(DAY).purgeExpired()).purged).toEqual([]);
    clock.advance(2);
    expect((await retention(DAY).purgeExpired()).purged.map((p) => p.recordingId)).toEqual([x.recording.id]);
    expect((await store().recordings.get(tenantId, x.recording.id)).purgeReason).toBe('retention: older than 1 days (not delivered)');
    expect(() => retention(MAX_RETENTION_MS + 1)).toThrow(/at most 7 days/);
    expect(() => retention(0)).toThrow(/at most 7 days/);
  });

  it('keeps a recording whose files cannot be deleted, and says so', async () => {
    const { tenantId, outbox, recorded } = await setup(store());
    const x = await recorded([100]);
    clock.advance(8 * DAY);
    const failing = new RecordingRetention({
      recordings: store().recordings,
      outbox,
      clock,
      remove: async () => {
        throw new Error('EACCES: permission denied');
      },
    });
    const report = await failing.purgeExpired();
    expect(report).toMatchObject({ purged: [], failed: [{ recordingId: x.recording.id, error: 'EACCES: permission denied' }] });
    expect((await store().recordings.get(tenantId, x.recording.id)).state).toBe('rendered');
  });
});
