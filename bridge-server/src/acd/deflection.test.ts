import { describe, expect, it } from 'vitest';
import { agent, call, offers, queue, testAcd } from './acd-test-kit.js';

const Z = (iso: string) => Date.parse(iso);
const berlinOffice = {
  timeZone: 'Europe/Berlin',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '17:00' }]])),
  holidays: ['2025-12-25'],
};
const closedMessage = { type: 'message', text: 'We are closed; we open at 9.' } as const;

describe('deflection on arrival', () => {
  it('deflects after hours with the after-hours action and queues during hours', () => {
    const acd = testAcd({}, Z('2025-01-06T16:30:00Z')); // 17:30 in Berlin
    queue(acd, 'support', { businessHours: berlinOffice, afterHours: closedMessage });
    expect(acd.engine.enqueue({ callId: 'late', queueId: 'support' })).toMatchObject({ outcome: 'deflected', reason: 'closed', action: closedMessage });
    acd.now = Z('2025-01-07T08:30:00Z');
    expect(acd.engine.enqueue({ callId: 'morning', queueId: 'support' }).outcome).toBe('queued');
  });

  it('follows daylight saving: 07:00Z is closed in winter and open in summer (09:00 CEST)', () => {
    const acd = testAcd({}, Z('2025-03-28T07:00:00Z')); // Friday 08:00 CET
    queue(acd, 'support', { businessHours: berlinOffice, afterHours: closedMessage });
    expect(acd.engine.isOpen('support')).toBe(false);
    expect(acd.engine.isOpen('support', Z('2025-03-31T07:00:00Z'))).toBe(true); // Monday 09:00 CEST
    expect(acd.engine.isOpen('support', Z('2025-03-31T06:59:00Z'))).toBe(false);
  });

  it('deflects on a holiday to voicemail', () => {
    const acd = testAcd({}, Z('2025-12-25T10:00:00Z'));
    queue(acd, 'support', { businessHours: berlinOffice, afterHours: { type: 'voicemail' } });
    expect(acd.engine.enqueue({ callId: 'xmas', queueId: 'support' })).toMatchObject({ outcome: 'deflected', reason: 'closed', action: { type: 'voicemail' } });
  });

  it('sends after-hours calls to another queue that is open (follow the sun)', () => {
    const acd = testAcd({}, Z('2025-01-06T20:00:00Z'));
    queue(acd, 'us');
    queue(acd, 'de', { businessHours: berlinOffice, afterHours: { type: 'queue', queueId: 'us' } });
    expect(acd.engine.enqueue({ callId: 'c1', queueId: 'de' })).toMatchObject({ outcome: 'queued', queueId: 'us', position: 1 });
  });

  it('overflows to the next queue when the queue is full, and deflects when that one is full too', () => {
    const acd = testAcd();
    queue(acd, 'b', { maxQueueSize: 1, overflow: { type: 'email', address: 'help@example.com' } });
    queue(acd, 'a', { maxQueueSize: 2, overflow: { type: 'queue', queueId: 'b' } });
    call(acd, 'c1', 'a');
    call(acd, 'c2', 'a');
    expect(acd.engine.enqueue({ callId: 'c3', queueId: 'a' })).toMatchObject({ outcome: 'queued', queueId: 'b' });
    expect(acd.engine.enqueue({ callId: 'c4', queueId: 'a' })).toMatchObject({
      outcome: 'deflected', queueId: 'b', reason: 'full', action: { type: 'email', address: 'help@example.com' },
    });
  });

  it('deflects when the expected wait is above the max wait, from recent handle times and staffing', () => {
    const acd = testAcd();
    queue(acd, 'q', { maxWaitSec: 60, expectedHandleSec: 120, overflow: { type: 'callback', slotMinutes: 30, horizonDays: 7 } });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.engine.answered('c1', 'ann');
    // One agent, busy, 120 s per call: the next caller would wait ~120 s.
    expect(acd.engine.enqueue({ callId: 'c2', queueId: 'q' })).toMatchObject({ outcome: 'deflected', reason: 'expected-wait', action: { type: 'callback' } });
    for (const id of ['bob', 'cat', 'dan']) {
      agent(acd, id, ['q']);
      call(acd, `for-${id}`, 'q');
      acd.engine.answered(`for-${id}`, id);
    }
    // Four agents: ~30 s.
    expect(acd.engine.enqueue({ callId: 'c3', queueId: 'q' })).toMatchObject({ outcome: 'queued', position: 1, ewtSec: 30 });
  });

  it('deflects a call nobody is staffed to answer when the queue has a max wait', () => {
    const acd = testAcd();
    queue(acd, 'q', { maxWaitSec: 300, overflow: { type: 'phone', number: '+4930123456' } });
    expect(acd.engine.enqueue({ callId: 'c1', queueId: 'q' })).toMatchObject({ outcome: 'deflected', reason: 'expected-wait', action: { type: 'phone' } });
  });
});

describe('deflection while waiting', () => {
  it('deflects a call that reaches the max wait with the overflow action', () => {
    const acd = testAcd();
    queue(acd, 'q', { maxWaitSec: 90, expectedHandleSec: 10, overflow: { type: 'voicemail' } });
    agent(acd, 'ann', ['q']);
    call(acd, 'busy', 'q');
    acd.engine.answered('busy', 'ann');
    call(acd, 'c1', 'q');
    expect(acd.advance(89)).toEqual([]);
    expect(acd.advance(1)).toEqual([{ type: 'deflect', callId: 'c1', queueId: 'q', action: { type: 'voicemail' }, reason: 'max-wait' }]);
    expect(acd.engine.waitInfo('c1')).toBeNull();
  });

  it('moves a call that reaches the max wait to the overflow queue, keeping its place by arrival time', () => {
    const acd = testAcd();
    queue(acd, 'b');
    queue(acd, 'a', { maxWaitSec: 60, expectedHandleSec: 30, overflow: { type: 'queue', queueId: 'b' } });
    agent(acd, 'ann', ['a', 'b']);
    call(acd, 'busy', 'a');
    acd.engine.answered('busy', 'ann');
    call(acd, 'old', 'a');
    acd.advance(30);
    call(acd, 'b1', 'b');
    const effects = acd.advance(30);
    expect(effects).toEqual([{ type: 'queue-changed', callId: 'old', fromQueueId: 'a', toQueueId: 'b', reason: 'max-wait' }]);
    expect(acd.engine.waitingCalls('b').map((w) => w.callId)).toEqual(['old', 'b1']);
  });

  it('overflows a call whose max wait passed while it was ringing when the agent does not answer', () => {
    const acd = testAcd();
    queue(acd, 'q', { maxWaitSec: 30, ringTimeoutSec: 20, overflow: { type: 'voicemail' }, expectedHandleSec: 10 });
    agent(acd, 'ann', ['q']);
    call(acd, 'busy', 'q');
    acd.engine.answered('busy', 'ann');
    call(acd, 'c1', 'q');
    acd.advance(15);
    expect(offers(acd.engine.ended('busy'))).toEqual([['c1', ['ann']]]); // rings until 35 s
    expect(acd.advance(15)).toEqual([]); // max wait passes while ringing: the offer stands
    const effects = acd.advance(5);
    expect(effects.map((e) => e.type)).toEqual(['stop-ringing', 'deflect']);
    expect(effects[1]).toMatchObject({ callId: 'c1', reason: 'max-wait', action: { type: 'voicemail' } });
  });
});
