/**
 * The visitor's call as a state machine — the one place where the widget's state changes (CONVENTIONS #2).
 *
 * ```
 *   idle ──open (form mode)──▶ form ──valid submit──▶ connecting ──200 OK──▶ waiting ◀─┐ position update,
 *    │                          ▲                      │   │                  │   │    │ agent dropped
 *    └──open (direct mode)──────┼─────────────────────▶┘   │                  │   └────┘
 *                               │  server field errors ◀───┘        INFO      ▼
 *                               │                      connected ◀────────── (connected)
 *                               │                          │
 *    ended ◀── hang-up, BYE, failure, error (from connecting | waiting | connected)
 *      └──call again──▶ form | connecting
 * ```
 *
 * Pure: no DOM, no JsSIP. The value carried by each state is what the view shows for it.
 */

export type CallState = 'idle' | 'form' | 'connecting' | 'waiting' | 'connected' | 'ended';

export type CallStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'form' }
  | { readonly state: 'connecting' }
  /** `position` is 1-based; absent until the bridge tells us. */
  | { readonly state: 'waiting'; readonly position?: number }
  /** `since` is the clock reading (ms) when the agent joined; drives the call timer. */
  | { readonly state: 'connected'; readonly agent?: string; readonly since: number }
  /** `reason` is a human sentence; `error` marks a failure rather than a normal hang-up. */
  | { readonly state: 'ended'; readonly reason: string; readonly error: boolean };

/** Which states may follow which. Self-loops carry new data (a queue position, an agent's name). */
export const callTransitions: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: ['form', 'connecting'],
  form: ['connecting'],
  connecting: ['form', 'waiting', 'connected', 'ended'],
  waiting: ['waiting', 'connected', 'ended'],
  connected: ['connected', 'waiting', 'ended'],
  ended: ['form', 'connecting'],
};

/** States during which a SIP session exists and media may flow. */
export function isInCall(state: CallState): boolean {
  return state === 'connecting' || state === 'waiting' || state === 'connected';
}

export class IllegalCallTransitionError extends Error {
  readonly code = 'WIDGET_ERR_ILLEGAL_TRANSITION';
  constructor(
    readonly from: CallState,
    readonly to: CallState,
  ) {
    super(`Illegal call state transition ${from} → ${to}`);
    this.name = 'IllegalCallTransitionError';
  }
}

export type CallStatusListener = (next: CallStatus, previous: CallStatus) => void;

export class CallStateMachine {
  #status: CallStatus = { state: 'idle' };
  readonly #listeners = new Set<CallStatusListener>();

  get status(): CallStatus {
    return this.#status;
  }

  get state(): CallState {
    return this.#status.state;
  }

  can(to: CallState): boolean {
    return callTransitions[this.#status.state].includes(to);
  }

  /** The single assignment of the call's state. Throws {@link IllegalCallTransitionError} on an illegal move. */
  transition(next: CallStatus): void {
    const previous = this.#status;
    if (!callTransitions[previous.state].includes(next.state)) {
      throw new IllegalCallTransitionError(previous.state, next.state);
    }
    this.#status = next;
    for (const listener of [...this.#listeners]) {
      // One faulty listener must not stop the others nor the signalling that triggered the change.
      try {
        listener(next, previous);
      } catch (error) {
        console.error('[sambung] call state listener failed', error);
      }
    }
  }

  onChange(listener: CallStatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
