import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../bridge-server/src/clock.js';
import type { CrmCallLog, CrmContext } from '../../../bridge-server/src/crm/crm-adapter.js';
import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import type { CrmFailure } from '../../../bridge-server/src/crm/crm-failure.js';
import { HARNESS_EMAIL, HARNESS_TOKEN, startZendeskHarness, type ZendeskHarness } from '../fake/fake-zendesk-harness.js';
import { ZendeskCrmAdapter } from '../server/zendesk-crm-adapter.js';
import { authorizationHeader } from '../server/zendesk-settings.js';

const ctx: CrmContext = { tenantId: 'tenant-zd', timeZone: 'UTC' };
const log: CrmCallLog = {
  callId: 'call-1', direction: 'inbound', from: '+62 21 555 0100', to: 'sales', queue: 'Sales', agent: null,
  startedAt: new Date('2026-11-21T03:00:00Z'), durationSec: 60, waitSec: 5, outcome: 'answered', disposition: null, notes: null, contactId: null,
};

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

const answering = (status: number, body: unknown): typeof fetch => async () =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('ZendeskCrmAdapter: failures', () => {
  let h: ZendeskHarness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  const adapterWith = (fetchImpl: typeof fetch, clock?: ManualClock) =>
    new ZendeskCrmAdapter({
      account: 'acme', baseUrl: 'https://acme.zendesk.test', authorization: authorizationHeader({ kind: 'api-token', email: HARNESS_EMAIL, token: HARNESS_TOKEN }),
      recordings: 'upload', fetch: fetchImpl, clock, timeoutMs: 1000,
    });

  it('honours Retry-After on 429 and 503, in seconds or as an HTTP date', async () => {
    h = await startZendeskHarness();
    h.zendesk.faults.add({ fault: { type: 'status', status: 503, retryAfter: '30' } });
    expect(await failure(h.adapter.findContactsByPhone(ctx, '+62 21 555 0100'))).toMatchObject({ kind: 'retryable', status: 503, retryAfterMs: 30_000 });
    const clock = new ManualClock(Date.parse('2026-11-21T03:00:00Z'));
    const dated: typeof fetch = async () => new Response('{"error":"TooManyRequests"}', { status: 429, headers: { 'retry-after': 'Sat, 21 Nov 2026 03:02:00 GMT' } });
    expect(await failure(adapterWith(dated, clock).findContactsByEmail(ctx, 'a@example.com'))).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 120_000 });
  });

  it('calls a body without a documented field invalid-response, naming the field', async () => {
    const noId = answering(200, { tickets: [{ subject: 'x', status: 'new', tags: [] }], next_page: null, count: 1 });
    const error = await failure(adapterWith(noId).upsertCallLog(ctx, log, 'k'));
    expect(error).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('tickets.0.id') });
  });

  it('calls a success status Zendesk does not document for the endpoint invalid-response', async () => {
    const accepted: typeof fetch = async (input) =>
      String(input).includes('/tickets.json?') ? new Response('{"tickets":[],"next_page":null,"count":0}', { status: 200 }) : new Response('{}', { status: 202 });
    expect(await failure(adapterWith(accepted).upsertCallLog(ctx, log, 'k'))).toMatchObject({ kind: 'invalid-response', status: 202 });
  });

  it('refuses to follow a next_page that leaves the account\'s API', async () => {
    const elsewhere = answering(200, { tickets: [], next_page: 'https://attacker.example/api/v2/users/1/tickets/requested.json?page=2', count: 200 });
    const error = await failure(adapterWith(elsewhere).newestOpenTicket(ctx, '1'));
    expect(error).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('attacker.example') });
  });

  it('does not follow a redirect: 3xx is invalid-response', async () => {
    const moved: typeof fetch = async () => new Response(null, { status: 301, headers: { location: 'https://elsewhere.example/' } });
    expect(await failure(adapterWith(moved).checkConnection(ctx))).toMatchObject({ kind: 'invalid-response', status: 301 });
  });

  it('calls an unreachable Zendesk retryable', async () => {
    const adapter = new ZendeskCrmAdapter({ account: 'acme', baseUrl: 'http://127.0.0.1:1', authorization: 'Bearer x', recordings: 'link', timeoutMs: 1000 });
    expect(await failure(adapter.checkConnection(ctx))).toMatchObject({ kind: 'retryable' });
  });

  it('never puts the token or the Authorization header into an error, its message or its serialisation', async () => {
    h = await startZendeskHarness({}, { oauthToken: 'oauth-secret-9876' });
    const secrets = [HARNESS_TOKEN, Buffer.from(`${HARNESS_EMAIL}/token:${HARNESS_TOKEN}`).toString('base64'), 'oauth-secret-9876', 'authorization'];
    const errors: CrmError[] = [];
    for (const adapter of [h.adapter, h.connect({}, { kind: 'oauth', accessToken: 'oauth-secret-9876' })]) {
      const kinds: CrmFailure[] = [
        { kind: 'unauthorized' }, { kind: 'forbidden' }, { kind: 'rejected', message: 'Nope' }, { kind: 'rate-limited', retryAfterSec: 1 },
        { kind: 'server-error' }, { kind: 'timeout' }, { kind: 'garbage' }, { kind: 'too-large' },
      ];
      for (const f of kinds) {
        h.zendesk.failNext(f);
        errors.push(await failure(adapter.upsertCallLog(ctx, log, 'k')));
      }
    }
    h.zendesk.revokeToken();
    errors.push(await failure(h.adapter.checkConnection(ctx)));
    const echoing: typeof fetch = async (_input, init) => {
      throw new Error(`boom ${JSON.stringify(init?.headers)}`);
    };
    errors.push(await failure(adapterWith(echoing).checkConnection(ctx)));
    expect(new Set(errors.map((e) => e.kind))).toEqual(new Set(['auth', 'rejected', 'retryable', 'invalid-response', 'too-large']));
    for (const error of errors) {
      const shown = [error.message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), String(error.crmMessage)].join('\n').toLowerCase();
      for (const secret of secrets) expect(shown).not.toContain(secret.toLowerCase());
    }
  });
});
