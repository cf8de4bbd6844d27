/**
 * Test kit for the softphone controller: a controller wired to a standalone host over a fake page, a fake
 * bridge API (login, presence, a mutable ACD snapshot for `GET /api/agent/me`), calls the test offers, and a
 * clock whose timers the test advances.
 */
import type { Presence } from './agent-presence.js';
import type { AgentStatus } from './agent-status.js';
import type { AgentSession } from './api-client.js';
import type { CallKind } from './call-kind.js';
import { SoftphoneStateMachine } from './call-state.js';
import type { CallerInfo, CallLogEntry, NoticeKind } from './host-adapter.js';
import type { RecordingAction, RecordingState } from './recording-control.js';
import { SoftphoneController, type SoftphoneViewPort } from './softphone-controller.js';
import { SoftphoneError } from './softphone-errors.js';
import type { AgentCall, AgentCallEvents, AgentUaEvents } from './softphone-ua.js';
import { StandaloneHost, type CallerCard, type StandaloneView } from './standalone-host.js';

export const session: AgentSession = {
  token: 'api-token',
  agent: { id: 'a1', username: 'alice', displayName: 'Alice Agent' },
  sip: { wsUrl: 'ws://b/sip', domain: 'd', uri: 'sip:alice@d', authorizationUser: 'alice' },
  iceServers: [],
  queues: [{ name: 'sales', displayName: 'Sales' }],
};
export const siti: CallerInfo = { callId: 'cdr-7', queue: 'sales', name: 'Siti', phone: '+6281234567890', email: '' };

/** A call as the bridge would offer it (or as the agent placed it); records what the softphone did to it. */
export class FakeCall implements AgentCall {
  events: AgentCallEvents | undefined;
  actions: string[] = [];
  /**
   * How the bridge answers the next recording INFO: a status (200 recorded, 409 not recorded, …), an error to
   * throw, or a promise the test settles.
   */
  recordingAnswer: number | Error | Promise<void> = 200;
  constructor(
    readonly caller: CallerInfo,
    readonly kind: CallKind = 'call',
    readonly direction: 'incoming' | 'outgoing' = 'incoming',
  ) {}
  answer(): void {
    this.actions.push('answer');
  }
  reject(code: 486 | 603): void {
    this.actions.push(`reject ${code}`);
    this.events?.ended({ originator: 'local', cause: code === 486 ? 'Busy' : 'Rejected' });
  }
  /** BYE once answered; for an outgoing call not yet answered, CANCEL (JsSIP reports it as `Canceled`). */
  hangup(): void {
    if (this.direction === 'outgoing' && !this.answered) {
      this.actions.push('CANCEL');
      this.events?.ended({ originator: 'local', cause: 'Canceled' });
      return;
    }
    this.actions.push('BYE');
    this.events?.ended({ originator: 'local', cause: 'Terminated' });
  }
  /** The bridge's 200 OK to an outgoing call (the test plays the callee answering). */
  answered = false;
  accept(): void {
    this.answered = true;
    this.events?.accepted();
  }
  setMuted(muted: boolean): void {
    this.actions.push(muted ? 'mute' : 'unmute');
  }
  async setHold(held: boolean): Promise<void> {
    this.actions.push(held ? 'INFO hold' : 'INFO unhold');
  }
  async sendRecordingControl(action: RecordingAction): Promise<void> {
    this.actions.push(`INFO ${action}`);
    const answer = this.recordingAnswer;
    if (answer instanceof Error) throw answer;
    if (typeof answer !== 'number') return answer;
    if (answer >= 300) throw SoftphoneError.controlRefused(answer);
  }
}

