/**
 * Orchestrates the softphone: sign-in, presence, the SIP user agent, ringing, answering, click-to-dial and
 * logging, through ports so the whole flow runs in node under test. The {@link SoftphoneStateMachine} is the only call state;
 * the agent's ACD state is the bridge's, mirrored by polling `GET /api/agent/me` ({@link AgentStatusPoller}).
 */
import { isAwayReason, type Presence } from './agent-presence.js';
import { missedCall, shownPresence, type AgentStatus, type ShownPresence } from './agent-status.js';
import { AgentStatusPoller } from './agent-status-poller.js';
import type { AgentApiClient, AgentSession } from './api-client.js';
import type { CallKind } from './call-kind.js';
import { buildCallLog, type CallRecord } from './call-log.js';
import { SoftphoneStateMachine } from './call-state.js';
import { describeDialEnd, describeIncomingEnd, type DialledParty } from './call-end-text.js';
import { dialledContact, parseDialTarget } from './dial-target.js';
import type { AgentRef, CallerInfo, DialTarget, HostAdapter, NoticeKind } from './host-adapter.js';
import { RecordingToggle, recordingAnswer, refusedStatus, type RecordingState } from './recording-control.js';
import { SoftphoneError, describeSoftphoneError } from './softphone-errors.js';
import type { AgentCall, AgentUa, AgentUaEvents, CallEnd } from './softphone-ua.js';

/** What the controller asks of the console UI (beyond rendering the state machine). */
export interface SoftphoneViewPort {
  showAgent(agent: AgentRef | null): void;
  showSignInBusy(busy: boolean): void;
  showSignInError(message: string): void;
  showRegistration(registered: boolean, detail: string): void;
  showPresence(presence: ShownPresence): void;
  /** The ACD's latest snapshot (wrap-up countdown, missed-call note, status line); `null` when signed out. */
  showAgentStatus(status: AgentStatus | null): void;
  showCaller(caller: CallerInfo | null, kind?: CallKind): void;
  /** An outgoing call is being placed to `label` ("Calling bob…", with a cancel button). */
  showDialing(label: string): void;
  /** The call was answered at `since` (epoch ms): show the in-call controls and run the timer from there. */
  showAnswered(since: number): void;
  /** One line under the status: why a call ended, a missed call, … */
  showDetail(text: string): void;
  showMuted(muted: boolean): void;
  showHeld(held: boolean, busy: boolean): void;
  /** The recording toggle: paused, not recorded (hide it), and whether a request is waiting for the bridge. */
  showRecording(state: RecordingState, busy: boolean): void;
  playRemote(stream: MediaStream | null): void;
  showNotice(message: string, kind: NoticeKind): void;
}

export interface SoftphonePorts {
  readonly api: Pick<AgentApiClient, 'login' | 'setPresence' | 'me'>;
  createUa(session: AgentSession, password: string, events: AgentUaEvents): AgentUa;
  readonly host: HostAdapter;
  readonly ringtone: { unlock(): void; start(): void; stop(): void };
  readonly view: SoftphoneViewPort;
  readonly machine: SoftphoneStateMachine;
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** How long an ended call stays on screen before the console returns to idle. */
export const ENDED_PAUSE_MS = 4000;

export class SoftphoneController {
  #session: AgentSession | undefined;
  #ua: AgentUa | undefined;
  #call: AgentCall | undefined;
  #record: { -readonly [K in keyof CallRecord]: CallRecord[K] } | undefined;
  /** What the selector shows: the agent's last choice, or what the ACD last said (e.g. away/missed). */
  #presence: ShownPresence = { state: 'available' };
  #agentStatus: AgentStatus | null = null;
  readonly #poller: AgentStatusPoller<AgentStatus>;
  #muted = false;
  #held = false;
  #recording = new RecordingToggle();
  #idleTimer: unknown;
  #stopDial: (() => void) | undefined;
  /** Whom the agent dialled, for the current outgoing call. */
  #dialled: DialledParty | undefined;

  /**
   * The signed-in agent's bearer token for the bridge's agent API, or null when signed out: CRM host adapters
   * that ask the bridge for something on the agent's behalf (Zendesk's server-side screen pop) use it.
   */
  get sessionToken(): string | null {
    return this.#session?.token ?? null;
  }

