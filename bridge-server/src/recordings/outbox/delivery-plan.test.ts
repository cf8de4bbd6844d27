import { describe, expect, it } from 'vitest';
import { MemoryCrmAdapter } from '../../crm/memory-crm-adapter.js';
import type { Call } from '../../store/call-repo.js';
import { finishedCallFromCdr, outcomeOf, planDelivery, type FinishedCall } from './delivery-plan.js';
import { resolveContact } from '../../crm/resolve-contact.js';

const call: FinishedCall = {
  tenantId: 't',
  log: {
    callId: 'c1', direction: 'inbound', from: '+62 21 555 0100', to: 'sales', queue: 'Sales', agent: null,
    startedAt: new Date('2026-11-21T03:00:00Z'), durationSec: 60, waitSec: 5, outcome: 'answered', disposition: null, notes: null,
  },
  caller: { name: 'Siti', phone: '+62 21 555 0100', email: null },
};

describe('the delivery plan', () => {
  it('is the call log, then each part in index order, then the cleanup, all in one group per recording', () => {
    const parts = [3, 1, 2].map((index) => ({ index, path: `/r/${index}.wav`, bytes: index * 10 }));
    const plan = planDelivery(call, { id: 'r1', path: '/r/chunks', parts });
    expect(plan.map((j) => j.dedupeKey)).toEqual([
      'call-log:c1', 'recording-part:r1:1', 'recording-part:r1:2', 'recording-part:r1:3', 'recording-cleanup:r1',
    ]);
    expect(plan.map((j) => j.groupKey ?? null)).toEqual([null, 'recording:r1', 'recording:r1', 'recording:r1', 'recording:r1']);
    expect(plan[2]!.payload).toMatchObject({ index: 2, total: 3, bytes: 20, callLogKey: 'call-log:c1', filename: 'call-c1-part-2-of-3.wav' });
    expect(plan[4]!.payload).toEqual({
      recordingId: 'r1',
      paths: ['/r/1.wav', '/r/2.wav', '/r/3.wav', '/r/chunks'],
      partKeys: ['recording-part:r1:1', 'recording-part:r1:2', 'recording-part:r1:3'],
    });
  });

  it('is only the call log without a recording, keyed by revision for later updates', () => {
    expect(planDelivery(call).map((j) => j.kind)).toEqual(['call-log']);
    expect(planDelivery({ ...call, revision: 2 })[0]!.dedupeKey).toBe('call-log:c1:r2');
  });

  it('maps a CDR to the CRM\'s view of the call', () => {
    const cdr = {
      id: 'c9', tenantId: 't', queueId: 'q', callerName: 'Siti', callerPhone: '', callerEmail: 's@example.com', agentId: 'a',
      offeredAt: new Date('2026-11-21T03:00:00Z'), answeredAt: new Date('2026-11-21T03:00:07Z'), endedAt: new Date('2026-11-21T03:02:07Z'),
      waitSeconds: 7, talkSeconds: 120, endReason: 'completed', sipCallId: 'x', createdAt: new Date(),
    } satisfies Call;
    const finished = finishedCallFromCdr(cdr, { queueName: 'Sales', to: 'sales', agent: { id: 'a', name: 'Alice' } });
    expect(finished.log).toMatchObject({ callId: 'c9', from: 'web:Siti', durationSec: 120, waitSec: 7, outcome: 'answered' });
    expect(finished.caller).toEqual({ name: 'Siti', phone: null, email: 's@example.com' });
    expect(outcomeOf({ answeredAt: null, endReason: 'abandoned' })).toBe('abandoned');
    expect(outcomeOf({ answeredAt: null, endReason: 'rejected' })).toBe('missed');
    expect(outcomeOf({ answeredAt: null, endReason: 'failed' })).toBe('failed');
  });
});

describe('choosing the call log\'s contact', () => {
  const ctx = { tenantId: 't', timeZone: 'UTC' };
  const at = new Date('2026-11-21T03:00:00Z');

  it('takes the one match, tells several apart by e-mail, and pins no guess', async () => {
    const crm = new MemoryCrmAdapter();
    const a = await crm.createContact(ctx, { name: 'A', phone: '+62 21 555 0100', email: 'a@example.com', at }, 'a');
    await crm.createContact(ctx, { name: 'B', phone: '+62 21 555 0100', email: 'b@example.com', at }, 'b');
    const one = await crm.createContact(ctx, { name: 'C', phone: '+62 21 555 0199', email: null, at }, 'c');
    expect(await resolveContact(crm, ctx, { name: null, phone: '+62215550199', email: null }, at, 'k1')).toMatchObject({ contactId: one.id, how: 'matched' });
    expect(await resolveContact(crm, ctx, { name: null, phone: '+62215550100', email: 'A@example.com' }, at, 'k2')).toMatchObject({ contactId: a.id, how: 'matched' });
    const ambiguous = await resolveContact(crm, ctx, { name: null, phone: '+62215550100', email: null }, at, 'k3');
    expect(ambiguous).toMatchObject({ contactId: null, how: 'ambiguous' });
    expect(ambiguous.contacts.map((c) => c.name).sort()).toEqual(['A', 'B']);
    expect(await resolveContact(crm, ctx, { name: null, phone: null, email: 'a@example.com' }, at, 'k4')).toMatchObject({ contactId: a.id, how: 'matched' });
  });

  it('creates a contact when nobody matches, once per key', async () => {
    const crm = new MemoryCrmAdapter();
    const first = await resolveContact(crm, ctx, { name: null, phone: '+62 812 0000 1111', email: null }, at, 'k');
    expect(first.how).toBe('created');
    expect(crm.contacts('t')).toEqual([expect.objectContaining({ name: 'Web User \u2013 11/21 03:00' })]);
  });
});
