import { describe, expect, it } from 'vitest';
import { buildCallLog } from './call-log.js';

const caller = { callId: 'cdr-1', queue: 'sales', name: 'Siti', phone: '+6281234567890', email: '' };
const agent = { id: 'a1', username: 'alice', displayName: 'Alice Agent' };
const t0 = Date.parse('2030-01-01T09:00:00.000Z');

describe('buildCallLog', () => {
  it('logs an answered call with its talk time from the answer', () => {
    expect(buildCallLog({ caller, agent, startedAt: t0, answeredAt: t0 + 4_000 }, t0 + 125_600)).toEqual({
      callId: 'cdr-1',
      direction: 'inbound',
      queue: 'sales',
      caller: { name: 'Siti', phone: '+6281234567890', email: '' },
      agent,
      startedAt: '2030-01-01T09:00:00.000Z',
      answeredAt: '2030-01-01T09:00:04.000Z',
      endedAt: '2030-01-01T09:02:05.600Z',
      talkSeconds: 122,
      outcome: 'answered',
    });
  });

  it('logs a call that only rang as missed, with no talk time', () => {
    const entry = buildCallLog({ caller, agent, startedAt: t0 }, t0 + 20_000);
    expect(entry).toMatchObject({ outcome: 'missed', talkSeconds: 0 });
    expect(entry).not.toHaveProperty('answeredAt');
  });

  it('logs a declined call as rejected and a media failure before answer as failed', () => {
    expect(buildCallLog({ caller, agent, startedAt: t0, rejected: true }, t0 + 3_000).outcome).toBe('rejected');
    expect(buildCallLog({ caller, agent, startedAt: t0 }, t0 + 3_000, true).outcome).toBe('failed');
  });

  it('never ends before it started, even if the clock stepped back', () => {
    const entry = buildCallLog({ caller, agent, startedAt: t0 }, t0 - 5_000);
    expect(entry.endedAt).toBe(entry.startedAt);
  });

  it('logs a callback as outbound: the agent is the one calling the customer', () => {
    expect(buildCallLog({ caller, agent, startedAt: t0, answeredAt: t0, kind: 'callback' }, t0 + 60_000).direction)
      .toBe('outbound');
    expect(buildCallLog({ caller, agent, startedAt: t0, kind: 'call' }, t0).direction).toBe('inbound');
  });

  it('logs a call the agent placed as outbound, with whom the agent dialled as the other party', () => {
    const callee = { callId: 'sess-1', queue: '', name: 'Bob', phone: '', email: '' };
    const entry = buildCallLog({ caller: callee, agent, startedAt: t0, answeredAt: t0 + 2_000, direction: 'outbound' }, t0 + 32_000);
    expect(entry).toMatchObject({ callId: 'sess-1', direction: 'outbound', queue: '', caller: { name: 'Bob' }, talkSeconds: 30 });
    expect(buildCallLog({ caller: callee, agent, startedAt: t0, direction: 'inbound' }, t0).direction).toBe('inbound');
  });
});
