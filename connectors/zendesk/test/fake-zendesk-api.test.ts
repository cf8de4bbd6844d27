import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrmFailure } from '../../../bridge-server/src/crm/crm-failure.js';
import { FakeZendesk } from '../fake/fake-zendesk-api.js';

const EMAIL = 'admin@acme.test';
const TOKEN = 'api-token-1';
const BASIC = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;

let zd: FakeZendesk;
beforeEach(async () => {
  zd = await FakeZendesk.start({ apiToken: TOKEN, email: EMAIL, oauthToken: 'oauth-1', maxAttachmentBytes: 1000 });
});
afterEach(async () => {
  await zd.close();
});

interface Call {
  method?: string;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
  auth?: string | null;
  signal?: AbortSignal;
}

async function api(path: string, call: Call = {}): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const headers: Record<string, string> = {};
  if (call.auth !== null) headers['authorization'] = call.auth ?? BASIC;
  if (call.json !== undefined) headers['content-type'] = 'application/json';
  if (call.contentType !== undefined) headers['content-type'] = call.contentType;
  const res = await fetch(`${zd.url}${path}`, {
    method: call.method ?? (call.json !== undefined || call.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: call.json !== undefined ? JSON.stringify(call.json) : (call.body as Uint8Array<ArrayBuffer> | undefined),
    signal: call.signal,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const voiceTicket = (overrides: Record<string, unknown> = {}) => ({
  ticket: {
    via_id: 45,
    external_id: 'call-1',
    voice_comment: { from: '+62 21 555 0100', to: '+62 21 555 0000', started_at: '2026-11-21T03:00:00Z', call_duration: 60 },
    ...overrides,
  },
});

describe('FakeZendesk: authentication', () => {
  it('answers 401 "Couldn\'t authenticate you" without credentials, with wrong ones, and with a password instead of a token', async () => {
    for (const auth of [null, `Basic ${Buffer.from(`${EMAIL}/token:wrong`).toString('base64')}`, `Basic ${Buffer.from(`other@acme.test/token:${TOKEN}`).toString('base64')}`, `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`, 'Bearer nope']) {
      const res = await api('/api/v2/tickets.json', { auth });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "Couldn't authenticate you" });
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Web Password"');
    }
  });

  it('takes HTTP Basic "{email}/token:{token}" (e-mail case-insensitive) and Bearer with the OAuth token', async () => {
    expect((await api('/api/v2/tickets.json')).status).toBe(200);
    expect((await api('/api/v2/tickets.json', { auth: `Basic ${Buffer.from(`ADMIN@acme.test/token:${TOKEN}`).toString('base64')}` })).status).toBe(200);
    expect((await api('/api/v2/tickets', { auth: 'Bearer oauth-1' })).status).toBe(200);
  });

  it('answers users/me with the account\'s admin, or with the anonymous user (id null) when not authenticated', async () => {
    expect((await api('/api/v2/users/me.json')).json.user).toMatchObject({ id: zd.apiUser.id, email: EMAIL, role: 'admin' });
    const anonymous = await api('/api/v2/users/me.json', { auth: null });
    expect(anonymous.status).toBe(200);
    expect(anonymous.json.user).toMatchObject({ id: null, name: 'Anonymous user', role: 'end-user' });
  });

  it('refuses everything after revokeToken, and takes new credentials after setCredentials', async () => {
    zd.revokeToken();
    expect((await api('/api/v2/tickets.json')).status).toBe(401);
    expect((await api('/api/v2/tickets.json', { auth: 'Bearer oauth-1' })).status).toBe(401);
    expect((await api('/api/v2/users/me.json')).json.user.id).toBeNull();
    zd.setCredentials({ apiToken: 'api-token-2' });
    expect((await api('/api/v2/tickets.json')).status).toBe(401);
    expect((await api('/api/v2/tickets.json', { auth: `Basic ${Buffer.from(`${EMAIL}/token:api-token-2`).toString('base64')}` })).status).toBe(200);
  });

  it('records requests without their credentials, and 404s unknown endpoints the Zendesk way', async () => {
    const res = await api('/api/v2/nope.json');
    expect(res).toMatchObject({ status: 404, json: { error: 'InvalidEndpoint', description: 'Not found' } });
    expect(JSON.stringify(zd.requests())).not.toContain(Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64'));
    expect(zd.requests()).toEqual([{ method: 'GET', path: '/api/v2/nope.json', query: {}, status: 404 }]);
  });
});

describe('FakeZendesk: users and search', () => {
  it('creates a user (201) and updates the same one when external_id or e-mail matches (200)', async () => {
    const created = await api('/api/v2/users/create_or_update.json', { json: { user: { name: 'Siti', email: 'siti@example.com', external_id: 'x-1' } } });
    expect(created.status).toBe(201);
    expect(created.json.user).toMatchObject({ name: 'Siti', role: 'end-user', external_id: 'x-1', url: `${zd.url}/api/v2/users/${created.json.user.id}.json` });
    expect(created.json.user).toHaveProperty('shared_phone_number');
    const byKey = await api('/api/v2/users/create_or_update.json', { json: { user: { name: 'Siti R', external_id: 'x-1' } } });
    const byEmail = await api('/api/v2/users/create_or_update.json', { json: { user: { name: 'Siti Rahma', email: 'SITI@example.com' } } });
    expect([byKey.status, byEmail.status]).toEqual([200, 200]);
    expect(zd.endUsers()).toEqual([expect.objectContaining({ id: created.json.user.id, name: 'Siti Rahma' })]);
  });

  it('refuses an invalid user with 422 RecordInvalid and field details', async () => {
    const res = await api('/api/v2/users/create_or_update.json', { json: { user: { name: '', email: 'nope' } } });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { email: [{ description: 'Email: nope is not properly formatted', error: 'InvalidValue' }] },
    });
    expect((await api('/api/v2/users/create_or_update.json', { json: { user: { email: 'ok@example.com' } } })).json.details.name[0].description).toContain('Name');
    expect((await api('/api/v2/users/404404.json')).json).toEqual({ error: 'RecordNotFound', description: 'Not found' });
  });

  it('finds a caller by digits with a leading wildcard, whatever the stored format (Talk Partner Edition guide)', async () => {
    const formats = ['+1 513.555.7611', '(513) 555-7611', '513 555 7611', '513-555-7611', '513.555.7611'];
    for (const phone of formats) zd.seedEndUser({ name: phone, phone });
    zd.seedEndUser({ name: 'other', phone: '+1 513 555 7612' });
    const res = await api(`/api/v2/search.json?${new URLSearchParams({ query: 'role:end-user phone:*5135557611' })}`);
    expect(res.json.results.map((r: { name: string; result_type: string }) => [r.name, r.result_type])).toEqual(formats.map((f) => [f, 'user']));
    expect(res.json).toMatchObject({ count: 5, next_page: null, previous_page: null, facets: null });
  });

  it('reads a quoted value as one term, so text inside quotes adds no condition', async () => {
    zd.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
    zd.seedEndUser({ name: 'Siti', email: 'siti@example.com' });
    const search = async (query: string) => (await api(`/api/v2/search.json?${new URLSearchParams({ query })}`)).json.results.map((r: { name: string }) => r.name);
    expect(await search('email:"siti@example.com"')).toEqual(['Siti']);
    expect(await search('role:end-user email:"siti@example.com role:agent"')).toEqual([]);
    expect(await search('email:alice@acme.test role:agent')).toEqual(['Alice']);
    expect(await search('type:user -role:end-user')).toEqual(['Sambung Integration', 'Alice']);
    expect(await search('type:user email:*@acme.test')).toEqual(['Sambung Integration', 'Alice']);
    expect((await api('/api/v2/search.json?query=')).status).toBe(400);
  });

  it('pages search results with per_page, next_page and count', async () => {
    for (const name of ['a', 'b', 'c']) zd.seedEndUser({ name, email: `${name}@example.com` });
    const first = await api('/api/v2/search.json?query=role%3Aend-user&per_page=2');
    expect(first.json.results.map((r: { name: string }) => r.name)).toEqual(['a', 'b']);
    expect(first.json.count).toBe(3);
    const second = await api(new URL(first.json.next_page).pathname + new URL(first.json.next_page).search);
    expect(second.json.results.map((r: { name: string }) => r.name)).toEqual(['c']);
    expect(second.json.next_page).toBeNull();
  });
});

