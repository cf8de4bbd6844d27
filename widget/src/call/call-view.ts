/**
 * The call panel inside the widget's shadow root. Renders the {@link CallStateMachine}'s status and turns
 * the visitor's clicks into {@link CallViewIntents}; holds no call logic of its own. The queue's alternatives
 * are drawn by {@link KeepPlaceView} and {@link DeflectionView} (with its {@link CallbackSchedulerView}); a
 * voicemail's greeting and recording timer by {@link VoicemailView}, ended with the hang-up button ("Finish
 * message").
 *
 * Test hooks (stable): `[data-sambung="status"][data-state]`, `[data-sambung="wait-estimate"]` (inside the
 * status while an estimate is known), `[data-sambung="notice"]`, `input[name=name|phone|email]`,
 * `button[data-sambung=start|hangup|mute|again|close]`, `[data-sambung="keypad"] button[data-digit]`,
 * `[data-sambung="timer"]`, `audio[data-sambung="audio"]`, `[data-sambung="voicemail-done"]` (inside the status
 * once a voicemail ended normally); and those of the sub-views.
 */
import { isInCall, type CallStateMachine, type CallStatus } from './call-state.js';
import { callStyles } from './call-styles.js';
import type { SchedulerStateMachine } from './callback-scheduler-state.js';
import { CallbackSchedulerView, type SchedulerIntents } from './callback-scheduler-view.js';
import type { DisplayZone } from './callback-slots.js';
import { describeDeflectReason, describeVoicemailStatus } from './deflection-wording.js';
import { DeflectionView } from './deflection-view.js';
import { el, show } from '../../../browser-kit/src/dom.js';
import { formatDuration } from '../../../browser-kit/src/duration.js';
import { KeepPlaceView, type KeepPlaceIntents } from './keep-place-view.js';
import { VoicemailView } from './voicemail-view.js';
import { describeQueue, describeQueuePosition, describeWaitEstimate } from './queue-wording.js';
import type { FieldErrors, VisitorField, VisitorFormInput } from './validate.js';

export interface CallViewIntents extends KeepPlaceIntents, SchedulerIntents {
  start(input: VisitorFormInput): void;
  hangup(): void;
  toggleMute(): void;
  digit(digit: string): void;
  callAgain(): void;
  close(): void;
}

export interface CallViewOptions {
  readonly now?: () => number;
  /** Where slot times are shown; defaults to the browser's locale and zone. */
  readonly zone?: DisplayZone;
}

/** What the controller may ask of the view besides rendering state. */
export interface CallViewPort {
  showFieldErrors(errors: FieldErrors): void;
  showMuted(muted: boolean): void;
  playRemote(stream: MediaStream | null): void;
}

