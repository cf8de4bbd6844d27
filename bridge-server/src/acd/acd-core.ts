import { StateMachine } from '../state-machine.js';
import { acdCallTransitions } from './acd-call-state.js';
import type { AcdMetrics } from './acd-metrics.js';
import { declinedRecently, type AgentRecord, type CallKind, type CallRecord, type Membership, type QueueRuntime } from './acd-records.js';
import type { AcdEffect, AgentStateChange } from './acd-types.js';
import { agentTransitions, isStaffed, type AgentState, type AwayReason } from './agent-state.js';
import { DueQueue } from './due-queue.js';
import { firstEligibleStage, skillScore } from './eligibility.js';
import type { AgentConfig, QueueConfig } from './queue-config.js';
import { RoutingPool } from './routing-pool.js';
import { agentRank, callKey } from './routing-strategy.js';
import { HandleTimeWindow } from './wait-estimator.js';

/** Everything that becomes due at a time (see `due-queue.ts`); each handler checks it still applies. */
export type DueEvent =
  | { readonly kind: 'ring-timeout'; readonly call: CallRecord; readonly stamp: number }
  | { readonly kind: 'escalate'; readonly call: CallRecord; readonly queue: QueueRuntime }
  | { readonly kind: 'max-wait'; readonly call: CallRecord; readonly queue: QueueRuntime }
  | { readonly kind: 'reoffer'; readonly call: CallRecord }
  | { readonly kind: 'wrap-end'; readonly agent: AgentRecord; readonly stamp: number }
  | { readonly kind: 'callback'; readonly callbackId: string }
  | { readonly kind: 'day-rollover' };

export interface CoreOptions {
  readonly metrics: AcdMetrics;
  readonly secondsPerPriorityLevel: number;
  readonly handleTimeWindow: number;
  /** Told of every agent state change; the change is built on demand (`change()`). */
  readonly onAgentState: (change: () => AgentStateChange) => void;
}

/**
 * The routing core: the records, the indexes, the one place an agent's state changes, and the two routing
 * decisions — a free agent takes the best call in line among the pools it may serve ({@link AcdCore.agentFree});
 * a call that joins a pool takes the best free agents by the queue's strategy ({@link AcdCore.dispatchCall}).
 * Both are heap peeks over precomputed eligibility: O(pools of the agent + log n), independent of how many
 * calls wait or agents are logged in. Time is whatever the engine set in {@link AcdCore.now}.
 */
export class AcdCore {
  readonly queues = new Map<string, QueueRuntime>();
  readonly agents = new Map<string, AgentRecord>();
  readonly calls = new Map<string, CallRecord>();
  readonly due = new DueQueue<DueEvent>();
  /** Queue id → agents whose config serves it. */
  readonly #members = new Map<string, Set<AgentRecord>>();
  /** Queue id → ids of queues whose escalation steps add that queue's agents. */
  readonly #addedBy = new Map<string, Set<string>>();
  readonly #o: CoreOptions;
  /** Effects of the running command, drained by the engine. */
  effects: AcdEffect[] = [];
  now = 0;
  #ordinal = 0;
  #callSeq = 0;

  constructor(options: CoreOptions) {
    this.#o = options;
  }

  // ---- agents ------------------------------------------------------------------------------------------

  /**
   * The one place an agent's state changes: checks the move against the table (TransitionError if illegal),
   * accounts the time spent in the old state, keeps the free-agent heaps and staffing counts right, broadcasts,
   * and routes the agent if it became free.
   */
  transition(agent: AgentRecord, to: AgentState, reason: AwayReason | null = null): void {
    const from = agent.fsm.state;
    agent.fsm.transition(to);
    this.#o.metrics.agentTime(agent.metrics, agent.served, from, agent.accountedTo, this.now);
    agent.accountedTo = this.now;
    if (agent.listed) this.#unlist(agent);
    if (isStaffed(from) !== isStaffed(to)) for (const m of agent.memberships) m.pool.staffed += isStaffed(to) ? 1 : -1;
    const awayReason = (agent.awayReason = to === 'away' ? reason : null);
    const at = this.now;
    this.#o.onAgentState(() => ({ agentId: agent.id, from, to, reason: awayReason, at }));
    if (to === 'available') {
      agent.idleSince = this.now;
      this.agentFree(agent);
    }
  }

  createAgent(config: AgentConfig): AgentRecord {
    const agent: AgentRecord = {
      id: config.id, ordinal: ++this.#ordinal, config, skills: new Map(), awayReason: null, pending: null,
      fsm: new StateMachine(`agent ${config.id}`, agentTransitions, 'offline'),
      idleSince: this.now, stamp: 0, memberships: [], misses: 0, callsToday: 0, talkMsToday: 0,
      lastOffer: new Map(), listed: false, call: null, wrap: null, accountedTo: this.now,
      metrics: this.#o.metrics.agentSlot(config.id), served: [],
    };
    this.agents.set(agent.id, agent);
    this.setAgentConfig(agent, config);
    return agent;
  }