describe('FakeZendesk: Talk Partner Edition tickets and displays', () => {
  it('creates a voice ticket (201) with its voice comment, and finds it by external_id', async () => {
    const agent = zd.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
    const res = await api('/api/v2/channels/voice/tickets.json', { json: voiceTicket({ voice_comment: { ...voiceTicket().ticket.voice_comment, answered_by_id: agent.id, recording_url: 'https://rec.example/1.wav' } }) });
    expect(res.status).toBe(201);
    expect(res.json.ticket).toMatchObject({ external_id: 'call-1', status: 'new', via: { channel: 'voice', source: { rel: 'inbound' } }, requester_id: zd.apiUser.id });
    const comments = (await api(`/api/v2/tickets/${res.json.ticket.id}/comments.json`)).json;
    expect(comments.comments[0]).toMatchObject({ type: 'VoiceComment', public: false, data: { recording_url: 'https://rec.example/1.wav', answered_by_id: agent.id, call_duration: 60 } });
    expect(comments.comments[0].body).toContain('Answered by: Alice');
    expect((await api('/api/v2/tickets.json?external_id=call-1')).json.tickets.map((t: { id: number }) => t.id)).toEqual([res.json.ticket.id]);
    expect((await api('/api/v2/tickets.json?external_id=call-2')).json).toMatchObject({ tickets: [], count: 0 });
  });

  it('refuses a voice ticket without a valid via_id, voice comment or answering agent (422)', async () => {
    const endUser = zd.seedEndUser({ name: 'Siti' });
    const bad = [
      voiceTicket({ via_id: 47 }),
      voiceTicket({ voice_comment: undefined }),
      voiceTicket({ voice_comment: { from: '1', to: '2', started_at: 'yesterday', call_duration: 1.5 } }),
      voiceTicket({ voice_comment: { ...voiceTicket().ticket.voice_comment, answered_by_id: endUser.id } }),
      voiceTicket({ requester_id: 999 }),
    ];
    for (const body of bad) expect(await api('/api/v2/channels/voice/tickets.json', { json: body })).toMatchObject({ status: 422, json: { error: 'RecordInvalid' } });
    expect(zd.tickets()).toEqual([]);
  });

  it('displays users and tickets to agents (200, empty body) and 404s an unknown agent or record', async () => {
    const agent = zd.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
    const siti = zd.seedEndUser({ name: 'Siti' });
    const ticket = zd.seedTicket({ requesterId: siti.id, subject: 'Help' });
    const ok = await api(`/api/v2/channels/voice/agents/${agent.id}/users/${siti.id}/display.json`, { method: 'POST' });
    expect(ok).toMatchObject({ status: 200, text: '' });
    expect((await api(`/api/v2/channels/voice/agents/${agent.id}/tickets/${ticket.id}/display.json`, { method: 'POST' })).status).toBe(200);
    expect((await api(`/api/v2/channels/voice/agents/${siti.id}/users/${siti.id}/display.json`, { method: 'POST' })).json).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    expect((await api(`/api/v2/channels/voice/agents/${agent.id}/tickets/999/display.json`, { method: 'POST' })).status).toBe(404);
    expect(zd.displays().map((d) => [d.agentId, d.type, d.id])).toEqual([[agent.id, 'user', siti.id], [agent.id, 'ticket', ticket.id]]);
    await api('/api/v2/channels/voice/tickets.json', { json: { ...voiceTicket(), display_to_agent: agent.id } });
    expect(zd.displays().at(-1)).toMatchObject({ agentId: agent.id, type: 'ticket' });
  });

  it('lists a user\'s requested tickets newest first with sort_by=created_at&sort_order=desc', async () => {
    const siti = zd.seedEndUser({ name: 'Siti' });
    const ids = ['one', 'two', 'three'].map((subject) => zd.seedTicket({ requesterId: siti.id, subject }).id);
    const res = await api(`/api/v2/users/${siti.id}/tickets/requested.json?sort_by=created_at&sort_order=desc`);
    expect(res.json.tickets.map((t: { id: number }) => t.id)).toEqual([...ids].reverse());
    expect((await api('/api/v2/users/404/tickets/requested.json')).status).toBe(404);
  });
});

