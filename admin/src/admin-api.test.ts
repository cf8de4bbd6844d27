import { describe, expect, it } from 'vitest';
import { AdminApiClient } from './admin-api.js';
import { AdminError, describeAdminError } from './admin-errors.js';
import { adminLogin, BASE, connection, scriptedFetch, signedIn } from './admin-test-kit.js';

async function failure(promise: Promise<unknown>): Promise<AdminError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AdminError);
    return error as AdminError;
  }
  throw new Error('expected a rejection');
}

const credentials = { tenant: 'demo', username: 'admin', password: 'admin-demo-pass' };

describe('AdminApiClient.signIn', () => {
  it('posts the credentials without a bearer token and keeps the admin session in memory', async () => {
    const { fetch, requests } = scriptedFetch([{ status: 200, body: adminLogin }]);
    const client = new AdminApiClient(BASE, fetch);
    const session = await client.signIn(credentials);
    expect(session).toEqual({
      token: 'admin-api-token', expiresAt: '2030-01-01T12:00:00.000Z', tenant: 'demo', username: 'admin', displayName: 'Ada Admin', role: 'admin',
    });
    expect(client.session).toEqual(session);
    expect(requests).toEqual([
      { url: 'http://bridge.test:8080/api/agent/login', method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: credentials },
    ]);
  });

  it.each(['agent', 'supervisor'] as const)('refuses a %s with a clear message and keeps no token', async (role) => {
    const { fetch } = scriptedFetch([{ status: 200, body: { ...adminLogin, agent: { ...adminLogin.agent, username: 'alice', role } } }]);
    const client = new AdminApiClient(BASE, fetch);
    const error = await failure(client.signIn({ ...credentials, username: 'alice' }));
    expect(error.code).toBe('ADMIN_ERR_NOT_ADMIN');
    expect(describeAdminError(error)).toBe(`This console is for admins, and your role is ${role}. Ask an admin of your tenant to sign in, or to give you the admin role.`);
    expect(client.session).toBeNull();
    expect((await failure(client.crm())).code).toBe('ADMIN_ERR_SESSION_EXPIRED');
  });

  it('maps a 401 to wrong credentials, with the bridge code kept', async () => {
    const { fetch } = scriptedFetch([{ status: 401, body: { error: { code: 'HTTP_UNAUTHORIZED', message: 'wrong tenant, username or password' } } }]);
    const error = await failure(new AdminApiClient(BASE, fetch).signIn(credentials));
    expect(error).toMatchObject({ code: 'ADMIN_ERR_BAD_CREDENTIALS', status: 401, serverCode: 'HTTP_UNAUTHORIZED' });
    expect(describeAdminError(error)).toBe('Wrong tenant, username or password.');
  });

  it('reads a 400 with its field errors (a tenant that is not a slug)', async () => {
    const body = { error: { code: 'HTTP_BAD_REQUEST', message: 'invalid request', fieldErrors: { tenant: ['must be a tenant slug'] } } };
    const error = await failure(new AdminApiClient(BASE, scriptedFetch([{ status: 400, body }]).fetch).signIn({ ...credentials, tenant: 'Demo!' }));
    expect(error).toMatchObject({ code: 'ADMIN_ERR_REJECTED', fieldErrors: { tenant: ['must be a tenant slug'] } });
    expect(describeAdminError(error)).toBe('Invalid request');
  });

  it('says the bridge is unreachable when fetch throws', async () => {
    const error = await failure(new AdminApiClient(BASE, scriptedFetch([new TypeError('fetch failed')]).fetch).signIn(credentials));
    expect(error.code).toBe('ADMIN_ERR_UNREACHABLE');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(describeAdminError(error)).toBe('Cannot reach the Sambung bridge. Check your connection.');
  });

  it('refuses a 200 that is not a session (no token, unknown role)', async () => {
    const noToken = await failure(new AdminApiClient(BASE, scriptedFetch([{ status: 200, body: { ...adminLogin, token: '' } }]).fetch).signIn(credentials));
    expect(noToken.code).toBe('ADMIN_ERR_BRIDGE_FAILED');
    const oddRole = { ...adminLogin, agent: { ...adminLogin.agent, role: 'root' } };
    expect((await failure(new AdminApiClient(BASE, scriptedFetch([{ status: 200, body: oddRole }]).fetch).signIn(credentials))).code).toBe('ADMIN_ERR_BRIDGE_FAILED');
    const html = await failure(new AdminApiClient(BASE, scriptedFetch([{ status: 200, raw: '<html>proxy</html>' }]).fetch).signIn(credentials));
    expect(html.code).toBe('ADMIN_ERR_BRIDGE_FAILED');
  });
});

