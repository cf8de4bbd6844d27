import type { AgentRecord, CallRecord, QueueRuntime } from './acd-records.js';
import type { AgentView, QueueStatus, WaitInfo } from './acd-types.js';
import { isOpenAt } from './business-hours.js';
import { estimateWaitSec } from './wait-estimator.js';

/**
 * Read-only views of the engine's records for the API and the widget: position in line, estimated wait,
 * queue and agent status. Positions are counted, not indexed (O(calls in the queue)): they are asked for per
 * caller every few seconds, while routing — which must be O(log n) — never needs them.
 */

/** 1-based place of a waiting call among its queue's waiting calls. */
export function positionOf(call: CallRecord): number {
  let ahead = 0;
  for (const c of call.queue.waiting) if (c.key < call.key || (c.key === call.key && c.seq < call.seq)) ahead++;
  return ahead + 1;
}

/** Estimated wait of the caller at `position` (0 = being offered) from recent handle times and staffing. */
export function ewtOf(call: CallRecord, position: number): number | null {
  if (position === 0) return 0;
  const pool = call.queue.pools[call.stage]!;
  return estimateWaitSec(position, pool.freeCount, pool.staffed, call.queue.handleTimes.meanSec(call.queue.config.expectedHandleSec));
}

export function waitInfoOf(call: CallRecord, now: number): WaitInfo {
  const position = call.fsm.state === 'waiting' ? positionOf(call) : 0;
  return {
    callId: call.id, queueId: call.queue.config.id, kind: call.kind, state: call.fsm.state, position,
    ewtSec: ewtOf(call, position), waitedSec: ((call.answeredAt || now) - call.arrivedAt) / 1000,
  };
}

/** Every waiting call of the queue in line order, with positions and estimates (one sort for all). */
export function lineOf(q: QueueRuntime, now: number): WaitInfo[] {
  const line = [...q.waiting].sort((a, b) => a.key - b.key || a.seq - b.seq);
  return line.map((call, i) => ({
    callId: call.id, queueId: q.config.id, kind: call.kind, state: call.fsm.state, position: i + 1,
    ewtSec: ewtOf(call, i + 1), waitedSec: (now - call.arrivedAt) / 1000,
  }));
}

export function queueStatusOf(q: QueueRuntime, now: number): QueueStatus {
  let oldest = now;
  for (const c of q.waiting) oldest = Math.min(oldest, c.arrivedAt);
  return {
    queueId: q.config.id, open: isOpenAt(q.config.businessHours, now), waiting: q.waiting.size, free: q.pools[0]!.freeCount,
    staffed: q.pools[0]!.staffed, longestWaitSec: (now - oldest) / 1000, ahtSec: q.handleTimes.meanSec(q.config.expectedHandleSec),
  };
}

export function agentViewOf(a: AgentRecord): AgentView {
  return {
    agentId: a.id, state: a.fsm.state, awayReason: a.awayReason, pending: a.pending?.state ?? null, callId: a.call?.id ?? null,
    idleSince: a.idleSince, callsToday: a.callsToday, talkSecToday: a.talkMsToday / 1000, misses: a.misses,
    wrapUpEndsAt: a.wrap && a.wrap.queue.config.wrapUpSec > 0 ? a.wrap.since + a.wrap.queue.config.wrapUpSec * 1000 : null,
  };
}