describe('FakeZendesk: updates, comments and uploads', () => {
  it('adds a private comment with uploads, answers the audit, and serves the attachment at content_url without credentials', async () => {
    const ticket = (await api('/api/v2/channels/voice/tickets.json', { json: voiceTicket() })).json.ticket;
    const bytes = Buffer.from('RIFF....WAVEfmt ');
    const upload = await api('/api/v2/uploads.json?filename=part-1.wav', { body: bytes, contentType: 'audio/wav' });
    expect(upload.status).toBe(201);
    expect(upload.json.upload).toMatchObject({ token: expect.any(String), expires_at: expect.any(String), attachment: { file_name: 'part-1.wav', content_type: 'audio/wav', size: bytes.byteLength } });
    const update = await api(`/api/v2/tickets/${ticket.id}.json`, { method: 'PUT', json: { ticket: { comment: { body: 'Part 1', public: false, uploads: [upload.json.upload.token] }, additional_tags: ['Sambung Key'] } } });
    expect(update.status).toBe(200);
    expect(update.json.ticket.tags).toEqual(['sambung', 'key']);
    expect(update.json.audit.events.map((e: { type: string }) => e.type)).toEqual(['Comment', 'Change']);
    const attachment = update.json.audit.events[0].attachments[0];
    const download = await fetch(attachment.content_url);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(zd.attachments(ticket.id)).toEqual([expect.objectContaining({ fileName: 'part-1.wav', commentId: update.json.audit.events[0].id })]);
    const again = await api(`/api/v2/tickets/${ticket.id}.json`, { method: 'PUT', json: { ticket: { comment: { body: 'reuse', uploads: [upload.json.upload.token] } } } });
    expect(again).toMatchObject({ status: 422, json: { details: { uploads: [expect.objectContaining({ description: expect.stringContaining('not a valid upload token') })] } } });
  });

  it('refuses an upload above the attachment limit with 413 and keeps nothing', async () => {
    const res = await api('/api/v2/uploads.json?filename=big.wav', { body: Buffer.alloc(1001), contentType: 'audio/wav' });
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('RequestEntityTooLarge');
    expect((await api('/api/v2/uploads.json', { body: Buffer.alloc(10), contentType: 'audio/wav' })).status).toBe(400);
  });

  it('refuses a blank comment and any update of a closed ticket, changing nothing', async () => {
    const siti = zd.seedEndUser({ name: 'Siti' });
    const open = zd.seedTicket({ requesterId: siti.id, subject: 'Open' });
    expect((await api(`/api/v2/tickets/${open.id}.json`, { method: 'PUT', json: { ticket: { comment: { body: '  ' }, additional_tags: ['x'] } } })).status).toBe(422);
    expect(zd.ticket(open.id)!.tags).toEqual([]);
    const closed = zd.seedTicket({ requesterId: siti.id, subject: 'Closed', status: 'closed' });
    expect((await api(`/api/v2/tickets/${closed.id}.json`, { method: 'PUT', json: { ticket: { comment: { body: 'hi' } } } })).json.details.status[0].error).toBe('ClosedPreventsUpdate');
  });

  it('pages comments oldest first, or newest first with sort_order=desc', async () => {
    const ticket = (await api('/api/v2/channels/voice/tickets.json', { json: voiceTicket() })).json.ticket;
    for (const body of ['a', 'b']) await api(`/api/v2/tickets/${ticket.id}.json`, { method: 'PUT', json: { ticket: { comment: { body } } } });
    const first = await api(`/api/v2/tickets/${ticket.id}/comments.json?per_page=2`);
    expect(first.json.comments.map((c: { type: string }) => c.type)).toEqual(['VoiceComment', 'Comment']);
    expect(first.json).toMatchObject({ count: 3, next_page: expect.stringContaining('page=2') });
    const desc = await api(`/api/v2/tickets/${ticket.id}/comments.json?sort_order=desc`);
    expect(desc.json.comments.map((c: { body: string }) => c.body)).toEqual(['b', 'a', expect.stringContaining('Call from')]);
  });
});

