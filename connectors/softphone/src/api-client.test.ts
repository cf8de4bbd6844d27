import { describe, expect, it } from 'vitest';
import { AgentApiClient, type FetchLike } from './api-client.js';
import { SoftphoneError, describeSoftphoneError } from './softphone-errors.js';

const session = {
  token: 'api-token',
  agent: { id: 'a1', username: 'alice', displayName: 'Alice Agent' },
  sip: { wsUrl: 'ws://localhost:8080/sip', domain: 'demo.sambung.local', uri: 'sip:alice@demo.sambung.local',
    authorizationUser: 'alice' },
  iceServers: [],
  queues: [{ name: 'sales', displayName: 'Sales' }],
};

function bridge(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { client: new AgentApiClient('http://localhost:8080/', fetch), calls };
}

async function failure(promise: Promise<unknown>): Promise<SoftphoneError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SoftphoneError);
    return error as SoftphoneError;
  }
  throw new Error('expected a rejection');
}

describe('AgentApiClient.login', () => {
  it('posts the credentials and returns the session', async () => {
    const { client, calls } = bridge(200, session);
    expect(await client.login({ tenant: 'demo', username: 'alice', password: 's3cret' })).toEqual(session);
    expect(calls[0]!.url).toBe('http://localhost:8080/api/agent/login');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ tenant: 'demo', username: 'alice', password: 's3cret' });
  });

  it('maps a 401 to bad credentials', async () => {
    const { client } = bridge(401, { error: { code: 'AUTH_INVALID', message: 'no' } });
    const error = await failure(client.login({ tenant: 'demo', username: 'alice', password: 'x' }));
    expect(error.code).toBe('SOFTPHONE_ERR_BAD_CREDENTIALS');
    expect(error.serverCode).toBe('AUTH_INVALID');
    expect(describeSoftphoneError(error)).toBe('Wrong username or password.');
  });

  it('maps a network failure to unreachable', async () => {
    const client = new AgentApiClient('http://localhost:1/', async () => {
      throw new TypeError('fetch failed');
    });
    expect((await failure(client.login({ tenant: 'd', username: 'u', password: 'p' }))).code)
      .toBe('SOFTPHONE_ERR_UNREACHABLE');
  });

  it('refuses a session whose SIP settings are unusable', async () => {
    const { client } = bridge(200, { ...session, sip: { ...session.sip, wsUrl: 'https://x/sip' } });
    expect((await failure(client.login({ tenant: 'd', username: 'u', password: 'p' }))).code)
      .toBe('SOFTPHONE_ERR_BRIDGE_FAILED');
  });
});

describe('AgentApiClient.setPresence', () => {
  it('puts the state with the bearer token, and the reason when away', async () => {
    const { client, calls } = bridge(200, { state: 'away' });
    expect(await client.setPresence('api-token', { state: 'away', reason: 'lunch' })).toBe('away');
    expect(calls[0]!.url).toBe('http://localhost:8080/api/agent/state');
    expect(calls[0]!.init.method).toBe('PUT');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer api-token');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ state: 'away', reason: 'lunch' });
  });

  it('sends no reason when available', async () => {
    const { client, calls } = bridge(200, { state: 'available' });
    await client.setPresence('t', { state: 'available' });
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ state: 'available' });
  });

  it('maps a 404 (the bridge forgot this agent, e.g. after a restart) to an expired session', async () => {
    const { client } = bridge(404, { error: { code: 'NOT_FOUND', message: 'sign in again' } });
    expect((await failure(client.setPresence('t', { state: 'available' }))).code).toBe('SOFTPHONE_ERR_SESSION_EXPIRED');
  });

  it('maps a 401 to an expired session', async () => {
    const { client } = bridge(401, { error: { code: 'AUTH_EXPIRED', message: 'expired' } });
    expect((await failure(client.setPresence('t', { state: 'available' }))).code).toBe('SOFTPHONE_ERR_SESSION_EXPIRED');
  });
});

describe('AgentApiClient.me', () => {
  it('GETs the ACD state with the bearer token and no body', async () => {
    const { client, calls } = bridge(200, { id: 'a1', username: 'alice', state: 'wrap-up', awayReason: null, registered: true,
      wrapUpEndsAt: '2030-01-01T09:00:14.000Z' });
    expect(await client.me('api-token')).toEqual({ state: 'wrap-up', awayReason: null, registered: true,
      wrapUpEndsAt: Date.parse('2030-01-01T09:00:14.000Z') });
    expect(calls[0]!.url).toBe('http://localhost:8080/api/agent/me');
    expect(calls[0]!.init.method).toBe('GET');
    expect(calls[0]!.init.body).toBeUndefined();
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer api-token');
  });

  it('answers null for a state it does not know, and maps a 401 to an expired session', async () => {
    expect(await bridge(200, { state: 'busy', registered: true }).client.me('t')).toBeNull();
    expect((await failure(bridge(401, {}).client.me('t'))).code).toBe('SOFTPHONE_ERR_SESSION_EXPIRED');
  });
});
