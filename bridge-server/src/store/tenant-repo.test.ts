import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { testBackends, useStore } from './test-backends.js';

describe.each(testBackends())('tenants on $name', (backend) => {
  const clock = new ManualClock(Date.parse('2026-11-21T10:00:00.000Z'));
  const store = useStore(backend, { clock });

  it('are found by slug, by SIP domain in any letter case, and by id', async () => {
    const created = await store().tenants.create({ slug: 'acme', name: 'Acme', sipDomain: 'SIP.Acme.Example' });
    expect(created).toMatchObject({ slug: 'acme', name: 'Acme', sipDomain: 'sip.acme.example' });
    expect(created.createdAt.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(await store().tenants.findBySlug('acme')).toEqual(created);
    expect(await store().tenants.findBySipDomain('sip.ACME.example')).toEqual(created);
    expect(await store().tenants.get(created.id)).toEqual(created);
  });

  it('answer null or NOT_FOUND for what does not exist', async () => {
    expect(await store().tenants.findBySlug('nobody')).toBeNull();
    expect(await store().tenants.findBySipDomain('nobody.example')).toBeNull();
    await expect(store().tenants.get('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuse a second tenant with the same slug or SIP domain', async () => {
    await store().tenants.create({ slug: 'acme', name: 'Acme', sipDomain: 'acme.example' });
    await expect(store().tenants.create({ slug: 'acme', name: 'X', sipDomain: 'x.example' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(store().tenants.create({ slug: 'x', name: 'X', sipDomain: 'ACME.example' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
