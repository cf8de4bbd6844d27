import { TransitionError } from '../errors.js';
import { TypedEmitter } from '../typed-emitter.js';
import { AcdCore, type DueEvent } from './acd-core.js';
import { AcdError } from './acd-errors.js';
import { AcdMetrics, type AgentIntervalRow, type QueueIntervalRow } from './acd-metrics.js';
import type { AgentRecord, CallRecord, QueueRuntime } from './acd-records.js';
import type {
  AcdEffect, AgentStateChange, AgentView, CallbackRequest, DeflectReason, EndingAction, EnqueueRequest, EnqueueResult,
  QueueStatus, RingFailure, WaitInfo,
} from './acd-types.js';
import type { AwayReason } from './agent-state.js';
import { callbackSlots, isOpenAt } from './business-hours.js';
import { validateAcdConfig, validateAgent, validateQueue, referencesTo, type AcdConfigInput } from './config-validator.js';
import { agentConfigSchema, parseOrThrow, queueConfigSchema, type AgentConfigInput, type QueueConfigInput } from './queue-config.js';
import { estimateWaitSec } from './wait-estimator.js';
import { nextMidnight } from './zoned-time.js';

export interface AcdEngineOptions {
  /** The time source (`clock.now`); the engine reads it at the start of each command and never sets timers. */
  readonly now: () => number;
  /** Consecutive missed or rejected offers after which an agent goes away with reason `missed`. Default 3. */
  readonly maxMissesBeforeAway?: number;
  /** Head start per level of queue or caller priority, in seconds (see `callKey`). Default 60. */
  readonly secondsPerPriorityLevel?: number;
  /** Metrics interval. Default 15 minutes. */
  readonly metricsIntervalMin?: number;
  /** Zone whose midnight resets the daily counters (calls today, talk time today). Default UTC. */
  readonly timeZone?: string;
  /** How many recent handle times feed wait estimates. Default 100. */
  readonly handleTimeWindow?: number;
}

type Walk =
  | { readonly kind: 'keep'; readonly queue: QueueRuntime }
  | { readonly kind: 'deflect'; readonly queue: QueueRuntime; readonly action: EndingAction; readonly reason: DeflectReason };

/**
 * The automatic call distributor as pure domain logic: queues, agents, routing, deflection, callbacks and
 * metrics, with no I/O and no timers. Deterministic for a given sequence of commands and times.
 *
 * How it is driven (the bridge, the simulation and the tests alike): each command — a call arrives, an agent
 * answers, a call ends, an agent changes state — returns the {@link AcdEffect}s the owner must carry out (ring
 * these agents, stop ringing, deflect). Time-based work (ring timeouts, escalation, max wait, end of wrap-up,
 * callbacks) is data inside the engine: the owner asks {@link AcdEngine.nextDueAt}, arranges to call
 * {@link AcdEngine.tick} then (`AcdTimer` does it with an injected Clock), and every command also runs whatever
 * fell due first, each at its own due time. This step design keeps the engine testable without fake timers and
 * lets the simulation run a day of traffic in milliseconds.
 */
export class AcdEngine extends TypedEmitter<{ 'agent-state': [change: AgentStateChange] }> {
  readonly #opts: Required<AcdEngineOptions>;
  readonly #metrics: AcdMetrics;
  readonly #core: AcdCore;
  readonly #skills = new Set<string>();
  readonly #callbacks = new Map<string, CallbackRequest>();
  #wrapSeq = 0;

