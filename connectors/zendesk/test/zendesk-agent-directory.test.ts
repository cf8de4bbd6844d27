/**
 * `GET /api/admin/crm/users` on a real bridge connected to the fake Zendesk: the admin console's list of Zendesk
 * agents to map Sambung agents to — sorted by name, only staff who can take calls, admins only — and every way it
 * can fail: no CRM (404), revoked credentials (409, and the connection turns "reconnect"), Zendesk failing (502
 * with a message naming Zendesk and why, never a credential).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bridgeApi } from '../../../bridge-server/test/support/bridge-api.js';
import { login } from '../../../bridge-server/test/support/recorded-call.js';
import type { FakeZendesk } from '../fake/fake-zendesk-api.js';
import { startZendeskBridge, ZENDESK_ADMIN_EMAIL as EMAIL, type TestBridge, type ZendeskBridge } from './zendesk-bridge-kit.js';

const TOKEN = 'zd-secret-token-5c1e0a9b7d3f2e68';
const BASIC = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;

let kit: ZendeskBridge;
let zendesk: FakeZendesk;
let bridge: TestBridge;

beforeEach(async () => {
  kit = await startZendeskBridge(TOKEN);
  ({ zendesk, bridge } = kit);
});

afterEach(() => kit.dispose());

const api = (method: string, path: string, token: string | null, body?: unknown) => bridgeApi(bridge.url, method, path, token, body);

async function connect(admin: string): Promise<void> {
  expect((await api('PUT', '/api/admin/crm', admin, kit.connectBody())).status).toBe(200);
}

/** `suspended` is writable through `create_or_update`, matched by e-mail (Users API). */
async function suspend(email: string): Promise<void> {
  const res = await fetch(`${zendesk.url}/api/v2/users/create_or_update.json`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email, suspended: true } }),
  });
  expect(res.status).toBe(200);
}

