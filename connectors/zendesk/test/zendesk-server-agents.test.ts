/**
 * The Zendesk staff listing (`listAgents`, `zendesk-agents.ts`) against the fake over real HTTP: cursor pages
 * followed to the end, only agents and admins who can work, the 1,000-user bound, and every failure as the right
 * `CrmError`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmContext } from '../../../bridge-server/src/crm/crm-adapter.js';
import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import { canListAgents, type CrmUserDirectory } from '../../../bridge-server/src/crm/crm-user-directory.js';
import { HARNESS_EMAIL, HARNESS_TOKEN, startZendeskHarness, type ZendeskHarness } from '../fake/fake-zendesk-harness.js';
import { listZendeskAgents } from '../server/zendesk-agents.js';
import { ZendeskClient } from '../server/zendesk-client.js';
import { ZendeskCrmAdapter } from '../server/zendesk-crm-adapter.js';
import { authorizationHeader } from '../server/zendesk-settings.js';

const ctx: CrmContext = { tenantId: 'tenant-zd', timeZone: 'UTC' };
const AUTH = authorizationHeader({ kind: 'api-token', email: HARNESS_EMAIL, token: HARNESS_TOKEN });

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

/** Suspends a user the documented way: `suspended` is writable through `create_or_update` (matched by e-mail). */
async function suspend(h: ZendeskHarness, email: string): Promise<void> {
  const res = await fetch(`${h.zendesk.url}/api/v2/users/create_or_update.json`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email, suspended: true } }),
  });
  expect(res.status).toBe(200);
}

