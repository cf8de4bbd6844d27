/**
 * The agent console's DOM: sign-in form, presence selector, registration indicator, incoming-call card and
 * in-call controls. Renders the {@link SoftphoneStateMachine}; turns clicks into {@link SoftphoneIntents}.
 * Caller details are inserted with `textContent` only.
 *
 * Stable test hooks: `input[name=username|password|tenant]`, `button[data-softphone=sign-in|sign-out]`,
 * `[data-softphone=agent-name]`, the agent state's (see `agent-state-view.ts`: `select[data-softphone=state]`,
 * `select[data-softphone=away-reason]`, `[data-softphone=wrap-up]`, `button[data-softphone=ready]`),
 * `[data-softphone=registration][data-state=registered|unregistered]`,
 * `[data-softphone=call-kind]` (`call|callback`, visible while ringing or in a call),
 * `[data-softphone=incoming]` (visible only while ringing) with `caller-name|caller-phone|caller-email|
 * caller-queue|incoming-title|callback-number`, `button[data-softphone=answer|reject|decline]`,
 * `[data-softphone=in-call]` with `button[data-softphone=mute|hold|hangup]` (`hangup` reads "Done" for a
 * callback), `button[data-softphone=recording][data-state=recording|paused]` (pause/resume the recording; not
 * for a callback, gone once the bridge says the call is not recorded), `[data-softphone=recording-status]`
 * (`data-state=paused|not-recorded`: "Recording paused", "This call is not recorded"),
 * `[data-softphone=dial-number]` (a callback's number to dial) and `[data-softphone=timer]`,
 * `[data-softphone=outgoing]` (visible only while an outgoing call is being placed) with `outgoing-target`
 * ("Calling bob…") and `button[data-softphone=cancel-call]`,
 * `[data-softphone=status][data-state=signed-out|idle|ringing|dialing|in-call|ended]`.
 */
import { AWAY_REASONS, type Presence } from './agent-presence.js';
import { AgentStateView } from './agent-state-view.js';
import type { AgentStatus, ShownPresence } from './agent-status.js';
import { dialHref, type CallKind } from './call-kind.js';
import type { SoftphoneCallState, SoftphoneStateMachine } from './call-state.js';
import { el, show } from '../../../browser-kit/src/dom.js';
import { formatDuration } from '../../../browser-kit/src/duration.js';
import type { AgentRef, CallerInfo, NoticeKind } from './host-adapter.js';
import type { RecordingState } from './recording-control.js';
import type { SoftphoneViewPort } from './softphone-controller.js';

export interface SoftphoneIntents {
  signIn(credentials: { tenant: string; username: string; password: string }): void;
  signOut(): void;
  setPresence(presence: Presence): void;
  answer(): void;
  reject(statusCode: 486 | 603): void;
  /** Hang up; while an outgoing call is being placed, cancel it. */
  hangup(): void;
  toggleMute(): void;
  toggleHold(): void;
  /** Pause or resume the call's recording. */
  toggleRecording(): void;
  /** "Ready" during wrap-up: available now. */
  ready(): void;
}

const NOTICE_MS = 8000;

export class SoftphoneView implements SoftphoneViewPort {
  readonly element: HTMLElement;
  readonly #q: <T extends HTMLElement = HTMLElement>(hook: string) => T;
  readonly #agentState: AgentStateView;
  #presence: ShownPresence = { state: 'available' };
  #agentStatus: AgentStatus | null = null;
  #kind: CallKind = 'call';
  #recording: RecordingState = 'recording';
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly machine: SoftphoneStateMachine,
    private readonly intents: SoftphoneIntents,
    options: { readonly tenant?: string; readonly now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.#agentState = new AgentStateView(intents, this.now);
    this.element = this.#build(options.tenant ?? 'demo');
    this.#q = (hook) => {
      const found = this.element.querySelector(`[data-softphone="${hook}"]`);
      if (!found) throw new Error(`softphone view: missing hook ${hook}`);
      return found as never;
    };
    this.#wire();
    machine.onChange((state, previous) => this.#render(state, state !== previous));
    this.#render(machine.state, false);
  }