export class PageView implements StandaloneView {
  cards: CallerCard[] = [];
  recent: readonly CallLogEntry[] = [];
  visible = false;
  notices: string[] = [];
  showCallerCard(card: CallerCard) { this.cards.push(card); }
  showRecentCalls(entries: readonly CallLogEntry[]) { this.recent = entries; }
  #dial: ((raw: string) => void) | undefined;
  onDialRequest(handler: (raw: string) => void) {
    this.#dial = handler;
    return () => { this.#dial = undefined; };
  }
  /** The agent submits the page's dial field: the standalone host's click-to-dial. */
  clickToDial(raw: string) { this.#dial?.(raw); }
  setVisible(visible: boolean) { this.visible = visible; }
  setSize() {}
  showNotice(message: string) { this.notices.push(message); }
  dispose() {}
}

export interface HarnessOptions {
  setPresence?: (token: string, p: Presence) => Promise<'available' | 'away'>;
  me?: (token: string) => Promise<AgentStatus | null>;
  /** What the user agent's `call()` throws instead of placing the call. */
  callThrows?: Error;
}

export function harness(options: HarnessOptions = {}) {
  let clock = Date.parse('2030-01-01T09:00:00Z');
  const timers: { callback: () => void; at: number }[] = [];
  const page = new PageView();
  const host = new StandaloneHost({ view: page });
  const presenceCalls: Presence[] = [];
  const ring: string[] = [];
  let uaEvents: AgentUaEvents | undefined;
  const uaLog: string[] = [];
  /** Calls the agent placed, newest last, with the SIP user part dialled. */
  const placed: { user: string; call: FakeCall }[] = [];
  const detail: string[] = [];
  const notices: { message: string; kind: NoticeKind }[] = [];
  const machine = new SoftphoneStateMachine();
  const states: string[] = [];
  machine.onChange((to) => states.push(to));
  /** What the fake ACD answers to GET /api/agent/me; tests change it. */
  const acd: { status: AgentStatus; polls: number } = {
    status: { state: 'available', awayReason: null, registered: true }, polls: 0,
  };
  const shown: {
    statuses: (AgentStatus | null)[]; presences: unknown[]; callers: [CallerInfo | null, CallKind | undefined][];
    /** Every showRecording, as `state` or `state busy`. */
    recording: string[];
    /** Every showDialing label. */
    dialing: string[];
  } = { statuses: [], presences: [], callers: [], recording: [], dialing: [] };
  const view: SoftphoneViewPort = {
    showAgent() {}, showSignInBusy() {}, showSignInError: (m) => detail.push(`sign-in: ${m}`),
    showRegistration() {}, showPresence: (p) => shown.presences.push(p),
    showAgentStatus: (status) => shown.statuses.push(status),
    showCaller: (caller, kind) => shown.callers.push([caller, kind]), showAnswered() {},
    showDialing: (label) => shown.dialing.push(label),
    showDetail: (text) => detail.push(text), showMuted() {}, showHeld() {},
    showRecording: (state: RecordingState, busy) => shown.recording.push(busy ? `${state} busy` : state), playRemote() {},
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
        acd.status = p.state === 'away' ? { state: 'away', awayReason: p.reason, registered: true }
          : { state: 'available', awayReason: null, registered: true };
        return p.state;
      }),
      me: options.me ?? (async () => {
        acd.polls++;
        return acd.status;
      }),
    },
    createUa: (_s, password, events) => {
      uaEvents = events;
      uaLog.push(`ua ${password}`);
      return {
        start: () => uaLog.push('start'),
        stop: () => uaLog.push('stop'),
        call: (user, callee) => {
          if (options.callThrows) throw options.callThrows;
          const call = new FakeCall({ ...callee, callId: `sess-${placed.length + 1}`, queue: '' }, 'call', 'outgoing');
          placed.push({ user, call });
          return call;
        },
      };
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
    controller, machine, states, page, presenceCalls, ring, uaLog, detail, notices, acd, shown, timers, placed,
    host,
    offer: (caller: CallerInfo = siti, kind: CallKind = 'call') => {
      const call = new FakeCall(caller, kind);
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

export const signIn = { tenant: 'demo', username: 'alice', password: 'right' };


/** Lets pending promise callbacks (a poll's answer, a PUT) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