  constructor(options: AcdEngineOptions) {
    super();
    this.#opts = {
      maxMissesBeforeAway: 3, secondsPerPriorityLevel: 60, metricsIntervalMin: 15, timeZone: 'UTC',
      handleTimeWindow: 100, ...options,
    };
    this.#metrics = new AcdMetrics(this.#opts.metricsIntervalMin * 60_000);
    this.#core = new AcdCore({
      metrics: this.#metrics,
      secondsPerPriorityLevel: this.#opts.secondsPerPriorityLevel,
      handleTimeWindow: this.#opts.handleTimeWindow,
      onAgentState: (change) => this.safeEmit('agent-state', change),
    });
    this.#core.now = this.#opts.now();
    this.#core.due.push(nextMidnight(this.#core.now, this.#opts.timeZone), { kind: 'day-rollover' });
  }

  // ---- time --------------------------------------------------------------------------------------------

  /** Run whatever is due now; returns the effects. Call it at {@link AcdEngine.nextDueAt}. */
  tick(): AcdEffect[] {
    this.#begin();
    return this.#drain();
  }

  /** When the engine next has something to do (epoch ms), or null. */
  nextDueAt(): number | null {
    return this.#core.due.nextAt();
  }

  /** Start of every command: catch up on due work, each item at its own time, then move to now. */
  #begin(): void {
    const core = this.#core;
    const now = Math.max(core.now, this.#opts.now());
    for (let ev = core.due.popDue(now); ev; ev = core.due.popDue(now)) {
      core.now = Math.max(core.now, ev.at);
      this.#onDue(ev.item);
    }
    core.now = now;
  }

  #drain(): AcdEffect[] {
    const out = this.#core.effects;
    this.#core.effects = [];
    return out;
  }

  #onDue(ev: DueEvent): void {
    const core = this.#core;
    switch (ev.kind) {
      case 'ring-timeout': {
        const call = ev.call;
        if (call.fsm.state !== 'offered' || call.offerStamp !== ev.stamp) return;
        const agents = call.ringing;
        core.effects.push({ type: 'stop-ringing', callId: call.id, agentIds: agents.map((a) => a.id), reason: 'timeout' });
        for (const a of agents) (call.declined ??= new Map()).set(a.id, core.now);
        this.#backInLine(call);
        for (const a of agents) this.#missed(a);
        return;
      }
      case 'escalate':
        if (ev.call.queue === ev.queue && ev.call.fsm.state !== 'done') this.#escalate(ev.call);
        return;
      case 'max-wait':
        if (ev.call.queue !== ev.queue) return;
        if (ev.call.fsm.state === 'waiting') this.#overflow(ev.call, 'max-wait');
        else if (ev.call.fsm.state === 'offered') ev.call.overdue = true;
        return;
      case 'reoffer':
        if (ev.call.fsm.state === 'waiting' && ev.call.pool) {
          ev.call.pool.removeCall(ev.call);
          core.dispatchCall(ev.call);
        }
        return;
      case 'wrap-end':
        if (ev.agent.wrap?.stamp === ev.stamp) this.#endWrap(ev.agent);
        return;
      case 'callback':
        return this.#callbackDue(ev.callbackId);
      case 'day-rollover':
        for (const a of core.agents.values()) {
          a.callsToday = 0;
          a.talkMsToday = 0;
        }
        core.relistFreeAgents();
        core.due.push(nextMidnight(core.now, this.#opts.timeZone), { kind: 'day-rollover' });
        return;
    }
  }

  // ---- configuration -----------------------------------------------------------------------------------

  /** The skill catalogue queues and agents may refer to (adds to what is known). */
  defineSkills(skills: readonly string[]): void {
    for (const s of skills) this.#skills.add(s);
  }

  #ctx() {
    return { skills: this.#skills, queues: new Map([...this.#core.queues].map(([id, q]) => [id, q.config])) };
  }

  /** Add or change a queue. Throws {@link AcdError.invalid} naming the fields of an impossible config. */
  upsertQueue(input: QueueConfigInput): AcdEffect[] {
    this.#begin();
    const config = parseOrThrow(queueConfigSchema, input);
    const errors = validateQueue(config, this.#ctx());
    if (Object.keys(errors).length > 0) throw AcdError.invalid(errors);
    for (const call of this.#core.installQueue(config)) this.#armTimers(call);
    return this.#drain();
  }

  /** Remove a queue no other queue refers to and no call is in. */
  removeQueue(queueId: string): void {
    this.#begin();
    const rt = this.#queue(queueId);
    const refs = referencesTo(queueId, [...this.#core.queues.values()].map((q) => q.config));
    if (refs.length > 0) throw AcdError.conflict(`queue ${queueId} is referred to by ${refs.join(', ')}`);
    for (const call of this.#core.calls.values()) if (call.queue === rt) throw AcdError.conflict(`queue ${queueId} has calls`);
    this.#core.deleteQueue(rt);
  }

  /** Add or change an agent (new agents start offline). */
  upsertAgent(input: AgentConfigInput): AcdEffect[] {
    this.#begin();
    const config = parseOrThrow(agentConfigSchema, input);
    const errors = validateAgent(config, this.#ctx());
    if (Object.keys(errors).length > 0) throw AcdError.invalid(errors);
    const agent = this.#core.agents.get(config.id);
    if (agent) this.#core.setAgentConfig(agent, config);
    else this.#core.createAgent(config);
    return this.#drain();
  }

  /** Log the agent out (withdrawing a ringing offer) and forget it; refused while it is on a call. */
  removeAgent(agentId: string): AcdEffect[] {
    const effects = this.setAgentState(agentId, 'offline');
    const agent = this.#agent(agentId);
    if (agent.fsm.state !== 'offline') throw AcdError.conflict(`agent ${agentId} is on a call`);
    this.#core.deleteAgent(agent);
    return effects;
  }

  /** Validate a whole configuration as a set (loops, references) and apply it: skills, queues, then agents. */
  load(input: AcdConfigInput): AcdEffect[] {
    const r = validateAcdConfig(input);
    if (!r.ok) throw AcdError.invalid(r.fieldErrors);
    this.#begin();
    this.defineSkills(r.config.skills);
    for (const q of r.config.queues) for (const call of this.#core.installQueue(q)) this.#armTimers(call);
    for (const a of r.config.agents) {
      const agent = this.#core.agents.get(a.id);
      if (agent) this.#core.setAgentConfig(agent, a);
      else this.#core.createAgent(a);
    }
    return this.#drain();
  }

  // ---- agents ------------------------------------------------------------------------------------------

  /**
   * The agent's own choice: ready (`available`), `away` with a reason, or `offline`. While ringing, going away
   * or offline withdraws the offer (the call goes back to the head of its line, no miss counted); on a call it
   * is remembered and applied when wrap-up ends; during wrap-up it ends wrap-up now. Ready resets the misses.
   */
  setAgentState(agentId: string, to: 'available' | 'away' | 'offline', reason: AwayReason | null = null): AcdEffect[] {
    this.#begin();
    const core = this.#core;
    const agent = this.#agent(agentId);
    const state = agent.fsm.state;
    const why = to === 'away' ? (reason ?? 'break') : null;
    if (to === 'available') agent.misses = 0;
    if (state === 'on-call') {
      agent.pending = to === 'available' ? null : { state: to, reason: why };
    } else if (state === 'wrap-up') {
      agent.pending = to === 'available' ? null : { state: to, reason: why };
      this.#endWrap(agent);
    } else if (state === 'reserved') {
      if (to === 'available') throw TransitionError.illegal(`agent ${agentId}`, state, to);
      const call = agent.call!;
      core.effects.push({ type: 'stop-ringing', callId: call.id, agentIds: [agent.id], reason: 'agent-unavailable' });
      this.#release(agent, call);
      core.transition(agent, to, why);
    } else if (state !== to || (to === 'away' && agent.awayReason !== why)) {
      core.transition(agent, to, why);
    }
    return this.#drain();
  }

  /** The agent no longer rings for the call; the call goes back in line if nobody else rings. */
  #release(agent: AgentRecord, call: CallRecord): void {
    agent.call = null;
    call.ringing = call.ringing.filter((a) => a !== agent);
    (call.declined ??= new Map()).set(agent.id, this.#core.now);
    if (call.ringing.length === 0) this.#backInLine(call);
  }

  /** A missed or rejected offer: back to ready, or away/missed after too many in a row (FreeSWITCH max-no-answer). */
  #missed(agent: AgentRecord): void {
    agent.call = null;
    agent.misses++;
    this.#metrics.missed(agent.id, this.#core.now);
    if (agent.misses >= this.#opts.maxMissesBeforeAway) this.#core.transition(agent, 'away', 'missed');
    else this.#core.transition(agent, 'available');
  }

  #endWrap(agent: AgentRecord): void {
    const wrap = agent.wrap!;
    agent.wrap = null;
    wrap.queue.handleTimes.add((wrap.talkMs + this.#core.now - wrap.since) / 1000);
    const pending = agent.pending;
    agent.pending = null;
    if (pending) this.#core.transition(agent, pending.state, pending.reason);
    else this.#core.transition(agent, 'available');
  }

  // ---- calls -------------------------------------------------------------------------------------------

  /**
   * A call arrives for a queue. The engine decides at once: keep it (in this queue or one it overflows to) —
   * with its position and estimated wait, or an offer among the effects when an agent is free — or deflect it
   * (after hours, queue full, expected wait above the max) with the configured action.
   */
  enqueue(req: EnqueueRequest): EnqueueResult {
    this.#begin();
    const core = this.#core;
    if (core.calls.has(req.callId)) throw AcdError.conflict(`call ${req.callId} is already known`);
    const walk = this.#walk(this.#queue(req.queueId), new Set());
    if (walk.kind === 'deflect') {
      return { outcome: 'deflected', queueId: walk.queue.config.id, action: walk.action, reason: walk.reason, effects: this.#drain() };
    }
    const priority = Math.max(0, Math.min(10, req.priority ?? 0));
    const call = core.createCall(req.callId, 'call', walk.queue, core.now, priority, req.data);
    this.#place(call);
    const position = call.fsm.state === 'waiting' ? (priority === 0 ? walk.queue.waiting.size : this.#position(call)) : 0;
    return { outcome: 'queued', queueId: walk.queue.config.id, position, ewtSec: this.#ewt(call, position), effects: this.#drain() };
  }

  /** The offer to this agent failed (rejected, unreachable, or the bridge's own no-answer); stale reports are ignored. */
  ringFailed(callId: string, agentId: string, _why: RingFailure): AcdEffect[] {
    this.#begin();
    const call = this.#core.calls.get(callId);
    const agent = this.#agent(agentId);
    if (call && call.fsm.state === 'offered' && call.ringing.includes(agent)) {
      this.#release(agent, call);
      this.#missed(agent);
    }
    return this.#drain();
  }

  /** The agent answered: it takes the call and the others who rang for it are released. Throws CONFLICT if the
   * call is no longer offered to that agent (it timed out first) — the bridge then hangs up the agent's leg. */
  answered(callId: string, agentId: string): AcdEffect[] {
    this.#begin();
    const core = this.#core;
    const call = this.#call(callId);
    const agent = this.#agent(agentId);
    if (call.fsm.state !== 'offered' || !call.ringing.includes(agent)) throw AcdError.conflict(`call ${callId} is not ringing ${agentId}`);
    const others = call.ringing.filter((a) => a !== agent);
    call.ringing = [];
    call.fsm.transition('connected');
    call.agent = agent;
    call.answeredAt = core.now;
    agent.misses = 0;
    agent.callsToday++;
    core.transition(agent, 'on-call');
    const q = call.queue.config;
    this.#metrics.answered(q.id, agent.id, core.now, core.now - call.arrivedAt, q.serviceLevel.seconds);
    if (others.length > 0) {
      core.effects.push({ type: 'stop-ringing', callId, agentIds: others.map((a) => a.id), reason: 'answered-elsewhere' });
      for (const a of others) (a.call = null), core.transition(a, 'available');
    }
    return this.#drain();
  }

  /**
   * The call is over: hung up while waiting or ringing (an abandon), or after talking (the agent wraps up).
   * Idempotent: a call the engine no longer knows (already ended or deflected) is ignored.
   */
  ended(callId: string): AcdEffect[] {
    this.#begin();
    const core = this.#core;
    const call = core.calls.get(callId);
    if (!call) return this.#drain();
    const q = call.queue;
    const state = call.fsm.state;
    call.fsm.transition('done');
    core.calls.delete(callId);
    if (state === 'connected') {
      const agent = call.agent!;
      const talkMs = core.now - call.answeredAt;
      agent.talkMsToday += talkMs;
      agent.call = null;
      this.#metrics.talked(q.config.id, agent.id, core.now, talkMs);
      agent.wrap = { queue: q, talkMs, since: core.now, stamp: ++this.#wrapSeq };
      core.transition(agent, 'wrap-up');
      if (q.config.wrapUpSec > 0) core.due.push(core.now + q.config.wrapUpSec * 1000, { kind: 'wrap-end', agent, stamp: agent.wrap.stamp });
      else this.#endWrap(agent);
    } else {
      core.takeOutOfLine(call);
      this.#metrics.abandoned(q.config.id, core.now, core.now - call.arrivedAt, q.config.abandonThresholdSec);
      if (state === 'offered') {
        const agents = call.ringing;
        call.ringing = [];
        core.effects.push({ type: 'stop-ringing', callId, agentIds: agents.map((a) => a.id), reason: 'caller-left' });
        for (const a of agents) (a.call = null), core.transition(a, 'available');
      }
    }
    return this.#drain();
  }

  /** "Keep my place and call me back": the waiting caller hangs up but keeps its place; the offer that reaches
   * an agent will say `kind: 'callback'`. */
  keepPlaceForCallback(callId: string): AcdEffect[] {
    this.#begin();
    const call = this.#call(callId);
    if (call.fsm.state !== 'waiting') throw AcdError.conflict(`call ${callId} is not waiting`);
    call.kind = 'callback';
    return this.#drain();
  }

  /** Hold a callback until `at` (inside the queue's hours), then queue it like a call, bypassing deflection. */
  scheduleCallback(req: CallbackRequest): AcdEffect[] {
    this.#begin();
    const q = this.#queue(req.queueId);
    if (this.#callbacks.has(req.callbackId) || this.#core.calls.has(req.callbackId)) throw AcdError.conflict(`callback ${req.callbackId} exists`);
    if (!isOpenAt(q.config.businessHours, req.at)) throw AcdError.invalid({ at: ['outside the queue\'s business hours'] });
    this.#callbacks.set(req.callbackId, req);
    this.#core.due.push(Math.max(req.at, this.#core.now), { kind: 'callback', callbackId: req.callbackId });
    return this.#drain();
  }

  /** Cancel a callback that is not yet due; false if unknown (or already queued: end it with {@link ended}). */
  cancelCallback(callbackId: string): boolean {
    return this.#callbacks.delete(callbackId);
  }

  /** Callback slots inside the queue's hours (default: the slot length of its callback deflection, else 30 min). */
  callbackSlots(queueId: string, fromMs: number, toMs: number, slotMinutes?: number): number[] {
    const c = this.#queue(queueId).config;
    const fromAction = [c.afterHours, c.overflow].find((a) => a?.type === 'callback') as { slotMinutes: number } | undefined;
    return callbackSlots(c.businessHours, fromMs, toMs, slotMinutes ?? fromAction?.slotMinutes ?? 30);
  }

  #callbackDue(id: string): void {
    const req = this.#callbacks.get(id);
    if (!req) return;
    this.#callbacks.delete(id);
    const q = this.#core.queues.get(req.queueId);
    if (!q) return;
    const call = this.#core.createCall(id, 'callback', q, this.#core.now, req.priority ?? 0, req.data);
    this.#metrics.offered(q.config.id, this.#core.now);
    this.#core.effects.push({ type: 'callback-queued', callId: id, queueId: q.config.id, data: req.data });
    this.#place(call);
  }

  // ---- line keeping ------------------------------------------------------------------------------------

  /** A call enters its queue's line: arm its escalation and max-wait timers, then route it. */
  #place(call: CallRecord): void {
    this.#armTimers(call);
    this.#core.putInLine(call);
  }

  /** Timers of a call in its (current version of the) queue; timers of an older queue version are ignored. */
  #armTimers(call: CallRecord): void {
    this.#escalate(call);
    const max = call.queue.config.maxWaitSec;
    if (max !== null) this.#core.due.push(call.enqueuedAt + max * 1000, { kind: 'max-wait', call, queue: call.queue });
  }

  /** Back from an unanswered offer: to its place in line (ahead of later callers), or on if max wait passed. */
  #backInLine(call: CallRecord): void {
    const core = this.#core;
    call.fsm.transition('waiting');
    call.ringing = [];
    const max = call.queue.config.maxWaitSec;
    if (call.overdue || (max !== null && core.now >= call.enqueuedAt + max * 1000)) return this.#overflow(call, 'max-wait');
    core.putInLine(call);
    if (call.fsm.state === 'waiting') core.due.push(core.now + call.queue.config.ringTimeoutSec * 1000, { kind: 'reoffer', call });
  }

  /** Move a waiting call to the stage its wait has reached, and arm the next step. */
  #escalate(call: CallRecord): void {
    const steps = call.queue.config.escalation;
    const waited = this.#core.now - call.enqueuedAt;
    let stage = 0;
    while (stage < steps.length && steps[stage]!.afterSec * 1000 <= waited) stage++;
    if (stage > call.stage) {
      call.stage = stage;
      if (call.fsm.state === 'waiting' && call.pool) {
        call.pool.removeCall(call);
        this.#core.dispatchCall(call);
      }
    }
    const next = steps[stage];
    if (next) this.#core.due.push(call.enqueuedAt + next.afterSec * 1000, { kind: 'escalate', call, queue: call.queue });
  }

  /** A waiting call leaves its queue by the queue's overflow (or after-hours) action. */
  #overflow(call: CallRecord, reason: DeflectReason): void {
    const core = this.#core;
    const from = call.queue;
    const action = reason === 'closed' ? from.config.afterHours : from.config.overflow;
    const target = action?.type === 'queue' ? core.queues.get(action.queueId) : undefined;
    core.takeOutOfLine(call);
    if (!action || (action.type === 'queue' && !target)) return core.putInLine(call);
    const waited = core.now - call.arrivedAt;
    if (target) {
      this.#metrics.overflowed(from.config.id, core.now, waited);
      core.effects.push({ type: 'queue-changed', callId: call.id, fromQueueId: from.config.id, toQueueId: target.config.id, reason });
      const walk = this.#walk(target, new Set([from]));
      if (walk.kind === 'keep') {
        if (walk.queue !== target) core.effects.push({ type: 'queue-changed', callId: call.id, fromQueueId: target.config.id, toQueueId: walk.queue.config.id, reason });
        core.moveCall(call, walk.queue);
        return this.#place(call);
      }
      return this.#deflect(call, walk.queue, walk.action, walk.reason);
    }
    this.#metrics.deflected(from.config.id, core.now, waited);
    this.#deflect(call, from, action as EndingAction, reason);
  }

  #deflect(call: CallRecord, queue: QueueRuntime, action: EndingAction, reason: DeflectReason): void {
    call.fsm.transition('done');
    this.#core.calls.delete(call.id);
    this.#core.effects.push({ type: 'deflect', callId: call.id, queueId: queue.config.id, action, reason });
  }

  /**
   * Entry checks from `start` on, following queue-to-queue actions: closed → after-hours action; full → overflow;
   * expected wait above max wait (or nobody staffed) → overflow. Counts offered/overflowed/deflected per queue.
   */
  #walk(start: QueueRuntime, visited: Set<QueueRuntime>): Walk {
    const now = this.#core.now;
    let q = start;
    for (;;) {
      visited.add(q);
      this.#metrics.offered(q.config.id, now);
      const c = q.config;
      let reason: DeflectReason | null = null;
      if (!isOpenAt(c.businessHours, now)) reason = 'closed';
      else if (c.maxQueueSize !== null && q.waiting.size >= c.maxQueueSize) reason = 'full';
      else if (c.maxWaitSec !== null) {
        const ewt = estimateWaitSec(q.waiting.size + 1, q.pools[0]!.freeCount, q.pools[0]!.staffed, q.handleTimes.meanSec(c.expectedHandleSec));
        if (ewt === null || ewt > c.maxWaitSec) reason = 'expected-wait';
      }
      const action = reason === null ? null : reason === 'closed' ? c.afterHours : c.overflow;
      if (!action) return { kind: 'keep', queue: q };
      if (action.type === 'queue') {
        const next = this.#core.queues.get(action.queueId);
        if (!next || visited.has(next)) return { kind: 'keep', queue: q };
        this.#metrics.overflowed(c.id, now, 0);
        q = next;
        continue;
      }
      this.#metrics.deflected(c.id, now, 0);
      return { kind: 'deflect', queue: q, action, reason: reason! };
    }
  }

  // ---- queries -----------------------------------------------------------------------------------------

  #position(call: CallRecord): number {
    let ahead = 0;
    for (const c of call.queue.waiting) if (c.key < call.key || (c.key === call.key && c.seq < call.seq)) ahead++;
    return ahead + 1;
  }

  #ewt(call: CallRecord, position: number): number | null {
    if (position === 0) return 0;
    const pool = call.queue.pools[call.stage]!;
    return estimateWaitSec(position, pool.freeCount, pool.staffed, call.queue.handleTimes.meanSec(call.queue.config.expectedHandleSec));
  }

  /** Where a call stands: position in line (O(calls in its queue)) and estimated wait; null if unknown. */
  waitInfo(callId: string): WaitInfo | null {
    const call = this.#core.calls.get(callId);
    if (!call) return null;
    const position = call.fsm.state === 'waiting' ? this.#position(call) : 0;
    return {
      callId, queueId: call.queue.config.id, kind: call.kind, state: call.fsm.state, position,
      ewtSec: call.fsm.state === 'waiting' ? this.#ewt(call, position) : 0,
      waitedSec: ((call.answeredAt || this.#opts.now()) - call.arrivedAt) / 1000,
    };
  }

  /** Every call in a queue's line, in order, with position and estimated wait (for pushing to widgets). */
  waitingCalls(queueId: string): WaitInfo[] {
    const now = Math.max(this.#core.now, this.#opts.now());
    const line = [...this.#queue(queueId).waiting].sort((a, b) => a.key - b.key || a.seq - b.seq);
    return line.map((call, i) => ({
      callId: call.id, queueId, kind: call.kind, state: call.fsm.state, position: i + 1,
      ewtSec: this.#ewt(call, i + 1), waitedSec: (now - call.arrivedAt) / 1000,
    }));
  }

  queueStatus(queueId: string): QueueStatus {
    const q = this.#queue(queueId);
    const now = Math.max(this.#core.now, this.#opts.now());
    let oldest = now;
    for (const c of q.waiting) oldest = Math.min(oldest, c.arrivedAt);
    return {
      queueId, open: isOpenAt(q.config.businessHours, now), waiting: q.waiting.size, free: q.pools[0]!.freeCount,
      staffed: q.pools[0]!.staffed, longestWaitSec: (now - oldest) / 1000, ahtSec: q.handleTimes.meanSec(q.config.expectedHandleSec),
    };
  }

  agent(agentId: string): AgentView | null {
    const a = this.#core.agents.get(agentId);
    if (!a) return null;
    return {
      agentId, state: a.fsm.state, awayReason: a.awayReason, pending: a.pending?.state ?? null, callId: a.call?.id ?? null,
      idleSince: a.idleSince, callsToday: a.callsToday, talkSecToday: a.talkMsToday / 1000, misses: a.misses,
    };
  }

  /**
   * Metrics rows for the store. By default the finished intervals, handed over (forgotten here); with
   * `{ includeOpen: true, remove: false }` a live snapshot including the current interval. A command like the
   * others: due work runs first, and its effects come back too.
   */
  metricsRows(opts: { includeOpen?: boolean; remove?: boolean } = {}): {
    queues: QueueIntervalRow[];
    agents: AgentIntervalRow[];
    effects: AcdEffect[];
  } {
    this.#begin();
    const core = this.#core;
    for (const a of core.agents.values()) {
      this.#metrics.agentTime(a.id, a.config.queues, a.fsm.state, a.accountedTo, core.now);
      a.accountedTo = core.now;
    }
    const rows = this.#metrics.takeRows(opts.includeOpen ? Infinity : this.#metrics.startOf(core.now), opts.remove ?? true);
    return { ...rows, effects: this.#drain() };
  }

  #queue(id: string): QueueRuntime {
    const q = this.#core.queues.get(id);
    if (!q) throw AcdError.unknown('queue', id);
    return q;
  }

  #agent(id: string): AgentRecord {
    const a = this.#core.agents.get(id);
    if (!a) throw AcdError.unknown('agent', id);
    return a;
  }

  #call(id: string): CallRecord {
    const c = this.#core.calls.get(id);
    if (!c) throw AcdError.unknown('call', id);
    return c;
  }
}
