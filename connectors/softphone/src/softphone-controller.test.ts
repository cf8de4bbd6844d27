import { describe, expect, it } from 'vitest';
import { ENDED_PAUSE_MS } from './softphone-controller.js';
import { SoftphoneError } from './softphone-errors.js';
import { harness, signIn, siti } from './softphone-test-kit.js';

describe('SoftphoneController', () => {
  it('signs in, registers the user agent and makes the agent available', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    expect(h.machine.state).toBe('idle');
    expect(h.uaLog).toEqual(['ua right', 'start']);
    expect(h.presenceCalls).toEqual([{ state: 'available' }]);
    expect(h.ring[0]).toBe('unlock');
  });

  it('stays signed out and says why when the password is wrong', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn({ ...signIn, password: 'wrong' });
    expect(h.machine.state).toBe('signed-out');
    expect(h.detail).toContain('sign-in: Wrong username or password.');
    expect(h.uaLog).toEqual([]);
  });

  it('rings, answers, pops the caller, holds, mutes, hangs up, logs the call and returns to idle', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);

    const call = h.offer();
    expect(h.machine.state).toBe('ringing');
    expect(h.ring.at(-1)).toBe('ring');
    await Promise.resolve();
    expect(h.page.visible).toBe(true); // host asked to show the panel

    h.controller.answer();
    expect(h.ring.at(-1)).toBe('silence');
    h.advance(2_000);
    call.events!.accepted();
    expect(h.machine.state).toBe('in-call');
    await Promise.resolve();
    expect(h.page.cards.map((card) => card.caller.callId)).toEqual(['cdr-7']);

    await h.controller.toggleHold();
    await h.controller.toggleHold();
    h.controller.toggleMute();
    h.advance(90_000);
    h.controller.hangup();
    expect(call.actions).toEqual(['answer', 'INFO hold', 'INFO unhold', 'mute', 'BYE']);
    expect(h.machine.state).toBe('ended');
    await Promise.resolve();
    expect(h.page.recent).toEqual([expect.objectContaining({ callId: 'cdr-7', outcome: 'answered', talkSeconds: 90 })]);

    h.advance(ENDED_PAUSE_MS);
    expect(h.states).toEqual(['idle', 'ringing', 'in-call', 'ended', 'idle']);
  });

  it('logs a declined call as rejected with a 486', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    const call = h.offer();
    h.controller.reject(486);
    expect(call.actions).toEqual(['reject 486']);
    expect(h.machine.state).toBe('ended');
    await Promise.resolve();
    expect(h.page.recent[0]).toMatchObject({ outcome: 'rejected', talkSeconds: 0 });
  });

  it('logs a call the caller abandoned while ringing as missed and tells the host', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    const call = h.offer();
    call.events!.ended({ originator: 'remote', cause: 'Canceled' });
    expect(h.detail.at(-1)).toBe('Missed call from Siti.');
    await Promise.resolve();
    expect(h.page.recent[0]).toMatchObject({ outcome: 'missed' });
    expect(h.page.notices).toContain('Missed call from Siti');
  });

  it('declines a second call with 486 while one is in progress', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    const first = h.offer();
    h.controller.answer();
    first.events!.accepted();
    const second = h.offer({ ...siti, callId: 'cdr-8' });
    expect(second.actions).toEqual(['reject 486']);
    expect(h.machine.state).toBe('in-call');
  });

  it('lets a new call ring during the pause after the previous one', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    h.offer().events!.ended({ originator: 'remote', cause: 'Canceled' });
    h.offer({ ...siti, callId: 'cdr-9' });
    expect(h.machine.state).toBe('ringing');
    h.advance(ENDED_PAUSE_MS * 2);
    expect(h.machine.state).toBe('ringing'); // the old pause timer must not yank it back to idle
  });

  it('signs out when the API says the session expired', async () => {
    const h = harness({
      setPresence: async () => {
        throw SoftphoneError.fromStatus(401, 'AUTH_EXPIRED', 'expired', false);
      },
    });
    await h.controller.start();
    await h.controller.signIn(signIn);
    expect(h.machine.state).toBe('signed-out');
    expect(h.uaLog).toEqual(['ua right', 'start', 'stop']);
    expect(h.notices[0]!.message).toMatch(/expired/);
  });

  it('ends the call with BYE when the agent signs out mid-call', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    const call = h.offer();
    h.controller.answer();
    call.events!.accepted();
    h.controller.signOut();
    expect(call.actions.at(-1)).toBe('BYE');
    expect(h.machine.state).toBe('signed-out');
  });
});