  constructor(private readonly ports: SoftphonePorts) {
    this.#poller = new AgentStatusPoller<AgentStatus>({
      fetch: () => (this.#session ? ports.api.me(this.#session.token) : Promise.resolve(null)),
      deliver: (status) => this.#agentStatusArrived(status),
      fail: (error) => {
        if (error instanceof SoftphoneError && error.code === 'SOFTPHONE_ERR_SESSION_EXPIRED') {
          ports.view.showNotice(describeSoftphoneError(error), 'error');
          this.signOut();
        } else console.warn('[softphone] agent state poll failed', error);
      },
      setTimer: (callback, ms) => ports.setTimer(callback, ms),
      clearTimer: (handle) => ports.clearTimer(handle),
    });
  }

  /** The ACD's latest snapshot of this agent, `null` before the first poll or when signed out. */
  get agentStatus(): AgentStatus | null {
    return this.#agentStatus;
  }

  get machine(): SoftphoneStateMachine {
    return this.ports.machine;
  }

  /** Connects to the host CRM. Failure is a notice: the softphone works without its host. */
  async start(): Promise<void> {
    try {
      await this.ports.host.init();
    } catch (error) {
      this.ports.view.showNotice(`The ${this.ports.host.name} integration is unavailable.`, 'warning');
      console.error('[softphone] host init failed', error);
    }
    this.#stopDial = this.ports.host.onClickToDial((target) => this.dial(target));
  }

