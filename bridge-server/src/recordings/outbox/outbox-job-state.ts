import { TransitionError } from '../../errors.js';
import type { OutboxJobState } from '../../store/outbox-repo.js';
import type { TransitionTable } from '../../state-machine.js';

export type { OutboxJobState } from '../../store/outbox-repo.js';

/**
 * An outbox job's life (CONVENTIONS #2):
 * ```
 *             claim                 handler resolved
 *   pending ─────────▶ running ─────────────────────▶ done
 *     ▲ ▲ ▲              │ │ │
 *     │ │ └── retryable ─┘ │ └── auth (401/403) ──▶ waiting-auth ──(every 5 min: claim)──▶ running
 *     │ │    (backoff)     │                          │   │
 *     │ │                  └─ rejected/invalid ─▶ parked  └─ reconnected / operator retry ─▶ pending
 *     │ └── restart recovery (running → pending)   │
 *     └────────────── operator retry ──────────────┘
 * ```
 * Any job not done can be parked by retention ("recording purged by retention"). `done` is final.
 */
export const outboxJobTransitions: TransitionTable<OutboxJobState> = {
  pending: ['running', 'parked'],
  running: ['done', 'pending', 'waiting-auth', 'parked'],
  'waiting-auth': ['running', 'pending', 'parked'],
  parked: ['pending'],
  done: [],
};

/**
 * The `from` states of one kind of move, checked against the table so no caller can write a move the table
 * forbids; the store applies it only if the job is still in one of them.
 */
export function movesFrom(from: readonly OutboxJobState[], to: OutboxJobState): readonly OutboxJobState[] {
  for (const state of from) if (!outboxJobTransitions[state].includes(to)) throw TransitionError.illegal('outbox job', state, to);
  return from;
}
