import { TypedEmitter } from '../typed-emitter.js';
import { AcdCore } from './acd-core.js';
import { AcdError } from './acd-errors.js';
import { AcdMetrics, type AgentIntervalRow, type QueueIntervalRow } from './acd-metrics.js';
import { agentViewOf, ewtOf, lineOf, positionOf, queueStatusOf, waitInfoOf } from './acd-queries.js';
import type { AgentRecord, CallRecord, QueueRuntime } from './acd-records.js';
import { AcdSetup } from './acd-setup.js';
import type {
  AcdEffect, AgentStateChange, AgentView, CallbackRequest, EnqueueRequest, EnqueueResult, QueueStatus, RingFailure,
  WaitInfo,
} from './acd-types.js';
import { AgentDesk } from './agent-desk.js';
import type { AwayReason } from './agent-state.js';
import { callbackSlots, isOpenAt } from './business-hours.js';
import { CallLine } from './call-line.js';
import { CallbackBook } from './callback-book.js';
import type { AcdConfigInput } from './config-validator.js';
import { DueWork } from './due-work.js';
import type { AgentConfigInput, QueueConfigInput } from './queue-config.js';
import { isValidTimeZone } from './zoned-time.js';

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
 * lets the simulation run a day of traffic in milliseconds. Queries (`waitInfo`, `queueStatus`, …) change
 * nothing. A command that throws (a late answer, an unknown id) leaves the effects of the due work it ran for the
 * next command or tick.
 *
 * The bridge, in order of a call's life:
 * - INVITE for a queue → {@link AcdEngine.enqueue}: `deflected` → carry out the action (message, voicemail…);
 *   `queued` → 182 with the position; an `offer` effect → INVITE those agents (all of them for ring-all);
 * - an agent's 486/603/failure → {@link AcdEngine.ringFailed}; its 200 → {@link AcdEngine.answered} (CONFLICT:
 *   the offer had already timed out — hang that leg up);
 * - BYE or CANCEL from either side → {@link AcdEngine.ended} (abandon, or the agent starts wrap-up);
 * - softphone ready/away/logout, registration gone → {@link AcdEngine.setAgentState};
 * - `stop-ringing` → CANCEL those agent legs; `queue-changed` → update the CDR's queue; `deflect` → end the
 *   waiting call with the action; `callback-queued` → nothing yet (the offer follows like a call's);
 * - after every command, `AcdTimer.arm()`; positions for the widget from {@link AcdEngine.waitingCalls}.
 */
export class AcdEngine extends TypedEmitter<{ 'agent-state': [change: AgentStateChange] }> {
  readonly #opts: Required<AcdEngineOptions>;
  readonly #metrics: AcdMetrics;
  readonly #core: AcdCore;
  readonly #line: CallLine;
  readonly #setup: AcdSetup;
  readonly #due: DueWork;
  readonly #desk: AgentDesk;
  readonly #callbacks: CallbackBook;
  /** Whether anyone listens: agent-state changes are frequent, their event objects are built only if so. */
  #listened = false;

  constructor(options: AcdEngineOptions) {
    super();
    if (options.timeZone !== undefined && !isValidTimeZone(options.timeZone)) {
      throw AcdError.invalid({ timeZone: ['unknown IANA time zone'] });
    }
    this.#opts = {
      maxMissesBeforeAway: 3, secondsPerPriorityLevel: 60, metricsIntervalMin: 15, timeZone: 'UTC',
      handleTimeWindow: 100, ...options,
    };
    this.#metrics = new AcdMetrics(this.#opts.metricsIntervalMin * 60_000);
    this.#core = new AcdCore({
      metrics: this.#metrics,
      secondsPerPriorityLevel: this.#opts.secondsPerPriorityLevel,
      handleTimeWindow: this.#opts.handleTimeWindow,
      onAgentState: (change) => this.#listened && this.safeEmit('agent-state', change()),
    });
    this.#line = new CallLine(this.#core, this.#metrics);
    this.#desk = new AgentDesk(this.#core, this.#line, this.#metrics, this.#opts.maxMissesBeforeAway);
    this.#callbacks = new CallbackBook(this.#core, this.#line, this.#metrics);
    this.#setup = new AcdSetup(this.#core, this.#line);
    this.#due = new DueWork(this.#core, this.#line, this.#desk, this.#callbacks, this.#opts.timeZone);
    this.#core.now = this.#opts.now();
    this.#due.start();
  }

  override on<K extends 'agent-state'>(event: K, fn: (change: AgentStateChange) => void): this {
    this.#listened = true;
    return super.on(event, fn);
  }

  override once<K extends 'agent-state'>(event: K, fn: (change: AgentStateChange) => void): this {
    this.#listened = true;
    return super.once(event, fn);
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
      this.#due.run(ev.item);
    }
    core.now = now;
  }

  #drain(): AcdEffect[] {
    const out = this.#core.effects;
    this.#core.effects = [];
    return out;
  }

  // ---- configuration -----------------------------------------------------------------------------------

  /** The skill catalogue queues and agents may refer to (adds to what is known). */
  defineSkills(skills: readonly string[]): void {
    this.#setup.defineSkills(skills);
  }

  /** Add or change a queue. Throws {@link AcdError.invalid} naming the fields of an impossible config. */
  upsertQueue(input: QueueConfigInput): AcdEffect[] {
    const config = this.#setup.checkQueue(input);
    this.#begin();
    this.#setup.applyQueue(config);
    return this.#drain();
  }

  /** Remove a queue no other queue refers to and no call is in (agents simply stop serving it). */
  removeQueue(queueId: string): AcdEffect[] {
    const rt = this.#queue(queueId);
    this.#setup.checkRemoveQueue(rt);
    this.#begin();
    this.#core.deleteQueue(rt);
    return this.#drain();
  }

  /** Add or change an agent (new agents start offline). */
  upsertAgent(input: AgentConfigInput): AcdEffect[] {
    const config = this.#setup.checkAgent(input);
    this.#begin();
    this.#setup.applyAgent(config);
    return this.#drain();
  }

  /** Log the agent out (withdrawing a ringing offer) and forget it; refused while it is on a call. */
  removeAgent(agentId: string): AcdEffect[] {
    if (this.#agent(agentId).fsm.state === 'on-call') throw AcdError.conflict(`agent ${agentId} is on a call`);
    const effects = this.setAgentState(agentId, 'offline');
    this.#core.deleteAgent(this.#agent(agentId));
    return effects;
  }

  /** Validate a whole configuration as a set (loops, references) and apply it: skills, queues, then agents. */
  load(input: AcdConfigInput): AcdEffect[] {
    const config = this.#setup.checkAll(input);
    this.#begin();
    this.#setup.applyAll(config);
    return this.#drain();
  }

  // ---- agents ------------------------------------------------------------------------------------------

  /**
   * The agent's own choice: ready (`available`), `away` with a reason (default `break`), or `offline`. While
   * ringing, away or offline withdraws the offer (the call goes back to its place in line, no miss counted); on
   * a call it is applied when wrap-up ends; during wrap-up it ends wrap-up now. Ready resets the misses.
   */
  setAgentState(agentId: string, to: 'available' | 'away' | 'offline', reason: AwayReason | null = null): AcdEffect[] {
    this.#begin();
    this.#desk.choose(this.#agent(agentId), to, reason);
    return this.#drain();
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
    const walk = this.#line.decide(this.#queue(req.queueId), new Set());
    if (walk.kind === 'deflect') {
      return { outcome: 'deflected', queueId: walk.queue.config.id, action: walk.action, reason: walk.reason, effects: this.#drain() };
    }
    const priority = Math.max(0, Math.min(10, req.priority ?? 0));
    const call = core.createCall(req.callId, 'call', walk.queue, core.now, priority, req.data);
    this.#line.place(call);
    // A new caller without priority is last in line (every key ahead is smaller), so no count is needed.
    const position = call.fsm.state === 'waiting' ? (priority === 0 ? walk.queue.waiting.size : positionOf(call)) : 0;
    return { outcome: 'queued', queueId: walk.queue.config.id, position, ewtSec: ewtOf(call, position), effects: this.#drain() };
  }

  /** The offer to this agent failed (rejected, unreachable, or the bridge's own no-answer); stale reports are ignored. */
  ringFailed(callId: string, agentId: string, _why: RingFailure): AcdEffect[] {
    this.#begin();
    const call = this.#core.calls.get(callId);
    const agent = this.#agent(agentId);
    if (call && call.fsm.state === 'offered' && call.ringing.includes(agent)) {
      this.#desk.release(agent, call);
      this.#desk.missed(agent);
    }
    return this.#drain();
  }

  /** The agent answered: it takes the call and the others who rang for it are released. Throws CONFLICT if the
   * call is no longer offered to that agent (it timed out first) — the bridge then hangs up the agent's leg. */
  answered(callId: string, agentId: string): AcdEffect[] {
    this.#begin();
    const call = this.#call(callId);
    const agent = this.#agent(agentId);
    if (call.fsm.state !== 'offered' || !call.ringing.includes(agent)) throw AcdError.conflict(`call ${callId} is not ringing ${agentId}`);
    this.#desk.answer(call, agent);
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
    const state = call.fsm.state;
    call.fsm.transition('done');
    core.calls.delete(callId);
    if (state === 'connected') this.#desk.wrapUp(call.agent!, call);
    else this.#line.abandoned(call, state === 'offered');
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
    this.#callbacks.schedule(this.#queue(req.queueId), req);
    return this.#drain();
  }

  /** Cancel a callback that is not yet due; false if unknown (or already queued: end it with {@link ended}). */
  cancelCallback(callbackId: string): boolean {
    return this.#callbacks.cancel(callbackId);
  }

  /** Callback slots inside the queue's hours (default: the slot length of its callback deflection, else 30 min). */
  callbackSlots(queueId: string, fromMs: number, toMs: number, slotMinutes?: number): number[] {
    const c = this.#queue(queueId).config;
    const action = [c.afterHours, c.overflow].find((a) => a?.type === 'callback');
    return callbackSlots(c.businessHours, fromMs, toMs, slotMinutes ?? (action?.type === 'callback' ? action.slotMinutes : 30));
  }

  // ---- queries -----------------------------------------------------------------------------------------

  /** Where a call stands: position in line (O(calls in its queue)) and estimated wait; null if unknown. */
  waitInfo(callId: string): WaitInfo | null {
    const call = this.#core.calls.get(callId);
    return call ? waitInfoOf(call, this.#nowForQueries()) : null;
  }

  /** Every call in a queue's line, in order, with position and estimated wait (for pushing to widgets). */
  waitingCalls(queueId: string): WaitInfo[] {
    return lineOf(this.#queue(queueId), this.#nowForQueries());
  }

  queueStatus(queueId: string): QueueStatus {
    return queueStatusOf(this.#queue(queueId), this.#nowForQueries());
  }

  agent(agentId: string): AgentView | null {
    const a = this.#core.agents.get(agentId);
    return a ? agentViewOf(a) : null;
  }

  /** Whether the queue takes calls at `at` (default now) by its business hours and holidays. */
  isOpen(queueId: string, at?: number): boolean {
    return isOpenAt(this.#queue(queueId).config.businessHours, at ?? this.#nowForQueries());
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
      this.#metrics.agentTime(a.metrics, a.served, a.fsm.state, a.accountedTo, core.now);
      a.accountedTo = core.now;
    }
    const rows = this.#metrics.takeRows(opts.includeOpen ? Infinity : this.#metrics.startOf(core.now), opts.remove ?? true);
    return { ...rows, effects: this.#drain() };
  }

  /** Queries do not run due work (they return no effects); they read the clock as it is. */
  #nowForQueries(): number {
    return Math.max(this.#core.now, this.#opts.now());
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
