import { describe, expect, it } from 'vitest';
import { POLL_INTERVAL_MS } from './agent-status-poller.js';
import { SoftphoneError } from './softphone-errors.js';
import { harness, settle, signIn, siti } from './softphone-test-kit.js';

const WRAP_UP_END = '2030-01-01T09:02:14.000Z';

describe('SoftphoneController: agent state from the ACD', () => {
  it('polls GET /api/agent/me every three seconds while signed in, and stops on sign-out', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    await settle();
    const afterSignIn = h.acd.polls;
    expect(afterSignIn).toBeGreaterThanOrEqual(1);
    expect(h.shown.statuses.at(-1)).toEqual({ state: 'available', awayReason: null, registered: true });

    h.advance(POLL_INTERVAL_MS);
    await settle();
    expect(h.acd.polls).toBe(afterSignIn + 1);

    h.controller.signOut();
    expect(h.shown.statuses.at(-1)).toBeNull();
    h.advance(POLL_INTERVAL_MS * 3);
    await settle();
    expect(h.acd.polls).toBe(afterSignIn + 1);
    expect(h.controller.agentStatus).toBeNull();
  });

  it('polls right after a call ends and shows wrap-up; "Ready" makes the agent available', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    await settle();
    const call = h.offer();
    h.controller.answer();
    call.events!.accepted();
    h.acd.status = { state: 'wrap-up', awayReason: null, registered: true, wrapUpEndsAt: Date.parse(WRAP_UP_END) };
    const before = h.acd.polls;
    h.controller.hangup();
    await settle();
    expect(h.acd.polls).toBe(before + 1); // not three seconds later
    expect(h.controller.agentStatus).toMatchObject({ state: 'wrap-up', wrapUpEndsAt: Date.parse(WRAP_UP_END) });

    await h.controller.ready();
    await settle();
    expect(h.presenceCalls.at(-1)).toEqual({ state: 'available' });
    expect(h.controller.agentStatus).toMatchObject({ state: 'available' });
  });

  it('shows away/missed after a ring-no-answer and tells the host once', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    await settle();
    h.acd.status = { state: 'away', awayReason: 'missed', registered: true };
    h.offer().events!.ended({ originator: 'remote', cause: 'Canceled' });
    await settle();
    expect(h.shown.statuses.at(-1)).toEqual({ state: 'away', awayReason: 'missed', registered: true });
    h.advance(POLL_INTERVAL_MS);
    await settle();
    await Promise.resolve();
    const told = h.page.notices.filter((n) => n.includes('missed a call'));
    expect(told).toHaveLength(1);
  });

  it('does not let a poll sent before a presence change undo it', async () => {
    let releaseStale!: () => void;
    let polls = 0;
    const h = harness({
      me: async () => {
        polls++;
        if (polls === 2) {
          // Answers after the PUT below, with the state from before it.
          await new Promise<void>((resolve) => (releaseStale = resolve));
          return { state: 'available', awayReason: null, registered: true };
        }
        return h.acd.status;
      },
    });
    await h.controller.start();
    await h.controller.signIn(signIn);
    await settle();
    h.advance(POLL_INTERVAL_MS); // poll #2 goes out and hangs
    const shownBefore = h.shown.statuses.length;
    await h.controller.setPresence({ state: 'away', reason: 'lunch' });
    releaseStale();
    await settle();
    await settle();
    const since = h.shown.statuses.slice(shownBefore);
    expect(since.at(-1)).toEqual({ state: 'away', awayReason: 'lunch', registered: true });
    expect(since.map((status) => status?.state)).not.toContain('available');
  });

  it('signs out when the poll says the session expired', async () => {
    const h = harness({
      me: async () => {
        throw SoftphoneError.fromStatus(401, 'AUTH_EXPIRED', 'expired', false);
      },
    });
    await h.controller.start();
    await h.controller.signIn(signIn);
    await settle();
    expect(h.machine.state).toBe('signed-out');
    expect(h.notices.map((n) => n.message)).toContain('Your session expired. Please sign in again.');
  });

  it('keeps the last snapshot when a poll fails for another reason', async () => {
    let fail = false;
    const warn = console.warn;
    console.warn = () => {};
    try {
      const h = harness({
        me: async () => {
          if (fail) throw SoftphoneError.unreachable(new Error('offline'));
          return { state: 'available', awayReason: null, registered: true };
        },
      });
      await h.controller.start();
      await h.controller.signIn(signIn);
      await settle();
      fail = true;
      h.advance(POLL_INTERVAL_MS);
      await settle();
      expect(h.machine.state).toBe('idle');
      expect(h.controller.agentStatus).toMatchObject({ state: 'available' });
    } finally {
      console.warn = warn;
    }
  });
});

describe('SoftphoneController: callbacks', () => {
  it('shows a callback as such, and logs it as an outbound call when done', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    const call = h.offer(siti, 'callback');
    expect(h.shown.callers.at(-1)).toEqual([siti, 'callback']);
    h.controller.answer();
    call.events!.accepted();
    h.advance(30_000);
    h.controller.hangup(); // "Done"
    expect(call.actions).toEqual(['answer', 'BYE']);
    expect(h.detail.at(-1)).toBe('Callback done.');
    await Promise.resolve();
    expect(h.page.recent[0]).toMatchObject({ direction: 'outbound', outcome: 'answered', talkSeconds: 30 });
  });

  it('names the number in a missed callback request', async () => {
    const h = harness();
    await h.controller.start();
    await h.controller.signIn(signIn);
    h.offer(siti, 'callback').events!.ended({ originator: 'remote', cause: 'Canceled' });
    expect(h.detail.at(-1)).toBe('Missed callback request for +6281234567890.');
  });
});
