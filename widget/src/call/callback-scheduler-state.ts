/**
 * The callback scheduler as a state machine: after a deflection that offers a callback (or voicemail, which
 * falls back to one), the visitor picks a slot inside the queue's hours and books it.
 *
 * ```
 *   closed ──open──▶ loading ──slots──▶ choosing ──pick (phone valid)──▶ booking ──201──▶ confirmed
 *                     ▲   │ none ──▶ unavailable      ▲   │ bad phone ↺          │ 400 slot gone ──▶ loading
 *                     │   └ error ──▶ failed          │   └───────────────────────┘ other error (notice)
 *                     └──────── retry ───────────────┘
 *   any ──close (the visitor calls again)──▶ closed
 * ```
 * Pure: no DOM, no I/O.
 */
import { StatusMachine } from '../../../browser-kit/src/status-machine.js';

export type SchedulerState = 'closed' | 'loading' | 'choosing' | 'booking' | 'confirmed' | 'unavailable' | 'failed';

export type SchedulerStatus =
  | { readonly state: 'closed' }
  /** `notice`: why the list is being reloaded (the bridge refused the slot picked). */
  | { readonly state: 'loading'; readonly notice?: string }
  /**
   * `slots` as the bridge sent them, valid and sorted; `needsPhone` when no phone is known yet (direct mode) and
   * the scheduler must ask for one; `phoneError` says what is wrong with the number typed.
   */
  | { readonly state: 'choosing'; readonly slots: readonly string[]; readonly needsPhone: boolean;
      readonly notice?: string; readonly phoneError?: string }
  | { readonly state: 'booking'; readonly slots: readonly string[]; readonly needsPhone: boolean; readonly at: string }
  /** Booked: the bridge will call `phone` at `at` (an ISO instant). */
  | { readonly state: 'confirmed'; readonly at: string; readonly phone: string }
  /** The queue offers no slot at all. */
  | { readonly state: 'unavailable' }
  | { readonly state: 'failed'; readonly message: string };

export const schedulerTransitions: Readonly<Record<SchedulerState, readonly SchedulerState[]>> = {
  closed: ['loading'],
  loading: ['choosing', 'unavailable', 'failed', 'closed'],
  choosing: ['choosing', 'booking', 'closed'],
  booking: ['confirmed', 'choosing', 'loading', 'closed'],
  confirmed: ['closed'],
  unavailable: ['closed'],
  failed: ['loading', 'closed'],
};

export class SchedulerStateMachine extends StatusMachine<SchedulerState, SchedulerStatus> {
  constructor() {
    super('callback scheduler', schedulerTransitions, { state: 'closed' });
  }
}
