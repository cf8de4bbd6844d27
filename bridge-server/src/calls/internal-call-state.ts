import type { TransitionTable } from '../state-machine.js';

/**
 * The state of one internal call: an agent's softphone dialled a colleague of the same tenant, and the bridge
 * connects the two agents back to back with media anchored here, as for a visitor call.
 *
 * ```
 *      ┌────────── 200 without a 180 ─────────┐
 *      │                                       ▼
 *   dialing ──▶ ringing ──────────────────▶ connected ⇄ held
 *      │           │                           │         │
 *      └───────────┴───────────────────────────┴─────────┴──▶ ended
 * ```
 * - dialing: the caller's INVITE is authenticated and its target found; the bridge INVITEs the callee;
 * - ringing: the callee's softphone rings (its 180 went on to the caller as 180 Ringing);
 * - connected: the callee answered, RTP is relayed both ways; held: one agent (or both) put the other on hold,
 *   and the held agent hears hold audio.
 */
export type InternalCallState = 'dialing' | 'ringing' | 'connected' | 'held' | 'ended';

export const internalCallTransitions: TransitionTable<InternalCallState> = {
  dialing: ['ringing', 'connected', 'ended'],
  ringing: ['connected', 'ended'],
  connected: ['held', 'ended'],
  held: ['connected', 'ended'],
  ended: [],
};

/**
 * Why an internal call ended: `completed` after talking; `cancelled` by the caller before the answer;
 * `refused` by the callee (busy, decline) or by the bridge (not signed in); `no-answer` after the ring timeout;
 * `failed` on media, transport or shutdown.
 */
export type InternalEndReason = 'completed' | 'cancelled' | 'refused' | 'no-answer' | 'failed';