describe('AdminApiClient: the CRM connection', () => {
  it('reads GET /api/admin/crm with the bearer token', async () => {
    const body = { connection: connection({ status: 'reconnect-required', reason: "Couldn't authenticate you" }), deliveries: { counts: { pending: 1, running: 0, done: 4, parked: 0, 'waiting-auth': 2 }, needsReconnect: true } };
    const { client, requests } = await signedIn([{ status: 200, body }]);
    expect(await client.crm()).toEqual(body);
    expect(requests[0]).toEqual({ url: 'http://bridge.test:8080/api/admin/crm', method: 'GET', headers: { accept: 'application/json', authorization: 'Bearer admin-api-token' }, body: undefined });
  });

  it('reads "not connected" and fills counts the bridge left out with 0', async () => {
    const { client } = await signedIn([{ status: 200, body: { connection: null, deliveries: { counts: { done: 3 }, needsReconnect: false } } }]);
    expect(await client.crm()).toEqual({ connection: null, deliveries: { counts: { pending: 0, running: 0, done: 3, parked: 0, 'waiting-auth': 0 }, needsReconnect: false } });
  });

  it('refuses a connection with an unknown status', async () => {
    const { client } = await signedIn([{ status: 200, body: { connection: { ...connection(), status: 'maybe' }, deliveries: { counts: {} } } }]);
    expect((await failure(client.crm())).message).toBe('Unexpected answer from the bridge: connection.status');
  });

  it('puts the connect request as JSON and returns how many deliveries resumed', async () => {
    const request = { kind: 'zendesk', timeZone: 'Asia/Jakarta', settings: { account: 'acme' }, secret: { kind: 'api-token', email: 'a@acme.test', token: 't' } };
    const { client, requests } = await signedIn([{ status: 200, body: { connection: connection(), resumedDeliveries: 3 } }]);
    expect(await client.connect(request)).toEqual({ connection: connection(), resumedDeliveries: 3 });
    expect(requests[0]).toMatchObject({ url: 'http://bridge.test:8080/api/admin/crm', method: 'PUT', body: request });
    expect(requests[0]!.headers['content-type']).toBe('application/json');
  });

  it("keeps Zendesk's refusal as the message of a 400", async () => {
    const message = 'zendesk refused the connection: Zendesk answered as the anonymous user: the credentials were not accepted; reconnect Zendesk';
    const { client } = await signedIn([{ status: 400, body: { error: { code: 'HTTP_BAD_REQUEST', message } } }]);
    const error = await failure(client.connect({ kind: 'zendesk', timeZone: 'UTC', settings: {}, secret: {} }));
    expect(error).toMatchObject({ code: 'ADMIN_ERR_REJECTED', status: 400, fieldErrors: {} });
    expect(describeAdminError(error)).toBe(`Z${message.slice(1)}`);
  });

  it('keeps only string messages of fieldErrors', async () => {
    const fieldErrors = { account: ['must be your Zendesk subdomain'], token: 'invalid or missing', junk: [1, null], timeZone: [] };
    const { client } = await signedIn([{ status: 400, body: { error: { code: 'HTTP_BAD_REQUEST', message: 'invalid zendesk settings', fieldErrors } } }]);
    const error = await failure(client.connect({ kind: 'zendesk', timeZone: 'UTC', settings: {}, secret: {} }));
    expect(error.fieldErrors).toEqual({ account: ['must be your Zendesk subdomain'], token: ['invalid or missing'] });
  });

  it('disconnects with DELETE and accepts the empty 204', async () => {
    const { client, requests } = await signedIn([{ status: 204 }]);
    await client.disconnect();
    expect(requests[0]).toMatchObject({ method: 'DELETE', url: 'http://bridge.test:8080/api/admin/crm', body: undefined });
    expect(requests[0]!.headers['content-type']).toBeUndefined();
  });

  it('makes an app key, and says "connect a CRM first" on the 404', async () => {
    const { client, requests } = await signedIn([
      { status: 201, body: { appKey: 'sbk_abc' } },
      { status: 404, body: { error: { code: 'HTTP_NOT_FOUND', message: 'connect a CRM first' } } },
      { status: 201, body: { key: 'x' } },
    ]);
    expect(await client.newAppKey()).toBe('sbk_abc');
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'http://bridge.test:8080/api/admin/crm/app-key' });
    const error = await failure(client.newAppKey());
    expect(describeAdminError(error)).toBe('Connect a CRM first');
    expect((await failure(client.newAppKey())).code).toBe('ADMIN_ERR_BRIDGE_FAILED');
  });
});

