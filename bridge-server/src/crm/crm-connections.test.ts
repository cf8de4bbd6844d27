import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateRecordingKey } from '../recordings/index.js';
import { testBackends, useStore } from '../store/test-backends.js';
import type { CrmContext } from './crm-adapter.js';
import { CrmConnections } from './crm-connections.js';
import type { CrmConnector } from './crm-connector.js';
import { CrmError } from './crm-error.js';
import type { CrmUser, CrmUserDirectory } from './crm-user-directory.js';
import { MemoryCrmAdapter } from './memory-crm-adapter.js';
import { SecretBox } from './secret-box.js';

/** A CRM whose staff list the test scripts: each call takes the next answer (a list of users, or an error). */
class ListingCrm extends MemoryCrmAdapter implements CrmUserDirectory {
  readonly answers: (CrmUser[] | CrmError)[] = [];
  listed = 0;
  async listAgents(_ctx: CrmContext) {
    this.listed += 1;
    const answer = this.answers.shift() ?? [];
    if (answer instanceof CrmError) throw answer;
    return { users: answer, truncated: false };
  }
}

const settings = z.object({ account: z.string() });
const secret = z.object({ token: z.string() });

function connector(kind: string, adapter: MemoryCrmAdapter, extra: object = {}): CrmConnector<{ account: string }, { token: string }> {
  return { kind, displayName: `${kind} CRM`, settings, secret, create: () => adapter, ...extra };
}

const agents = (n: number): CrmUser[] => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), name: `Agent ${i + 1}`, email: null, role: 'agent' }));

describe.each(testBackends())('CrmConnections.listAgents on $name', (backend) => {
  const store = useStore(backend);

  async function setup() {
    const tenant = await store().tenants.create({ slug: 'acme', name: 'Acme', sipDomain: 'acme.test' });
    const listing = new ListingCrm();
    const crm = new CrmConnections({
      repo: store().crm,
      box: new SecretBox(generateRecordingKey().key),
      connectors: [connector('listing', listing), connector('plain', new MemoryCrmAdapter(), { displayName: 'Plain CRM' })],
      connectorOptions: () => ({ apiBase: () => 'http://127.0.0.1:1' }),
      log: pino({ level: 'silent' }),
    });
    const connect = (kind: string) => crm.connect(tenant.id, { kind, settings: { account: 'a' }, secret: { token: 't' } });
    return { tenantId: tenant.id, listing, crm, connect };
  }

  it('is null when no CRM is connected', async () => {
    const { crm, tenantId } = await setup();
    expect(await crm.listAgents(tenantId)).toBeNull();
  });

  it('says listable: false, with no users, for a connector that cannot list users', async () => {
    const { crm, tenantId, connect } = await setup();
    await connect('plain');
    expect(await crm.listAgents(tenantId)).toEqual({ users: [], truncated: false, listable: false });
  });

  it('passes the list on as listable, and holds an adapter that returns too many to 1,000, truncated', async () => {
    const { crm, tenantId, connect, listing } = await setup();
    await connect('listing');
    listing.answers.push(agents(3), agents(1001));
    expect(await crm.listAgents(tenantId)).toEqual({ users: agents(3), truncated: false, listable: true });
    const capped = await crm.listAgents(tenantId);
    expect(capped).toMatchObject({ truncated: true, listable: true });
    expect(capped!.users).toEqual(agents(1000));
  });

  it('on an auth failure rejects only once the connection is reconnect-required, then refuses without asking the CRM', async () => {
    const { crm, tenantId, connect, listing } = await setup();
    await connect('listing');
    listing.answers.push(CrmError.auth('token revoked (401)', { status: 401 }));
    // Hold the status write back: the listing must not reject before it is done.
    const repo = store().crm;
    const setStatus = repo.setStatus.bind(repo);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    repo.setStatus = async (...args) => gate.then(() => setStatus(...args));
    let settled = false;
    const outcome = crm.listAgents(tenantId).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    void outcome.finally(() => (settled = true));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    expect(await outcome).toMatchObject({ kind: 'auth', message: 'token revoked (401)' });
    expect(await crm.status(tenantId)).toMatchObject({ status: 'reconnect-required', reason: 'token revoked (401)' });
    expect(await crm.connection(tenantId)).toBeNull();

    await expect(crm.listAgents(tenantId)).rejects.toMatchObject({ kind: 'auth', message: 'token revoked (401)' });
    expect(listing.listed).toBe(1);
  });

  it('passes other failures on unchanged and keeps the connection', async () => {
    const { crm, tenantId, connect, listing } = await setup();
    await connect('listing');
    const down = CrmError.retryable('CRM answered 503', { status: 503 });
    listing.answers.push(down);
    await expect(crm.listAgents(tenantId)).rejects.toBe(down);
    expect(await crm.status(tenantId)).toMatchObject({ status: 'connected' });
  });

  it('names a CRM by its connector\'s display name, else by its kind', async () => {
    const { crm } = await setup();
    expect(crm.displayName('plain')).toBe('Plain CRM');
    expect(crm.displayName('listing')).toBe('listing CRM');
    expect(crm.displayName('unknown')).toBe('unknown');
  });
});
