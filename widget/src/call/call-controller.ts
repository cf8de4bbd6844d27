/**
 * Orchestrates one widget: form → microphone → token → SIP call, driving the {@link CallStateMachine}.
 * Every dependency with I/O is a port, so the whole flow runs in node under test with fakes.
 */
import type { WidgetOptions } from '../handshake.js';
import { CallStateMachine, isInCall } from './call-state.js';
import type { CallViewIntents, CallViewPort } from './call-view.js';
import { describeCallEnd } from './end-reason.js';
import type { VisitorCall, VisitorCallEvents } from './sip-call.js';
import type { VisitorCallGrant, VisitorTokenRequest } from './token-client.js';
import { validateVisitor, type FieldErrors, type VisitorFormInput } from './validate.js';
import { WidgetError, describeWidgetError } from './widget-errors.js';

export interface CallControllerPorts {
  readonly options: WidgetOptions;
  readonly machine: CallStateMachine;
  requestToken(request: VisitorTokenRequest): Promise<VisitorCallGrant>;
  getMicrophone(): Promise<MediaStream>;
  startCall(grant: VisitorCallGrant, stream: MediaStream, events: VisitorCallEvents): Promise<VisitorCall>;
  now(): number;
}

export class CallController implements Omit<CallViewIntents, 'close'> {
  #view: CallViewPort | undefined;
  #call: VisitorCall | undefined;
  #stream: MediaStream | undefined;
  /** Incremented per attempt, so results of an abandoned attempt are ignored. */
  #attempt = 0;
  #muted = false;
  #wasConnected = false;
  /** `direct` until the bridge says this queue needs the visitor's details; then the form for good. */
  #mode: WidgetOptions['mode'];

  constructor(private readonly ports: CallControllerPorts) {
    this.#mode = ports.options.mode;
  }

  get machine(): CallStateMachine {
    return this.ports.machine;
  }

  attachView(view: CallViewPort): void {
    this.#view = view;
  }

  /** The panel was opened: show the form, or in direct mode place the call straight away. */
  opened(): void {
    if (this.machine.state !== 'idle') return;
    if (this.#mode === 'form') this.machine.transition({ state: 'form' });
    else this.start({ name: '', phone: '', email: '' });
  }

  start(input: VisitorFormInput): void {
    if (!this.machine.can('connecting')) return;
    let details: Omit<VisitorTokenRequest, 'tenant' | 'queue'> = {};
    if (this.#mode === 'form') {
      const result = validateVisitor(input);
      if (!result.ok) {
        this.#view?.showFieldErrors(result.errors);
        return;
      }
      this.#view?.showFieldErrors({});
      details = result.value;
    }
    this.machine.transition({ state: 'connecting' });
    void this.#place(++this.#attempt, details);
  }

  hangup(): void {
    if (!isInCall(this.machine.state)) return;
    if (this.#call) {
      this.#call.hangup(); // → events.ended → state ended
      return;
    }
    // Still acquiring the microphone or the token: abandon the attempt.
    this.#attempt++;
    this.#release();
    this.machine.transition({ state: 'ended', reason: 'You ended the call.', error: false });
  }

  toggleMute(): void {
    if (!this.#call) return;
    this.#muted = !this.#muted;
    this.#call.setMuted(this.#muted);
    this.#view?.showMuted(this.#muted);
  }

  digit(digit: string): void {
    this.#call?.sendDigit(digit);
  }

  callAgain(): void {
    if (this.machine.state !== 'ended') return;
    if (this.#mode === 'form') this.machine.transition({ state: 'form' });
    else this.start({ name: '', phone: '', email: '' });
  }

  /** Ends any call (e.g. the page is being unloaded). */
  dispose(): void {
    this.hangup();
    this.#attempt++;
    this.#release();
  }

  async #place(attempt: number, details: Omit<VisitorTokenRequest, 'tenant' | 'queue'>): Promise<void> {
    const current = (): boolean => attempt === this.#attempt;
    try {
      // Ask for the microphone first: the prompt follows the visitor's click, and the short-lived token is
      // not spent while they decide.
      let stream: MediaStream;
      try {
        stream = await this.ports.getMicrophone();
      } catch (error) {
        throw WidgetError.fromMediaError(error);
      }
      if (!current()) return stopTracks(stream);
      this.#stream = stream;

      const { tenant, queue } = this.ports.options;
      const grant = await this.ports.requestToken({ tenant, queue, ...details });
      if (!current()) return;

      this.#wasConnected = false;
      this.#muted = false;
      const call = await this.ports.startCall(grant, stream, this.#events(attempt));
      if (!current()) return call.hangup();
      this.#call = call;
    } catch (error) {
      if (!current()) return;
      this.#release();
      const fieldErrors = error instanceof WidgetError ? toFieldErrors(error.fieldErrors) : undefined;
      if (fieldErrors) {
        // In direct mode this means the queue asks who is calling (`data-mode` disagrees with the queue's
        // setting): fall back to the form rather than fail.
        this.#mode = 'form';
        this.machine.transition({ state: 'form' });
        this.#view?.showFieldErrors(fieldErrors);
        return;
      }
      this.machine.transition({ state: 'ended', reason: describeWidgetError(error), error: true });
    }
  }

  #events(attempt: number): VisitorCallEvents {
    const live = (): boolean => attempt === this.#attempt && isInCall(this.machine.state);
    return {
      status: (status) => {
        if (!live()) return;
        const current = this.machine.status;
        if (status.state === 'waiting') {
          // A status without a position (183 early media, 180, a bare INFO) says "still waiting", not "position
          // unknown": keep the one we know. (JsSIP emits a 183 with SDP only after applying it, so it can
          // arrive after the 182 that carried the position.)
          const position = status.position ?? (current.state === 'waiting' ? current.position : undefined);
          this.machine.transition(position === undefined ? { state: 'waiting' } : { state: 'waiting', position });
          return;
        }
        const since = current.state === 'connected' ? current.since : this.ports.now();
        this.#wasConnected = true;
        this.machine.transition(status.agent === undefined ? { state: 'connected', since }
          : { state: 'connected', agent: status.agent, since });
      },
      remoteStream: (stream) => {
        if (live()) this.#view?.playRemote(stream);
      },
      ended: (end) => {
        if (attempt !== this.#attempt) return;
        this.#release();
        if (!isInCall(this.machine.state)) return;
        const { reason, error } = describeCallEnd({ ...end, wasConnected: this.#wasConnected });
        this.machine.transition({ state: 'ended', reason, error });
      },
    };
  }

  #release(): void {
    this.#call = undefined;
    if (this.#stream) stopTracks(this.#stream);
    this.#stream = undefined;
    this.#muted = false;
    this.#view?.playRemote(null);
    this.#view?.showMuted(false);
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Maps the bridge's `fieldErrors` (first message per known field) onto the form's fields. */
function toFieldErrors(raw: Readonly<Record<string, readonly string[]>> | undefined): FieldErrors | undefined {
  if (!raw) return undefined;
  const errors: FieldErrors = {};
  for (const field of ['name', 'phone', 'email'] as const) {
    const message = raw[field]?.[0];
    if (message) errors[field] = message;
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}
