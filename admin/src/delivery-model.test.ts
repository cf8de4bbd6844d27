import { describe, expect, it } from 'vitest';
import type { DeliveryJob } from './admin-api-shapes.js';
import { countRows, deliverySummary, jobKindLabel, jobRow, listNote } from './delivery-model.js';
import { whenFormat } from './format-when.js';
import { counts } from './admin-test-kit.js';

const status = (c: Parameters<typeof counts>[0]) => ({ counts: counts(c), needsReconnect: (c?.['waiting-auth'] ?? 0) > 0 });

describe('delivery counts', () => {
  it('lists every state, the ones needing action first', () => {
    expect(countRows(status({ 'waiting-auth': 2, parked: 1, pending: 3, running: 1, done: 40 }))).toEqual([
      { state: 'waiting-auth', label: 'Waiting for reconnect', count: 2 },
      { state: 'parked', label: 'Parked (needs a retry)', count: 1 },
      { state: 'pending', label: 'Queued', count: 3 },
      { state: 'running', label: 'Sending', count: 1 },
      { state: 'done', label: 'Delivered', count: 40 },
    ]);
  });

  it('sums up what is stuck, what moves, or that all is delivered', () => {
    expect(deliverySummary(status({ 'waiting-auth': 2, parked: 1 }))).toBe('2 deliveries wait for the CRM to be reconnected; 1 delivery is parked.');
    expect(deliverySummary(status({ 'waiting-auth': 1 }))).toBe('1 delivery waits for the CRM to be reconnected.');
    expect(deliverySummary(status({ parked: 3, done: 9 }))).toBe('3 deliveries are parked.');
    expect(deliverySummary(status({ pending: 1, running: 1, done: 9 }))).toBe('2 deliveries are on the way; nothing is stuck.');
    expect(deliverySummary(status({ done: 9 }))).toBe('Everything was delivered.');
    expect(deliverySummary(status({}))).toBe('Nothing was delivered yet.');
  });
});

describe('delivery jobs', () => {
  const job: DeliveryJob = {
    id: 'j1', kind: 'call-log', state: 'parked', attempts: 1, lastError: '<img src=x onerror=alert(1)> is invalid',
    nextAttemptAt: '', updatedAt: '2025-11-22T06:05:00.000Z', callId: 'c-1', part: null,
  };

  it('names each kind of job', () => {
    expect(jobKindLabel(job)).toBe('Call log');
    expect(jobKindLabel({ kind: 'recording-part', part: { index: 2, total: 3 } })).toBe('Recording part 2 of 3');
    expect(jobKindLabel({ kind: 'recording-part', part: null })).toBe('Recording part');
    expect(jobKindLabel({ kind: 'recording-cleanup', part: null })).toBe('Recording clean-up');
    expect(jobKindLabel({ kind: 'sms-log', part: null })).toBe('sms-log');
  });

  it('shows a job with its last error as it came', () => {
    expect(jobRow(job, whenFormat('en-GB', 'UTC'))).toEqual({
      id: 'j1', what: 'Call log', call: 'c-1', attempts: '1 attempt', error: '<img src=x onerror=alert(1)> is invalid', updated: '22 Nov 2025, 06:05',
    });
    expect(jobRow({ ...job, attempts: 3, lastError: null, callId: null }, whenFormat('en-GB', 'UTC'))).toMatchObject({
      call: '—', attempts: '3 attempts', error: 'No error recorded',
    });
  });

  it('says when a list is cut', () => {
    expect(listNote(50, 120)).toBe('Showing the newest 50 of 120.');
    expect(listNote(3, 3)).toBeNull();
  });
});
