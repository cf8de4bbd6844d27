/**
 * The CrmAdapter conformance suite (CONVENTIONS #5). Every CRM connector runs it against its server adapter
 * wired to its fake of the CRM:
 *
 * ```ts
 * import { describeCrmAdapterConformance } from '../../../bridge-server/src/crm/crm-conformance.js';
 * describeCrmAdapterConformance('ZendeskCrmAdapter', async (ctx) => {
 *   const zendesk = await FakeZendesk.start();
 *   return { adapter: new ZendeskCrmAdapter({ … zendesk.url … }), callLogs: …, attachments: …, contacts: …,
 *            failNext: (f) => zendesk.failNext(…), dispose: () => zendesk.close() };
 * });
 * ```
 *
 * The harness reads the CRM's side back (what it holds now) and makes the CRM's next request fail the way the
 * real one does; the tests hold the adapter to the MUST rules in `crm-adapter.ts`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmAdapter, CrmCallLog, CrmContact, CrmContext } from './crm-adapter.js';
import { CrmError, type CrmErrorKind } from './crm-error.js';
import type { CrmFailure } from './crm-failure.js';
import { bufferPart } from './recording-part.js';

export type { CrmFailure } from './crm-failure.js';

export interface HarnessCallLog {
  ref: string;
  callId: string;
  contactId: string | null;
  durationSec: number;
  outcome: string;
  disposition: string | null;
  notes: string | null;
}

export interface HarnessAttachment {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface CrmAdapterHarness {
  /** An adapter for `ctx`'s tenant, connected to a fresh, empty CRM. */
  readonly adapter: CrmAdapter;
  /** The contacts the CRM holds now. */
  contacts(): Promise<CrmContact[]>;
  /** The call logs the CRM holds now. */
  callLogs(): Promise<HarnessCallLog[]>;
  /** The attachments of one call log, in the order the CRM received them. */
  attachments(callLogRef: string): Promise<HarnessAttachment[]>;
  /** Makes the CRM's next request fail as `failure` describes. Adapters' timeouts must be short (≤ 1 s) in tests. */
  failNext(failure: CrmFailure): void | Promise<void>;
  dispose?(): Promise<void>;
}

export type MakeCrmAdapterHarness = (ctx: CrmContext) => Promise<CrmAdapterHarness>;

const ctx: CrmContext = { tenantId: 'tenant-conformance', timeZone: 'Asia/Jakarta' };

/** A complete inbound, answered call log for adapter tests; `overrides` change any field. */
export const sampleCallLog = (overrides: Partial<CrmCallLog> = {}): CrmCallLog => ({
  callId: 'call-1',
  direction: 'inbound',
  from: '+62 812 3456 7890',
  to: 'sales',
  queue: 'Sales',
  agent: { id: 'agent-1', name: 'Alice Agent' },
  startedAt: new Date('2026-11-21T03:00:00.000Z'),
  durationSec: 180,
  waitSec: 12,
  outcome: 'answered',
  disposition: null,
  notes: null,
  contactId: null,
  ...overrides,
});

const wav = (n: number, size = 64): Buffer => Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(size - 4, n)]);
const part = (index: number, total: number) =>
  bufferPart(wav(index, 64 + index), { index, total, filename: `call-1-part-${index}-of-${total}.wav` });

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CrmError);
    return error as CrmError;
  }
  throw new Error('expected the adapter to fail');
}

