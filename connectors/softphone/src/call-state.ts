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
import { StatusMachine } from '../../../browser-kit/src/status-machine.js';

export type SoftphoneCallState = 'signed-out' | 'idle' | 'ringing' | 'dialing' | 'in-call' | 'ended';

export const softphoneTransitions: Readonly<Record<SoftphoneCallState, readonly SoftphoneCallState[]>> = {
  'signed-out': ['idle'],
  idle: ['ringing', 'dialing', 'signed-out'],
  ringing: ['in-call', 'ended'],
  dialing: ['in-call', 'ended'],
  'in-call': ['ended'],
  ended: ['idle', 'ringing', 'dialing', 'signed-out'],
};

/** The shared {@link IllegalTransitionError}, code `SOFTPHONE_ERR_ILLEGAL_TRANSITION`. */
export { IllegalTransitionError as IllegalSoftphoneTransitionError } from '../../../browser-kit/src/status-machine.js';

export type SoftphoneStateListener = (next: SoftphoneCallState, previous: SoftphoneCallState) => void;

/** The call state as the softphone reads it: the shared {@link StatusMachine} over bare states. */
export class SoftphoneStateMachine {
  readonly #machine = new StatusMachine<SoftphoneCallState, { readonly state: SoftphoneCallState }>(
    'softphone',
    softphoneTransitions,
    { state: 'signed-out' },
    'SOFTPHONE_ERR_ILLEGAL_TRANSITION',
  );

  get state(): SoftphoneCallState {
    return this.#machine.state;
  }

  can(to: SoftphoneCallState): boolean {
    return this.#machine.can(to);
  }

  /** The single assignment of the state; throws `IllegalSoftphoneTransitionError` on an illegal move. */
  transition(to: SoftphoneCallState): void {
    this.#machine.transition({ state: to });
  }

  onChange(listener: SoftphoneStateListener): () => void {
    return this.#machine.onChange((next, previous) => listener(next.state, previous.state));
  }
}
