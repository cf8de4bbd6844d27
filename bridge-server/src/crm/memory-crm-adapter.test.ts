import { describe, expect, it } from 'vitest';
import { describeCrmAdapterConformance } from './crm-conformance.js';
import { MemoryCrmAdapter } from './memory-crm-adapter.js';
import { bufferPart } from './recording-part.js';

describeCrmAdapterConformance('MemoryCrmAdapter', async (ctx) => {
  const adapter = new MemoryCrmAdapter();
  return {
    adapter,
    contacts: async () => adapter.contacts(ctx.tenantId),
    callLogs: async () =>
      adapter.callLogs(ctx.tenantId).map((l) => ({
        ref: l.ref,
        callId: l.callId,
        contactId: l.contactId,
        durationSec: l.durationSec,
        outcome: l.outcome,
        disposition: l.disposition,
        notes: l.notes,
      })),
    attachments: async (ref) =>
      adapter.attachments(ctx.tenantId, ref).map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: a.bytes })),
    failNext: (failure) => adapter.failNext(failure),
  };
});

describe('MemoryCrmAdapter', () => {
  it('keeps each tenant\'s CRM apart', async () => {
    const adapter = new MemoryCrmAdapter();
    const a = { tenantId: 'a', timeZone: 'UTC' };
    const b = { tenantId: 'b', timeZone: 'UTC' };
    await adapter.createContact(a, { name: 'Siti', phone: '+62 21 555 0100', email: null, at: new Date() }, 'k');
    expect(await adapter.findContactsByPhone(b, '+62 21 555 0100')).toEqual([]);
    expect(await adapter.createContact(b, { name: 'Budi', phone: null, email: null, at: new Date() }, 'k')).toMatchObject({ name: 'Budi' });
  });

  it('refuses a part above its size limit as too-large', async () => {
    const adapter = new MemoryCrmAdapter({ maxPartBytes: 10 });
    const ctx = { tenantId: 't', timeZone: 'UTC' };
    const ref = await adapter.upsertCallLog(ctx, {
      callId: 'c', direction: 'inbound', from: '1', to: '2', queue: 'q', agent: null, startedAt: new Date(),
      durationSec: 0, waitSec: 0, outcome: 'abandoned', disposition: null, notes: null, contactId: null,
    }, 'k');
    await expect(adapter.attachRecordingPart(ctx, ref, bufferPart(Buffer.alloc(11), { index: 1, total: 1, filename: 'a.wav' }), 'p'))
      .rejects.toMatchObject({ kind: 'too-large' });
  });
});
