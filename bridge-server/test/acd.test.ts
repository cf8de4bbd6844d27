import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { getHeader, type SipRequest } from '../src/sip/message.js';
import { SipWsClient } from './support/sip-ws-client.js';
import { PASSWORDS, registerAgent, rand, startTestBridge, visitorInvite, visitorToken } from './support/test-bridge.js';
import { TestPeer } from './support/webrtc-peer.js';
import { TestResources } from './support/test-resources.js';
import { bridgeApi } from './support/bridge-api.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;

let bridge: TestBridge;
const own = new TestResources();
const { clients, peers } = own;

afterEach(async () => {
  await own.release();
  await bridge?.dispose();
});

async function start(env: Record<string, string> = {}, clock?: ManualClock) {
  bridge = await startTestBridge(env, clock ? { clock } : {});
}
async function agent(name: 'alice' | 'bob') {
  const c = await registerAgent(bridge.wsUrl, name);
  clients.push(c);
  return c;
}
async function visitor() {
  const c = await SipWsClient.connect(bridge.wsUrl);
  clients.push(c);
  return c;
}
async function sdp() {
  const p = new TestPeer();
  peers.push(p);
  return p.offer();
}
async function login(username: 'alice' | 'bob' | 'admin'): Promise<string> {
  const res = await fetch(`${bridge.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username, password: PASSWORDS[username] }),
  });
  return ((await res.json()) as { token: string }).token;
}
async function api(method: string, path: string, token: string, body?: unknown) {
  const answer = await bridgeApi(bridge.url, method, path, token, body);
  return { status: answer.status, body: answer.json as Record<string, any> };
}
const invites = (c: SipWsClient) => c.received.filter((m) => m.kind === 'request' && (m as SipRequest).method === 'INVITE');

describe('ACD administration', () => {
  it('refuses impossible configurations with a 400 naming the field, and saves nothing', async () => {
    await start();
    const admin = await login('admin');
    const bad: [unknown, string][] = [
      [{ ringTimeoutSec: 0 }, 'ringTimeoutSec'],
      [{ wrapUpSec: -5 }, 'wrapUpSec'],
      [{ skills: [{ skill: 'klingon', minLevel: 3 }] }, 'skills.0.skill'],
      [{ businessHours: { timeZone: 'Asia/Jakarta', weekly: {} } }, 'businessHours.weekly'],
      [{ businessHours: { timeZone: 'Mars/Olympus', weekly: { mon: [{ from: '09:00', to: '17:00' }] } } }, 'businessHours.timeZone'],
    ];
    for (const [body, field] of bad) {
      const res = await api('PUT', '/api/admin/queues/sales', admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body['error'].fieldErrors)).toContain(field);
      expect(res.body['error'].message).toContain(field);
    }

    const created = await api('POST', '/api/admin/queues', admin, {
      name: 'support', displayName: 'Support', mode: 'form', overflow: { type: 'queue', queueId: 'sales' }, maxQueueSize: 5,
    });
    expect(created.status).toBe(201);
    const loop = await api('PUT', '/api/admin/queues/sales', admin, { overflow: { type: 'queue', queueId: 'support' }, maxQueueSize: 5 });
    expect(loop.status).toBe(400);
    expect(Object.keys(loop.body['error'].fieldErrors).join(' ')).toMatch(/overflow/);

    const queues = await api('GET', '/api/admin/queues', admin);
    const sales = queues.body['queues'].find((q: { name: string }) => q.name === 'sales');
    expect(sales).toMatchObject({ ringTimeoutSec: 20 });
    expect(sales.wrapUpSec ?? 0).toBe(0);
    expect(sales.overflow ?? null).toBeNull();
    expect(sales.skills ?? []).toEqual([]);
  });

  it('lets only admins change the configuration', async () => {
    await start();
    const alice = await login('alice');
    expect((await api('PUT', '/api/admin/queues/sales', alice, { wrapUpSec: 10 })).status).toBe(403);
    expect((await api('PUT', '/api/admin/queues/sales', 'not-a-token', { wrapUpSec: 10 })).status).toBe(401);
  });

  it('computes staffing with Erlang C and validates its input', async () => {
    await start();
    const admin = await login('admin');
    const res = await api('POST', '/api/admin/staffing', admin, { arrivalsPerMin: 2, ahtSec: 180, serviceLevel: { percent: 80, seconds: 20 } });
    expect(res.status).toBe(200);
    expect(res.body['trafficErlangs']).toBeCloseTo(6, 5);
    expect(res.body['serviceLevel']).toBeGreaterThanOrEqual(0.8);
    expect(res.body['agents']).toBeGreaterThan(6);
    const bad = await api('POST', '/api/admin/staffing', admin, { arrivalsPerMin: -1, ahtSec: 0 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body['error'].fieldErrors)).toEqual(expect.arrayContaining(['arrivalsPerMin', 'ahtSec', 'serviceLevel']));
  });
});

describe('routing through the real bridge', () => {
  it('sends each call to an agent with the skill its queue requires', async () => {
    await start();
    const admin = await login('admin');
    expect((await api('POST', '/api/admin/queues', admin, {
      name: 'support', displayName: 'Dukungan', mode: 'form', skills: [{ skill: 'bahasa', minLevel: 7 }],
    })).status).toBe(201);
    for (const who of ['alice', 'bob']) {
      expect((await api('PUT', `/api/admin/agents/${who}`, admin, { queues: ['sales', 'support'] })).status).toBe(200);
    }
    const alice = await agent('alice');
    const bob = await agent('bob');

    const v = await visitor();
    visitorInvite(v, { target: 'sip:support@demo.sambung.local', token: await visitorToken(bridge, { queue: 'support' }), sdp: await sdp() }).send();
    const toBob = await bob.request('INVITE');
    expect(getHeader(toBob, 'x-sambung-queue')).toBe('support');
    expect(invites(alice)).toHaveLength(0);

    const v2 = await visitor();
    visitorInvite(v2, { token: await visitorToken(bridge), sdp: await sdp() }).send();
    const toAlice = await alice.request('INVITE');
    expect(getHeader(toAlice, 'x-sambung-queue')).toBe('sales');
  });

  it('puts a non-answering agent away (missed) and offers the call to the next one', async () => {
    await start({ ACD_MAX_MISSES: '1' });
    const admin = await login('admin');
    expect((await api('PUT', '/api/admin/queues/sales', admin, { ringTimeoutSec: 1 })).status).toBe(200);
    const alice = await agent('alice');
    const bob = await agent('bob');
    const v = await visitor();
    visitorInvite(v, { token: await visitorToken(bridge), sdp: await sdp() }).send();
    const first = await alice.request('INVITE');
    const tag = rand();
    alice.reply(first, 180, 'Ringing', { toTag: tag });
    const cancel = await alice.request('CANCEL', first.callId);
    alice.reply(cancel, 200, 'OK', { toTag: tag });
    alice.reply(first, 487, 'Request Terminated', { toTag: tag });
    expect(getHeader(await bob.request('INVITE'), 'x-sambung-queue')).toBe('sales');
    const me = await api('GET', '/api/agent/me', await login('alice'));
    expect(me.body).toMatchObject({ state: 'away', awayReason: 'missed', registered: true });
  });

  it('gives an after-hours call the configured deflection instead of queueing it', async () => {
    await start();
    const admin = await login('admin');
    const tomorrow = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(new Date().getUTCDay() + 2) % 7]!;
    const res = await api('PUT', '/api/admin/queues/sales', admin, {
      businessHours: { timeZone: 'UTC', weekly: { [tomorrow]: [{ from: '09:00', to: '17:00' }] } },
      afterHours: { type: 'message', text: 'We are closed — back at 09:00 <b>UTC</b>' },
    });
    expect(res.status).toBe(200);
    const alice = await agent('alice');
    const v = await visitor();
    const inv = visitorInvite(v, { token: await visitorToken(bridge), sdp: await sdp() });
    inv.send();
    const final = await v.next((m) => m.kind === 'response' && m.status >= 200);
    expect(final).toMatchObject({ status: 480 });
    const deflection = JSON.parse(decodeURIComponent(getHeader(final, 'x-sambung-deflection')!));
    expect(deflection).toEqual({ reason: 'closed', type: 'message', text: 'We are closed — back at 09:00 <b>UTC</b>' });
    expect(invites(alice)).toHaveLength(0);
    await bridge.b2bua.flush();
    const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
    expect(await bridge.store.calls.findBySipCallId(tenant.id, inv.callId)).toMatchObject({ endReason: 'rejected' });
    const metrics = await api('GET', '/api/admin/metrics', admin);
    const sales = metrics.body['intervals'].filter((r: { queue: string }) => r.queue === 'sales');
    expect(sales.reduce((n: number, r: { offered: number }) => n + r.offered, 0)).toBe(1);
    expect(sales.reduce((n: number, r: { deflected: number }) => n + r.deflected, 0)).toBe(1);
  });

  it('offers a booked callback to an agent at its time', async () => {
    const clock = new ManualClock(Date.now());
    await start({}, clock);
    const admin = await login('admin');
    const always = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
    expect((await api('PUT', '/api/admin/queues/sales', admin, {
      businessHours: { timeZone: 'Asia/Jakarta', weekly: always },
      afterHours: { type: 'callback', slotMinutes: 5 },
    })).status).toBe(200);
    const alice = await agent('alice');
    const token = await visitorToken(bridge, { name: 'Rina', phone: '+62 811 2222 3333' });
    const slots = await fetch(`${bridge.url}/api/visitor/callback-slots`, { headers: { authorization: `Bearer ${token}` } });
    const { slots: times, timeZone } = (await slots.json()) as { slots: string[]; timeZone: string };
    expect(timeZone).toBe('Asia/Jakarta');
    const at = times[0]!;
    const booked = await fetch(`${bridge.url}/api/visitor/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ at }),
    });
    expect(booked.status).toBe(201);
    const refused = await fetch(`${bridge.url}/api/visitor/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ at: new Date(Date.parse(at) + 60_000).toISOString() }),
    });
    expect(refused.status).toBe(400);

    // Advance in small steps with real pauses, so WebSocket keep-alive pongs (real I/O) keep the agent connected.
    while (clock.now() < Date.parse(at) - 10_000) {
      clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 10));
    }
    clock.advance(Math.max(0, Date.parse(at) - clock.now() - 1000));
    await new Promise((r) => setTimeout(r, 200));
    expect(invites(alice)).toHaveLength(0);
    clock.advance(2000);
    const offer = await alice.request('INVITE');
    expect(getHeader(offer, 'x-sambung-call-kind')).toBe('callback');
    expect(decodeURIComponent(getHeader(offer, 'x-sambung-caller-phone')!)).toBe('+62 811 2222 3333');
    const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
    await expect.poll(async () => (await bridge.store.callbacks.list(tenant.id))[0]?.state).toBe('offered');
  });
});
