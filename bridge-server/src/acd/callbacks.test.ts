import { describe, expect, it } from 'vitest';
import { AcdError } from './acd-errors.js';
import { agent, call, offers, queue, testAcd } from './acd-test-kit.js';

const Z = (iso: string) => Date.parse(iso);
const hours = {
  timeZone: 'Europe/Berlin',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '17:00' }]])),
};

function setup() {
  const acd = testAcd({}, Z('2025-01-06T18:00:00Z')); // Monday 19:00 Berlin: closed
  queue(acd, 'support', { businessHours: hours, afterHours: { type: 'callback', slotMinutes: 60, horizonDays: 2 } });
  return acd;
}

describe('scheduled callbacks', () => {
  it('lists slots inside the queue hours with the slot length of its callback action', () => {
    const acd = setup();
    const slots = acd.engine.callbackSlots('support', acd.now, acd.now + 86_400_000);
    expect(slots[0]).toBe(Z('2025-01-07T08:00:00Z'));
    expect(slots).toHaveLength(8);
  });

  it('holds a callback until its time, then queues it and offers it to an agent as a callback', () => {
    const acd = setup();
    agent(acd, 'ann', ['support']);
    const at = Z('2025-01-07T09:00:00Z');
    acd.engine.scheduleCallback({ callbackId: 'cb1', queueId: 'support', at, data: { phone: '+4930111' } });
    expect(acd.engine.nextDueAt()).toBe(Z('2025-01-07T00:00:00Z')); // daily counters roll over first
    acd.now = at - 1000;
    expect(acd.engine.tick()).toEqual([]);
    acd.now = at;
    const effects = acd.engine.tick();
    expect(effects[0]).toEqual({ type: 'callback-queued', callId: 'cb1', queueId: 'support', data: { phone: '+4930111' } });
    expect(effects[1]).toMatchObject({ type: 'offer', callId: 'cb1', kind: 'callback', agentIds: ['ann'], data: { phone: '+4930111' } });
  });

  it('refuses a callback time outside the queue hours', () => {
    const acd = setup();
    expect(() => acd.engine.scheduleCallback({ callbackId: 'cb1', queueId: 'support', at: Z('2025-01-07T20:00:00Z') })).toThrow(AcdError);
  });

  it('forgets a cancelled callback', () => {
    const acd = setup();
    agent(acd, 'ann', ['support']);
    acd.engine.scheduleCallback({ callbackId: 'cb1', queueId: 'support', at: Z('2025-01-07T09:00:00Z') });
    expect(acd.engine.cancelCallback('cb1')).toBe(true);
    acd.now = Z('2025-01-07T10:00:00Z');
    expect(offers(acd.engine.tick())).toEqual([]);
  });

  it('queues a due callback even when the queue is full: the slot was promised', () => {
    const acd = testAcd();
    queue(acd, 'q', { maxQueueSize: 1, overflow: { type: 'voicemail' } });
    call(acd, 'c1', 'q');
    acd.engine.scheduleCallback({ callbackId: 'cb', queueId: 'q', at: acd.now + 60_000 });
    acd.advance(60);
    expect(acd.engine.waitInfo('cb')).toMatchObject({ kind: 'callback', state: 'waiting', position: 2 });
  });
});

describe('keep my place and call me back', () => {
  it('keeps the caller place in line and offers it as a callback when its turn comes', () => {
    const acd = testAcd();
    queue(acd, 'q');
    agent(acd, 'ann', ['q'], {}, false);
    call(acd, 'c1', 'q');
    acd.advance(5);
    call(acd, 'c2', 'q');
    acd.engine.keepPlaceForCallback('c1');
    expect(acd.engine.waitInfo('c1')).toMatchObject({ kind: 'callback', position: 1 });
    const effects = acd.engine.setAgentState('ann', 'available');
    expect(effects[0]).toMatchObject({ type: 'offer', callId: 'c1', kind: 'callback' });
  });
});
