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
  readonly #queues = new Map<string, Map<number, QueueBucket>>();
  readonly #agents = new Map<string, Map<number, AgentBucket>>();
  /** The bucket last used per id: almost every event lands in the current interval. */
  readonly #lastQ = new Map<string, { start: number; bucket: QueueBucket }>();
  readonly #lastA = new Map<string, { start: number; bucket: AgentBucket }>();

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
  }

  startOf(at: number): number {
    return Math.floor(at / this.intervalMs) * this.intervalMs;
  }

  #q(queueId: string, at: number): QueueBucket {
    const start = this.startOf(at);
    const last = this.#lastQ.get(queueId);
    if (last && last.start === start) return last.bucket;
    const bucket = this.#qSlow(queueId, start);
    this.#lastQ.set(queueId, { start, bucket });
    return bucket;
  }

  #qSlow(queueId: string, start: number): QueueBucket {
    let byStart = this.#queues.get(queueId);
    if (!byStart) this.#queues.set(queueId, (byStart = new Map()));
    let b = byStart.get(start);
    if (!b) byStart.set(start, (b = queueBucket()));
    return b;
  }

  #a(agentId: string, at: number): AgentBucket {
    const start = this.startOf(at);
    const last = this.#lastA.get(agentId);
    if (last && last.start === start) return last.bucket;
    const bucket = this.#aSlow(agentId, start);
    this.#lastA.set(agentId, { start, bucket });
    return bucket;
  }

  #aSlow(agentId: string, start: number): AgentBucket {
    let byStart = this.#agents.get(agentId);
    if (!byStart) this.#agents.set(agentId, (byStart = new Map()));
    let b = byStart.get(start);
    if (!b) byStart.set(start, (b = agentBucket()));
    return b;
  }

  offered(queueId: string, at: number): void {
    this.#q(queueId, at).offered++;
  }

  deflected(queueId: string, at: number, waitMs: number): void {
    const b = this.#q(queueId, at);
    b.deflected++;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
  }

  overflowed(queueId: string, at: number, waitMs: number): void {
    const b = this.#q(queueId, at);
    b.overflowed++;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
  }

  answered(queueId: string, agentId: string, at: number, waitMs: number, slSec: number): void {
    const b = this.#q(queueId, at);
    b.answered++;
    if (waitMs <= slSec * 1000) b.answeredWithinSl++;
    b.waitMs += waitMs;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
    b.agents.add(agentId);
    this.#a(agentId, at).answered++;
  }

  abandoned(queueId: string, at: number, waitMs: number, thresholdSec: number): void {
    const b = this.#q(queueId, at);
    if (waitMs <= thresholdSec * 1000) b.shortAbandoned++;
    else b.abandoned++;
    b.longestWaitMs = Math.max(b.longestWaitMs, waitMs);
  }

  talked(queueId: string, agentId: string, at: number, talkMs: number): void {
    this.#q(queueId, at).talkMs += talkMs;
    this.#a(agentId, at).talkMs += talkMs;
  }

  missed(agentId: string, at: number): void {
    this.#a(agentId, at).missed++;
  }

  /** Account `[fromMs, toMs)` spent in `state` to the agent and to every queue it serves. */
  agentTime(agentId: string, queueIds: readonly string[], state: AgentState, fromMs: number, toMs: number): void {
    if (!isStaffed(state)) return;
    const busy = isBusy(state);
    for (let t = fromMs; t < toMs; ) {
      const end = Math.min(toMs, this.startOf(t) + this.intervalMs);
      const ms = end - t;
      const a = this.#a(agentId, t);
      a.staffedMs += ms;
      if (busy) a.busyMs += ms;
      if (state === 'available') a.availableMs += ms;
      if (state === 'wrap-up') a.wrapMs += ms;
      for (const q of queueIds) {
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
    if (remove) {
      this.#lastQ.clear();
      this.#lastA.clear();
    }
    for (const [queueId, byStart] of this.#queues) {
      for (const [start, b] of byStart) {
        if (start >= beforeMs) continue;
        if (remove) byStart.delete(start);
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
    for (const [agentId, byStart] of this.#agents) {
      for (const [start, b] of byStart) {
        if (start >= beforeMs) continue;
        if (remove) byStart.delete(start);
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