/** An adapter on a scripted Zendesk: `pages` answers each request in turn and `seen` records where they went. */
function scripted(pages: unknown[]): { adapter: ZendeskCrmAdapter; seen: string[] } {
  const seen: string[] = [];
  const fetchImpl: typeof fetch = async (input) => {
    seen.push(String(input));
    const body = pages.shift();
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const adapter = new ZendeskCrmAdapter({ account: 'acme', baseUrl: 'https://acme.zendesk.test', authorization: AUTH, recordings: 'link', fetch: fetchImpl, timeoutMs: 1000 });
  return { adapter, seen };
}

/** The harness's adapter as the staff listing it is (the connector's adapter has the capability). */
function directory(h: ZendeskHarness): CrmUserDirectory {
  if (!canListAgents(h.adapter)) throw new Error('the Zendesk adapter cannot list agents');
  return h.adapter;
}

const user = (id: number, role = 'agent', extra: Record<string, unknown> = {}) => ({ id, name: `User ${id}`, email: `u${id}@acme.test`, role, ...extra });

describe('ZendeskCrmAdapter: listing the agents', () => {
  let h: ZendeskHarness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('lists agents and admins across cursor pages, leaving out end users and suspended users', async () => {
    h = await startZendeskHarness();
    const seeded = Array.from({ length: 150 }, (_, i) => h!.zendesk.seedAgent({ name: `Agent ${i}`, email: `agent${i}@acme.test` }));
    const boss = h.zendesk.seedAgent({ name: 'Boss <b>Admin</b> & Co', email: 'boss@acme.test', role: 'admin' });
    h.zendesk.seedEndUser({ name: 'Siti Customer', email: 'siti@example.id' });
    await suspend(h, 'agent7@acme.test');
    h.zendesk.seedEndUser({ name: 'Late Customer', email: 'late@example.id' });
    const earlier = h.zendesk.requests().length;

    const list = await directory(h).listAgents(ctx);

    expect(list.truncated).toBe(false);
    const ids = list.users.map((u) => u.id);
    expect(ids).toHaveLength(151); // the integration admin + 150 agents + Boss − 1 suspended
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(String(seeded[7]!.id));
    expect(list.users.some((u) => u.name.includes('Customer'))).toBe(false);
    expect(list.users).toContainEqual({ id: String(boss.id), name: 'Boss <b>Admin</b> & Co', email: 'boss@acme.test', role: 'admin' });
    expect(list.users).toContainEqual({ id: String(seeded[0]!.id), name: 'Agent 0', email: 'agent0@acme.test', role: 'agent' });
    expect(list.users).toContainEqual({ id: String(h.zendesk.apiUser.id), name: 'Sambung Integration', email: HARNESS_EMAIL, role: 'admin' });

    const requests = h.zendesk.requests().slice(earlier);
    expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/v2/users.json 200', 'GET /api/v2/users.json 200']);
    expect(requests[0]!.query).toMatchObject({ 'role[]': 'admin', 'page[size]': '100' });
    expect(requests[0]!.query['page[after]']).toBeUndefined();
    expect(requests[1]!.query).toMatchObject({ 'role[]': 'admin', 'page[size]': '100', 'page[after]': expect.any(String) });
  });

  it('stops at 1,000 users and says the list is truncated; exactly 1,000 is complete', async () => {
    h = await startZendeskHarness();
    for (let i = 0; i < 999; i++) h.zendesk.seedAgent({ name: `Agent ${i}`, email: `agent${i}@acme.test` });
    const complete = await directory(h).listAgents(ctx);
    expect(complete.users).toHaveLength(1000);
    expect(complete.truncated).toBe(false);
    expect(h.zendesk.requests()).toHaveLength(10);

    h.zendesk.seedAgent({ name: 'One Too Many', email: 'extra@acme.test' });
    const capped = await directory(h).listAgents(ctx);
    expect(capped.users).toHaveLength(1000);
    expect(capped.truncated).toBe(true);
    expect(capped.users.some((u) => u.name === 'One Too Many')).toBe(false);
  });

  it('reads a bounded number of pages, and calls a listing cut short by that bound truncated', async () => {
    h = await startZendeskHarness();
    for (let i = 0; i < 250; i++) h.zendesk.seedAgent({ name: `Agent ${i}`, email: `agent${i}@acme.test` });
    const client = new ZendeskClient({ baseUrl: h.zendesk.url, authorization: AUTH, timeoutMs: 1000 });
    const list = await listZendeskAgents(client, { maxPages: 2 });
    expect(list).toMatchObject({ truncated: true });
    expect(list.users).toHaveLength(200);
    expect(h.zendesk.requests()).toHaveLength(2);
  });

  it('stops when has_more is false even though the last page carries a next link', async () => {
    const { adapter, seen } = scripted([
      { users: [user(1)], meta: { has_more: true, after_cursor: 'a1', before_cursor: 'b1' }, links: { next: 'https://acme.zendesk.test/api/v2/users.json?page%5Bafter%5D=a1', prev: null } },
      { users: [user(2, 'admin')], meta: { has_more: false, after_cursor: 'a2', before_cursor: 'b2' }, links: { next: 'https://acme.zendesk.test/api/v2/users.json?page%5Bafter%5D=a2', prev: 'x' } },
    ]);
    expect(await adapter.listAgents(ctx)).toEqual({
      users: [
        { id: '1', name: 'User 1', email: 'u1@acme.test', role: 'agent' },
        { id: '2', name: 'User 2', email: 'u2@acme.test', role: 'admin' },
      ],
      truncated: false,
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe('https://acme.zendesk.test/api/v2/users.json?page%5Bafter%5D=a1');
  });

  it('never lists an end user, a suspended or a deleted user even if Zendesk ignored the role filter', async () => {
    const { adapter } = scripted([
      {
        users: [user(1, 'end-user'), user(2, 'agent', { suspended: true }), user(3, 'agent', { active: false }), user(4, 'agent', { email: null }), user(4)],
        meta: { has_more: false },
        links: {},
      },
    ]);
    expect(await adapter.listAgents(ctx)).toEqual({ users: [{ id: '4', name: 'User 4', email: null, role: 'agent' }], truncated: false });
  });

  it('fails as auth when Zendesk refuses the credentials (401)', async () => {
    h = await startZendeskHarness();
    h.zendesk.revokeToken();
    expect(await failure(directory(h).listAgents(ctx))).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('fails as retryable on a 500, with Zendesk\'s words', async () => {
    h = await startZendeskHarness();
    h.zendesk.failNext({ kind: 'server-error' });
    const error = await failure(directory(h).listAgents(ctx));
    expect(error).toMatchObject({ kind: 'retryable', status: 500 });
    expect(error.message).toContain('GET /api/v2/users.json');
  });

  it('calls a malformed answer invalid-response, naming what was wrong, and never returns a partial list', async () => {
    h = await startZendeskHarness();
    h.zendesk.failNext({ kind: 'garbage' });
    expect(await failure(directory(h).listAgents(ctx))).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('not JSON') });

    const noId = scripted([{ users: [{ name: 'Nameless', role: 'agent' }], meta: { has_more: false }, links: {} }]);
    expect(await failure(noId.adapter.listAgents(ctx))).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('users.0.id') });

    const noMeta = scripted([{ users: [user(1)], next_page: null }]);
    expect(await failure(noMeta.adapter.listAgents(ctx))).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('meta') });

    const nowhere = scripted([{ users: [user(1)], meta: { has_more: true }, links: { next: null } }]);
    expect(await failure(nowhere.adapter.listAgents(ctx))).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('links.next') });

    const badSecondPage = scripted([
      { users: [user(1)], meta: { has_more: true }, links: { next: 'https://acme.zendesk.test/api/v2/users.json?page%5Bafter%5D=a1' } },
      '<html>maintenance</html>',
    ]);
    expect(await failure(badSecondPage.adapter.listAgents(ctx))).toMatchObject({ kind: 'invalid-response' });
  });

  it('refuses to follow a next link off the account\'s origin, without sending anything there', async () => {
    const { adapter, seen } = scripted([
      { users: [user(1)], meta: { has_more: true }, links: { next: 'https://attacker.example/api/v2/users.json?page%5Bafter%5D=a1' } },
    ]);
    expect(await failure(adapter.listAgents(ctx))).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('attacker.example') });
    expect(seen).toEqual([expect.stringMatching(/^https:\/\/acme\.zendesk\.test\/api\/v2\/users\.json\?/)]);
  });
});
