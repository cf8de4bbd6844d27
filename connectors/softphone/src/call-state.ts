/**
 * The softphone's call state — the one place it changes (CONVENTIONS #2).
 *
 * ```
 *                sign in               INVITE                answered (our 200 OK)
 *  signed-out ──────────▶ idle ───────────────▶ ringing ──────────────────────▶ in-call
 *      ▲                  │  │                    │ cancelled, rejected,          ▲   │
 *      │     sign out     │  │ click-to-dial      │ taken back                    │   │ BYE either side,
 *      ├──────────────────┘  └───────▶ dialing ───┼──── answered (its 200 OK) ────┘   │ media failure
 *      │                                  │       ▼                                   │
 *      │    refused (404, 486, …),        └────▶ ended ◀──────────────────────────────┘
 *      │    cancelled                              │
 *      └──────────────── sign out ─────────────────┤ after a pause ──▶ idle
 *                                                  └ INVITE ──▶ ringing; click-to-dial ──▶ dialing
 * ```
 * `dialing` is an outgoing call (click-to-dial) before the callee answered. Pure: no DOM, no JsSIP.
 */

export type SoftphoneCallState = 'signed-out' | 'idle' | 'ringing' | 'dialing' | 'in-call' | 'ended';

export const softphoneTransitions: Readonly<Record<SoftphoneCallState, readonly SoftphoneCallState[]>> = {
  'signed-out': ['idle'],
  idle: ['ringing', 'dialing', 'signed-out'],
  ringing: ['in-call', 'ended'],
  dialing: ['in-call', 'ended'],
  'in-call': ['ended'],
  ended: ['idle', 'ringing', 'dialing', 'signed-out'],
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