  /**
   * Click-to-dial: calls the clicked number or username through the bridge (internal calls to colleagues
   * until a PSTN trunk exists). Refused with a host notice, and nothing dialled, when signed out, when the
   * value is not dialable, or while a call rings or is in progress.
   */
  dial(target: DialTarget): void {
    const { machine, host, view } = this.ports;
    const session = this.#session;
    const ua = this.#ua;
    if (!session || !ua) return host.notify('Sign in to the softphone to make calls.', 'warning');
    if (machine.state !== 'idle' && machine.state !== 'ended') return host.notify('Finish the current call first.', 'warning');
    const parsed = parseDialTarget(target.phone);
    if (!parsed) return host.notify(`Cannot call "${target.phone}": not an extension or a phone number.`, 'warning');
    const callee = dialledContact(parsed, target.name);
    const label = callee.name || parsed.user;
    let call: AgentCall;
    try {
      call = ua.call(parsed.user, callee);
    } catch (error) {
      view.showNotice(`Could not call ${label}.`, 'error');
      console.error('[softphone] placing a call failed', error);
      return;
    }
    this.#clearIdleTimer();
    const record = { caller: call.caller, agent: session.agent, startedAt: this.ports.now(), direction: 'outbound' } as const;
    this.#track(call, record, () => {
      if (call === this.#call && machine.state === 'dialing') view.showDetail('Ringing…');
    });
    this.#dialled = { label, kind: parsed.kind };
    view.showCaller(call.caller, 'call');
    view.showDialing(label);
    view.showDetail('');
    machine.transition('dialing');
    host.setVisible(true).catch((error: unknown) => console.error('[softphone] setVisible failed', error));
  }

  async signIn(credentials: { tenant: string; username: string; password: string }): Promise<void> {
    if (this.machine.state !== 'signed-out') return;
    const { view } = this.ports;
    this.ports.ringtone.unlock(); // inside the click: lets the ringtone play later
    view.showSignInBusy(true);
    let session: AgentSession;
    try {
      session = await this.ports.api.login(credentials);
    } catch (error) {
      view.showSignInBusy(false);
      view.showSignInError(describeSoftphoneError(error));
      return;
    }
    view.showSignInBusy(false);
    if (this.machine.state !== 'signed-out') return;
    this.#session = session;
    view.showAgent(session.agent);
    view.showRegistration(false, 'Connecting…');
    this.#ua = this.ports.createUa(session, credentials.password, {
      registration: (registered, detail) => view.showRegistration(registered, detail),
      incoming: (call) => this.#incoming(call),
    });
    this.machine.transition('idle');
    this.#ua.start();
    this.#poller.start();
    // Signing in means "ready for calls" unless the agent had chosen a break before; the ACD's own reasons
    // (`missed`, `internal-call`) are not a choice.
    const chosen: Presence = this.#presence.state === 'away' && isAwayReason(this.#presence.reason)
      ? { state: 'away', reason: this.#presence.reason } : { state: 'available' };
    await this.setPresence(chosen);
  }

  async setPresence(presence: Presence): Promise<void> {
    const previous = this.#presence;
    this.#presence = presence;
    this.ports.view.showPresence(presence);
    if (!this.#session) return;
    this.#poller.invalidate(); // a poll sent before this change would answer with the old state
    try {
      await this.ports.api.setPresence(this.#session.token, presence);
    } catch (error) {
      this.#presence = previous;
      this.ports.view.showPresence(previous);
      this.ports.view.showNotice(describeSoftphoneError(error), 'error');
      if (error instanceof SoftphoneError && error.code === 'SOFTPHONE_ERR_SESSION_EXPIRED') {
        this.signOut();
        return;
      }
    }
    this.#poller.pollNow();
  }

  /** "Ready" during wrap-up (or after a missed call): available now. */
  ready(): Promise<void> {
    return this.setPresence({ state: 'available' });
  }

  signOut(): void {
    if (this.machine.state === 'signed-out') return;
    this.#call?.hangup(); // an answered call ends with BYE; a ringing one is declined by ua.stop()
    this.#ua?.stop();
    this.#ua = undefined;
    this.#session = undefined;
    this.#poller.stop();
    this.#agentStatus = null;
    this.ports.view.showAgentStatus(null);
    this.ports.ringtone.stop();
    this.#clearIdleTimer();
    if (!this.machine.can('signed-out') && this.machine.can('ended')) {
      // The call did not report its end synchronously; it is gone with the user agent all the same.
      this.#call = undefined;
      this.#record = undefined;
      this.machine.transition('ended');
    }
    if (this.machine.can('signed-out')) this.machine.transition('signed-out');
    this.ports.view.showAgent(null);
    this.ports.view.showRegistration(false, 'Signed out');
  }

  answer(): void {
    if (this.machine.state !== 'ringing' || !this.#call) return;
    this.ports.ringtone.stop();
    this.#call.answer(); // → accepted → in-call
  }

  reject(statusCode: 486 | 603 = 486): void {
    if (this.machine.state !== 'ringing' || !this.#call || !this.#record) return;
    this.ports.ringtone.stop();
    this.#record.rejected = true;
    this.#call.reject(statusCode); // → ended
  }

  /** Ends the call: BYE when in a call, CANCEL while an outgoing call is still being placed. */
  hangup(): void {
    if (this.machine.state === 'in-call' || this.machine.state === 'dialing') this.#call?.hangup();
  }

  toggleMute(): void {
    if (this.machine.state !== 'in-call' || !this.#call) return;
    this.#muted = !this.#muted;
    this.#call.setMuted(this.#muted);
    this.ports.view.showMuted(this.#muted);
  }

  async toggleHold(): Promise<void> {
    const call = this.#call;
    if (this.machine.state !== 'in-call' || !call) return;
    const next = !this.#held;
    this.ports.view.showHeld(this.#held, true);
    try {
      await call.setHold(next);
      if (call === this.#call) {
        this.#held = next;
        this.ports.view.showDetail(next ? 'The caller is on hold and hears hold music.' : '');
      }
    } catch (error) {
      this.ports.view.showNotice(next ? 'Could not put the caller on hold.' : 'Could not resume the call.', 'error');
      console.error('[softphone] hold failed', error);
    }
    if (call === this.#call) this.ports.view.showHeld(this.#held, false);
  }

  /**
   * Pauses or resumes the call's recording (redaction, e.g. while the caller reads a card number). A 409 means
   * the queue does not record: the toggle goes away for the rest of the call.
   */
  async toggleRecording(): Promise<void> {
    const call = this.#call;
    if (this.machine.state !== 'in-call' || !call || call.kind === 'callback') return;
    const toggle = this.#recording;
    const action = toggle.begin();
    if (!action) return;
    this.ports.view.showRecording(toggle.state, true);
    let status: number | null = 200;
    try {
      await call.sendRecordingControl(action);
    } catch (error) {
      status = refusedStatus(error);
      if (recordingAnswer(status) === 'failed') console.error('[softphone] recording control failed', error);
    }
    const answer = recordingAnswer(status);
    toggle.settle(answer);
    if (call !== this.#call) return; // the call ended meanwhile: its controls are gone
    if (answer === 'failed') {
      this.ports.view.showNotice(action === 'pause-recording'
        ? 'Could not pause the recording: assume it is still recording.'
        : 'Could not resume the recording: it may still be paused.', 'error');
    }
    this.ports.view.showRecording(toggle.state, false);
  }

  /** Ends everything; used when the console is torn down. */
  async dispose(): Promise<void> {
    this.signOut();
    this.#stopDial?.();
    await this.ports.host.close();
  }

  #incoming(call: AgentCall): void {
    const { machine, view, host } = this.ports;
    const session = this.#session;
    if (!session || (machine.state !== 'idle' && machine.state !== 'ended')) {
      call.reject(486); // already on a call: the bridge should not have offered it
      return;
    }
    this.#clearIdleTimer();
    this.#track(call, { caller: call.caller, agent: session.agent, startedAt: this.ports.now(), kind: call.kind });
    view.showCaller(call.caller, call.kind);
    view.showDetail('');
    machine.transition('ringing');
    this.ports.ringtone.start();
    host.setVisible(true).catch((error: unknown) => console.error('[softphone] setVisible failed', error));
  }

  /** The call this console now shows, with fresh in-call controls, and its events. */
  #track(call: AgentCall, record: CallRecord, progress?: () => void): void {
    this.#call = call;
    this.#record = record;
    this.#dialled = undefined;
    this.#muted = false;
    this.#held = false;
    this.#recording = new RecordingToggle(); // the bridge starts every call's recording unpaused
    call.events = {
      accepted: () => this.#answered(call),
      ...(progress ? { progress } : {}),
      remoteStream: (stream) => {
        if (call === this.#call) this.ports.view.playRemote(stream);
      },
      ended: (end) => this.#ended(call, end),
    };
  }

  #answered(call: AgentCall): void {
    const state = this.machine.state;
    if (call !== this.#call || !this.#record || (state !== 'ringing' && state !== 'dialing')) return;
    const now = this.ports.now();
    this.#record.answeredAt = now;
    this.machine.transition('in-call');
    this.ports.view.showAnswered(now);
    this.ports.view.showMuted(false);
    this.ports.view.showHeld(false, false);
    this.ports.view.showRecording(this.#recording.state, false);
    if (call.direction === 'outgoing') return; // the agent dialled from the record that is already open
    this.ports.host.screenPop(call.caller).catch((error: unknown) => {
      this.ports.view.showNotice('Could not open the caller in the CRM.', 'warning');
      console.error('[softphone] screen pop failed', error);
    });
  }

  #ended(call: AgentCall, end: CallEnd): void {
    if (call !== this.#call || !this.#record) return;
    const record = this.#record;
    const dialled = this.#dialled;
    const { view, host } = this.ports;
    this.#call = undefined;
    this.#record = undefined;
    this.#dialled = undefined;
    this.ports.ringtone.stop();
    view.playRemote(null);

    const text = dialled ? describeDialEnd(end, record.answeredAt !== undefined, dialled) : describeIncomingEnd(end, record);
    const entry = buildCallLog({ ...record, rejected: text.outcome === 'rejected' }, this.ports.now(), text.outcome === 'failed');
    host.logCall(entry).catch((error: unknown) => {
      view.showNotice('Could not log the call in the CRM.', 'warning');
      console.error('[softphone] logCall failed', error);
    });
    view.showDetail(text.detail);
    if (text.notice) view.showNotice(text.notice.message, text.notice.kind);
    if (text.hostNotice) host.notify(text.hostNotice, 'info');
    this.#poller.pollNow(); // wrap-up, or away/missed after a ring-no-answer

    if (this.machine.can('ended')) this.machine.transition('ended');
    this.#idleTimer = this.ports.setTimer(() => {
      this.#idleTimer = undefined;
      if (this.machine.state === 'ended') {
        view.showCaller(null);
        view.showDetail('');
        this.machine.transition('idle');
      }
    }, ENDED_PAUSE_MS);
  }

  #agentStatusArrived(status: AgentStatus): void {
    const before = this.#agentStatus;
    this.#agentStatus = status;
    const presence = shownPresence(status);
    if (presence) this.#presence = presence;
    this.ports.view.showAgentStatus(status);
    if (missedCall(status) && !missedCall(before)) {
      this.ports.host.notify('You missed a call and were set to away. Set yourself available when ready.', 'warning');
    }
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== undefined) this.ports.clearTimer(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}
