import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { seedDemo } from './seed-demo.js';
import type { Store } from './store.js';
import { testBackends, useStore } from './test-backends.js';

async function rowCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['tenants', 'queues', 'agents', 'agent_queues', 'calls']) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(store.db);
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

describe.each(testBackends())('demo seed on $name', (backend) => {
  const store = useStore(backend);

  it('creates the demo tenant, the sales queue, alice and bob serving it and an admin, with the passwords given', async () => {
    const seed = await seedDemo(store(), { passwords: { alice: 'alice-demo', bob: 'bob-demo', admin: 'admin-demo' } });
    expect(seed.tenant).toMatchObject({ slug: 'demo', name: 'Demo Company', sipDomain: 'demo.sambung.local' });
    expect(seed.queue).toMatchObject({ name: 'sales', displayName: 'Sales', mode: 'form', ringTimeoutSec: 20 });
    expect(seed.agents).toEqual([
      { username: 'alice', displayName: 'Alice Agent', password: 'alice-demo' },
      { username: 'bob', displayName: 'Bob Agent', password: 'bob-demo' },
      { username: 'admin', displayName: 'Demo Admin', password: 'admin-demo' },
    ]);
    expect((await store().agents.findByUsername(seed.tenant.id, 'admin'))?.role).toBe('admin');
    expect((await store().agents.findByUsername(seed.tenant.id, 'bob'))?.skills).toContainEqual({ skill: 'bahasa', level: 9 });
    expect(await store().skills.list(seed.tenant.id)).toEqual(['bahasa', 'english']);
    const serving = await store().agents.agentsOfQueue(seed.tenant.id, seed.queue.id);
    expect(serving.map((a) => a.username)).toEqual(['alice', 'bob']);
    expect(await store().agents.verifyLogin(seed.tenant.id, 'bob', 'bob-demo')).not.toBeNull();
  });

  it('changes nothing when run again, and reports existing agents without a password', async () => {
    const first = await seedDemo(store(), { passwords: { alice: 'alice-demo', bob: 'bob-demo' } });
    const before = await rowCounts(store());
    const second = await seedDemo(store(), { passwords: { alice: 'changed', bob: 'changed' } });
    expect(await rowCounts(store())).toEqual(before);
    expect(before).toEqual({ tenants: 1, queues: 1, agents: 3, agent_queues: 2, calls: 0 });
    expect(second.tenant).toEqual(first.tenant);
    expect(second.queue).toEqual(first.queue);
    expect(second.agents.map((a) => a.password)).toEqual([null, null, null]);
    expect(await store().agents.verifyLogin(first.tenant.id, 'alice', 'alice-demo')).not.toBeNull();
    expect(await store().agents.verifyLogin(first.tenant.id, 'alice', 'changed')).toBeNull();
  });

  it('generates a readable random password for an agent given none', async () => {
    const seed = await seedDemo(store(), { passwords: { alice: 'alice-demo' } });
    const bob = seed.agents.find((a) => a.username === 'bob');
    expect(bob?.password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(await store().agents.verifyLogin(seed.tenant.id, 'bob', bob!.password!)).not.toBeNull();
  });

  it('survives two seeds racing on one database', async () => {
    const [a, b] = await Promise.all([seedDemo(store()), seedDemo(store())]);
    expect(a.tenant.id).toBe(b.tenant.id);
    expect(await rowCounts(store())).toMatchObject({ tenants: 1, queues: 1, agents: 3, agent_queues: 2 });
  });
});