const FIELDS: readonly { name: VisitorField; label: string; type: string; autocomplete: string; optional?: boolean }[] = [
  { name: 'name', label: 'Your name', type: 'text', autocomplete: 'name' },
  { name: 'phone', label: 'Phone number', type: 'tel', autocomplete: 'tel' },
  { name: 'email', label: 'E-mail', type: 'email', autocomplete: 'email', optional: true },
];
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export class CallView implements CallViewPort {
  readonly panel: HTMLElement;
  readonly #status: HTMLElement;
  readonly #form: HTMLFormElement;
  readonly #inputs = new Map<VisitorField, HTMLInputElement>();
  readonly #errors = new Map<VisitorField, HTMLElement>();
  readonly #callArea: HTMLElement;
  readonly #timer: HTMLElement;
  readonly #keypad: HTMLElement;
  readonly #mute: HTMLButtonElement;
  readonly #again: HTMLButtonElement;
  readonly #hangup: HTMLButtonElement;
  readonly #audio: HTMLAudioElement;
  readonly #style: HTMLStyleElement;
  readonly #estimate: HTMLElement;
  readonly #notice: HTMLElement;
  readonly #close: HTMLButtonElement;
  readonly #keepPlace: KeepPlaceView;
  readonly #deflection: DeflectionView;
  readonly #voicemail: VoicemailView;
  readonly #controls: HTMLElement;
  readonly #voicemailDone: HTMLElement;
  readonly now: () => number;
  #timerHandle: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly root: ShadowRoot,
    label: string,
    private readonly machine: CallStateMachine,
    scheduler: SchedulerStateMachine,
    private readonly intents: CallViewIntents,
    options: CallViewOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const zone = options.zone ?? browserZone();
    this.#style = el('style', {}, [callStyles]);
    this.#status = el('p', { class: 'status', 'data-sambung': 'status', 'data-state': 'idle', role: 'status',
      'aria-live': 'polite', tabindex: '-1' });
    this.#estimate = el('span', { 'data-sambung': 'wait-estimate' });
    this.#notice = el('p', { class: 'notice', role: 'alert', 'data-sambung': 'notice', hidden: true });
    this.#keepPlace = new KeepPlaceView(intents);
    this.#deflection = new DeflectionView(new CallbackSchedulerView(scheduler, intents, zone));
    this.#voicemail = new VoicemailView(this.now);
    this.#voicemailDone = el('span', { 'data-sambung': 'voicemail-done' });

    this.#form = el('form', { 'data-sambung': 'form', novalidate: true }, [
      ...FIELDS.map((field) => this.#field(field)),
      el('p', { class: 'note' }, ['We use these details only to help you on this call.']),
      el('button', { type: 'submit', class: 'btn', 'data-sambung': 'start' }, ['Start call']),
    ]);
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.intents.start(this.values());
    });

    this.#timer = el('div', { class: 'timer', 'data-sambung': 'timer', 'aria-label': 'Call duration' }, ['00:00']);
    this.#mute = el('button', { type: 'button', class: 'btn secondary', 'data-sambung': 'mute', 'aria-pressed': 'false' },
      ['Mute']);
    this.#mute.addEventListener('click', () => this.intents.toggleMute());
    this.#hangup = el('button', { type: 'button', class: 'btn danger', 'data-sambung': 'hangup' }, ['Hang up']);
    this.#hangup.addEventListener('click', () => this.intents.hangup());
    const keypad = (this.#keypad = el('div', { class: 'keypad', 'data-sambung': 'keypad', role: 'group', 'aria-label': 'Keypad' },
      DIGITS.map((digit) => {
        const key = el('button', { type: 'button', 'data-digit': digit, 'aria-label': `Dial ${digit}` }, [digit]);
        key.addEventListener('click', () => this.intents.digit(digit));
        return key;
      })));
    this.#controls = el('div', { class: 'row' }, [this.#mute, this.#hangup]);
    this.#callArea = el('div', { 'data-sambung': 'call' }, [
      this.#timer,
      this.#voicemail.element,
      this.#controls,
      this.#keepPlace.element,
      keypad,
    ]);

    this.#again = el('button', { type: 'button', class: 'btn', 'data-sambung': 'again' }, ['Call again']);
    this.#again.addEventListener('click', () => this.intents.callAgain());

    const close = (this.#close = el('button', { type: 'button', class: 'icon-btn', 'data-sambung': 'close',
      'aria-label': 'Minimise call panel' }, ['×']));
    close.addEventListener('click', () => this.intents.close());

    this.#audio = el('audio', { autoplay: true, 'data-sambung': 'audio' });
    this.panel = el('section', { class: 'panel', role: 'dialog', 'aria-label': label, 'data-sambung': 'panel',
      hidden: true }, [
      el('div', { class: 'head' }, [el('h2', { class: 'title' }, [label]), close]),
      this.#status,
      this.#notice,
      this.#form,
      this.#callArea,
      this.#deflection.element,
      this.#again,
      this.#audio,
    ]);
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.intents.close();
    });

    root.append(this.#style, this.panel);
    machine.onChange((status, previous) => this.#render(status, previous));
    this.#render(machine.status, machine.status);
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  setOpen(open: boolean): void {
    show(this.panel, open);
    if (open) this.#focusForState();
  }

  values(): VisitorFormInput {
    return {
      name: this.#inputs.get('name')!.value,
      phone: this.#inputs.get('phone')!.value,
      email: this.#inputs.get('email')!.value,
    };
  }

  showFieldErrors(errors: FieldErrors): void {
    let first: HTMLInputElement | undefined;
    for (const { name } of FIELDS) {
      const message = errors[name];
      const input = this.#inputs.get(name)!;
      input.setAttribute('aria-invalid', message ? 'true' : 'false');
      this.#errors.get(name)!.textContent = message ?? '';
      if (message && !first) first = input;
    }
    first?.focus();
  }

  showMuted(muted: boolean): void {
    this.#mute.setAttribute('aria-pressed', String(muted));
    this.#mute.textContent = muted ? 'Unmute' : 'Mute';
  }

  playRemote(stream: MediaStream | null): void {
    this.#audio.srcObject = stream;
    // autoplay may be refused if the page lost its user activation; the click that started the call usually
    // suffices, and a refused play() is not an error worth surfacing (hold audio resumes on the next attempt).
    if (stream) this.#audio.play().catch(() => undefined);
  }

  destroy(): void {
    this.#stopTimer();
    this.#voicemail.stop();
    this.playRemote(null);
    this.panel.remove();
    this.#style.remove();
  }

  #field(field: (typeof FIELDS)[number]): HTMLElement {
    const errorId = `sambung-${field.name}-error`;
    const input = el('input', {
      name: field.name,
      type: field.type,
      autocomplete: field.autocomplete,
      inputmode: field.type === 'tel' ? 'tel' : undefined,
      maxlength: '200',
      required: !field.optional,
      'aria-describedby': errorId,
      'aria-invalid': 'false',
    });
    const error = el('span', { class: 'err', id: errorId, 'data-sambung': `${field.name}-error` });
    this.#inputs.set(field.name, input);
    this.#errors.set(field.name, error);
    return el('label', {}, [
      el('span', {}, [field.label, field.optional ? el('span', { class: 'opt' }, [' (optional)']) : null]),
      input,
      error,
    ]);
  }

  #render(status: CallStatus, previous: CallStatus): void {
    this.#status.setAttribute('data-state', status.state);
    this.#status.toggleAttribute('data-error', status.state === 'ended' && status.error);
    this.#renderStatusText(status);
    const notice = status.state === 'waiting' ? status.notice ?? '' : '';
    this.#notice.textContent = notice;
    show(this.#notice, notice !== '');
    const inCall = isInCall(status.state);
    show(this.#form, status.state === 'form');
    show(this.#callArea, inCall);
    show(this.#timer, status.state === 'connected');
    // DTMF goes to the agent; while queued there is no one to hear it (and no confirmed dialog to carry it).
    show(this.#keypad, status.state === 'connected');
    // A voicemail records what the microphone hears: no mute, and the one action is to finish the message.
    const voicemail = status.state === 'voicemail';
    show(this.#mute, !voicemail);
    this.#controls.className = voicemail ? 'row single' : 'row';
    this.#hangup.textContent = voicemail ? 'Finish message' : 'Hang up';
    this.#hangup.className = voicemail ? 'btn' : 'btn danger';
    show(this.#again, status.state === 'ended' || status.state === 'deflected');
    this.#again.className = status.state === 'deflected' ? 'btn secondary' : 'btn';
    this.#form.querySelector('button')!.disabled = status.state !== 'form';
    if (!inCall) this.showMuted(false);
    this.#keepPlace.render(status, previous);
    this.#deflection.render(status, previous);
    this.#voicemail.render(status, previous);

    if (status.state === 'connected') this.#startTimer(status.since);
    else this.#stopTimer();
    if (status.state !== previous.state && this.isOpen) this.#focusForState();
  }

  /** The status line; while queued, "You are number 2 in line — about 3 minutes" with the estimate its own span. */
  #renderStatusText(status: CallStatus): void {
    if (status.state === 'ended' && status.voicemailRecorded) {
      this.#voicemailDone.textContent = status.reason;
      this.#status.replaceChildren(this.#voicemailDone);
      return;
    }
    if (status.state !== 'waiting' && status.state !== 'keeping-place') {
      this.#status.textContent = statusText(status);
      return;
    }
    const estimate = status.agentRinging ? undefined : describeWaitEstimate(status.estimatedWaitSec);
    this.#estimate.textContent = estimate ?? '';
    this.#status.replaceChildren(describeQueuePosition(status), ...(estimate ? [' — ', this.#estimate] : []));
  }

  #focusForState(): void {
    const state = this.machine.state;
    if (state === 'form') {
      const firstEmpty = FIELDS.map((f) => this.#inputs.get(f.name)!).find((input) => input.value === '');
      (firstEmpty ?? this.#inputs.get('name')!).focus();
    } else if (state === 'ended') this.#again.focus();
    else if (state === 'deflected') this.#deflection.focus();
    else if (state === 'place-kept') this.#status.focus();
    else if (isInCall(state)) {
      // Keep focus where it is if it is already inside the call controls (e.g. on the keypad).
      if (!this.#callArea.contains(this.root.activeElement)) this.#hangup.focus();
    }
    if (!this.panel.contains(this.root.activeElement)) this.#close.focus();
  }

  #startTimer(since: number): void {
    this.#stopTimer();
    const tick = (): void => {
      this.#timer.textContent = formatDuration(this.now() - since);
    };
    tick();
    this.#timerHandle = setInterval(tick, 1000);
  }

  #stopTimer(): void {
    if (this.#timerHandle !== undefined) clearInterval(this.#timerHandle);
    this.#timerHandle = undefined;
  }
}

export function statusText(status: CallStatus): string {
  switch (status.state) {
    case 'idle':
      return '';
    case 'form':
      return 'Tell us who you are and we will connect you.';
    case 'connecting':
      return 'Connecting…';
    case 'waiting':
    case 'keeping-place':
      return describeQueue(status);
    case 'connected':
      return status.agent ? `Connected with ${status.agent}` : 'Connected with an agent';
    case 'voicemail':
      return describeVoicemailStatus(status.voicemail.reason);
    case 'ended':
      return status.reason;
    case 'deflected':
      return describeDeflectReason(status.deflection.reason);
    case 'place-kept':
      return `We'll call you back on ${status.phone} when it's your turn.`;
  }
}

function browserZone(): DisplayZone {
  let timeZone: string | undefined;
  try {
    timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    timeZone = undefined;
  }
  return { locale: navigator.language || 'en', timeZone };
}
