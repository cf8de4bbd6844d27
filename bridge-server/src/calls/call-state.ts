import type { TransitionTable } from '../state-machine.js';

/**
 * The state of one visitor call as the bridge sees it (a B2BUA call: the visitor leg plus, once routed,
 * an agent leg).
 *
 * ```
 *   offered ──▶ queued ──▶ ringing ──▶ connected ⇄ held
 *      │          ▲ │         │            │        │
 *      │          └─┼─────────┘ (486/603,  │        │
 *      │            │           no answer) │        │
 *      └────────────┴─────────┴────────────┴────────┴──▶ ended
 * ```
 * - offered: INVITE authenticated, media being answered;
 * - queued: the bridge sent 183 with its SDP and plays hold audio, waiting for an agent;
 * - ringing: an agent's softphone is being INVITEd;
 * - connected: the agent answered, RTP is relayed both ways; held: the agent put the caller on hold.
 */
export type CallState = 'offered' | 'queued' | 'ringing' | 'connected' | 'held' | 'voicemail' | 'ended';

/** `voicemail`: the queue deflected the call to voicemail; the bridge answered and records the caller. */
export const callTransitions: TransitionTable<CallState> = {
  offered: ['queued', 'voicemail', 'ended'],
  queued: ['ringing', 'voicemail', 'ended'],
  ringing: ['queued', 'connected', 'voicemail', 'ended'],
  connected: ['held', 'ended'],
  held: ['connected', 'ended'],
  voicemail: ['ended'],
  ended: [],
};

/** Why a call ended, as written to the CDR. */
export type EndReason = 'completed' | 'abandoned' | 'rejected' | 'failed';