  private readonly now: () => number;

  // ---- SoftphoneViewPort ---------------------------------------------------------------------------------

  showAgent(agent: AgentRef | null): void {
    this.#q('agent-name').textContent = agent ? agent.displayName : '';
    if (!agent) this.#q<HTMLInputElement>('password-input').value = '';
  }

  showSignInBusy(busy: boolean): void {
    const button = this.#q<HTMLButtonElement>('sign-in');
    button.disabled = busy;
    button.textContent = busy ? 'Signing in…' : 'Sign in';
    if (busy) this.#q('sign-in-error').textContent = '';
  }

  showSignInError(message: string): void {
    this.#q('sign-in-error').textContent = message;
    this.#q<HTMLInputElement>('password-input').focus();
  }

  showRegistration(registered: boolean, detail: string): void {
    const indicator = this.#q('registration');
    indicator.setAttribute('data-state', registered ? 'registered' : 'unregistered');
    indicator.setAttribute('title', detail);
    indicator.setAttribute('aria-label', `SIP: ${detail}`);
    this.#q('registration-text').textContent = registered ? 'Online' : 'Offline';
  }

  showPresence(presence: ShownPresence): void {
    this.#presence = presence;
    this.#agentState.showPresence(presence);
    this.#render(this.machine.state, false);
  }

  showAgentStatus(status: AgentStatus | null): void {
    this.#agentStatus = status;
    this.#agentState.showAgentStatus(status);
    this.#render(this.machine.state, false);
  }

