/**
 * Orchestrates one widget: form → microphone → token → SIP call, driving the {@link CallStateMachine}; and
 * around the call, the queue's alternatives: "keep my place and call me back" while waiting, and a deflection's
 * end screen with its callback scheduler. Every dependency with I/O is a port, so the whole flow runs in node
 * under test with fakes.
 */
import type { WidgetOptions } from '../handshake.js';
import { CallStateMachine, isInCall, isQueued, type CallStatus } from './call-state.js';
import type { CallViewIntents, CallViewPort } from './call-view.js';
import type { CallbackScheduler } from './callback-scheduler.js';
import { describeCallEnd, describeVoicemailEnd } from './end-reason.js';
import type { QueuePlace } from './queue-wording.js';
import type { VisitorCall, VisitorCallEvents } from './sip-call.js';
import type { QueueUpdate } from './status-info.js';
import type { VisitorCallGrant, VisitorTokenRequest } from './token-client.js';
import { validatePhone, validateVisitor, type FieldErrors, type VisitorFormInput } from './validate.js';
import type { VisitorApi } from './visitor-api.js';
import { VisitorSession } from './visitor-session.js';
import { WidgetError, describeWidgetError } from './widget-errors.js';

export interface CallControllerPorts {
  readonly options: WidgetOptions;
  readonly machine: CallStateMachine;
  readonly scheduler: CallbackScheduler;
  readonly visitorApi: VisitorApi;
  requestToken(request: VisitorTokenRequest): Promise<VisitorCallGrant>;
  getMicrophone(): Promise<MediaStream>;
  startCall(grant: VisitorCallGrant, stream: MediaStream, events: VisitorCallEvents): Promise<VisitorCall>;
  now(): number;
}

type Details = Omit<VisitorTokenRequest, 'tenant' | 'queue'>;
type Queued = Extract<CallStatus, { state: 'waiting' | 'keeping-place' }>;

const KEEP_PLACE_FAILED = 'We could not keep your place, but you are still in line.';

export class CallController implements Omit<CallViewIntents, 'close'> {
  #view: CallViewPort | undefined;
  #call: VisitorCall | undefined;
  #stream: MediaStream | undefined;
  /** The visitor's API credential for the current attempt; outlives the SIP call (a deflection needs it). */
  #session: VisitorSession | undefined;
  /** What the current attempt's token carries; its phone is the one callbacks go to. */
  #details: Details = {};
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
    let details: Details = {};
    if (this.#mode === 'form') {
      const result = validateVisitor(input);
      if (!result.ok) {
        this.#view?.showFieldErrors(result.errors);
        return;
      }
      this.#view?.showFieldErrors({});
      details = result.value;
    }
    this.ports.scheduler.close();
    this.#session = undefined;
    this.#details = details;
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
    // A voicemail records whatever the microphone hears; its panel has no mute (the recorder needs no hold).
    if (!this.#call || this.machine.state === 'voicemail') return;
    this.#muted = !this.#muted;
    this.#call.setMuted(this.#muted);
    this.#view?.showMuted(this.#muted);
  }

  digit(digit: string): void {
    if (this.machine.state === 'voicemail') return; // no one to hear tones; keep them out of the recording
    this.#call?.sendDigit(digit);
  }

