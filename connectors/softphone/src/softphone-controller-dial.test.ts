import { describe, expect, it } from 'vitest';
import { ENDED_PAUSE_MS } from './softphone-controller.js';
import { harness, signIn, siti } from './softphone-test-kit.js';

async function signedIn(options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  await h.controller.start();
  await h.controller.signIn(signIn);
  return h;
}

describe('SoftphoneController: click-to-dial', () => {
  it('dials a colleague from a click, shows "Calling", rings, connects, hangs up and logs the call as outbound', async () => {
    const h = await signedIn();
    h.page.clickToDial(' Bob ');
    expect(h.placed.map((p) => p.user)).toEqual(['bob']);
    expect(h.machine.state).toBe('dialing');
    expect(h.shown.dialing).toEqual(['bob']);
    await Promise.resolve();
    expect(h.page.visible).toBe(true);
    const call = h.placed[0]!.call;
    call.events!.progress!();
    expect(h.detail.at(-1)).toBe('Ringing…');

    h.advance(3_000);
    call.accept();
    expect(h.machine.state).toBe('in-call');
    expect(h.shown.recording.at(-1)).toBe('recording');
    await Promise.resolve();
    expect(h.page.cards).toEqual([]); // no screen pop: the agent dialled from the record already open

    await h.controller.toggleHold();
    h.advance(60_000);
    h.controller.hangup();
    expect(call.actions).toEqual(['INFO hold', 'BYE']);
    expect(h.machine.state).toBe('ended');
    expect(h.detail.at(-1)).toBe('You ended the call.');
    await Promise.resolve();
    expect(h.page.recent).toEqual([expect.objectContaining({
      callId: 'sess-1', direction: 'outbound', queue: '', outcome: 'answered', talkSeconds: 60,
      caller: { name: 'bob', phone: '', email: '' },
    })]);
    h.advance(ENDED_PAUSE_MS);
    expect(h.states).toEqual(['idle', 'dialing', 'in-call', 'ended', 'idle']);
  });

  it('says so when the colleague hangs up', async () => {
    const h = await signedIn();
    h.page.clickToDial('bob');
    const call = h.placed[0]!.call;
    call.accept();
    call.events!.ended({ originator: 'remote', cause: 'Terminated' });
    expect(h.detail.at(-1)).toBe('bob hung up.');
    expect(h.notices).toEqual([]);
  });

  it.each([
    ['+62 812-3456-7890', '+6281234567890', { name: '', phone: '+6281234567890' }],
    ['(0812) 3456.7890', '081234567890', { name: '', phone: '081234567890' }],
    ['201', '201', { name: '201', phone: '' }],
  ])('normalises the clicked %s to %s', async (clicked, user, callee) => {
    const h = await signedIn();
    h.page.clickToDial(clicked);
    expect(h.placed[0]!.user).toBe(user);
    expect(h.placed[0]!.call.caller).toMatchObject(callee);
  });

  it('names the call after the CRM record the number was clicked on', async () => {
    const h = await signedIn();
    h.controller.dial({ phone: '+62 812 3456 7890', name: 'Siti Rahma', recordId: 'c-1' });
    expect(h.shown.dialing).toEqual(['Siti Rahma']);
    const call = h.placed[0]!.call;
    call.events!.ended({ originator: 'remote', cause: 'Rejected', status: 403 });
    expect(h.notices.at(-1)).toEqual({ message: 'Calls to outside numbers are not available yet (Siti Rahma).', kind: 'error' });
    await Promise.resolve();
    expect(h.page.recent[0]).toMatchObject({ caller: { name: 'Siti Rahma', phone: '+6281234567890' }, outcome: 'failed' });
  });

  it('cancels while dialling: CANCEL, no notice, logged as missed', async () => {
    const h = await signedIn();
    h.page.clickToDial('bob');
    const call = h.placed[0]!.call;
    h.controller.hangup();
    expect(call.actions).toEqual(['CANCEL']);
    expect(h.machine.state).toBe('ended');
    expect(h.detail.at(-1)).toBe('Call cancelled.');
    expect(h.notices).toEqual([]);
    await Promise.resolve();
    expect(h.page.recent[0]).toMatchObject({ direction: 'outbound', outcome: 'missed', talkSeconds: 0 });
  });

  it.each([
    [404, 'Not Found', 'No such extension: bob.', 'error', 'failed'],
    [403, 'Rejected', 'You cannot call bob.', 'error', 'failed'],
    [480, 'Unavailable', 'bob is not available right now (not signed in or not answering).', 'warning', 'missed'],
    [486, 'Busy', 'bob is busy.', 'warning', 'rejected'],
    [603, 'Rejected', 'bob declined the call.', 'warning', 'rejected'],
    [500, 'SIP Failure Code', 'The call to bob failed (500).', 'error', 'failed'],
  ])('shows a %i from the bridge as a notice and logs it', async (status, cause, message, kind, outcome) => {
    const h = await signedIn();
    h.page.clickToDial('bob');
    h.placed[0]!.call.events!.ended({ originator: 'remote', cause, status });
    expect(h.machine.state).toBe('ended');
    expect(h.notices).toEqual([{ message, kind }]);
    expect(h.detail.at(-1)).toBe(message);
    await Promise.resolve();
    expect(h.page.recent[0]).toMatchObject({ direction: 'outbound', outcome });
    expect(h.page.notices).toEqual([]); // not a "missed call" for the CRM
  });

  it('says when the microphone is blocked', async () => {
    const h = await signedIn();
    h.page.clickToDial('bob');
    h.placed[0]!.call.events!.ended({ originator: 'local', cause: 'User Denied Media Access' });
    expect(h.notices).toEqual([{ message: 'Microphone blocked: allow it for this page and try again.', kind: 'error' }]);
  });

  it('refuses to dial while a call rings, while one is placed and during a call, and dials nothing', async () => {
    const h = await signedIn();
    const incoming = h.offer();
    h.page.clickToDial('bob');
    expect(h.page.notices).toEqual(['Finish the current call first.']);
    h.controller.answer();
    incoming.events!.accepted();
    h.page.clickToDial('bob');
    expect(h.page.notices).toHaveLength(2);
    h.controller.hangup();
    h.page.clickToDial('bob');
    h.page.clickToDial('carol');
    expect(h.page.notices).toEqual(['Finish the current call first.', 'Finish the current call first.', 'Finish the current call first.']);
    expect(h.placed.map((p) => p.user)).toEqual(['bob']);
    expect(h.machine.state).toBe('dialing');
  });

  it('declines an incoming call with 486 while dialling', async () => {
    const h = await signedIn();
    h.page.clickToDial('bob');
    const second = h.offer(siti);
    expect(second.actions).toEqual(['reject 486']);
    expect(h.machine.state).toBe('dialing');
  });

  it('refuses to dial when signed out, and a value that is no extension or number', async () => {
    const h = harness();
    await h.controller.start();
    h.page.clickToDial('bob');
    await h.controller.signIn(signIn);
    h.page.clickToDial('bob@example.com');
    h.page.clickToDial('+62 812 ext 5');
    expect(h.page.notices).toEqual([
      'Sign in to the softphone to make calls.',
      'Cannot call "bob@example.com": not an extension or a phone number.',
      'Cannot call "+62 812 ext 5": not an extension or a phone number.',
    ]);
    expect(h.placed).toEqual([]);
    expect(h.machine.state).toBe('idle');
  });

  it('stays idle with a notice when the call cannot be placed', async () => {
    const h = await signedIn({ callThrows: new TypeError('Invalid target') });
    h.page.clickToDial('bob');
    expect(h.notices).toEqual([{ message: 'Could not call bob.', kind: 'error' }]);
    expect(h.machine.state).toBe('idle');
  });

  it('dials again during the pause after a call, and the old pause timer leaves the new call alone', async () => {
    const h = await signedIn();
    h.page.clickToDial('bob');
    h.controller.hangup();
    h.page.clickToDial('bob');
    expect(h.machine.state).toBe('dialing');
    h.advance(ENDED_PAUSE_MS * 2);
    expect(h.machine.state).toBe('dialing');
  });

  it('cancels the call being placed when the agent signs out', async () => {
    const h = await signedIn();
    h.page.clickToDial('bob');
    h.controller.signOut();
    expect(h.placed[0]!.call.actions).toEqual(['CANCEL']);
    expect(h.machine.state).toBe('signed-out');
  });

  it('stops hearing clicks once disposed', async () => {
    const h = await signedIn();
    await h.controller.dispose();
    h.page.clickToDial('bob');
    expect(h.placed).toEqual([]);
  });
});
