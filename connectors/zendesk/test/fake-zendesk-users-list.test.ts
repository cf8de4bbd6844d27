/**
 * The fake Zendesk's List Users endpoint (`GET /api/v2/users`) as Zendesk documents it: the `role` and `role[]`
 * filters, cursor pagination (`page[size]` ≤ 100, `page[after]`/`page[before]`, `meta`, `links`), 400 for a page
 * size or cursor it cannot use, offset pages without `page[size]`, and authentication like every other route.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeZendesk, type FakeZendeskUser } from '../fake/fake-zendesk-api.js';

const EMAIL = 'admin@acme.test';
const TOKEN = 'api-token-1';
const BASIC = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;

let zd: FakeZendesk;
let agents: FakeZendeskUser[];
let endUsers: FakeZendeskUser[];
beforeEach(async () => {
  zd = await FakeZendesk.start({ apiToken: TOKEN, email: EMAIL });
  agents = [
    zd.seedAgent({ name: 'Alice', email: 'alice@acme.test' }),
    zd.seedAgent({ name: 'Bob', email: 'bob@acme.test' }),
    zd.seedAgent({ name: 'Chief', email: 'chief@acme.test', role: 'admin' }),
  ];
  endUsers = [zd.seedEndUser({ name: 'Siti', email: 'siti@example.id' }), zd.seedEndUser({ name: 'Budi', externalId: 'crm-42' })];
});
afterEach(async () => {
  await zd.close();
});

async function get(pathOrUrl: string, auth: string | null = BASIC): Promise<{ status: number; json: any }> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${zd.url}${pathOrUrl}`;
  const res = await fetch(url, { headers: auth === null ? {} : { authorization: auth } });
  return { status: res.status, json: JSON.parse(await res.text()) };
}

const idsOf = (body: { users: { id: number }[] }) => body.users.map((u) => u.id);
const admin = () => zd.apiUser;

describe('FakeZendesk: GET /api/v2/users', () => {
  it('filters by role, by several roles with role[], and by external_id; a value that is no role matches nobody', async () => {
    const all = await get('/api/v2/users.json');
    expect(idsOf(all.json)).toEqual([admin().id, ...agents.map((a) => a.id), ...endUsers.map((u) => u.id)]);

    expect(idsOf((await get('/api/v2/users.json?role=end-user')).json)).toEqual(endUsers.map((u) => u.id));
    expect(idsOf((await get('/api/v2/users.json?role=admin')).json)).toEqual([admin().id, agents[2]!.id]);
    const staff = await get('/api/v2/users.json?role%5B%5D=agent&role%5B%5D=admin');
    expect(idsOf(staff.json)).toEqual([admin().id, ...agents.map((a) => a.id)]);
    expect(staff.json.users.every((u: { role: string }) => u.role !== 'end-user')).toBe(true);
    expect(idsOf((await get('/api/v2/users.json?role[]=agent')).json)).toEqual([agents[0]!.id, agents[1]!.id]);
    expect(idsOf((await get('/api/v2/users.json?role=customer')).json)).toEqual([]);
    expect(idsOf((await get('/api/v2/users.json?external_id=CRM-42')).json)).toEqual([endUsers[1]!.id]);
  });

  it('answers offset pages without page[size]: users, next_page, previous_page and count', async () => {
    const first = await get('/api/v2/users.json?per_page=2');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ count: 6, previous_page: null, next_page: expect.stringContaining('page=2') });
    expect(first.json.users).toHaveLength(2);
    expect(first.json.meta).toBeUndefined();
  });

  it('walks cursor pages forward with links.next until has_more is false, and back with links.prev', async () => {
    const seen: number[] = [];
    let page = await get('/api/v2/users.json?role[]=agent&role[]=admin&page[size]=2');
    const pages = [page];
    seen.push(...idsOf(page.json));
    while (page.json.meta.has_more) {
      expect(page.json.links.next.startsWith(`${zd.url}/api/v2/users.json?`)).toBe(true);
      page = await get(page.json.links.next);
      pages.push(page);
      seen.push(...idsOf(page.json));
    }
    expect(seen).toEqual([admin().id, ...agents.map((a) => a.id)]);
    expect(pages).toHaveLength(2);
    const [one, two] = pages.map((p) => p.json);
    expect(one.meta).toEqual({ has_more: true, after_cursor: expect.any(String), before_cursor: expect.any(String) });
    expect(two.meta.has_more).toBe(false);
    // The last page still carries a next link (Zendesk says: stop on has_more), and it leads to an empty page.
    const beyond = await get(two.links.next);
    expect(beyond.json).toEqual({ users: [], meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { next: null, prev: null } });
    // Links keep the filters.
    const next = new URL(one.links.next);
    expect(next.searchParams.getAll('role[]')).toEqual(['agent', 'admin']);
    expect(next.searchParams.get('page[size]')).toBe('2');
    expect(next.searchParams.get('page[after]')).toBe(one.meta.after_cursor);

    const back = await get(two.links.prev);
    expect(idsOf(back.json)).toEqual(idsOf(one));
    expect(back.json.meta.has_more).toBe(false);
  });

  it('lists suspended users with suspended: true', async () => {
    const res = await fetch(`${zd.url}/api/v2/users/create_or_update.json`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email: 'bob@acme.test', suspended: true } }),
    });
    expect(res.status).toBe(200);
    const listed = (await get('/api/v2/users.json?role=agent&page[size]=100')).json.users;
    expect(listed.map((u: { name: string; suspended: boolean }) => [u.name, u.suspended])).toEqual([
      ['Alice', false],
      ['Bob', true],
    ]);
  });

  it('refuses a suspended flag that is not a boolean with 422', async () => {
    const res = await fetch(`${zd.url}/api/v2/users/create_or_update.json`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email: 'bob@acme.test', suspended: 'yes' } }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).details.suspended).toEqual([{ description: 'Suspended: is invalid', error: 'InvalidValue' }]);
  });

  it('answers 400 "Invalid attribute" for a page size that is not an integer from 1 to 100, or a cursor it did not issue', async () => {
    for (const size of ['0', '101', '1000', 'ten', '-5', '2.5', '']) {
      const res = await get(`/api/v2/users.json?page[size]=${size}`);
      expect(res.status, `page[size]=${size}`).toBe(400);
      expect(res.json.error).toEqual({ title: 'Invalid attribute', message: expect.stringContaining('page.size') });
    }
    expect((await get('/api/v2/users.json?page[size]=100')).status).toBe(200);
    expect((await get('/api/v2/users.json?page[size]=1')).status).toBe(200);

    const forged = await get('/api/v2/users.json?page[size]=10&page[after]=not-a-cursor');
    expect(forged.status).toBe(400);
    expect(forged.json.error.message).toContain('page.after');
    const both = await get('/api/v2/users.json?page[size]=10&page[after]=x&page[before]=y');
    expect(both.status).toBe(400);
  });

  it('needs authentication like every other route (401)', async () => {
    expect((await get('/api/v2/users.json?role=agent&page[size]=10', null)).status).toBe(401);
    zd.revokeToken();
    const revoked = await get('/api/v2/users.json?role=agent&page[size]=10');
    expect(revoked).toEqual({ status: 401, json: { error: "Couldn't authenticate you" } });
  });
});