export function describeCrmAdapterConformance(name: string, makeHarness: MakeCrmAdapterHarness): void {
  describe(`CrmAdapter conformance: ${name}`, () => {
    let current: CrmAdapterHarness | undefined;
    const fresh = async (): Promise<CrmAdapterHarness> => (current = await makeHarness(ctx));
    afterEach(async () => {
      await current?.dispose?.();
      current = undefined;
    });

    describe('finding contacts', () => {
      it('finds a contact by phone whatever the formatting, and not a different number', async () => {
        const h = await fresh();
        const siti = await h.adapter.createContact(ctx, { name: 'Siti', phone: '+62 21-555 0100', email: null, at: new Date() }, 'c-1');
        await h.adapter.createContact(ctx, { name: 'Budi', phone: '+62 21 555 0101', email: null, at: new Date() }, 'c-2');
        for (const query of ['+62215550100', '0062 21 5550100', '+62 (21) 555.0100', ' 62-21-555-0100 ']) {
          expect((await h.adapter.findContactsByPhone(ctx, query)).map((c) => c.id)).toEqual([siti.id]);
        }
        expect(await h.adapter.findContactsByPhone(ctx, '+62 21 555 0199')).toEqual([]);
      });

      it('returns nothing, never everything, for a phone without enough digits or a blank e-mail', async () => {
        const h = await fresh();
        await h.adapter.createContact(ctx, { name: 'Siti', phone: '+62 21 555 0100', email: 'siti@example.com', at: new Date() }, 'c-1');
        expect(await h.adapter.findContactsByPhone(ctx, '')).toEqual([]);
        expect(await h.adapter.findContactsByPhone(ctx, '+ ( ) -')).toEqual([]);
        expect(await h.adapter.findContactsByPhone(ctx, '0100')).toEqual([]);
        expect(await h.adapter.findContactsByEmail(ctx, '  ')).toEqual([]);
      });

      it('finds a contact by e-mail case-insensitively and ignoring surrounding spaces', async () => {
        const h = await fresh();
        const siti = await h.adapter.createContact(ctx, { name: 'Siti', phone: null, email: 'Siti.Rahma@Example.com', at: new Date() }, 'c-1');
        expect((await h.adapter.findContactsByEmail(ctx, ' siti.rahma@EXAMPLE.COM ')).map((c) => c.id)).toEqual([siti.id]);
        expect(await h.adapter.findContactsByEmail(ctx, 'rahma@example.com')).toEqual([]);
      });

      it('returns every contact sharing a number, so the agent can choose', async () => {
        const h = await fresh();
        const a = await h.adapter.createContact(ctx, { name: 'Front desk', phone: '+62 21 555 0100', email: null, at: new Date() }, 'c-1');
        const b = await h.adapter.createContact(ctx, { name: 'Manager', phone: '+62215550100', email: null, at: new Date() }, 'c-2');
        expect((await h.adapter.findContactsByPhone(ctx, '+62 21 555 0100')).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
      });
    });

    describe('creating contacts', () => {
      it('stores the name, phone and e-mail the visitor gave, as plain text', async () => {
        const h = await fresh();
        const name = '<img src=x onerror=alert(1)> Siti';
        const created = await h.adapter.createContact(ctx, { name, phone: '+62 812 1111 2222', email: 'siti@example.com', at: new Date() }, 'c-1');
        expect(created).toMatchObject({ name, phone: '+62 812 1111 2222', email: 'siti@example.com' });
        expect(await h.contacts()).toEqual([expect.objectContaining({ id: created.id, name })]);
      });

      it('names a visitor who gave no name "Web User – MM/DD HH:MM" at the call time in the tenant\'s zone', async () => {
        const h = await fresh();
        // 23:05 UTC on 21 Nov is 06:05 on 22 Nov in Jakarta (UTC+7).
        const at = new Date('2026-11-21T23:05:00.000Z');
        const blank = await h.adapter.createContact(ctx, { name: null, phone: '+62 812 1111 2222', email: null, at }, 'c-1');
        const spaces = await h.adapter.createContact(ctx, { name: '   ', phone: null, email: 'x@example.com', at }, 'c-2');
        expect(blank.name).toBe('Web User \u2013 11/22 06:05');
        expect(spaces.name).toBe('Web User \u2013 11/22 06:05');
      });

      it('creates one contact however often it is asked with the same idempotency key', async () => {
        const h = await fresh();
        const input = { name: 'Siti', phone: '+62 812 1111 2222', email: null, at: new Date() };
        const first = await h.adapter.createContact(ctx, input, 'contact:call-1');
        const again = await h.adapter.createContact(ctx, input, 'contact:call-1');
        expect(again.id).toBe(first.id);
        expect(await h.contacts()).toHaveLength(1);
      });
    });

    describe('call logs', () => {
      it('creates the log linked to its contact and returns its reference', async () => {
        const h = await fresh();
        const siti = await h.adapter.createContact(ctx, { name: 'Siti', phone: '+62 812 3456 7890', email: null, at: new Date() }, 'c-1');
        const ref = await h.adapter.upsertCallLog(ctx, sampleCallLog({ contactId: siti.id }), 'call-log:call-1');
        expect(ref).toEqual(expect.any(String));
        expect(await h.callLogs()).toEqual([
          expect.objectContaining({ ref, callId: 'call-1', contactId: siti.id, durationSec: 180, outcome: 'answered' }),
        ]);
      });

      it('is idempotent for the same key: one log, the same reference, nothing changed', async () => {
        const h = await fresh();
        const ref = await h.adapter.upsertCallLog(ctx, sampleCallLog({ notes: 'first' }), 'call-log:call-1');
        const again = await h.adapter.upsertCallLog(ctx, sampleCallLog({ notes: 'replayed' }), 'call-log:call-1');
        expect(again).toBe(ref);
        expect(await h.callLogs()).toEqual([expect.objectContaining({ ref, notes: 'first' })]);
      });

      it('updates the same log in place for a new key on the same call', async () => {
        const h = await fresh();
        const ref = await h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1');
        const updated = await h.adapter.upsertCallLog(ctx, sampleCallLog({ disposition: 'sale', notes: 'wants a quote' }), 'call-log:call-1:r2');
        expect(updated).toBe(ref);
        expect(await h.callLogs()).toEqual([expect.objectContaining({ ref, disposition: 'sale', notes: 'wants a quote' })]);
      });

      it('keeps one log per call', async () => {
        const h = await fresh();
        const one = await h.adapter.upsertCallLog(ctx, sampleCallLog({ callId: 'call-1' }), 'call-log:call-1');
        const two = await h.adapter.upsertCallLog(ctx, sampleCallLog({ callId: 'call-2', outcome: 'abandoned', durationSec: 0 }), 'call-log:call-2');
        expect(two).not.toBe(one);
        expect((await h.callLogs()).map((l) => l.callId).sort()).toEqual(['call-1', 'call-2']);
      });
    });

    describe('recording parts', () => {
      it('attaches the parts in order with their bytes, names and audio/wav type unchanged', async () => {
        const h = await fresh();
        const ref = await h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1');
        for (const i of [1, 2, 3]) await h.adapter.attachRecordingPart(ctx, ref, part(i, 3), `part:rec-1:${i}`);
        expect(await h.attachments(ref)).toEqual([1, 2, 3].map((i) => ({
          filename: `call-1-part-${i}-of-3.wav`,
          contentType: 'audio/wav',
          bytes: wav(i, 64 + i),
        })));
      });

      it('attaches a part once however often it is repeated with the same key', async () => {
        const h = await fresh();
        const ref = await h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1');
        const first = await h.adapter.attachRecordingPart(ctx, ref, part(1, 2), 'part:rec-1:1');
        expect(await h.adapter.attachRecordingPart(ctx, ref, part(1, 2), 'part:rec-1:1')).toBe(first);
        await h.adapter.attachRecordingPart(ctx, ref, part(2, 2), 'part:rec-1:2');
        expect((await h.attachments(ref)).map((a) => a.filename)).toEqual(['call-1-part-1-of-2.wav', 'call-1-part-2-of-2.wav']);
      });
    });

    describe('failures are typed CrmErrors', () => {
      const cases: Array<[string, CrmFailure, CrmErrorKind]> = [
        ['401 (revoked credentials) is auth', { kind: 'unauthorized' }, 'auth'],
        ['403 is auth', { kind: 'forbidden' }, 'auth'],
        ['500 is retryable', { kind: 'server-error' }, 'retryable'],
        ['a request that never answers is retryable', { kind: 'timeout' }, 'retryable'],
        ['an undocumented answer is invalid-response', { kind: 'garbage' }, 'invalid-response'],
      ];
      for (const [title, f, kind] of cases) {
        it(`${title}, on reads and writes, and only for that request`, async () => {
          const h = await fresh();
          await h.failNext(f);
          expect((await failure(h.adapter.findContactsByPhone(ctx, '+62 21 555 0100'))).kind).toBe(kind);
          await h.failNext(f);
          expect((await failure(h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1'))).kind).toBe(kind);
          expect(await h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1')).toEqual(expect.any(String));
          expect(await h.callLogs()).toHaveLength(1);
        });
      }

      it('429 is retryable with Retry-After as retryAfterMs', async () => {
        const h = await fresh();
        await h.failNext({ kind: 'rate-limited', retryAfterSec: 7 });
        const error = await failure(h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1'));
        expect(error).toMatchObject({ kind: 'retryable', retryAfterMs: 7000 });
      });

      it('422 is rejected and carries the CRM\'s own error text', async () => {
        const h = await fresh();
        await h.failNext({ kind: 'rejected', message: 'Phone number is invalid' });
        const error = await failure(h.adapter.createContact(ctx, { name: 'X', phone: 'abc', email: null, at: new Date() }, 'c-1'));
        expect(error.kind).toBe('rejected');
        expect(error.crmMessage).toContain('Phone number is invalid');
        expect(error.message).toContain('Phone number is invalid');
        expect(await h.contacts()).toEqual([]);
      });

      it('413 on an attachment is too-large, leaving no partial attachment', async () => {
        const h = await fresh();
        const ref = await h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1');
        await h.failNext({ kind: 'too-large' });
        expect((await failure(h.adapter.attachRecordingPart(ctx, ref, part(1, 1), 'part:rec-1:1'))).kind).toBe('too-large');
        expect(await h.attachments(ref)).toEqual([]);
      });

      it('a write whose answer was lost lands once when retried with the same key', async () => {
        const h = await fresh();
        await h.failNext({ kind: 'lost-response' });
        expect((await failure(h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1'))).kind).toBe('retryable');
        const ref = await h.adapter.upsertCallLog(ctx, sampleCallLog(), 'call-log:call-1');
        await h.failNext({ kind: 'lost-response' });
        expect((await failure(h.adapter.attachRecordingPart(ctx, ref, part(1, 1), 'part:rec-1:1'))).kind).toBe('retryable');
        await h.adapter.attachRecordingPart(ctx, ref, part(1, 1), 'part:rec-1:1');
        expect(await h.callLogs()).toHaveLength(1);
        expect(await h.attachments(ref)).toHaveLength(1);
      });
    });
  });
}
