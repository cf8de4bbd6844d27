/**
 * The agent's "Pause recording" toggle, for redaction (a caller reading out a card number). Pure: no DOM, no
 * JsSIP. The bridge records a call from the moment the agent answers, unpaused, unless the queue does not
 * record; the agent pauses and resumes it with an in-dialog INFO (`{"action":"pause-recording"|
 * "resume-recording"}`, see `docs/architecture.md`, "Recording and delivery"). The bridge answers 200 when the
 * call is being recorded and 409 when it is not.
 *
 * ```
 *              pause: 200                   any request: 409
 *  recording ─────────────▶ paused        recording ──────────▶ not-recorded (for the rest of the call)
 *      ▲                      │           paused    ──────────▶ not-recorded
 *      └──── resume: 200 ─────┘
 * ```
 * Any other answer (an error status, a timeout, no transport) changes nothing: while the bridge has not
 * confirmed a resume the agent keeps seeing "Recording paused", and an unconfirmed pause is never shown as one.
 */
import { StatusMachine } from '../../../browser-kit/src/status-machine.js';
import { SoftphoneError } from './softphone-errors.js';

export type RecordingState = 'recording' | 'paused' | 'not-recorded';
export type RecordingAction = 'pause-recording' | 'resume-recording';
/** What the bridge's answer to a pause/resume INFO means. */
export type RecordingAnswer = 'applied' | 'not-recorded' | 'failed';

export const recordingTransitions: Readonly<Record<RecordingState, readonly RecordingState[]>> = {
  recording: ['paused', 'not-recorded'],
  paused: ['recording', 'not-recorded'],
  'not-recorded': [],
};

/** The SIP status the bridge answered with (`null`: none arrived) → what it means for the toggle. */
export function recordingAnswer(status: number | null): RecordingAnswer {
  if (status !== null && status >= 200 && status < 300) return 'applied';
  return status === 409 ? 'not-recorded' : 'failed';
}

/** The status of a refused control INFO, `null` when the request failed without an answer (or not as a refusal). */
export function refusedStatus(error: unknown): number | null {
  return error instanceof SoftphoneError && error.code === 'SOFTPHONE_ERR_CONTROL_REFUSED' ? error.status ?? null : null;
}

/**
 * One call's toggle: its state, and whether a request is waiting for the bridge. Each call gets a new one, so
 * a call always starts unpaused, like its recording on the bridge.
 */
export class RecordingToggle {
  readonly #machine = new StatusMachine<RecordingState, { readonly state: RecordingState }>(
    'recording toggle',
    recordingTransitions,
    { state: 'recording' },
    'SOFTPHONE_ERR_ILLEGAL_TRANSITION',
  );
  #pending: RecordingAction | null = null;

  get state(): RecordingState {
    return this.#machine.state;
  }

  get busy(): boolean {
    return this.#pending !== null;
  }

  /** The action to send now, or `null` when one is already pending or the call is not recorded. */
  begin(): RecordingAction | null {
    if (this.#pending || this.state === 'not-recorded') return null;
    this.#pending = this.state === 'paused' ? 'resume-recording' : 'pause-recording';
    return this.#pending;
  }

  /** Applies the bridge's answer to the pending action; returns the state after it. */
  settle(answer: RecordingAnswer): RecordingState {
    const action = this.#pending;
    if (!action) return this.state;
    this.#pending = null;
    if (answer === 'not-recorded') this.#machine.transition({ state: 'not-recorded' });
    else if (answer === 'applied') this.#machine.transition({ state: action === 'pause-recording' ? 'paused' : 'recording' });
    return this.state;
  }
}