  /** Apply an agent's (validated) skills and queues; a free agent is re-listed and re-routed. */
  setAgentConfig(agent: AgentRecord, config: AgentConfig): void {
    for (const q of agent.config.queues) this.#members.get(q)?.delete(agent);
    agent.config = config;
    agent.skills = new Map(config.skills.map((s) => [s.skill, s.level]));
    agent.served = config.queues.map((q) => this.#o.metrics.queueSlot(q));
    for (const q of config.queues) this.#memberSet(q).add(agent);
    this.refreshMemberships(agent);
  }

  deleteAgent(agent: AgentRecord): void {
    for (const q of agent.config.queues) this.#members.get(q)?.delete(agent);
    for (const m of agent.memberships) if (isStaffed(agent.fsm.state)) m.pool.staffed--;
    agent.memberships = [];
    this.agents.delete(agent.id);
  }

  /** Recompute the pools an agent may serve (its queues, plus queues that escalate to them). */
  refreshMemberships(agent: AgentRecord): void {
    const wasListed = agent.listed;
    if (wasListed) this.#unlist(agent);
    const staffed = isStaffed(agent.fsm.state);
    if (staffed) for (const m of agent.memberships) m.pool.staffed--;
    const own = new Set(agent.config.queues);
    const candidates = new Set(own);
    for (const q of own) for (const other of this.#addedBy.get(q) ?? []) candidates.add(other);
    const memberships: Membership[] = [];
    for (const id of candidates) {
      const q = this.queues.get(id);
      if (!q) continue;
      const first = firstEligibleStage(q.config, agent.skills, own);
      if (first < 0) continue;
      const score = skillScore(q.config, agent.skills);
      for (let s = first; s < q.pools.length; s++) memberships.push({ pool: q.pools[s]!, skillScore: score });
    }
    agent.memberships = memberships;
    if (staffed) for (const m of memberships) m.pool.staffed++;
    if (wasListed) this.agentFree(agent);
  }

  #memberSet(queueId: string): Set<AgentRecord> {
    let s = this.#members.get(queueId);
    if (!s) this.#members.set(queueId, (s = new Set()));
    return s;
  }

  #list(agent: AgentRecord): void {
    agent.stamp++;
    agent.listed = true;
    for (const m of agent.memberships) {
      const q = m.pool.queue;
      const [k1, k2] = agentRank(q.config.strategy, {
        idleSince: agent.idleSince, callsToday: agent.callsToday, talkMsToday: agent.talkMsToday,
        skillScore: m.skillScore, lastOfferSeq: agent.lastOffer.get(q.config.id) ?? 0,
      });
      m.pool.addAgent(agent, k1, k2);
    }
  }

