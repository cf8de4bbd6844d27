import { describe, expect, it } from 'vitest';
import { formatWrapUpLeft, missedCall, parseAgentStatus, shownPresence } from './agent-status.js';

const me = { id: 'a1', username: 'alice' };

describe('parseAgentStatus', () => {
  it('reads each ACD state', () => {
    for (const state of ['offline', 'available', 'reserved', 'on-call'] as const) {
      expect(parseAgentStatus({ ...me, state, awayReason: null, registered: true }))
        .toEqual({ state, awayReason: null, registered: true });
    }
    expect(parseAgentStatus({ ...me, state: 'away', awayReason: 'lunch', registered: false }))
      .toEqual({ state: 'away', awayReason: 'lunch', registered: false });
    expect(parseAgentStatus({ ...me, state: 'away', awayReason: 'missed', registered: true }))
      .toEqual({ state: 'away', awayReason: 'missed', registered: true });
  });

  it('reads the end of wrap-up as epoch ms, only in wrap-up', () => {
    expect(parseAgentStatus({ ...me, state: 'wrap-up', awayReason: null, registered: true, wrapUpEndsAt: '2030-01-01T09:00:14.000Z' }))
      .toEqual({ state: 'wrap-up', awayReason: null, registered: true, wrapUpEndsAt: Date.parse('2030-01-01T09:00:14.000Z') });
    expect(parseAgentStatus({ ...me, state: 'wrap-up', registered: true, wrapUpEndsAt: 'soon' }))
      .toEqual({ state: 'wrap-up', awayReason: null, registered: true });
    expect(parseAgentStatus({ ...me, state: 'available', registered: true, wrapUpEndsAt: '2030-01-01T09:00:14.000Z' }))
      .toEqual({ state: 'available', awayReason: null, registered: true });
  });

  it('ignores a reason outside away, and reads an unknown away reason as a break', () => {
    expect(parseAgentStatus({ state: 'available', awayReason: 'lunch', registered: true })?.awayReason).toBeNull();
    expect(parseAgentStatus({ state: 'away', awayReason: 'nap', registered: true })?.awayReason).toBe('break');
  });

  it('returns null for what it does not understand (so the last snapshot stays)', () => {
    for (const body of [undefined, null, 'available', [], {}, { state: 'busy' }, { state: 'AVAILABLE' }, { state: 1 }]) {
      expect(parseAgentStatus(body)).toBeNull();
    }
  });

  it('counts registered only when it is literally true', () => {
    expect(parseAgentStatus({ state: 'available', registered: 'yes' })?.registered).toBe(false);
  });
});

describe('shownPresence and missedCall', () => {
  it('shows available while reserved, on a call or wrapping up; away with its reason; nothing while offline', () => {
    for (const state of ['available', 'reserved', 'on-call', 'wrap-up'] as const) {
      expect(shownPresence({ state, awayReason: null, registered: true })).toEqual({ state: 'available' });
    }
    expect(shownPresence({ state: 'away', awayReason: 'missed', registered: true })).toEqual({ state: 'away', reason: 'missed' });
    expect(shownPresence({ state: 'offline', awayReason: null, registered: false })).toBeNull();
  });

  it('spots a ring-no-answer', () => {
    expect(missedCall({ state: 'away', awayReason: 'missed', registered: true })).toBe(true);
    expect(missedCall({ state: 'away', awayReason: 'lunch', registered: true })).toBe(false);
    expect(missedCall(null)).toBe(false);
  });
});

describe('formatWrapUpLeft', () => {
  const end = Date.parse('2030-01-01T09:00:14.000Z');
  it('counts down in m:ss, rounding up', () => {
    expect(formatWrapUpLeft(end, end - 14_000)).toBe('0:14');
    expect(formatWrapUpLeft(end, end - 13_200)).toBe('0:14');
    expect(formatWrapUpLeft(end, end - 75_000)).toBe('1:15');
    expect(formatWrapUpLeft(end, end - 1)).toBe('0:01');
  });

  it('stops at 0:00 (clock skew or a late poll), and has nothing without an end', () => {
    expect(formatWrapUpLeft(end, end + 5_000)).toBe('0:00');
    expect(formatWrapUpLeft(undefined, end)).toBeUndefined();
  });
});
