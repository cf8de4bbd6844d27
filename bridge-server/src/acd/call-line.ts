import type { AcdCore } from './acd-core.js';
import type { AcdMetrics } from './acd-metrics.js';
import type { CallRecord, QueueRuntime } from './acd-records.js';
import type { DeflectReason, EndingAction } from './acd-types.js';
import { isOpenAt } from './business-hours.js';
import { estimateWaitSec } from './wait-estimator.js';

/** Where entry checks lead: keep the call in `queue`, or end it with an action. */
export type EntryDecision =
  | { readonly kind: 'keep'; readonly queue: QueueRuntime }
  | { readonly kind: 'deflect'; readonly queue: QueueRuntime; readonly action: EndingAction; readonly reason: DeflectReason };

/**
 * Keeping the line: where a call may wait (entry checks and deflection, after Google CCAI Platform), its
 * timers (escalation steps, max wait), its return after an unanswered offer, and overflow. The routing itself
 * is the core's.
 */
export class CallLine {
  readonly #core: AcdCore;
  readonly #metrics: AcdMetrics;

  constructor(core: AcdCore, metrics: AcdMetrics) {
    this.#core = core;
    this.#metrics = metrics;
  }

  /**
   * Entry checks from `start` on, following queue-to-queue actions: closed → after-hours action; full →
   * overflow; expected wait above max wait (or nobody staffed) → overflow. A queue already visited ends the
   * chain where it is (validation refuses loops; this is the guard). Counts offered, overflowed and deflected.
   */
  decide(start: QueueRuntime, visited: Set<QueueRuntime>): EntryDecision {
    const now = this.#core.now;
    let q = start;
    for (;;) {
      visited.add(q);
      this.#metrics.offered(q.metrics, now);
      const c = q.config;
      let reason: DeflectReason | null = null;
      if (!isOpenAt(c.businessHours, now)) reason = 'closed';
      else if (c.maxQueueSize !== null && q.waiting.size >= c.maxQueueSize) reason = 'full';
      else if (c.maxWaitSec !== null) {
        const pool = q.pools[0]!;
        const ewt = estimateWaitSec(q.waiting.size + 1, pool.freeCount, pool.staffed, q.handleTimes.meanSec(c.expectedHandleSec));
        if (ewt === null || ewt > c.maxWaitSec) reason = 'expected-wait';
      }
      const action = reason === null ? null : reason === 'closed' ? c.afterHours : c.overflow;
      if (!action) return { kind: 'keep', queue: q };
      if (action.type === 'queue') {
        const next = this.#core.queues.get(action.queueId);
        if (!next || visited.has(next)) return { kind: 'keep', queue: q };
        this.#metrics.overflowed(q.metrics, now, 0);
        q = next;
        continue;
      }
      this.#metrics.deflected(q.metrics, now, 0);
      return { kind: 'deflect', queue: q, action, reason: reason! };
    }
  }

  /** A call enters its queue's line: arm its escalation and max-wait timers, then route it. */
  place(call: CallRecord): void {
    this.armTimers(call);
    this.#core.putInLine(call);
  }

  /** Timers of a call in its (current version of the) queue; timers of an older queue version are ignored. */
  armTimers(call: CallRecord): void {
    this.escalate(call);
    const max = call.queue.config.maxWaitSec;
    if (max !== null) this.#core.due.push(call.enqueuedAt + max * 1000, { kind: 'max-wait', call, queue: call.queue });
  }

  /** Back from an unanswered offer: to its place in line (ahead of later callers), or on if max wait passed. */
  backInLine(call: CallRecord): void {
    const core = this.#core;
    call.fsm.transition('waiting');
    call.ringing = [];
    const max = call.queue.config.maxWaitSec;
    if (call.overdue || (max !== null && core.now >= call.enqueuedAt + max * 1000)) return this.overflow(call, 'max-wait');
    core.putInLine(call);
    // Agents who just declined it may take it again after a ring timeout; make sure it is offered then.
    if (call.fsm.state === 'waiting') core.due.push(core.now + call.queue.config.ringTimeoutSec * 1000, { kind: 'reoffer', call });
  }

  /** Move a call to the escalation stage its wait has reached, and arm the next step. */
  escalate(call: CallRecord): void {
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

  /** A waiting call leaves its queue by the queue's overflow action (max wait reached). */
  overflow(call: CallRecord, reason: DeflectReason): void {
    const core = this.#core;
    const from = call.queue;
    const action = from.config.overflow;
    const target = action?.type === 'queue' ? core.queues.get(action.queueId) : undefined;
    core.takeOutOfLine(call);
    if (!action || (action.type === 'queue' && !target)) return core.putInLine(call);
    const waited = core.now - call.arrivedAt;
    if (!target) {
      this.#metrics.deflected(from.metrics, core.now, waited);
      return this.#deflect(call, from, action as EndingAction, reason);
    }
    this.#metrics.overflowed(from.metrics, core.now, waited);
    core.effects.push({ type: 'queue-changed', callId: call.id, fromQueueId: from.config.id, toQueueId: target.config.id, reason });
    const next = this.decide(target, new Set([from]));
    if (next.kind === 'deflect') return this.#deflect(call, next.queue, next.action, next.reason);
    if (next.queue !== target) {
      core.effects.push({ type: 'queue-changed', callId: call.id, fromQueueId: target.config.id, toQueueId: next.queue.config.id, reason });
    }
    core.moveCall(call, next.queue);
    this.place(call);
  }

  /** The caller hung up before an agent answered (the call is already done): an abandon; ringing agents are free. */
  abandoned(call: CallRecord, wasRinging: boolean): void {
    const core = this.#core;
    const q = call.queue;
    core.takeOutOfLine(call);
    this.#metrics.abandoned(q.metrics, core.now, core.now - call.arrivedAt, q.config.abandonThresholdSec);
    if (!wasRinging) return;
    const agents = call.ringing;
    call.ringing = [];
    core.effects.push({ type: 'stop-ringing', callId: call.id, agentIds: agents.map((a) => a.id), reason: 'caller-left' });
    for (const a of agents) {
      a.call = null;
      core.transition(a, 'available');
    }
  }

  #deflect(call: CallRecord, queue: QueueRuntime, action: EndingAction, reason: DeflectReason): void {
    call.fsm.transition('done');
    this.#core.calls.delete(call.id);
    this.#core.effects.push({ type: 'deflect', callId: call.id, queueId: queue.config.id, action, reason });
  }
}
