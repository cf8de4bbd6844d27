import type { TransitionTable } from '../state-machine.js';

/**
 * A call (or due callback) as the ACD sees it — not the SIP call, which the bridge tracks in `calls/call-state.ts`.
 *
 * ```
 *   waiting ⇄ offered ──▶ connected ──▶ done
 *      └─────────┴──────────────────────▲ (caller left, deflected)
 * ```
 * - waiting: in its queue's line (possibly after overflowing from another queue);
 * - offered: ringing one agent, or several with ring-all; no answer puts it back in line, ahead of later callers;
 * - connected: an agent answered; the call leaves the ACD when it ends (the agent then wraps up).
 */
export type AcdCallState = 'waiting' | 'offered' | 'connected' | 'done';

export const acdCallTransitions: TransitionTable<AcdCallState> = {
  waiting: ['offered', 'done'],
  offered: ['waiting', 'connected', 'done'],
  connected: ['done'],
  done: [],
};
