import { describe, expect, it } from 'vitest';
import { IllegalSoftphoneTransitionError, SoftphoneStateMachine, softphoneTransitions } from './call-state.js';

describe('SoftphoneStateMachine', () => {
  it('starts signed out', () => {
    expect(new SoftphoneStateMachine().state).toBe('signed-out');
  });

  it('walks sign-in, a ringing call answered and ended, and back to idle, reporting each change', () => {
    const machine = new SoftphoneStateMachine();
    const seen: string[] = [];
    machine.onChange((to, from) => seen.push(`${from}→${to}`));
    for (const to of ['idle', 'ringing', 'in-call', 'ended', 'idle', 'signed-out'] as const) machine.transition(to);
    expect(seen).toEqual([
      'signed-out→idle', 'idle→ringing', 'ringing→in-call', 'in-call→ended', 'ended→idle', 'idle→signed-out',
    ]);
  });

  it('lets a new call ring straight after the previous one ended', () => {
    const machine = new SoftphoneStateMachine();
    for (const to of ['idle', 'ringing', 'ended', 'ringing'] as const) machine.transition(to);
    expect(machine.state).toBe('ringing');
  });

  it('refuses to sign out in the middle of a call, with a typed error', () => {
    const machine = new SoftphoneStateMachine();
    for (const to of ['idle', 'ringing', 'in-call'] as const) machine.transition(to);
    expect(() => machine.transition('signed-out')).toThrow(IllegalSoftphoneTransitionError);
    expect(machine.state).toBe('in-call');
    expect(machine.can('ended')).toBe(true);
  });

  it('is in a call only after a call rang or was dialled', () => {
    for (const [from, targets] of Object.entries(softphoneTransitions)) {
      if (from !== 'ringing' && from !== 'dialing') expect(targets).not.toContain('in-call');
    }
  });

  it('walks a dialled call: idle → dialing → in-call → ended, and one refused or cancelled: dialing → ended', () => {
    const machine = new SoftphoneStateMachine();
    for (const to of ['idle', 'dialing', 'in-call', 'ended', 'dialing', 'ended', 'idle'] as const) machine.transition(to);
    expect(machine.state).toBe('idle');
  });

  it('dials only from idle or the pause after a call, and never signs out while dialling', () => {
    const dialFrom = Object.entries(softphoneTransitions).filter(([, targets]) => targets.includes('dialing')).map(([from]) => from);
    expect(dialFrom.sort()).toEqual(['ended', 'idle']);
    const machine = new SoftphoneStateMachine();
    for (const to of ['idle', 'dialing'] as const) machine.transition(to);
    expect(() => machine.transition('signed-out')).toThrow(IllegalSoftphoneTransitionError);
    expect(() => machine.transition('ringing')).toThrow(IllegalSoftphoneTransitionError);
    expect(machine.state).toBe('dialing');
  });
});
