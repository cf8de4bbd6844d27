import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sipHa1 } from './password.js';
import { testBackends, useStore } from './test-backends.js';

describe.each(testBackends())('agents on $name', (backend) => {
  const store = useStore(backend);

  async function setup() {
    const tenant = await store().tenants.create({ slug: 'acme', name: 'Acme', sipDomain: 'acme.example' });
    const sales = await store().queues.create({ tenantId: tenant.id, name: 'sales', displayName: 'S', mode: 'form' });
    const support = await store().queues.create({ tenantId: tenant.id, name: 'support', displayName: 'S', mode: 'form' });
    const alice = await store().agents.create({
      tenantId: tenant.id,
      username: 'alice',
      displayName: 'Alice',
      password: 'alice-pw',
      realm: tenant.sipDomain,
      queueIds: [sales.id, support.id, sales.id],
    });
    return { tenant, sales, support, alice };
  }

  it('log in with the right password only', async () => {
    const { tenant, alice } = await setup();
    expect(await store().agents.verifyLogin(tenant.id, 'alice', 'alice-pw')).toEqual(alice);
    expect(await store().agents.verifyLogin(tenant.id, 'alice', 'wrong')).toBeNull();
    expect(await store().agents.verifyLogin(tenant.id, 'mallory', 'alice-pw')).toBeNull();
  });

  it('keep only an scrypt hash and the SIP HA1 for the tenant realm, never the clear password', async () => {
    const { tenant, alice } = await setup();
    const row = await store().db.selectFrom('agents').selectAll().where('id', '=', alice.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain('alice-pw');
    expect(row.sip_ha1).toBe(sipHa1('alice', 'acme.example', 'alice-pw'));
    expect(await store().agents.sipCredentials(tenant.id, 'alice')).toEqual({ agentId: alice.id, ha1: row.sip_ha1 });
    expect(await store().agents.sipCredentials(tenant.id, 'bob')).toBeNull();
    expect(alice).not.toHaveProperty('passwordHash');
    expect(alice).not.toHaveProperty('sipHa1');
  });

  it('serve the queues they were created with, once each', async () => {
    const { tenant, sales, support, alice } = await setup();
    expect(await store().agents.queueIdsOf(tenant.id, alice.id)).toEqual([sales.id, support.id].sort());
    const bob = await store().agents.create({
      tenantId: tenant.id,
      username: 'bob',
      displayName: 'Bob',
      password: 'pw',
      realm: tenant.sipDomain,
      queueIds: [sales.id],
    });
    expect(await store().agents.agentsOfQueue(tenant.id, sales.id)).toEqual([alice, bob]);
    expect(await store().agents.agentsOfQueue(tenant.id, support.id)).toEqual([alice]);
  });

  it('are unique by username within a tenant, and a refused create leaves nothing behind', async () => {
    const { tenant, sales } = await setup();
    const again = store().agents.create({
      tenantId: tenant.id,
      username: 'alice',
      displayName: 'Other',
      password: 'x',
      realm: tenant.sipDomain,
      queueIds: [sales.id],
    });
    await expect(again).rejects.toMatchObject({ code: 'CONFLICT' });
    const count = await sql<{ n: number | string }>`select count(*) as n from agent_queues`.execute(store().db);
    expect(Number(count.rows[0]?.n)).toBe(2);
  });

  it('cannot be created for an unknown queue, and nothing is written', async () => {
    const { tenant } = await setup();
    const bad = store().agents.create({
      tenantId: tenant.id,
      username: 'carol',
      displayName: 'Carol',
      password: 'x',
      realm: tenant.sipDomain,
      queueIds: ['00000000-0000-0000-0000-000000000000'],
    });
    await expect(bad).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store().agents.findByUsername(tenant.id, 'carol')).toBeNull();
  });
});