  showCaller(caller: CallerInfo | null, kind: CallKind = 'call'): void {
    this.#kind = caller ? kind : 'call';
    const callback = this.#kind === 'callback';
    const name = caller?.name || (callback ? 'Customer' : 'Unknown caller');
    const phone = caller?.phone ?? '';
    this.#q('call-kind').textContent = this.#kind;
    this.#q('call-kind').setAttribute('data-kind', this.#kind);
    this.#q('incoming-title').textContent = callback ? 'Callback request' : 'Incoming call';
    this.#q('incoming').setAttribute('aria-label', callback ? 'Callback request' : 'Incoming call');
    this.#q('callback-number').textContent = !callback ? '' : phone ? `Call ${phone} back` : 'Call the customer back';
    show(this.#q('callback-number'), callback);
    this.#q('caller-name').textContent = caller ? name : '';
    this.#q('caller-phone').textContent = phone;
    show(this.#q('caller-phone'), !callback);
    this.#q('caller-email').textContent = caller?.email ?? '';
    this.#q('caller-queue').textContent = caller?.queue ? `Queue: ${caller.queue}` : '';
    this.#q('active-caller').textContent = caller ? [name, callback ? '' : phone].filter(Boolean).join(' · ') : '';
    this.#q<HTMLButtonElement>('answer').textContent = callback ? 'Accept' : 'Answer';

    // A callback's agent leg reaches the bridge only (PSTN dial-out comes later): show the number to dial.
    const dial = this.#q<HTMLAnchorElement>('dial-number');
    const href = callback ? dialHref(phone) : null;
    dial.textContent = phone;
    if (href) dial.setAttribute('href', href);
    else dial.removeAttribute('href');
    show(this.#q('dial-out'), callback);
    show(this.#q('mute'), !callback);
    show(this.#q('hold'), !callback);
    this.#renderRecording();
    this.#q('hangup').textContent = callback ? 'Done' : 'Hang up';
    this.#q('hangup').setAttribute('aria-label', callback ? 'Done — end the callback' : 'Hang up');
  }

  showDialing(label: string): void {
    this.#q('outgoing-target').textContent = `Calling ${label}…`;
  }

  showAnswered(since: number): void {
    this.#stopTimer();
    const timer = this.#q('timer');
    const tick = (): void => {
      timer.textContent = formatDuration(this.now() - since);
    };
    tick();
    this.#timer = setInterval(tick, 1000);
  }

  showDetail(text: string): void {
    this.#q('detail').textContent = text;
  }

  showMuted(muted: boolean): void {
    const button = this.#q('mute');
    button.setAttribute('aria-pressed', String(muted));
    button.textContent = muted ? 'Unmute' : 'Mute';
  }

  showHeld(held: boolean, busy: boolean): void {
    const button = this.#q<HTMLButtonElement>('hold');
    button.setAttribute('aria-pressed', String(held));
    button.textContent = held ? 'Resume' : 'Hold';
    button.disabled = busy;
  }

  showRecording(state: RecordingState, busy: boolean): void {
    this.#recording = state;
    this.#q<HTMLButtonElement>('recording').disabled = busy;
    this.#renderRecording();
  }

  playRemote(stream: MediaStream | null): void {
    const audio = this.#q<HTMLAudioElement>('audio');
    audio.srcObject = stream;
    if (stream) audio.play().catch(() => undefined);
  }

  showNotice(message: string, kind: NoticeKind): void {
    const notice = el('p', { class: 'sp-notice', 'data-kind': kind, role: kind === 'error' ? 'alert' : 'status' },
      [message]);
    this.#q('notices').append(notice);
    setTimeout(() => notice.remove(), NOTICE_MS);
  }

  // ---- building ------------------------------------------------------------------------------------------

  #build(tenant: string): HTMLElement {
    const button = (hook: string, label: string, cls: string, extra: Record<string, string> = {}) =>
      el('button', { type: 'button', class: `sp-btn ${cls}`, 'data-softphone': hook, ...extra }, [label]);

    const signInForm = el('form', { class: 'sp-body', 'data-softphone': 'sign-in-form', novalidate: true }, [
      el('h1', {}, ['Agent sign-in']),
      el('label', {}, ['Username', el('input', { name: 'username', autocomplete: 'username', required: true,
        autocapitalize: 'none', spellcheck: 'false' })]),
      el('label', {}, ['Password', el('input', { name: 'password', type: 'password', required: true,
        autocomplete: 'current-password', 'data-softphone': 'password-input' })]),
      el('details', {}, [
        el('summary', {}, ['Advanced']),
        el('label', {}, ['Tenant', el('input', { name: 'tenant', value: tenant, autocomplete: 'organization',
          autocapitalize: 'none', spellcheck: 'false' })]),
      ]),
      el('p', { class: 'sp-error', 'data-softphone': 'sign-in-error', role: 'alert' }),
      el('button', { type: 'submit', class: 'sp-btn', 'data-softphone': 'sign-in' }, ['Sign in']),
    ]);

    const incoming = el('div', { class: 'sp-card ringing', 'data-softphone': 'incoming', role: 'alertdialog',
      'aria-label': 'Incoming call', hidden: true }, [
      el('p', { class: 'sp-title', 'data-softphone': 'incoming-title' }, ['Incoming call']),
      el('p', { class: 'sp-meta', 'data-softphone': 'caller-queue' }),
      el('p', { class: 'sp-callback', 'data-softphone': 'callback-number', hidden: true }),
      el('p', { class: 'sp-name', 'data-softphone': 'caller-name' }),
      el('p', { 'data-softphone': 'caller-phone' }),
      el('p', { 'data-softphone': 'caller-email' }),
      el('div', { class: 'sp-row' }, [
        button('answer', 'Answer', 'answer'),
        button('reject', 'Busy', 'danger', { 'aria-label': 'Reject (busy)' }),
      ]),
      el('button', { type: 'button', class: 'sp-link', 'data-softphone': 'decline' }, ['Decline (do not requeue to me)']),
    ]);

    const outgoing = el('div', { class: 'sp-card outgoing', 'data-softphone': 'outgoing', role: 'status',
      'aria-label': 'Outgoing call', hidden: true }, [
      el('p', { class: 'sp-title' }, ['Outgoing call']),
      el('p', { class: 'sp-name', 'data-softphone': 'outgoing-target' }),
      button('cancel-call', 'Cancel', 'danger', { 'aria-label': 'Cancel the call' }),
    ]);

    const inCall = el('div', { class: 'sp-card live', 'data-softphone': 'in-call', hidden: true }, [
      el('p', { class: 'sp-name', 'data-softphone': 'active-caller' }),
      el('div', { class: 'sp-dial-out', 'data-softphone': 'dial-out', hidden: true }, [
        el('p', { class: 'sp-meta' }, ['Call this number back:']),
        el('a', { class: 'sp-callback', 'data-softphone': 'dial-number' }),
        el('p', { class: 'sp-meta' }, ['Dial it from your phone, then press Done.']),
      ]),
      el('p', { class: 'sp-timer', 'data-softphone': 'timer', 'aria-label': 'Call duration' }, ['00:00']),
      el('div', { class: 'sp-row3' }, [
        button('mute', 'Mute', 'quiet', { 'aria-pressed': 'false' }),
        button('hold', 'Hold', 'quiet', { 'aria-pressed': 'false' }),
        button('hangup', 'Hang up', 'danger'),
      ]),
      el('div', { class: 'sp-rec-row' }, [
        button('recording', 'Pause recording', 'quiet', { 'data-state': 'recording', 'aria-pressed': 'false' }),
        el('p', { class: 'sp-rec', 'data-softphone': 'recording-status', 'data-state': 'recording', role: 'status',
          'aria-live': 'polite', hidden: true }),
      ]),
    ]);

    const consoleBody = el('div', { class: 'sp-body', 'data-softphone': 'console-body', hidden: true }, [
      this.#agentState.element,
      el('p', { class: 'sp-kind', 'data-softphone': 'call-kind', 'data-kind': 'call', hidden: true }, ['call']),
      incoming,
      outgoing,
      inCall,
    ]);

    return el('section', { class: 'sp', 'data-softphone': 'console', 'aria-label': 'Sambung softphone' }, [
      el('header', { class: 'sp-bar' }, [
        el('span', { class: 'sp-brand' }, ['Sambung']),
        el('span', { class: 'sp-reg', 'data-softphone': 'registration', 'data-state': 'unregistered', role: 'img',
          'aria-label': 'SIP: not registered' }, [el('span', { 'data-softphone': 'registration-text' }, ['Offline'])]),
        el('button', { type: 'button', class: 'sp-icon', 'data-softphone': 'sign-out', 'aria-label': 'Sign out',
          title: 'Sign out', hidden: true }, ['Sign out']),
      ]),
      el('div', { class: 'sp-body' }, [
        el('p', { class: 'sp-agent', 'data-softphone': 'agent-name' }),
        el('p', { class: 'sp-status', 'data-softphone': 'status', 'data-state': 'signed-out', role: 'status',
          'aria-live': 'polite' }),
        el('p', { class: 'sp-detail', 'data-softphone': 'detail' }),
      ]),
      signInForm,
      consoleBody,
      el('div', { class: 'sp-notices', 'data-softphone': 'notices', 'aria-live': 'polite' }),
      el('audio', { autoplay: true, 'data-softphone': 'audio' }),
    ]);
  }

  #wire(): void {
    const form = this.#q<HTMLFormElement>('sign-in-form');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
      const credentials = { tenant: field('tenant') || 'demo', username: field('username'), password: '' };
      credentials.password = (form.elements.namedItem('password') as HTMLInputElement).value;
      if (!credentials.username || !credentials.password) {
        this.showSignInError('Enter your username and password.');
        return;
      }
      this.intents.signIn(credentials);
    });
    this.#q('sign-out').addEventListener('click', () => this.intents.signOut());

    this.#q<HTMLButtonElement>('answer').addEventListener('click', (event) => {
      (event.currentTarget as HTMLButtonElement).disabled = true; // answering takes a moment (ICE); no double click
      this.intents.answer();
    });
    this.#q('reject').addEventListener('click', () => this.intents.reject(486));
    this.#q('decline').addEventListener('click', () => this.intents.reject(603));
    this.#q('mute').addEventListener('click', () => this.intents.toggleMute());
    this.#q('hold').addEventListener('click', () => this.intents.toggleHold());
    this.#q('recording').addEventListener('click', () => this.intents.toggleRecording());
    this.#q('hangup').addEventListener('click', () => this.intents.hangup());
    this.#q('cancel-call').addEventListener('click', () => this.intents.hangup());
  }

  #render(state: SoftphoneCallState, entered: boolean): void {
    const status = this.#q('status');
    status.setAttribute('data-state', state);
    status.textContent = statusText(state, this.#presence, this.#agentStatus);
    const signedIn = state !== 'signed-out';
    show(this.#q('sign-in-form'), !signedIn);
    show(this.#q('console-body'), signedIn);
    show(this.#q('sign-out'), signedIn);
    show(this.#q('incoming'), state === 'ringing');
    show(this.#q('outgoing'), state === 'dialing');
    show(this.#q('in-call'), state === 'in-call');
    show(this.#q('call-kind'), state === 'ringing' || state === 'in-call');
    this.#q<HTMLButtonElement>('answer').disabled = state !== 'ringing';
    if (state !== 'in-call') this.#stopTimer();
    if (!entered) return;
    if (state === 'ringing') this.#q('answer').focus();
    if (state === 'dialing') this.#q('cancel-call').focus();
    if (state === 'in-call') this.#q('hangup').focus();
    if (state === 'signed-out') this.element.querySelector<HTMLInputElement>('input[name="username"]')?.focus();
  }

  /** The toggle and its status line, from the call's kind and its recording state. */
  #renderRecording(): void {
    const state = this.#recording;
    const call = this.#kind !== 'callback';
    const button = this.#q('recording');
    const paused = state === 'paused';
    button.setAttribute('data-state', paused ? 'paused' : 'recording');
    button.setAttribute('aria-pressed', String(paused));
    button.textContent = paused ? 'Resume recording' : 'Pause recording';
    show(button, call && state !== 'not-recorded');
    const status = this.#q('recording-status');
    status.setAttribute('data-state', state);
    status.textContent = state === 'paused' ? 'Recording paused' : state === 'not-recorded' ? 'This call is not recorded' : '';
    show(status, call && state !== 'recording');
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

export function statusText(state: SoftphoneCallState, presence: ShownPresence, agent: AgentStatus | null = null): string {
  switch (state) {
    case 'signed-out':
      return 'Signed out';
    case 'idle':
      return agent ? idleText(agent) : presence.state === 'available' ? 'Available — waiting for calls'
        : 'Away — calls will not ring';
    case 'ringing':
      return 'Incoming call';
    case 'dialing':
      return 'Calling…';
    case 'in-call':
      return 'On a call';
    case 'ended':
      return 'Call ended';
  }
}

/** The status line between calls, from the ACD's snapshot. */
function idleText(agent: AgentStatus): string {
  switch (agent.state) {
    case 'available':
      return agent.registered ? 'Available — waiting for calls' : 'Available — connecting your phone…';
    case 'reserved':
      return 'A call is being offered to you…';
    case 'on-call':
      return 'On a call';
    case 'wrap-up':
      return 'Wrap-up — calls will not ring until you are ready';
    case 'away':
      return agent.awayReason === 'missed' ? 'Away after a missed call — calls will not ring'
        : `Away (${AWAY_REASONS.find((r) => r.value === agent.awayReason)?.label ?? 'Break'}) — calls will not ring`;
    case 'offline':
      return 'Offline — calls will not ring';
  }
}