describe('AdminApiClient: agents and their CRM users', () => {
  it('lists agents and links', async () => {
    const { client, requests } = await signedIn([
      { status: 200, body: { agents: [{ username: 'alice', displayName: 'Alice Agent', role: 'agent', skills: [], queues: ['sales'] }, { username: 'bob', displayName: '', role: 'supervisor' }] } },
      { status: 200, body: { links: [{ username: 'alice', crmUserId: '901' }, { username: null, crmUserId: '902' }] } },
    ]);
    expect(await client.agents()).toEqual([
      { username: 'alice', displayName: 'Alice Agent', role: 'agent' },
      { username: 'bob', displayName: 'bob', role: 'supervisor' },
    ]);
    expect(await client.agentLinks()).toEqual([{ username: 'alice', crmUserId: '901' }, { username: null, crmUserId: '902' }]);
    expect(requests.map((r) => r.url)).toEqual(['http://bridge.test:8080/api/admin/agents', 'http://bridge.test:8080/api/admin/crm/agents']);
  });

  it('maps and unmaps with the username escaped in the path', async () => {
    const { client, requests } = await signedIn([{ status: 200, body: { username: 'a.b', crmUserId: '77' } }, { status: 204 }]);
    await client.linkAgent('a/b?c', '77');
    await client.unlinkAgent('a/b?c');
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['PUT', 'http://bridge.test:8080/api/admin/crm/agents/a%2Fb%3Fc', { crmUserId: '77' }],
      ['DELETE', 'http://bridge.test:8080/api/admin/crm/agents/a%2Fb%3Fc', undefined],
    ]);
  });

  it('reports "no such agent" as a rejection with the bridge message', async () => {
    const { client } = await signedIn([{ status: 404, body: { error: { code: 'HTTP_NOT_FOUND', message: 'no such agent' } } }]);
    const error = await failure(client.linkAgent('ghost', '1'));
    expect(error).toMatchObject({ code: 'ADMIN_ERR_REJECTED', status: 404, serverCode: 'HTTP_NOT_FOUND' });
    expect(describeAdminError(error)).toBe('No such agent');
  });
});

