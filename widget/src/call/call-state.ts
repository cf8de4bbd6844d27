/**
 * The visitor's call as a state machine — the one place where the widget's state changes (CONVENTIONS #2).
 *
 * ```
 *   idle ──open (form mode)──▶ form ──valid submit──▶ connecting ◀──open (direct mode)── idle
 *                               ▲                          │
 *                               └──── server field errors ─┤
 *                                                          ▼ 1xx
 *      182 position/estimate, 180 agent ringing ──▶  waiting ──"keep my place"──▶ keeping-place
 *                                                    │   ▲                          │ (phone?) → sending
 *                                             200 OK │   └──── cancel / POST failed ┤
 *                                                    ▼                              ├─ POST ok + CANCEL ─▶ place-kept
 *                            (agent dropped) ◀─ connected ◀─────────── 200 OK ─────┘                     (final)
 *
 *   voicemail ◀── 200 OK + X-Sambung-Voicemail   (from connecting | waiting | keeping-place) ──BYE──▶ ended
 *   ended     ◀── hang-up, BYE, failure, error (from connecting | waiting | keeping-place | connected | voicemail)
 *   deflected ◀── 480 + X-Sambung-Deflection    (from connecting | waiting | keeping-place)
 *   ended | deflected ──call again──▶ form | connecting
 * ```
 *
 * `place-kept` is final on purpose: the visitor holds a place in the queue, and a second call from the same
 * panel would compete with it. Booking a callback after a deflection is the scheduler's own machine
 * (`callback-scheduler-state.ts`); the call stays `deflected` meanwhile.
 *
 * Pure: no DOM, no JsSIP. The value carried by each state is what the view shows for it.
 */
import type { Deflection } from './deflection.js';
import type { QueuePlace } from './queue-wording.js';
import { StatusMachine, type StatusListener } from '../../../browser-kit/src/status-machine.js';
import type { Voicemail } from './voicemail.js';

export type CallState =
  | 'idle' | 'form' | 'connecting' | 'waiting' | 'keeping-place' | 'connected' | 'voicemail' | 'ended' | 'deflected'
  | 'place-kept';

export type CallStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'form' }
  | { readonly state: 'connecting' }
  /** `notice` is a one-off line under the queue status (e.g. "we could not keep your place"). */
  | ({ readonly state: 'waiting'; readonly notice?: string } & QueuePlace)
  /**
   * "Keep my place and call me back" under way, still queued meanwhile: `phone` asks for the number (direct
   * mode, none given yet; `phoneError` says what was wrong with the last one), `sending` waits for the bridge.
   */
  | ({ readonly state: 'keeping-place'; readonly step: 'phone' | 'sending'; readonly phoneError?: string } & QueuePlace)
  /** `since` is the clock reading (ms) when the agent joined; drives the call timer. */
  | { readonly state: 'connected'; readonly agent?: string; readonly since: number }
  /**
   * The bridge answered to record a message (no agent); `since` is the clock reading (ms) of the answer and
   * drives the recording timer.
   */
  | { readonly state: 'voicemail'; readonly voicemail: Voicemail; readonly since: number }
  /**
   * `reason` is a human sentence; `error` marks a failure rather than a normal hang-up; `voicemailRecorded`
   * marks the normal end of a voicemail (the view thanks the visitor for the message).
   */
  | { readonly state: 'ended'; readonly reason: string; readonly error: boolean; readonly voicemailRecorded?: true }
  /** The queue would not hold the call; `deflection` is what the bridge offers instead. */
  | { readonly state: 'deflected'; readonly deflection: Deflection }
  /** The bridge keeps the visitor's place and will call `phone` back when it is their turn. */
  | { readonly state: 'place-kept'; readonly phone: string };

/** Which states may follow which. Self-loops carry new data (a queue position, an agent's name). */
export const callTransitions: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: ['form', 'connecting'],
  form: ['connecting'],
  connecting: ['form', 'waiting', 'connected', 'voicemail', 'ended', 'deflected'],
  waiting: ['waiting', 'keeping-place', 'connected', 'voicemail', 'ended', 'deflected'],
  // The bridge may send a waiting call to voicemail (max-wait) while the visitor fills in "keep my place".
  'keeping-place': ['keeping-place', 'waiting', 'place-kept', 'connected', 'voicemail', 'ended', 'deflected'],
  connected: ['connected', 'waiting', 'ended'],
  voicemail: ['ended'],
  ended: ['form', 'connecting'],
  deflected: ['form', 'connecting'],
  'place-kept': [],
};

/** States during which a SIP session exists and media may flow. */
export function isInCall(state: CallState): boolean {
  return state === 'connecting' || state === 'waiting' || state === 'keeping-place' || state === 'connected'
    || state === 'voicemail';
}

/** States in which the visitor is queued (hold audio plays, position and estimate are shown). */
export function isQueued(state: CallState): state is 'waiting' | 'keeping-place' {
  return state === 'waiting' || state === 'keeping-place';
}

/** Kept under its old name for the call; it is the shared {@link IllegalTransitionError}. */
export { IllegalTransitionError as IllegalCallTransitionError } from '../../../browser-kit/src/status-machine.js';

export type CallStatusListener = StatusListener<CallStatus>;

export class CallStateMachine extends StatusMachine<CallState, CallStatus> {
  constructor() {
    super('call', callTransitions, { state: 'idle' });
  }
}
