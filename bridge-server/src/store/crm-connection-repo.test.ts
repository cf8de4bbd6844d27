import { describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { testBackends, useStore } from './test-backends.js';

describe.each(testBackends())('CRM agent links on $name', (backend) => {
  const store = useStore(backend);

  async function setup(s: Store, slug: string) {
    const tenant = await s.tenants.create({ slug, name: slug, sipDomain: `${slug}.example` });
    const agent = (username: string) =>
      s.agents.create({ tenantId: tenant.id, username, displayName: username, password: 'pass-word-123', realm: `${slug}.example`, queueIds: [] });
    return { tenantId: tenant.id, alice: (await agent('alice')).id, bob: (await agent('bob')).id };
  }

  it('map one CRM user to one agent of a tenant: relinking the same agent is fine, a second agent is a CONFLICT', async () => {
    const { tenantId, alice, bob } = await setup(store(), 'acme');
    await store().crm.linkAgent(tenantId, alice, '101');
    await store().crm.linkAgent(tenantId, alice, '101');
    await expect(store().crm.linkAgent(tenantId, bob, '101')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('CRM user 101') });
    expect(await store().crm.agentLinks(tenantId)).toEqual([{ agentId: alice, crmUserId: '101' }]);
    expect(await store().crm.agentOfCrmUser(tenantId, '101', bob)).toBe(alice);
    expect(await store().crm.agentOfCrmUser(tenantId, '101', alice)).toBeNull();
    // alice moves to another user; then bob may have hers.
    await store().crm.linkAgent(tenantId, alice, '102');
    await store().crm.linkAgent(tenantId, bob, '101');
    expect(await store().crm.crmUserOf(tenantId, bob)).toBe('101');
  });

  it('let two tenants map the same CRM user id (their CRMs are different accounts)', async () => {
    const acme = await setup(store(), 'acme');
    const globex = await setup(store(), 'globex');
    await store().crm.linkAgent(acme.tenantId, acme.alice, '101');
    await store().crm.linkAgent(globex.tenantId, globex.alice, '101');
    expect(await store().crm.crmUserOf(globex.tenantId, globex.alice)).toBe('101');
    expect(await store().crm.agentOfCrmUser(acme.tenantId, '101', acme.bob)).toBe(acme.alice);
  });
});