  #unlist(agent: AgentRecord): void {
    agent.stamp++;
    agent.listed = false;
    for (const m of agent.memberships) m.pool.agentLeft();
  }

  /** Re-rank every free agent (the daily counters that strategies rank by were reset). */
  relistFreeAgents(): void {
    for (const agent of this.agents.values()) {
      if (!agent.listed) continue;
      this.#unlist(agent);
      this.#list(agent);
    }
  }

  // ---- queues ------------------------------------------------------------------------------------------

  /**
   * Install a (validated) queue config, new or changed: fresh pools per stage, eligibility recomputed for the
   * agents concerned, and the calls already in line re-placed in order. Returns the queue's calls not yet
   * answered, for the engine to re-arm their timers (timers of the old version are ignored).
   */
  installQueue(config: QueueConfig): CallRecord[] {
    const old = this.queues.get(config.id);
    for (const step of old?.config.escalation ?? []) for (const q of step.addQueues) this.#addedBy.get(q)?.delete(config.id);
    for (const step of config.escalation) for (const q of step.addQueues) {
      let s = this.#addedBy.get(q);
      if (!s) this.#addedBy.set(q, (s = new Set()));
      s.add(config.id);
    }
    const pools: RoutingPool[] = [];
    const rt: QueueRuntime = {
      config, pools, waiting: old?.waiting ?? new Set(), offerSeq: old?.offerSeq ?? 0,
      handleTimes: old?.handleTimes ?? new HandleTimeWindow(this.#o.handleTimeWindow),
      metrics: this.#o.metrics.queueSlot(config.id),
    };
    for (let s = 0; s <= config.escalation.length; s++) pools.push(new RoutingPool(rt, s));
    this.queues.set(config.id, rt);
    const inLine: CallRecord[] = [];
    const pending: CallRecord[] = [];
    for (const call of this.calls.values()) {
      if (call.queue !== old) continue;
      call.queue = rt;
      call.key = callKey(call.arrivedAt, config.priority, call.callerPriority, this.#o.secondsPerPriorityLevel);
      call.stage = Math.min(call.stage, config.escalation.length);
      if (call.fsm.state !== 'connected') pending.push(call);
      if (call.pool) {
        call.pool.removeCall(call);
        inLine.push(call);
      }
    }
    const concerned = new Set<AgentRecord>(this.#members.get(config.id));
    for (const step of config.escalation) for (const q of step.addQueues) for (const a of this.#members.get(q) ?? []) concerned.add(a);
    for (const a of this.agents.values()) if (a.memberships.some((m) => m.pool.queue === old)) concerned.add(a);
    for (const a of concerned) this.refreshMemberships(a);
    inLine.sort((a, b) => a.key - b.key || a.seq - b.seq);
    for (const call of inLine) if (call.fsm.state === 'waiting' && !call.pool) this.dispatchCall(call);
    return pending;
  }

  deleteQueue(rt: QueueRuntime): void {
    this.queues.delete(rt.config.id);
    for (const step of rt.config.escalation) for (const q of step.addQueues) this.#addedBy.get(q)?.delete(rt.config.id);
    for (const a of [...(this.#members.get(rt.config.id) ?? [])]) {
      this.setAgentConfig(a, { ...a.config, queues: a.config.queues.filter((q) => q !== rt.config.id) });
    }
    this.#members.delete(rt.config.id);
  }

  // ---- calls -------------------------------------------------------------------------------------------

  createCall(id: string, kind: CallKind, queue: QueueRuntime, arrivedAt: number, priority: number, data: unknown): CallRecord {
    const call: CallRecord = {
      id, kind, queue, fsm: new StateMachine(`call ${id}`, acdCallTransitions, 'waiting'), callerPriority: priority,
      arrivedAt, enqueuedAt: this.now, seq: ++this.#callSeq, stage: 0, pool: null, stamp: 0, ringing: [],
      key: callKey(arrivedAt, queue.config.priority, priority, this.#o.secondsPerPriorityLevel),
      ringUntil: 0, offerStamp: 0, declined: null, agent: null, answeredAt: 0, overdue: false, data,
    };
    this.calls.set(id, call);
    return call;
  }

  /** Move a call into another queue's line (overflow): it keeps its arrival time, so its place stays fair. */
  moveCall(call: CallRecord, to: QueueRuntime): void {
    this.takeOutOfLine(call);
    call.queue = to;
    call.enqueuedAt = this.now;
    call.stage = 0;
    call.key = callKey(call.arrivedAt, to.config.priority, call.callerPriority, this.#o.secondsPerPriorityLevel);
  }

  /** Put a waiting call in its queue's line and route it. */
  putInLine(call: CallRecord): void {
    call.queue.waiting.add(call);
    this.dispatchCall(call);
  }

  takeOutOfLine(call: CallRecord): void {
    call.queue.waiting.delete(call);
    call.pool?.removeCall(call);
  }

  /**
   * A call joins its current pool: offer it to the best free agents by the queue's strategy (ring-all: up to
   * `ringAllMax`), or keep it in the pool's line.
   */
  dispatchCall(call: CallRecord): void {
    const q = call.queue;
    const pool = q.pools[call.stage]!;
    const max = q.config.strategy === 'ring-all' ? q.config.ringAllMax : 1;
    const agents = pool.takeAgents(max, call, this.now);
    if (agents.length > 0) this.offer(call, agents);
    else pool.addCall(call);
  }

  /**
   * An agent became free: it takes the first call in line across every pool it may serve, or waits listed.
   * The pools' heads are compared directly; only when that call was just declined by this agent are the
   * pools searched past their heads.
   */
  agentFree(agent: AgentRecord): void {
    let best: CallRecord | null = null;
    let key = Infinity;
    let seq = Infinity;
    for (const m of agent.memberships) {
      const p = m.pool;
      if (p.headKey < key || (p.headKey === key && p.headSeq < seq)) {
        best = p.headCall;
        key = p.headKey;
        seq = p.headSeq;
      }
    }
    if (best !== null && declinedRecently(best, agent, this.now)) {
      best = null;
      for (const m of agent.memberships) {
        const c = m.pool.peekCall(agent, this.now);
        if (c && (!best || c.key < best.key || (c.key === best.key && c.seq < best.seq))) best = c;
      }
    }
    if (best) this.offer(best, [agent]);
    else this.#list(agent);
  }

  offer(call: CallRecord, agents: AgentRecord[]): void {
    const q = call.queue;
    this.takeOutOfLine(call);
    call.fsm.transition('offered');
    q.offerSeq++;
    call.ringing = agents;
    call.offerStamp++;
    call.ringUntil = this.now + q.config.ringTimeoutSec * 1000;
    for (const a of agents) {
      a.call = call;
      a.lastOffer.set(q.config.id, q.offerSeq);
      this.transition(a, 'reserved');
    }
    this.due.push(call.ringUntil, { kind: 'ring-timeout', call, stamp: call.offerStamp });
    this.effects.push({
      type: 'offer', callId: call.id, queueId: q.config.id, kind: call.kind,
      agentIds: agents.map((a) => a.id), ringUntil: call.ringUntil, data: call.data,
    });
  }
}
