/**
 * The softphone's call state — the one place it changes (CONVENTIONS #2).
 *
 * ```
 *                sign in                INVITE                 answered (200 OK sent)
 *  signed-out ───────────▶ idle ◀──────────────────┐ ringing ─────────────────────▶ in-call
 *      ▲                    │  │  INVITE            │   │  caller cancelled,            │
 *      │      sign out      │  └───────────────────▶┘   │  rejected, taken back         │ BYE either side,
 *      ├────────────────────┘                           ▼                               │ media failure
 *      │                                              ended ◀───────────────────────────┘
 *      └────────────── sign out ──────────────────────┘ │ after a pause ──▶ idle;  new INVITE ──▶ ringing
 * ```
 * Pure: no DOM, no JsSIP.
 */

export type SoftphoneCallState = 'signed-out' | 'idle' | 'ringing' | 'in-call' | 'ended';

export const softphoneTransitions: Readonly<Record<SoftphoneCallState, readonly SoftphoneCallState[]>> = {
  'signed-out': ['idle'],
  idle: ['ringing', 'signed-out'],
  ringing: ['in-call', 'ended'],
  'in-call': ['ended'],
  ended: ['idle', 'ringing', 'signed-out'],
};

export class IllegalSoftphoneTransitionError extends Error {
  readonly code = 'SOFTPHONE_ERR_ILLEGAL_TRANSITION';
  constructor(
    readonly from: SoftphoneCallState,
    readonly to: SoftphoneCallState,
  ) {
    super(`Illegal softphone state transition ${from} → ${to}`);
    this.name = 'IllegalSoftphoneTransitionError';
  }
}

export type SoftphoneStateListener = (next: SoftphoneCallState, previous: SoftphoneCallState) => void;

export class SoftphoneStateMachine {
  #state: SoftphoneCallState = 'signed-out';
  readonly #listeners = new Set<SoftphoneStateListener>();

  get state(): SoftphoneCallState {
    return this.#state;
  }

  can(to: SoftphoneCallState): boolean {
    return softphoneTransitions[this.#state].includes(to);
  }

  /** The single assignment of the state; throws {@link IllegalSoftphoneTransitionError} on an illegal move. */
  transition(to: SoftphoneCallState): void {
    const from = this.#state;
    if (!softphoneTransitions[from].includes(to)) throw new IllegalSoftphoneTransitionError(from, to);
    this.#state = to;
    for (const listener of [...this.#listeners]) {
      try {
        listener(to, from);
      } catch (error) {
        console.error('[softphone] state listener failed', error);
      }
    }
  }

  onChange(listener: SoftphoneStateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
