import { describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { testBackends, useStore } from './test-backends.js';

const at = (s: number) => new Date(Date.parse('2026-11-21T10:00:00.000Z') + s * 1000);

/** One tenant's queue, agent and call, named alike in both tenants so only the tenant id tells them apart. */
async function tenantWithData(store: Store, slug: string) {
  const tenant = await store.tenants.create({ slug, name: slug, sipDomain: `${slug}.example` });
  const queue = await store.queues.create({ tenantId: tenant.id, name: 'sales', displayName: 'Sales', mode: 'form' });
  const agent = await store.agents.create({
    tenantId: tenant.id,
    username: 'alice',
    displayName: 'Alice',
    password: `${slug}-pw`,
    realm: tenant.sipDomain,
    queueIds: [queue.id],
  });
  const callId = await store.calls.offered({
    tenantId: tenant.id,
    queueId: queue.id,
    callerName: 'V',
    callerPhone: '1',
    sipCallId: 'same-call-id',
    at: at(0),
  });
  return { tenantId: tenant.id, queue, agent, callId };
}

describe.each(testBackends())('tenant isolation on $name', (backend) => {
  const store = useStore(backend);

  it('tenant A cannot read B’s queue, agent or call by id', async () => {
    const a = await tenantWithData(store(), 'a');
    const b = await tenantWithData(store(), 'b');
    await expect(store().queues.get(a.tenantId, b.queue.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().agents.get(a.tenantId, b.agent.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().calls.get(a.tenantId, b.callId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store().agents.queueIdsOf(a.tenantId, b.agent.id)).toEqual([]);
    expect(await store().agents.agentsOfQueue(a.tenantId, b.queue.id)).toEqual([]);
  });

  it('lookups by name, username and Call-ID stay inside the tenant', async () => {
    const a = await tenantWithData(store(), 'a');
    const b = await tenantWithData(store(), 'b');
    expect((await store().queues.findByName(a.tenantId, 'sales'))?.id).toBe(a.queue.id);
    expect((await store().agents.findByUsername(b.tenantId, 'alice'))?.id).toBe(b.agent.id);
    expect((await store().calls.findBySipCallId(b.tenantId, 'same-call-id'))?.id).toBe(b.callId);
    expect((await store().queues.list(a.tenantId)).map((q) => q.id)).toEqual([a.queue.id]);
    expect((await store().calls.list(a.tenantId, { limit: 10 })).map((c) => c.id)).toEqual([a.callId]);
    expect((await store().calls.countByEndReason(a.tenantId)).open).toBe(1);
  });

  it('a password is checked only against the agent of the tenant asked about', async () => {
    const a = await tenantWithData(store(), 'a');
    await tenantWithData(store(), 'b');
    expect(await store().agents.verifyLogin(a.tenantId, 'alice', 'b-pw')).toBeNull();
    expect((await store().agents.verifyLogin(a.tenantId, 'alice', 'a-pw'))?.id).toBe(a.agent.id);
  });

  it('tenant A cannot change B’s call, nor tie its records to B’s queue or agent', async () => {
    const a = await tenantWithData(store(), 'a');
    const b = await tenantWithData(store(), 'b');
    await expect(store().calls.ended(a.tenantId, b.callId, 'failed', at(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().calls.answered(a.tenantId, b.callId, a.agent.id, at(1))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await store().calls.get(b.tenantId, b.callId)).toMatchObject({ endedAt: null, answeredAt: null });

    // The composite foreign keys refuse cross-tenant references even though the ids exist.
    await expect(store().calls.answered(a.tenantId, a.callId, b.agent.id, at(1))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      store().calls.offered({
        tenantId: a.tenantId,
        queueId: b.queue.id,
        callerName: 'V',
        callerPhone: '1',
        sipCallId: 'x',
        at: at(0),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      store().agents.create({
        tenantId: a.tenantId,
        username: 'carol',
        displayName: 'Carol',
        password: 'pw',
        realm: 'a.example',
        queueIds: [b.queue.id],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
