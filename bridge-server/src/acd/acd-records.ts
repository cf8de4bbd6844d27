import type { StateMachine } from '../state-machine.js';
import type { AcdCallState } from './acd-call-state.js';
import type { AgentSlot, QueueSlot } from './acd-metrics.js';
import type { AgentState, AwayReason } from './agent-state.js';
import type { AgentConfig, QueueConfig } from './queue-config.js';
import type { RoutingPool } from './routing-pool.js';
import type { HandleTimeWindow } from './wait-estimator.js';

/** The engine's in-memory records. Internal: the public surface hands out plain views (`acd-types.ts`). */

export type CallKind = 'call' | 'callback';

export interface QueueRuntime {
  readonly config: QueueConfig;
  /** One routing pool per escalation stage: index 0 is the queue as configured, i after i steps. */
  readonly pools: readonly RoutingPool[];
  /** Calls in line (not being offered), for size limits and positions. */
  readonly waiting: Set<CallRecord>;
  readonly handleTimes: HandleTimeWindow;
  readonly metrics: QueueSlot;
  /** Counts this queue's offers; an agent's last value orders round-robin. */
  offerSeq: number;
}

export interface CallRecord {
  readonly id: string;
  kind: CallKind;
  queue: QueueRuntime;
  readonly fsm: StateMachine<AcdCallState>;
  readonly callerPriority: number;
  /** First arrival at the ACD: waits, service level and speed of answer count from here. */
  readonly arrivedAt: number;
  /** Arrival in the current queue: escalation steps and max wait count from here. */
  enqueuedAt: number;
  /** Place in line (see `callKey`); `seq` breaks ties in arrival order. */
  key: number;
  readonly seq: number;
  stage: number;
  pool: RoutingPool | null;
  /** Bumped whenever the call leaves a pool, which makes its old heap entries stale. */
  stamp: number;
  ringing: AgentRecord[];
  ringUntil: number;
  /** Bumped per offer, so a ring timeout of an earlier offer is ignored. */
  offerStamp: number;
  /** Agents who missed or rejected this call, and when; they are not offered it again for a ring timeout.
   * Null until the first miss (most calls never have one). */
  declined: Map<string, number> | null;
  agent: AgentRecord | null;
  answeredAt: number;
  /** Max wait passed while it was ringing: overflow when it comes back. */
  overdue: boolean;
  readonly data: unknown;
}

/** Whether `agent` missed or rejected `call` less than a ring timeout before `now`. */
export function declinedRecently(call: CallRecord, agent: AgentRecord, now: number): boolean {
  if (call.declined === null) return false;
  const at = call.declined.get(agent.id);
  return at !== undefined && now - at < call.queue.config.ringTimeoutSec * 1000;
}

export interface Membership {
  readonly pool: RoutingPool;
  readonly skillScore: number;
}

export interface AgentRecord {
  readonly id: string;
  /** Stable creation order: the last tie-breaker, so routing is deterministic. */
  readonly ordinal: number;
  config: AgentConfig;
  skills: ReadonlyMap<string, number>;
  readonly fsm: StateMachine<AgentState>;
  awayReason: AwayReason | null;
  /** Asked for away/offline while on a call: applied when wrap-up ends. */
  pending: { state: 'away' | 'offline'; reason: AwayReason | null } | null;
  idleSince: number;
  /** Bumped on entering and leaving `available`; heap entries of other periods are stale. */
  stamp: number;
  memberships: Membership[];
  /** Consecutive missed or rejected offers. */
  misses: number;
  callsToday: number;
  talkMsToday: number;
  /** Queue id → that queue's offer counter when it last offered this agent a call (round-robin). */
  readonly lastOffer: Map<string, number>;
  /** Whether the agent has entries in its pools' free-agent heaps (free and waiting for a call). */
  listed: boolean;
  call: CallRecord | null;
  wrap: { queue: QueueRuntime; talkMs: number; since: number; stamp: number } | null;
  /** Metrics: the agent's time is accounted up to here, to its own slot and those of the queues it serves. */
  accountedTo: number;
  readonly metrics: AgentSlot;
  served: QueueSlot[];
}
