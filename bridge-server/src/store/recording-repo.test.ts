import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { Store } from './store.js';
import { testBackends, useStore } from './test-backends.js';

describe.each(testBackends())('recordings on $name', (backend) => {
  const clock = new ManualClock(Date.parse('2026-11-21T10:00:00.000Z'));
  const store = useStore(backend, { clock });

  async function setup(s: Store, slug = 'acme') {
    const tenant = await s.tenants.create({ slug, name: slug, sipDomain: `${slug}.example` });
    const queue = await s.queues.create({ tenantId: tenant.id, name: 'sales', displayName: 'Sales', mode: 'form' });
    const callId = await s.calls.offered({
      tenantId: tenant.id, queueId: queue.id, callerName: 'Vera', callerPhone: '+62 21 555 0100', sipCallId: `leg-${slug}`, at: new Date(clock.now()),
    });
    return { tenantId: tenant.id, callId };
  }

  it('go recording → rendered → delivered with their parts in order', async () => {
    const { tenantId, callId } = await setup(store());
    const rec = await store().recordings.create({ tenantId, callId, path: '/data/rec/1' });
    expect(rec).toMatchObject({ state: 'recording', parts: [], bytes: null, createdAt: new Date(clock.now()) });
    const parts = [{ index: 2, path: '/data/rec/1-2.wav', bytes: 10 }, { index: 1, path: '/data/rec/1-1.wav', bytes: 3_000_000_000 }];
    const rendered = await store().recordings.rendered(tenantId, rec.id, { bytes: 3_000_000_010, durationSec: 95.5, parts });
    expect(rendered).toMatchObject({ state: 'rendered', bytes: 3_000_000_010, durationSec: 95.5, parts: [parts[1], parts[0]] });
    expect(await store().recordings.partPath(tenantId, rec.id, 2)).toBe('/data/rec/1-2.wav');
    expect(await store().recordings.parts(tenantId, rec.id)).toEqual(['/data/rec/1-1.wav', '/data/rec/1-2.wav']);
    clock.advance(1000);
    expect(await store().recordings.delivered(tenantId, rec.id)).toMatchObject({ state: 'delivered', deliveredAt: new Date(clock.now()) });
    expect(await store().recordings.partPath(tenantId, rec.id, 2)).toBeNull();
    expect(await store().recordings.parts(tenantId, rec.id)).toEqual([]);
    expect(await store().recordings.byCall(tenantId, callId)).toHaveLength(1);
    expect(await store().recordings.inState('delivered')).toEqual([expect.objectContaining({ id: rec.id })]);
    expect(await store().recordings.inState('recording')).toEqual([]);
  });

  it('refuse a move the transition table forbids', async () => {
    const { tenantId, callId } = await setup(store());
    const rec = await store().recordings.create({ tenantId, callId, path: '/data/rec/1' });
    await expect(store().recordings.delivered(tenantId, rec.id)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await store().recordings.purged(tenantId, rec.id, 'retention');
    await expect(store().recordings.rendered(tenantId, rec.id, { bytes: 1, durationSec: 1, parts: [] })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
  });

  it('belong to a CDR of the same tenant, and are invisible to other tenants', async () => {
    const acme = await setup(store());
    const globex = await setup(store(), 'globex');
    await expect(store().recordings.create({ tenantId: globex.tenantId, callId: acme.callId, path: '/x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const rec = await store().recordings.create({ tenantId: acme.tenantId, callId: acme.callId, path: '/x' });
    expect(await store().recordings.find(globex.tenantId, rec.id)).toBeNull();
    expect(await store().recordings.parts(globex.tenantId, rec.id)).toBeNull();
    await expect(store().recordings.get(globex.tenantId, rec.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().recordings.purged(globex.tenantId, rec.id, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('audit every access, including refused ones that name no recording', async () => {
    const { tenantId, callId } = await setup(store());
    const rec = await store().recordings.create({ tenantId, callId, path: '/x' });
    await store().recordings.audit({ tenantId, recordingId: rec.id, who: 'agent:sue', outcome: 'served', reason: 'range bytes=0-99' });
    await store().recordings.audit({ tenantId: null, recordingId: null, who: 'unknown', outcome: 'denied', reason: 'expired' });
    await store().recordings.audit({ tenantId, recordingId: 'not-a-recording', who: 'crm', outcome: 'denied', reason: 'not found' });
    expect((await store().recordings.accessLog(tenantId, rec.id)).map((a) => [a.who, a.outcome, a.reason])).toEqual([
      ['agent:sue', 'served', 'range bytes=0-99'],
    ]);
    expect(await store().recordings.accessLog(tenantId)).toHaveLength(2);
  });
});
