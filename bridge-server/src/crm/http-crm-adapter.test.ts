import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { describeCrmAdapterConformance } from './crm-conformance.js';
import { faultFor } from './fake-crm-faults.js';
import { FakeCrmServer } from './fake-crm-server.js';
import { HttpCrmAdapter } from './http-crm-adapter.js';
import { bufferPart } from './recording-part.js';

describeCrmAdapterConformance('HttpCrmAdapter against the fake CRM over HTTP', async () => {
  const fake = await FakeCrmServer.start();
  const account = fake.createAccount('token-1');
  const adapter = new HttpCrmAdapter({ baseUrl: fake.url, token: () => account.token, timeoutMs: 300 });
  return {
    adapter,
    contacts: async () => account.contacts.map(({ id, name, phone, email }) => ({ id, name, phone, email })),
    callLogs: async () =>
      account.callLogs.map((l) => ({
        ref: l.id,
        callId: l.call_id,
        contactId: l.contact_id,
        durationSec: l.duration_sec,
        outcome: l.outcome,
        disposition: l.disposition,
        notes: l.notes,
      })),
    attachments: async (ref) =>
      account.attachments.filter((a) => a.call_log_id === ref).map((a) => ({ filename: a.filename, contentType: a.content_type, bytes: a.bytes })),
    failNext: (failure) => fake.faults.add({ fault: faultFor(failure) }),
    dispose: () => fake.close(),
  };
});

describe('HttpCrmAdapter and the fake CRM', () => {
  const ctx = { tenantId: 't', timeZone: 'UTC' };
  const log = {
    callId: 'call-1', direction: 'inbound' as const, from: '+62 21 555 0100', to: 'sales', queue: 'Sales', agent: null,
    startedAt: new Date('2026-11-21T03:00:00Z'), durationSec: 60, waitSec: 5, outcome: 'answered' as const,
    disposition: null, notes: null, contactId: null,
  };
  let fake: FakeCrmServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('sends the idempotency key and the bearer token, and a revoked token is auth', async () => {
    fake = await FakeCrmServer.start();
    const account = fake.createAccount('old');
    let token = 'old';
    const adapter = new HttpCrmAdapter({ baseUrl: fake.url, token: () => token, timeoutMs: 1000 });
    await adapter.upsertCallLog(ctx, log, 'call-log:call-1');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', idempotencyKey: 'call-log:call-1', status: 201 });
    fake.setToken(account, 'new');
    await expect(adapter.upsertCallLog(ctx, log, 'call-log:call-1:r2')).rejects.toMatchObject({ kind: 'auth', status: 401 });
    token = 'new';
    await expect(adapter.upsertCallLog(ctx, log, 'call-log:call-1:r2')).resolves.toBe(account.callLogs[0]!.id);
  });

  it('refuses an attachment above the size limit with 413 → too-large, and accepts one at the limit', async () => {
    fake = await FakeCrmServer.start({ maxAttachmentBytes: 1000 });
    const account = fake.createAccount('t');
    const adapter = new HttpCrmAdapter({ baseUrl: fake.url, token: () => 't', timeoutMs: 1000 });
    const ref = await adapter.upsertCallLog(ctx, log, 'k');
    const big = bufferPart(Buffer.alloc(1001), { index: 1, total: 1, filename: 'a.wav' });
    await expect(adapter.attachRecordingPart(ctx, ref, big, 'p1')).rejects.toMatchObject({ kind: 'too-large' });
    await adapter.attachRecordingPart(ctx, ref, bufferPart(Buffer.alloc(1000), { index: 1, total: 1, filename: 'a.wav' }), 'p2');
    expect(account.attachments.map((a) => a.size)).toEqual([1000]);
  });

  it('fails for a period of simulated time, then recovers', async () => {
    const clock = new ManualClock();
    fake = await FakeCrmServer.start({ clock });
    fake.createAccount('t');
    const adapter = new HttpCrmAdapter({ baseUrl: fake.url, token: () => 't', timeoutMs: 1000 });
    fake.faults.add({ fault: { type: 'status', status: 500 }, forMs: 10 * 60_000 });
    await expect(adapter.findContactsByEmail(ctx, 'a@example.com')).rejects.toMatchObject({ kind: 'retryable', status: 500 });
    clock.advance(10 * 60_000 - 1);
    await expect(adapter.findContactsByEmail(ctx, 'a@example.com')).rejects.toMatchObject({ kind: 'retryable' });
    clock.advance(1);
    await expect(adapter.findContactsByEmail(ctx, 'a@example.com')).resolves.toEqual([]);
  });

  it('takes faults from its control API too, e.g. 429 with an HTTP-date Retry-After', async () => {
    const clock = new ManualClock(Date.parse('2026-11-21T03:00:00Z'));
    fake = await FakeCrmServer.start({ clock });
    fake.createAccount('t');
    const adapter = new HttpCrmAdapter({ baseUrl: fake.url, token: () => 't', timeoutMs: 1000, clock });
    const rule = { fault: { type: 'status', status: 429, retryAfter: 'Sat, 21 Nov 2026 03:02:00 GMT' }, times: 2 };
    const control = await fetch(`${fake.url}/_control/faults`, { method: 'POST', body: JSON.stringify(rule) });
    expect(control.status).toBe(204);
    await expect(adapter.findContactsByEmail(ctx, 'a@example.com')).rejects.toMatchObject({ kind: 'retryable', retryAfterMs: 120_000 });
    await expect(adapter.findContactsByEmail(ctx, 'a@example.com')).rejects.toMatchObject({ kind: 'retryable', status: 429 });
    await expect(adapter.findContactsByEmail(ctx, 'a@example.com')).resolves.toEqual([]);
  });

  it('calls an answer without the documented fields invalid-response, naming the field', async () => {
    fake = await FakeCrmServer.start();
    fake.createAccount('t');
    const fetchWithoutId: typeof fetch = async () => new Response(JSON.stringify({ data: { name: 'x' } }), { status: 201 });
    const adapter = new HttpCrmAdapter({ baseUrl: fake.url, token: () => 't', fetch: fetchWithoutId });
    await expect(adapter.upsertCallLog(ctx, log, 'k')).rejects.toMatchObject({
      kind: 'invalid-response',
      message: expect.stringContaining('data.id'),
    });
  });

  it('calls an unreachable CRM retryable', async () => {
    const adapter = new HttpCrmAdapter({ baseUrl: 'http://127.0.0.1:1', token: () => 't', timeoutMs: 1000 });
    await expect(adapter.findContactsByEmail(ctx, 'a@example.com')).rejects.toMatchObject({ kind: 'retryable' });
  });
});
