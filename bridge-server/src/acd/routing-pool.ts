import { declinedRecently, type AgentRecord, type CallRecord, type QueueRuntime } from './acd-records.js';
import { MinHeap } from './min-heap.js';

interface CallEntry {
  readonly key: number;
  readonly seq: number;
  readonly call: CallRecord;
  readonly stamp: number;
}

interface AgentEntry {
  readonly k1: number;
  readonly k2: number;
  readonly ord: number;
  readonly agent: AgentRecord;
  readonly stamp: number;
}

const COMPACT_MIN = 64;
/** How many valid entries a filtered look-up sets aside at most (callers skipped for agents who declined them). */
const MAX_SKIPPED = 32;

/**
 * The routing index of one queue at one escalation stage: a heap of its waiting calls (by place in line) and a
 * heap of the free agents eligible for it (by the queue's strategy). Eligibility is precomputed — an agent is
 * listed in exactly the pools it may serve — so a decision is a peek, never a scan.
 *
 * Removal is lazy: entries carry the stamp their call or agent had when listed and are dropped when they reach
 * the top stale. Live counts drive compaction, so stale entries never outnumber live ones for long.
 */
export class RoutingPool {
  readonly queue: QueueRuntime;
  readonly stage: number;
  /** Agents eligible here who are logged in and working (for wait estimates). */
  staffed = 0;
  #liveCalls = 0;
  #liveAgents = 0;
  readonly #calls = new MinHeap<CallEntry>((a, b) => a.key < b.key || (a.key === b.key && a.seq < b.seq));
  readonly #agents = new MinHeap<AgentEntry>(
    (a, b) => a.k1 < b.k1 || (a.k1 === b.k1 && (a.k2 < b.k2 || (a.k2 === b.k2 && a.ord < b.ord))),
  );

  constructor(queue: QueueRuntime, stage: number) {
    this.queue = queue;
    this.stage = stage;
  }

  get waitingCount(): number {
    return this.#liveCalls;
  }

  get freeCount(): number {
    return this.#liveAgents;
  }

  addCall(call: CallRecord): void {
    call.pool = this;
    this.#calls.push({ key: call.key, seq: call.seq, call, stamp: call.stamp });
    this.#liveCalls++;
  }

  removeCall(call: CallRecord): void {
    if (call.pool !== this) return;
    call.pool = null;
    call.stamp++;
    this.#liveCalls--;
    if (this.#calls.size > COMPACT_MIN && this.#calls.size > 2 * this.#liveCalls) {
      this.#calls.retain((e) => e.stamp === e.call.stamp);
    }
  }

  /** The first call in line that `agent` did not just decline; null if none. */
  peekCall(agent: AgentRecord, now: number): CallRecord | null {
    const heap = this.#calls;
    let top = heap.peek();
    while (top && top.stamp !== top.call.stamp) {
      heap.pop();
      top = heap.peek();
    }
    if (!top) return null;
    if (!declinedRecently(top.call, agent, now)) return top.call;
    const skipped: CallEntry[] = [];
    let found: CallRecord | null = null;
    while (skipped.length < MAX_SKIPPED) {
      const e = heap.pop();
      if (!e) break;
      if (e.stamp !== e.call.stamp) continue;
      skipped.push(e);
      if (!declinedRecently(e.call, agent, now)) {
        found = e.call;
        break;
      }
    }
    for (const e of skipped) heap.push(e);
    return found;
  }

  /** List a free agent with its rank for this queue's strategy. */
  addAgent(agent: AgentRecord, k1: number, k2: number): void {
    this.#agents.push({ k1, k2, ord: agent.ordinal, agent, stamp: agent.stamp });
    this.#liveAgents++;
  }

  /** One of this pool's free agents stopped being free (its entries are now stale). */
  agentLeft(): void {
    this.#liveAgents--;
    if (this.#agents.size > COMPACT_MIN && this.#agents.size > 2 * this.#liveAgents) {
      this.#agents.retain((e) => e.stamp === e.agent.stamp);
    }
  }

  /** Up to `max` best-ranked free agents who did not just decline `call`, removed from this heap. */
  takeAgents(max: number, call: CallRecord, now: number): AgentRecord[] {
    const heap = this.#agents;
    const out: AgentRecord[] = [];
    const skipped: AgentEntry[] = [];
    while (out.length < max && skipped.length < MAX_SKIPPED) {
      const e = heap.pop();
      if (!e) break;
      if (e.stamp !== e.agent.stamp) continue;
      if (!declinedRecently(call, e.agent, now)) out.push(e.agent);
      else skipped.push(e);
    }
    for (const e of skipped) heap.push(e);
    return out;
  }
}