describe('AdminApiClient.listCrmUsers', () => {
  const alice = { id: '901', name: 'Alice Agent', email: 'alice@acme.test', role: 'agent' };
  const ada = { id: '17', name: 'Ada Admin', email: null, role: 'admin' };
  const list = (users: unknown[], extra: Record<string, unknown> = {}) => ({ status: 200, body: { users, truncated: false, listable: true, ...extra } });

  it('reads GET /api/admin/crm/users with the bearer token, keeping the order and the partial flag', async () => {
    const { client, requests } = await signedIn([list([ada, alice], { truncated: true })]);
    expect(await client.listCrmUsers()).toEqual({ users: [ada, alice], truncated: true, listable: true });
    expect(requests).toEqual([
      { url: 'http://bridge.test:8080/api/admin/crm/users', method: 'GET', headers: { accept: 'application/json', authorization: 'Bearer admin-api-token' }, body: undefined },
    ]);
  });

  it('reads a CRM that cannot list its users, and an empty e-mail as none', async () => {
    const { client } = await signedIn([list([], { listable: false }), list([{ ...alice, email: '' }])]);
    expect(await client.listCrmUsers()).toEqual({ users: [], truncated: false, listable: false });
    expect((await client.listCrmUsers()).users).toEqual([{ ...alice, email: null }]);
  });

  it.each([
    ['no users array', { users: 'x', truncated: false, listable: true }, 'users'],
    ['no truncated flag', { users: [] , listable: true }, 'users.truncated'],
    ['a listable that is not a boolean', { users: [], truncated: false, listable: 'yes' }, 'users.listable'],
    ['a user that is not an object', { users: [null], truncated: false, listable: true }, 'users.0'],
    ['a numeric id', { users: [{ ...alice, id: 901 }], truncated: false, listable: true }, 'users.0.id'],
    ['an id with characters no CRM uses', { users: [{ ...alice, id: '#other' }], truncated: false, listable: true }, 'users.0.id'],
    ['an id of 65 characters', { users: [{ ...alice, id: '1'.repeat(65) }], truncated: false, listable: true }, 'users.0.id'],
    ['the same id twice', { users: [alice, { ...alice, name: 'Twin' }], truncated: false, listable: true }, 'users.1.id'],
    ['no name', { users: [{ ...alice, name: undefined }], truncated: false, listable: true }, 'users.0.name'],
    ['an e-mail that is not text', { users: [{ ...alice, email: 7 }], truncated: false, listable: true }, 'users.0.email'],
    ['an end user', { users: [{ ...alice, role: 'end-user' }], truncated: false, listable: true }, 'users.0.role'],
  ])('refuses %s as an unexpected answer', async (_what, body, detail) => {
    const { client } = await signedIn([{ status: 200, body }]);
    const error = await failure(client.listCrmUsers());
    expect(error).toMatchObject({ code: 'ADMIN_ERR_BRIDGE_FAILED', message: `Unexpected answer from the bridge: ${detail}` });
  });

  it('says "connect a CRM first" on the 404 and keeps the reconnect sentence of the 409', async () => {
    const refused = 'Zendesk refused the credentials: reconnect Zendesk (Couldn\'t authenticate you)';
    const { client } = await signedIn([
      { status: 404, body: { error: { code: 'HTTP_NOT_FOUND', message: 'connect a CRM first' } } },
      { status: 409, body: { error: { code: 'CONFLICT', message: refused } } },
    ]);
    const none = await failure(client.listCrmUsers());
    expect(none).toMatchObject({ code: 'ADMIN_ERR_REJECTED', status: 404 });
    expect(describeAdminError(none)).toBe('Connect a CRM first');
    const conflict = await failure(client.listCrmUsers());
    expect(conflict).toMatchObject({ code: 'ADMIN_ERR_REJECTED', status: 409, serverCode: 'CONFLICT' });
    expect(describeAdminError(conflict)).toBe(refused);
  });

  it("shows the bridge's sentence of a 502 (the CRM failed), but not a proxy's 502 or another 5xx", async () => {
    const { client } = await signedIn([
      { status: 502, body: { error: { code: 'CRM_FAILED', message: 'zendesk failed: HTTP 500 from Zendesk' } } },
      { status: 502, raw: '<html><body>Bad Gateway</body></html>' },
      { status: 502, body: { error: { code: 'CRM_FAILED', message: '  ' } } },
      { status: 503, body: { error: { code: 'X', message: 'database down at 10.0.0.7' } } },
    ]);
    const crm = await failure(client.listCrmUsers());
    expect(crm).toMatchObject({ code: 'ADMIN_ERR_CRM_FAILED', status: 502, serverCode: 'CRM_FAILED' });
    expect(describeAdminError(crm)).toBe('Zendesk failed: HTTP 500 from Zendesk');
    for (const status of [502, 502, 503]) {
      const other = await failure(client.listCrmUsers());
      expect(other).toMatchObject({ code: 'ADMIN_ERR_BRIDGE_FAILED', status, message: `HTTP ${status}` });
      expect(describeAdminError(other)).toBe('The bridge is having trouble. Please try again shortly.');
    }
  });
});

