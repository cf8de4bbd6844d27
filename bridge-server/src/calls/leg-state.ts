import type { TransitionTable } from '../state-machine.js';

/**
 * The state of one SIP leg of a call (the visitor's inbound INVITE dialog, or the bridge's outbound INVITE
 * to an agent), after RFC 3261 §12–§15.
 *
 * ```
 *   trying ──▶ early ──▶ confirmed ──▶ terminating ──▶ terminated
 *     │          │           │                             ▲
 *     └──────────┴───────────┴─────────────────────────────┘
 * ```
 * - trying: INVITE received (we are UAS) or sent (we are UAC), no dialog yet;
 * - early: a 1xx with a To tag created an early dialog (we sent 183 with SDP, or the agent sent 180);
 * - confirmed: 2xx exchanged;
 * - terminating: we sent BYE (or CANCEL) and wait for its final response;
 * - terminated: nothing more will be sent on this leg.
 */
export type LegState = 'trying' | 'early' | 'confirmed' | 'terminating' | 'terminated';

export const legTransitions: TransitionTable<LegState> = {
  trying: ['early', 'confirmed', 'terminating', 'terminated'],
  early: ['confirmed', 'terminating', 'terminated'],
  confirmed: ['terminating', 'terminated'],
  terminating: ['terminated'],
  terminated: [],
};
