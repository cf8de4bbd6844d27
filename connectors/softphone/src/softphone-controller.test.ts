import { describe, expect, it } from 'vitest';
import type { Presence } from './agent-presence.js';
import type { AgentSession } from './api-client.js';
import { SoftphoneStateMachine } from './call-state.js';
import type { CallerInfo, CallLogEntry, NoticeKind } from './host-adapter.js';
import { ENDED_PAUSE_MS, SoftphoneController, type SoftphoneViewPort } from './softphone-controller.js';
import { SoftphoneError } from './softphone-errors.js';
import type { AgentCall, AgentCallEvents, AgentUaEvents } from './softphone-ua.js';
import { StandaloneHost, type CallerCard, type StandaloneView } from './standalone-host.js';

const session: AgentSession = {
  token: 'api-token',
  agent: { id: 'a1', username: 'alice', displayName: 'Alice Agent' },
  sip: { wsUrl: 'ws://b/sip', domain: 'd', uri: 'sip:alice@d', authorizationUser: 'alice' },
  iceServers: [],
  queues: [{ name: 'sales', displayName: 'Sales' }],
};
const siti: CallerInfo = { callId: 'cdr-7', queue: 'sales', name: 'Siti', phone: '+6281234567890', email: '' };

/** A call as the bridge would offer it; records what the softphone did to it. */
class FakeCall implements AgentCall {
  events: AgentCallEvents | undefined;
  actions: string[] = [];
  constructor(readonly caller: CallerInfo) {}
  answer(): void {
    this.actions.push('answer');
  }
  reject(code: 486 | 603): void {
    this.actions.push(`reject ${code}`);
    this.events?.ended({ originator: 'local', cause: code === 486 ? 'Busy' : 'Rejected' });
  }
  hangup(): void {
    this.actions.push('BYE');
    this.events?.ended({ originator: 'local', cause: 'Terminated' });
  }
  setMuted(muted: boolean): void {
    this.actions.push(muted ? 'mute' : 'unmute');
  }
  async setHold(held: boolean): Promise<void> {
    this.actions.push(held ? 'INFO hold' : 'INFO unhold');
  }
}

class PageView implements StandaloneView {
  cards: CallerCard[] = [];
  recent: readonly CallLogEntry[] = [];
  visible = false;
  notices: string[] = [];
  showCallerCard(card: CallerCard) { this.cards.push(card); }
  showRecentCalls(entries: readonly CallLogEntry[]) { this.recent = entries; }
  onDialRequest() { return () => undefined; }
  setVisible(visible: boolean) { this.visible = visible; }
  setSize() {}
  showNotice(message: string) { this.notices.push(message); }
  dispose() {}
}

function harness(options: { setPresence?: (token: string, p: Presence) => Promise<'available' | 'away'> } = {}) {
  let clock = Date.parse('2030-01-01T09:00:00Z');
  const timers: { callback: () => void; at: number }[] = [];
  const page = new PageView();
  const host = new StandaloneHost({ view: page });
  const presenceCalls: Presence[] = [];
  const ring: string[] = [];
  let uaEvents: AgentUaEvents | undefined;
  const uaLog: string[] = [];
  const detail: string[] = [];
  const notices: { message: string; kind: NoticeKind }[] = [];
  const machine = new SoftphoneStateMachine();
  const states: string[] = [];
  machine.onChange((to) => states.push(to));
  const view: SoftphoneViewPort = {
    showAgent() {}, showSignInBusy() {}, showSignInError: (m) => detail.push(`sign-in: ${m}`),
    showRegistration() {}, showPresence() {}, showCaller() {}, showAnswered() {},
    showDetail: (text) => detail.push(text), showMuted() {}, showHeld() {}, playRemote() {},
    showNotice: (message, kind) => notices.push({ message, kind }),
  };
  const controller = new SoftphoneController({
    api: {
      login: async (c) => {
        if (c.password !== 'right') throw SoftphoneError.fromStatus(401, 'AUTH', 'no', true);
        return session;
      },
      setPresence: options.setPresence ?? (async (_t, p) => {
        presenceCalls.push(p);
        return p.state;
      }),
    },
    createUa: (_s, password, events) => {
      uaEvents = events;
      uaLog.push(`ua ${password}`);
      return { start: () => uaLog.push('start'), stop: () => uaLog.push('stop') };
    },
    host,
    ringtone: { unlock: () => ring.push('unlock'), start: () => ring.push('ring'), stop: () => ring.push('silence') },
    view,
    machine,
    now: () => clock,
    setTimer: (callback, ms) => {
      const timer = { callback, at: clock + ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => timers.splice(timers.indexOf(handle as (typeof timers)[number]), 1),
  });
  return {
    controller, machine, states, page, presenceCalls, ring, uaLog, detail, notices,
    offer: (caller: CallerInfo = siti) => {
      const call = new FakeCall(caller);
      uaEvents!.incoming(call);
      return call;
    },
    advance: (ms: number) => {
      clock += ms;
      for (const timer of [...timers]) {
        if (timer.at <= clock) {
          timers.splice(timers.indexOf(timer), 1);
          timer.callback();
        }
      }
    },
  };
}

const signIn = { tenant: 'demo', username: 'alice', password: 'right' };

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