describe('GET /api/admin/crm/users', () => {
  it('lists the Zendesk agents and admins sorted by name, ignoring case, with ids as strings', async () => {
    const admin = await login(bridge, 'admin');
    await connect(admin);
    const zed = zendesk.seedAgent({ name: 'zed Zulu', email: 'zed@acme.test' });
    const alice = zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
    const bob = zendesk.seedAgent({ name: 'bob <i>Builder</i>', email: 'bob@acme.test', role: 'admin' });
    zendesk.seedAgent({ name: 'Carol Gone', email: 'carol@acme.test' });
    await suspend('carol@acme.test');
    zendesk.seedEndUser({ name: 'Aaron Customer', email: 'aaron@example.id' });

    const res = await api('GET', '/api/admin/crm/users', admin);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.json).toEqual({
      users: [
        { id: String(alice.id), name: 'Alice Agent', email: 'alice@acme.test', role: 'agent' },
        { id: String(bob.id), name: 'bob <i>Builder</i>', email: 'bob@acme.test', role: 'admin' },
        { id: String(zendesk.apiUser.id), name: 'Sambung Integration', email: EMAIL, role: 'admin' },
        { id: String(zed.id), name: 'zed Zulu', email: 'zed@acme.test', role: 'agent' },
      ],
      truncated: false,
      listable: true,
    });
    // What the list is for: the picked id maps the agent.
    expect((await api('PUT', '/api/admin/crm/agents/alice', admin, { crmUserId: res.json.users[0].id })).status).toBe(200);
  });

  it('answers 404 "connect a CRM first" when no CRM is connected', async () => {
    const res = await api('GET', '/api/admin/crm/users', await login(bridge, 'admin'));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'HTTP_NOT_FOUND', message: 'connect a CRM first' } });
    expect(zendesk.requests()).toEqual([]);
  });

  it('is for admins only: 403 for an agent, 401 without a token', async () => {
    await connect(await login(bridge, 'admin'));
    const before = zendesk.requests().length;
    const agent = await api('GET', '/api/admin/crm/users', await login(bridge, 'alice'));
    expect(agent.status).toBe(403);
    expect(agent.json.error.code).toBe('HTTP_FORBIDDEN');
    expect((await api('GET', '/api/admin/crm/users', null)).status).toBe(401);
    expect(zendesk.requests()).toHaveLength(before);
  });

  it('answers 409 "reconnect Zendesk" on a revoked token, and the connection turns reconnect-required', async () => {
    const admin = await login(bridge, 'admin');
    await connect(admin);
    zendesk.revokeToken();

    const res = await api('GET', '/api/admin/crm/users', admin);

    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('CONFLICT');
    expect(res.json.error.message).toBe('Zendesk refused the credentials: reconnect Zendesk');
    const status = (await api('GET', '/api/admin/crm', admin)).json.connection;
    expect(status).toMatchObject({ status: 'reconnect-required', reason: expect.stringContaining('401') });

    // While it needs reconnecting the bridge does not ask Zendesk again; reconnecting lists again.
    const asked = zendesk.requests().length;
    const again = await api('GET', '/api/admin/crm/users', admin);
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain('reconnect Zendesk');
    expect(zendesk.requests()).toHaveLength(asked);
    zendesk.setCredentials({ apiToken: TOKEN });
    await connect(admin);
    expect((await api('GET', '/api/admin/crm/users', admin)).status).toBe(200);
  });

  it('answers 502 naming Zendesk and its reason when Zendesk fails, and keeps the connection', async () => {
    const admin = await login(bridge, 'admin');
    await connect(admin);
    zendesk.failNext({ kind: 'server-error' }, '/api/v2/users.json');

    const res = await api('GET', '/api/admin/crm/users', admin);

    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('HTTP_BAD_GATEWAY');
    expect(res.json.error.message).toMatch(/^Zendesk could not list its agents: Zendesk answered 500 on GET \/api\/v2\/users\.json/);
    expect(res.json.error.message).toContain('Something went wrong');
    expect((await api('GET', '/api/admin/crm', admin)).json.connection.status).toBe('connected');

    zendesk.failNext({ kind: 'garbage' }, '/api/v2/users.json');
    const garbage = await api('GET', '/api/admin/crm/users', admin);
    expect(garbage.status).toBe(502);
    expect(garbage.json.error.message).toMatch(/^Zendesk could not list its agents: .*not JSON/);

    expect((await api('GET', '/api/admin/crm/users', admin)).status).toBe(200);
    const secrets = [TOKEN, BASIC.slice('Basic '.length)];
    for (const secret of secrets) {
      expect(res.text + garbage.text).not.toContain(secret);
      expect(kit.log()).not.toContain(secret);
    }
  });
});

describe('PUT /api/admin/crm/agents/:username', () => {
  it('refuses a second agent on a Zendesk user already mapped, saying to whom, and keeps the first mapping', async () => {
    const admin = await login(bridge, 'admin');
    await connect(admin);
    const zAlice = zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
    expect((await api('PUT', '/api/admin/crm/agents/alice', admin, { crmUserId: String(zAlice.id) })).status).toBe(200);
    // alice may be saved again on her own user (the admin pressed Save twice).
    expect((await api('PUT', '/api/admin/crm/agents/alice', admin, { crmUserId: String(zAlice.id) })).status).toBe(200);

    const refused = await api('PUT', '/api/admin/crm/agents/bob', admin, { crmUserId: String(zAlice.id) });

    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toBe(`CRM user ${zAlice.id} is already mapped to alice: unmap them first`);
    const links = (await api('GET', '/api/admin/crm/agents', admin)).json.links;
    expect(links).toEqual([{ username: 'alice', crmUserId: String(zAlice.id) }]);
    // Once alice is unmapped, bob can have the user.
    expect((await api('DELETE', '/api/admin/crm/agents/alice', admin)).status).toBe(204);
    expect((await api('PUT', '/api/admin/crm/agents/bob', admin, { crmUserId: String(zAlice.id) })).status).toBe(200);
  });
});