describe('FakeZendesk: failNext', () => {
  const cases: Array<[CrmFailure, number, unknown, string | null]> = [
    [{ kind: 'unauthorized' }, 401, { error: "Couldn't authenticate you" }, null],
    [{ kind: 'forbidden' }, 403, expect.objectContaining({ error: 'Forbidden' }), null],
    [{ kind: 'rejected', message: 'Phone is invalid' }, 422, { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: 'Phone is invalid', error: 'InvalidValue' }] } }, null],
    [{ kind: 'rate-limited', retryAfterSec: 7 }, 429, expect.objectContaining({ error: 'TooManyRequests' }), '7'],
    [{ kind: 'server-error' }, 500, expect.objectContaining({ error: 'InternalServerError' }), null],
    [{ kind: 'too-large' }, 413, expect.objectContaining({ error: 'RequestEntityTooLarge' }), null],
  ];
  for (const [failure, status, body, retryAfter] of cases) {
    it(`${failure.kind}: the next request answers ${status} with Zendesk's body, the one after is normal`, async () => {
      zd.failNext(failure);
      const res = await api('/api/v2/tickets.json');
      expect(res).toMatchObject({ status, json: body });
      expect(res.headers.get('retry-after')).toBe(retryAfter);
      expect((await api('/api/v2/tickets.json')).status).toBe(200);
    });
  }

  it('garbage: answers 200 with a body that is not JSON', async () => {
    zd.failNext({ kind: 'garbage' });
    const res = await api('/api/v2/tickets.json');
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
  });

  it('timeout: never answers; lost-response: makes the write, then never answers', async () => {
    zd.failNext({ kind: 'timeout' });
    await expect(api('/api/v2/tickets.json', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    zd.failNext({ kind: 'lost-response' }, 'create_or_update');
    await expect(api('/api/v2/users/create_or_update.json', { json: { user: { name: 'Siti' } }, signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(zd.endUsers().map((u) => u.name)).toEqual(['Siti']);
    expect(zd.requests().map((r) => r.status)).toEqual(['none', 'none']);
  });
});
