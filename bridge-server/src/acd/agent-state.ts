import type { TransitionTable } from '../state-machine.js';

/**
 * An agent's state in the ACD (CONVENTIONS #2). Capacity is one voice call, so the state alone says whether the
 * agent can take one.
 *
 * ```
 *   offline ──▶ available ⇄ reserved ──▶ on-call ──▶ wrap-up ──▶ available
 *      ▲  │        │  ▲        │ (missed N times)          │
 *      │  └──▶ away ◀──────────┘◀──────────────────────────┘
 *      └──────────┴── (logout from available, away, wrap-up, reserved)
 * ```
 * - reserved: a call rings on the agent's softphone (ring-all: one of several);
 * - wrap-up: after-call work for the queue's wrap-up seconds, or until the agent says ready;
 * - away: not taking calls, with a reason code — `missed` is set by the engine after too many ring-no-answers,
 *   `internal-call` by the bridge while the agent talks to a colleague (click-to-dial).
 */
export type AgentState = 'offline' | 'available' | 'reserved' | 'on-call' | 'wrap-up' | 'away';

export const AWAY_REASONS = ['break', 'lunch', 'training', 'meeting', 'missed', 'internal-call'] as const;
export type AwayReason = (typeof AWAY_REASONS)[number];

export const agentTransitions: TransitionTable<AgentState> = {
  offline: ['available', 'away'],
  available: ['reserved', 'away', 'offline'],
  reserved: ['on-call', 'available', 'away', 'offline'],
  'on-call': ['wrap-up'],
  'wrap-up': ['available', 'away', 'offline'],
  away: ['available', 'away', 'offline'],
};

/** Logged in and working the queues: counts toward staffing (wait estimates, occupancy). */
export function isStaffed(state: AgentState): boolean {
  return state !== 'offline' && state !== 'away';
}

/** Occupied by a call: ringing, talking or wrapping up. */
export function isBusy(state: AgentState): boolean {
  return state === 'reserved' || state === 'on-call' || state === 'wrap-up';
}
