import { describe, expect, it } from 'vitest';
import { testBackends, useStore } from './test-backends.js';

describe.each(testBackends())('ACD configuration on $name', (backend) => {
  const store = useStore(backend);

  async function setup() {
    const tenant = await store().tenants.create({ slug: 'acme', name: 'Acme', sipDomain: 'acme.example' });
    const other = await store().tenants.create({ slug: 'other', name: 'Other', sipDomain: 'other.example' });
    const sales = await store().queues.create({ tenantId: tenant.id, name: 'sales', displayName: 'Sales', mode: 'form' });
    const support = await store().queues.create({ tenantId: tenant.id, name: 'support', displayName: 'Support', mode: 'form' });
    const foreign = await store().queues.create({ tenantId: other.id, name: 'sales', displayName: 'X', mode: 'form' });
    const alice = await store().agents.create({
      tenantId: tenant.id,
      username: 'alice',
      displayName: 'Alice',
      password: 'alice-pw',
      realm: tenant.sipDomain,
      queueIds: [sales.id],
    });
    return { tenant, sales, support, foreign, alice };
  }

  it('stores a queue’s routing configuration and reads it back', async () => {
    const { tenant, sales } = await setup();
    expect(sales.acdConfig).toEqual({});
    const updated = await store().queues.update(tenant.id, sales.id, {
      ringTimeoutSec: 15,
      acdConfig: { strategy: 'round-robin', skills: [{ skill: 'english', minLevel: 5 }] },
    });
    expect(updated).toMatchObject({ ringTimeoutSec: 15, acdConfig: { strategy: 'round-robin' } });
    expect((await store().queues.get(tenant.id, sales.id)).acdConfig).toEqual(updated.acdConfig);
  });

  it('refuses to update another tenant’s queue', async () => {
    const { tenant, foreign } = await setup();
    await expect(store().queues.update(tenant.id, foreign.id, { displayName: 'mine' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('changes an agent’s role, skills and queues together, or not at all', async () => {
    const { tenant, support, foreign, alice } = await setup();
    expect(alice).toMatchObject({ role: 'agent', skills: [] });
    const updated = await store().agents.update(tenant.id, alice.id, {
      role: 'supervisor',
      skills: [{ skill: 'english', level: 7 }],
      queueIds: [support.id],
    });
    expect(updated).toMatchObject({ role: 'supervisor', skills: [{ skill: 'english', level: 7 }] });
    expect(await store().agents.queueIdsOf(tenant.id, alice.id)).toEqual([support.id]);

    await expect(
      store().agents.update(tenant.id, alice.id, { role: 'admin', queueIds: [foreign.id] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await store().agents.get(tenant.id, alice.id)).role).toBe('supervisor');
    expect(await store().agents.queueIdsOf(tenant.id, alice.id)).toEqual([support.id]);
  });

  it('keeps a skill catalog per tenant', async () => {
    const { tenant } = await setup();
    await store().skills.add(tenant.id, ['english', 'bahasa', 'english']);
    await store().skills.add(tenant.id, ['billing']);
    expect(await store().skills.list(tenant.id)).toEqual(['bahasa', 'billing', 'english']);
    expect(await store().skills.remove(tenant.id, 'billing')).toBe(true);
    expect(await store().skills.list(tenant.id)).toEqual(['bahasa', 'english']);
  });

  it('keeps callbacks until done and lists the open ones', async () => {
    const { tenant, sales } = await setup();
    const due = new Date('2026-11-23T02:00:00.000Z');
    const cb = await store().callbacks.create({
      tenantId: tenant.id, queueId: sales.id, callerName: 'Siti', callerPhone: '+628123', callerEmail: null, dueAt: due,
    });
    expect(cb).toMatchObject({ state: 'scheduled', dueAt: due });
    expect((await store().callbacks.open()).map((c) => c.id)).toEqual([cb.id]);
    await store().callbacks.setState(tenant.id, cb.id, 'done');
    expect(await store().callbacks.open()).toEqual([]);
  });

  it('replaces an interval’s metrics when written again', async () => {
    const { tenant, sales } = await setup();
    const intervalStart = new Date('2026-11-23T02:00:00.000Z');
    await store().queueMetrics.save([{ tenantId: tenant.id, queueId: sales.id, intervalStart, intervalSec: 900, data: { offered: 1 } }]);
    await store().queueMetrics.save([{ tenantId: tenant.id, queueId: sales.id, intervalStart, intervalSec: 900, data: { offered: 2 } }]);
    const rows = await store().queueMetrics.list(tenant.id, { queueId: sales.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.data).toEqual({ offered: 2 });
  });
});
