import { isBusy, isStaffed, type AgentState } from './agent-state.js';

/** One queue over one interval, as the store keeps it for reports. Times in seconds; ratios 0–1 or null. */
export interface QueueIntervalRow {
  readonly queueId: string;
  readonly intervalStart: number;
  readonly intervalSec: number;
  /** Calls that arrived (including those deflected or overflowed on arrival). */
  readonly offered: number;
  readonly answered: number;
  readonly answeredWithinSl: number;
  /** Callers who hung up after waiting longer than the queue's abandon threshold. */
  readonly abandoned: number;
  /** Hung up within the threshold: not counted against the service level. */
  readonly shortAbandoned: number;
  /** Sent to a deflection action (message, voicemail, callback, e-mail, phone). */
  readonly deflected: number;
  /** Moved to another queue. */
  readonly overflowed: number;
  /** answeredWithinSl / (answered + abandoned). */
  readonly serviceLevel: number | null;
  readonly asaSec: number | null;
  readonly longestWaitSec: number;
  readonly talkSec: number;
  /** Busy (ringing, talking, wrap-up) over staffed time of the agents serving the queue. */
  readonly occupancy: number | null;
  /** Answered calls per agent who answered one of them. */
  readonly callsPerAgent: number | null;
}

/** One agent over one interval. */
export interface AgentIntervalRow {
  readonly agentId: string;
  readonly intervalStart: number;
  readonly intervalSec: number;
  readonly answered: number;
  readonly missed: number;
  readonly talkSec: number;
  readonly staffedSec: number;
  readonly availableSec: number;
  readonly busySec: number;
  readonly wrapUpSec: number;
  readonly occupancy: number | null;
}

interface QueueBucket {
  offered: number; answered: number; answeredWithinSl: number; abandoned: number; shortAbandoned: number;
  deflected: number; overflowed: number; waitMs: number; longestWaitMs: number; talkMs: number;
  staffedMs: number; busyMs: number; agents: Set<string>;
}
interface AgentBucket {
  answered: number; missed: number; talkMs: number; staffedMs: number; availableMs: number; busyMs: number; wrapMs: number;
}

/**
 * A queue's or an agent's place in the metrics. Records hold theirs, so counting an event is no map look-up:
 * the slot remembers the bucket of the interval it last counted in, which is almost always the current one.
 */
export interface MetricsSlot<B> {
  readonly id: string;
  readonly byStart: Map<number, B>;
  start: number;
  bucket: B | null;
}
export type QueueSlot = MetricsSlot<QueueBucket>;
export type AgentSlot = MetricsSlot<AgentBucket>;

const queueBucket = (): QueueBucket => ({
  offered: 0, answered: 0, answeredWithinSl: 0, abandoned: 0, shortAbandoned: 0, deflected: 0, overflowed: 0,
  waitMs: 0, longestWaitMs: 0, talkMs: 0, staffedMs: 0, busyMs: 0, agents: new Set(),
});
const agentBucket = (): AgentBucket => ({ answered: 0, missed: 0, talkMs: 0, staffedMs: 0, availableMs: 0, busyMs: 0, wrapMs: 0 });

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/**
 * Per-queue and per-agent interval counters, in memory until the owner takes the finished intervals for the
 * store ({@link AcdMetrics.takeRows}). Events count in the interval in which they happen (an answer at 10:16 of
 * a call that arrived at 10:14 counts in 10:15–10:30); agent time is split across interval boundaries.
 */