  callAgain(): void {
    const { state } = this.machine;
    if (state !== 'ended' && state !== 'deflected') return;
    this.ports.scheduler.close();
    if (this.#mode === 'form') this.machine.transition({ state: 'form' });
    else this.start({ name: '', phone: '', email: '' });
  }

  /**
   * "Keep my place and call me back": with a known phone, asks the bridge straight away; in direct mode asks
   * for the number first ({@link keepPlaceWithPhone}). Not offered while an agent's phone is ringing.
   */
  keepPlace(): void {
    const status = this.machine.status;
    if (status.state !== 'waiting' || status.agentRinging || !this.#call) return;
    const phone = this.#details.phone;
    if (phone) void this.#sendKeepPlace(phone);
    else this.machine.transition({ state: 'keeping-place', step: 'phone', ...placeOf(status) });
  }

  keepPlaceWithPhone(raw: string): void {
    const status = this.machine.status;
    if (status.state !== 'keeping-place' || status.step !== 'phone') return;
    const checked = validatePhone(raw);
    if ('error' in checked) {
      this.machine.transition({ state: 'keeping-place', step: 'phone', phoneError: checked.error, ...placeOf(status) });
      return;
    }
    void this.#sendKeepPlace(checked.value);
  }

  /** The visitor closed the phone prompt: back to plain waiting (the call never left the queue). */
  cancelKeepPlace(): void {
    const status = this.machine.status;
    if (status.state === 'keeping-place' && status.step === 'phone') {
      this.machine.transition({ state: 'waiting', ...placeOf(status) });
    }
  }

  pickSlot(at: string, phoneInput: string): void {
    void this.ports.scheduler.pick(at, phoneInput);
  }

  retrySlots(): void {
    this.ports.scheduler.retry();
  }

  /** Ends any call (e.g. the page is being unloaded). */
  dispose(): void {
    this.hangup();
    this.ports.scheduler.close();
    this.#attempt++;
    this.#release();
  }

  async #place(attempt: number, details: Details): Promise<void> {
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
      const request: VisitorTokenRequest = { tenant, queue, ...details };
      const grant = await this.ports.requestToken(request);
      if (!current()) return;
      // Later visitor requests (keep my place, callback booking) renew the token with the same details.
      this.#session = new VisitorSession(grant.token, async () => (await this.ports.requestToken(request)).token);

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
        if (current.state === 'voicemail') return; // nothing the INVITE says changes a recording under way
        if (status.state === 'waiting') {
          const place = nextPlace(isQueued(current.state) ? placeOf(current as Queued) : {}, status.update);
          if (current.state === 'keeping-place') this.machine.transition({ ...keepingFields(current), ...place });
          else {
            const notice = current.state === 'waiting' ? current.notice : undefined;
            this.machine.transition({ state: 'waiting', ...place, ...(notice ? { notice } : {}) });
          }
          return;
        }
        if (status.state === 'voicemail') {
          if (!this.machine.can('voicemail')) return;
          // A visitor muted while queued would record silence, with no mute button left to undo it.
          if (this.#muted) {
            this.#muted = false;
            this.#call?.setMuted(false);
            this.#view?.showMuted(false);
          }
          this.machine.transition({ state: 'voicemail', voicemail: status.voicemail, since: this.ports.now() });
          return;
        }
        if (!this.machine.can('connected')) return;
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
        if (!isInCall(this.machine.state)) return; // e.g. place-kept: our own CANCEL
        if (end.deflection && this.machine.can('deflected')) {
          const { deflection } = end;
          this.machine.transition({ state: 'deflected', deflection });
          if (deflection.type === 'callback' || deflection.type === 'voicemail') this.#openScheduler();
          return;
        }
        if (this.machine.state === 'voicemail') {
          this.machine.transition({ state: 'ended', ...describeVoicemailEnd(end) });
          return;
        }
        const { reason, error } = describeCallEnd({ ...end, wasConnected: this.#wasConnected });
        this.machine.transition({ state: 'ended', reason, error });
      },
    };
  }

  #openScheduler(): void {
    const session = this.#session;
    const api = this.ports.visitorApi;
    if (!session) return;
    this.ports.scheduler.open({
      slots: () => session.authorized((token) => api.callbackSlots(token)),
      book: (request) => session.authorized((token) => api.bookCallback(token, request)),
    }, this.#details.phone);
  }

  async #sendKeepPlace(phone: string): Promise<void> {
    const call = this.#call;
    const session = this.#session;
    const status = this.machine.status;
    if (!call || !session || !isQueued(status.state)) return;
    const place = placeOf(status as Queued);
    this.machine.transition({ state: 'keeping-place', step: 'sending', ...place });
    const stillKeeping = (): boolean => call === this.#call && this.machine.state === 'keeping-place';
    try {
      const callId = call.callId;
      if (!callId) throw new Error('the INVITE has not been sent yet');
      const body = this.#details.phone ? { callId } : { callId, phone };
      await session.authorized((token) => this.ports.visitorApi.keepPlace(token, body));
    } catch (error) {
      // The call is still queued: say so, and let the visitor try again or keep waiting.
      console.warn('[sambung] keep-place failed', error);
      if (stillKeeping()) {
        const current = this.machine.status as Queued;
        this.machine.transition({ state: 'waiting', ...placeOf(current), notice: KEEP_PLACE_FAILED });
      }
      return;
    }
    // An agent may have answered meanwhile: a live conversation beats a promised callback.
    if (!stillKeeping()) return;
    this.machine.transition({ state: 'place-kept', phone });
    call.hangup(); // CANCEL (RFC 3261 §9.1); its `ended` finds the call no longer in progress and stays quiet
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

/** The queue fields of a queued status, and nothing else (no stale step, notice or error). */
function placeOf(status: QueuePlace): QueuePlace {
  return {
    ...(status.position === undefined ? {} : { position: status.position }),
    ...(status.estimatedWaitSec === undefined ? {} : { estimatedWaitSec: status.estimatedWaitSec }),
    ...(status.agentRinging ? { agentRinging: true } : {}),
  };
}

function keepingFields(status: Extract<CallStatus, { state: 'keeping-place' }>) {
  return {
    state: 'keeping-place' as const,
    step: status.step,
    ...(status.phoneError === undefined ? {} : { phoneError: status.phoneError }),
  };
}

/**
 * A 182 is a full snapshot (a field it lacks is now unknown) and means no agent is ringing; a 180 keeps the
 * place and marks an agent ringing; anything else (183 early media, which JsSIP may deliver after the 182 that
 * followed it on the wire) says only "still waiting".
 */
function nextPlace(place: QueuePlace, update: QueueUpdate): QueuePlace {
  switch (update.kind) {
    case 'queued':
      return placeOf(update);
    case 'ringing':
      return { ...placeOf(place), agentRinging: true };
    case 'progress':
      return placeOf(place);
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
