import { describe, expect, it } from 'vitest';
import { CallStateMachine, IllegalCallTransitionError, callTransitions, type CallStatus } from './call-state.js';

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
});