describe('AdminApiClient: deliveries', () => {
  const job = {
    id: 'j1', tenantId: 't', kind: 'recording-part', payload: { recordingId: 'r', callId: 'c-1', index: 2, total: 3, path: '/x' },
    dedupeKey: 'k', groupKey: null, afterJobId: null, state: 'parked', attempts: 4, nextAttemptAt: '2025-11-22T06:05:00.000Z',
    lastError: 'RecordInvalid: Record validation errors — <b>x</b>', result: null, createdAt: '2025-11-22T06:00:00.000Z', updatedAt: '2025-11-22T06:05:00.000Z',
  };

  it('lists one state with a limit, reading the call id and part from the payload', async () => {
    const callLog = { ...job, id: 'j2', kind: 'call-log', payload: { log: { callId: 'c-2' } }, state: 'waiting-auth', lastError: null };
    const status = { counts: { pending: 0, running: 0, done: 0, parked: 1, 'waiting-auth': 1 }, needsReconnect: true };
    const { client, requests } = await signedIn([{ status: 200, body: { status, jobs: [job, callLog] } }]);
    const list = await client.deliveries({ state: 'parked', limit: 50 });
    expect(requests[0]!.url).toBe('http://bridge.test:8080/api/admin/deliveries?state=parked&limit=50');
    expect(list.status).toEqual(status);
    expect(list.jobs).toEqual([
      { id: 'j1', kind: 'recording-part', state: 'parked', attempts: 4, lastError: job.lastError, nextAttemptAt: job.nextAttemptAt, updatedAt: job.updatedAt, callId: 'c-1', part: { index: 2, total: 3 } },
      { id: 'j2', kind: 'call-log', state: 'waiting-auth', attempts: 4, lastError: null, nextAttemptAt: job.nextAttemptAt, updatedAt: job.updatedAt, callId: 'c-2', part: null },
    ]);
  });

  it('lists every state without a query', async () => {
    const { client, requests } = await signedIn([{ status: 200, body: { status: { counts: {} }, jobs: [] } }]);
    await client.deliveries();
    expect(requests[0]!.url).toBe('http://bridge.test:8080/api/admin/deliveries');
  });

  it('refuses a job in a state the outbox does not have', async () => {
    const { client } = await signedIn([{ status: 200, body: { status: { counts: {} }, jobs: [{ ...job, state: 'lost' }] } }]);
    expect((await failure(client.deliveries())).message).toBe('Unexpected answer from the bridge: jobs.0.state');
  });

  it('retries a job and reads the 409 of a job that is not parked any more', async () => {
    const { client, requests } = await signedIn([
      { status: 200, body: { ...job, state: 'pending', attempts: 0 } },
      { status: 409, body: { error: { code: 'CONFLICT', message: 'outbox job j1 is done, not parked' } } },
    ]);
    expect(await client.retry('j1')).toMatchObject({ id: 'j1', state: 'pending', attempts: 0 });
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'http://bridge.test:8080/api/admin/deliveries/j1/retry' });
    const error = await failure(client.retry('j1'));
    expect(error).toMatchObject({ code: 'ADMIN_ERR_REJECTED', serverCode: 'CONFLICT', status: 409 });
    expect(describeAdminError(error)).toBe('Outbox job j1 is done, not parked');
  });
});

describe('AdminApiClient: a lost session', () => {
  it('forgets the token on a 401 and calls it an expired session', async () => {
    const { client } = await signedIn([{ status: 401, body: { error: { code: 'HTTP_UNAUTHORIZED', message: 'token expired' } } }]);
    const error = await failure(client.crm());
    expect(error.code).toBe('ADMIN_ERR_SESSION_EXPIRED');
    expect(describeAdminError(error)).toBe('Your session expired. Please sign in again.');
    expect(client.session).toBeNull();
  });

  it('names a 403 as needing the admin role', async () => {
    const { client } = await signedIn([{ status: 403, body: { error: { code: 'HTTP_FORBIDDEN', message: 'this needs the admin role' } } }]);
    const error = await failure(client.retry('j1'));
    expect(error.code).toBe('ADMIN_ERR_NOT_ADMIN');
    expect(describeAdminError(error)).toMatch(/^This needs the admin role\./);
  });

  it('hides a 5xx body behind "the bridge is having trouble"', async () => {
    const { client } = await signedIn([{ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } }]);
    const error = await failure(client.agents());
    expect(error).toMatchObject({ code: 'ADMIN_ERR_BRIDGE_FAILED', status: 500, message: 'HTTP 500' });
    expect(describeAdminError(error)).toBe('The bridge is having trouble. Please try again shortly.');
  });

  it('sends nothing after sign-out', async () => {
    const { client, requests } = await signedIn([]);
    client.signOut();
    expect((await failure(client.crm())).code).toBe('ADMIN_ERR_SESSION_EXPIRED');
    expect(requests).toEqual([]);
  });

  it('describes a 429 and anything that is not an AdminError', () => {
    expect(describeAdminError(AdminError.fromStatus(429, {}, false))).toBe('Too many attempts. Wait a minute and try again.');
    expect(describeAdminError(new Error('boom'))).toBe('Something went wrong. Please try again.');
    expect(describeAdminError(AdminError.fromStatus(400, { message: '  ' }, false))).toBe('The bridge refused the request.');
  });
});