export class AcdMetrics {
  readonly intervalMs: number;
  readonly #queues = new Map<string, QueueSlot>();
  readonly #agents = new Map<string, AgentSlot>();

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
  }

  startOf(at: number): number {
    return Math.floor(at / this.intervalMs) * this.intervalMs;
  }

  queueSlot(queueId: string): QueueSlot {
    let slot = this.#queues.get(queueId);
    if (!slot) this.#queues.set(queueId, (slot = { id: queueId, byStart: new Map(), start: Number.NaN, bucket: null }));
    return slot;
  }

  agentSlot(agentId: string): AgentSlot {
    let slot = this.#agents.get(agentId);
    if (!slot) this.#agents.set(agentId, (slot = { id: agentId, byStart: new Map(), start: Number.NaN, bucket: null }));
    return slot;
  }

  #bucket<B>(slot: MetricsSlot<B>, at: number, make: () => B): B {
    const start = this.startOf(at);
    if (slot.start === start) return slot.bucket!;
    let b = slot.byStart.get(start);
    if (!b) slot.byStart.set(start, (b = make()));
    slot.start = start;
    slot.bucket = b;
    return b;
  }

  #q(slot: QueueSlot, at: number): QueueBucket {
    return this.#bucket(slot, at, queueBucket);
  }

  #a(slot: AgentSlot, at: number): AgentBucket {
    return this.#bucket(slot, at, agentBucket);
  }

  offered(queue: QueueSlot, at: number): void {
    this.#q(queue, at).offered++;
  }

  deflected(queue: QueueSlot, at: number, waitMs: number): void {
    const b = this.#q(queue, at);
    b.deflected++;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
  }

  overflowed(queue: QueueSlot, at: number, waitMs: number): void {
    const b = this.#q(queue, at);
    b.overflowed++;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
  }

  answered(queue: QueueSlot, agent: AgentSlot, at: number, waitMs: number, slSec: number): void {
    const b = this.#q(queue, at);
    b.answered++;
    if (waitMs <= slSec * 1000) b.answeredWithinSl++;
    b.waitMs += waitMs;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
    b.agents.add(agent.id);
    this.#a(agent, at).answered++;
  }

  abandoned(queue: QueueSlot, at: number, waitMs: number, thresholdSec: number): void {
    const b = this.#q(queue, at);
    if (waitMs <= thresholdSec * 1000) b.shortAbandoned++;
    else b.abandoned++;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
  }

  talked(queue: QueueSlot, agent: AgentSlot, at: number, talkMs: number): void {
    this.#q(queue, at).talkMs += talkMs;
    this.#a(agent, at).talkMs += talkMs;
  }

  missed(agent: AgentSlot, at: number): void {
    this.#a(agent, at).missed++;
  }

  /** Account `[fromMs, toMs)` spent in `state` to the agent and to every queue it serves. */
  agentTime(agent: AgentSlot, queues: readonly QueueSlot[], state: AgentState, fromMs: number, toMs: number): void {
    if (!isStaffed(state) || toMs <= fromMs) return;
    const busy = isBusy(state);
    for (let t = fromMs; t < toMs; ) {
      const end = Math.min(toMs, this.startOf(t) + this.intervalMs);
      const ms = end - t;
      const a = this.#a(agent, t);
      a.staffedMs += ms;
      if (busy) a.busyMs += ms;
      if (state === 'available') a.availableMs += ms;
      if (state === 'wrap-up') a.wrapMs += ms;
      for (const q of queues) {
        const b = this.#q(q, t);
        b.staffedMs += ms;
        if (busy) b.busyMs += ms;
      }
      t = end;
    }
  }

  /**
   * Rows of every interval that started before `beforeMs` (all when omitted). `remove` hands them over — the
   * owner stores them and they are forgotten here; without it they are a snapshot (live reports).
   */
  takeRows(beforeMs = Infinity, remove = true): { queues: QueueIntervalRow[]; agents: AgentIntervalRow[] } {
    const intervalSec = this.intervalMs / 1000;
    const queues: QueueIntervalRow[] = [];
    const agents: AgentIntervalRow[] = [];
    for (const [queueId, slot] of this.#queues) {
      for (const [start, b] of slot.byStart) {
        if (start >= beforeMs) continue;
        if (remove) forget(slot, start);
        queues.push({
          queueId, intervalStart: start, intervalSec, offered: b.offered, answered: b.answered,
          answeredWithinSl: b.answeredWithinSl, abandoned: b.abandoned, shortAbandoned: b.shortAbandoned,
          deflected: b.deflected, overflowed: b.overflowed,
          serviceLevel: ratio(b.answeredWithinSl, b.answered + b.abandoned),
          asaSec: b.answered > 0 ? b.waitMs / b.answered / 1000 : null,
          longestWaitSec: b.longestWaitMs / 1000, talkSec: b.talkMs / 1000,
          occupancy: ratio(b.busyMs, b.staffedMs), callsPerAgent: ratio(b.answered, b.agents.size),
        });
      }
    }
    for (const [agentId, slot] of this.#agents) {
      for (const [start, b] of slot.byStart) {
        if (start >= beforeMs) continue;
        if (remove) forget(slot, start);
        agents.push({
          agentId, intervalStart: start, intervalSec, answered: b.answered, missed: b.missed,
          talkSec: b.talkMs / 1000, staffedSec: b.staffedMs / 1000, availableSec: b.availableMs / 1000,
          busySec: b.busyMs / 1000, wrapUpSec: b.wrapMs / 1000, occupancy: ratio(b.busyMs, b.staffedMs),
        });
      }
    }
    const order = <R extends { intervalStart: number }>(k: (r: R) => string) => (a: R, b: R) =>
      a.intervalStart - b.intervalStart || (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0);
    queues.sort(order((r) => r.queueId));
    agents.sort(order((r) => r.agentId));
    return { queues, agents };
  }
}

/** Drop an interval handed over to the store (and the slot's memory of it). */
function forget<B>(slot: MetricsSlot<B>, start: number): void {
  slot.byStart.delete(start);
  if (slot.start === start) {
    slot.start = Number.NaN;
    slot.bucket = null;
  }
}
