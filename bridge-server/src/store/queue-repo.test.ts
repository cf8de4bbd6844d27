import { describe, expect, it } from 'vitest';
import { testBackends, useStore } from './test-backends.js';

describe.each(testBackends())('queues on $name', (backend) => {
  const store = useStore(backend);

  async function tenant(slug = 'acme') {
    return store().tenants.create({ slug, name: slug, sipDomain: `${slug}.example` });
  }

  it('ring for 20 seconds unless told otherwise', async () => {
    const { id: tenantId } = await tenant();
    const sales = await store().queues.create({ tenantId, name: 'sales', displayName: 'Sales', mode: 'form' });
    const support = await store().queues.create({
      tenantId,
      name: 'support',
      displayName: 'Support',
      mode: 'direct',
      ringTimeoutSec: 45,
    });
    expect(sales).toMatchObject({ tenantId, name: 'sales', displayName: 'Sales', mode: 'form', ringTimeoutSec: 20 });
    expect(await store().queues.get(tenantId, support.id)).toEqual(support);
    expect(support.ringTimeoutSec).toBe(45);
  });

  it('are listed by name and found by name within their tenant', async () => {
    const { id: tenantId } = await tenant();
    const b = await store().queues.create({ tenantId, name: 'b', displayName: 'B', mode: 'form' });
    const a = await store().queues.create({ tenantId, name: 'a', displayName: 'A', mode: 'direct' });
    expect(await store().queues.list(tenantId)).toEqual([a, b]);
    expect(await store().queues.findByName(tenantId, 'b')).toEqual(b);
    expect(await store().queues.findByName(tenantId, 'c')).toBeNull();
  });

  it('may share a name across tenants but not within one', async () => {
    const acme = await tenant('acme');
    const other = await tenant('other');
    await store().queues.create({ tenantId: acme.id, name: 'sales', displayName: 'Sales', mode: 'form' });
    await store().queues.create({ tenantId: other.id, name: 'sales', displayName: 'Sales', mode: 'form' });
    await expect(
      store().queues.create({ tenantId: acme.id, name: 'sales', displayName: 'Again', mode: 'form' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('reject a mode other than form or direct at the database', async () => {
    const { id: tenantId } = await tenant();
    // @ts-expect-error -- what an unvalidated caller could send
    const bad = store().queues.create({ tenantId, name: 'x', displayName: 'X', mode: 'voicemail' });
    await expect(bad).rejects.toThrow();
    expect(await store().queues.list(tenantId)).toEqual([]);
  });
});
