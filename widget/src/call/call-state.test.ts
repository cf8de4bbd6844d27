import { describe, expect, it } from 'vitest';
import {
  CallStateMachine, IllegalCallTransitionError, callTransitions, isInCall, isQueued, type CallStatus,
} from './call-state.js';

describe('CallStateMachine', () => {
  it('starts idle', () => {
    expect(new CallStateMachine().status).toEqual({ state: 'idle' });
  });

  it('walks a whole form-mode call and reports every change in order', () => {
    const machine = new CallStateMachine();
    const seen: string[] = [];
    machine.onChange((next, previous) => seen.push(`${previous.state}→${next.state}`));
    const steps: CallStatus[] = [
      { state: 'form' },
      { state: 'connecting' },
      { state: 'waiting' },
      { state: 'waiting', position: 2 },
      { state: 'waiting', position: 1 },
      { state: 'connected', agent: 'Alice Agent', since: 1000 },
      { state: 'ended', reason: 'You ended the call.', error: false },
      { state: 'form' },
    ];
    for (const step of steps) machine.transition(step);
    expect(seen).toEqual([
      'idle→form',
      'form→connecting',
      'connecting→waiting',
      'waiting→waiting',
      'waiting→waiting',
      'waiting→connected',
      'connected→ended',
      'ended→form',
    ]);
  });

  it('goes straight to connecting in direct mode', () => {
    const machine = new CallStateMachine();
    machine.transition({ state: 'connecting' });
    expect(machine.state).toBe('connecting');
  });

  it('returns to the form when the bridge rejects the details', () => {
    const machine = new CallStateMachine();
    machine.transition({ state: 'form' });
    machine.transition({ state: 'connecting' });
    machine.transition({ state: 'form' });
    expect(machine.state).toBe('form');
  });

  it('throws a typed error on an illegal move and keeps the current state', () => {
    const machine = new CallStateMachine();
    expect(() => machine.transition({ state: 'connected', since: 0 })).toThrow(IllegalCallTransitionError);
    expect(machine.state).toBe('idle');
    machine.transition({ state: 'form' });
    try {
      machine.transition({ state: 'ended', reason: 'x', error: false });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalCallTransitionError);
      expect((error as IllegalCallTransitionError).code).toBe('WIDGET_ERR_ILLEGAL_TRANSITION');
      expect((error as IllegalCallTransitionError).from).toBe('form');
    }
  });

  it('never re-enters idle once opened', () => {
    for (const targets of Object.values(callTransitions)) expect(targets).not.toContain('idle');
  });

  it('keeps notifying other listeners when one throws', () => {
    const machine = new CallStateMachine();
    const seen: string[] = [];
    const original = console.error;
    console.error = () => {};
    try {
      machine.onChange(() => {
        throw new Error('bad listener');
      });
      machine.onChange((next) => seen.push(next.state));
      machine.transition({ state: 'form' });
    } finally {
      console.error = original;
    }
    expect(seen).toEqual(['form']);
  });

  it('stops notifying after unsubscribe', () => {
    const machine = new CallStateMachine();
    const seen: string[] = [];
    const off = machine.onChange((next) => seen.push(next.state));
    machine.transition({ state: 'form' });
    off();
    machine.transition({ state: 'connecting' });
    expect(seen).toEqual(['form']);
  });

  it('keeps the place while "keep my place" is under way, then ends for good', () => {
    const machine = new CallStateMachine();
    const steps: CallStatus[] = [
      { state: 'connecting' },
      { state: 'waiting', position: 3, estimatedWaitSec: 240 },
      { state: 'keeping-place', step: 'phone', position: 3, estimatedWaitSec: 240 },
      { state: 'keeping-place', step: 'phone', phoneError: 'Please enter your phone number.', position: 2 },
      { state: 'keeping-place', step: 'sending', position: 2 },
      { state: 'place-kept', phone: '+6281234567890' },
    ];
    for (const step of steps) machine.transition(step);
    expect(machine.status).toEqual({ state: 'place-kept', phone: '+6281234567890' });
    // Final: a second call from this panel would compete with the place it holds.
    expect(callTransitions['place-kept']).toEqual([]);
    expect(() => machine.transition({ state: 'connecting' })).toThrow(IllegalCallTransitionError);
  });

  it('deflects only a call that is still being offered, never one an agent took', () => {
    const deflection = { reason: 'closed', type: 'voicemail' } as const;
    for (const from of ['connecting', 'waiting', 'keeping-place'] as const) expect(callTransitions[from]).toContain('deflected');
    expect(callTransitions.connected).not.toContain('deflected');
    const machine = new CallStateMachine();
    machine.transition({ state: 'connecting' });
    machine.transition({ state: 'deflected', deflection });
    machine.transition({ state: 'connecting' });
    expect(machine.state).toBe('connecting');
  });

  it('records a voicemail only for a call still being offered, and only ends it', () => {
    for (const from of ['connecting', 'waiting', 'keeping-place'] as const) expect(callTransitions[from]).toContain('voicemail');
    for (const from of ['idle', 'form', 'connected', 'ended', 'deflected', 'place-kept'] as const) {
      expect(callTransitions[from]).not.toContain('voicemail');
    }
    expect(callTransitions.voicemail).toEqual(['ended']);
    const machine = new CallStateMachine();
    machine.transition({ state: 'connecting' });
    machine.transition({ state: 'waiting', position: 1 });
    machine.transition({ state: 'voicemail', voicemail: { greeting: 'Leave a message after the tone' }, since: 5 });
    expect(() => machine.transition({ state: 'connected', since: 6 })).toThrow(IllegalCallTransitionError);
    expect(() => machine.transition({ state: 'waiting' })).toThrow(IllegalCallTransitionError);
    machine.transition({ state: 'ended', reason: 'Thanks', error: false, voicemailRecorded: true });
    expect(machine.state).toBe('ended');
  });

  it('classifies states with a live session and queued states', () => {
    expect(['connecting', 'waiting', 'keeping-place', 'connected', 'voicemail'].every((s) => isInCall(s as never))).toBe(true);
    expect(isQueued('voicemail')).toBe(false);
    expect(['idle', 'form', 'ended', 'deflected', 'place-kept'].some((s) => isInCall(s as never))).toBe(false);
    expect(isQueued('keeping-place') && isQueued('waiting') && !isQueued('connected')).toBe(true);
  });
});
