import { declinedRecently, type AgentRecord, type CallRecord, type QueueRuntime } from './acd-records.js';
import { KeyHeap } from './key-heap.js';

const COMPACT_MIN = 64;
/** How many valid entries a filtered look-up sets aside at most (callers skipped for agents who declined them). */
const MAX_SKIPPED = 32;

/** An entry set aside during a filtered look-up, to be pushed back unchanged. */
interface Held<T> {
  readonly item: T;
  readonly stamp: number;
  readonly keys: [number, number, number];
}

/**
 * The routing index of one queue at one escalation stage: a heap of its waiting calls (by place in line) and a
 * heap of the free agents eligible for it (by the queue's strategy). Eligibility is precomputed — an agent is
 * listed in exactly the pools it may serve — so a decision is a peek, never a scan.
 *
 * Removal is lazy: entries carry the stamp their call or agent had when listed and are dropped when they reach
 * the top stale. Live counts drive compaction, so stale entries never outnumber live ones for long. The call
 * heap's top is kept valid eagerly and mirrored in `headKey`/`headSeq`/`headCall`, so a free agent compares the
 * heads of its pools without touching the heaps.
 */
export class RoutingPool {
  readonly queue: QueueRuntime;
  readonly stage: number;
  /** Agents eligible here who are logged in and working (for wait estimates). */
  staffed = 0;
  /** The first call in line (Infinity/null when none). */
  headKey = Infinity;
  headSeq = Infinity;
  headCall: CallRecord | null = null;
  #liveCalls = 0;
  #liveAgents = 0;
  /** Waiting calls by (key, seq). */
  readonly #calls = new KeyHeap<CallRecord>();
  /** Free agents by (k1, k2, ordinal) of the queue's strategy. */
  readonly #agents = new KeyHeap<AgentRecord>();

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
    this.#calls.push(call, call.stamp, call.key, call.seq);
    this.#liveCalls++;
    if (call.key < this.headKey || (call.key === this.headKey && call.seq < this.headSeq)) this.#setHead();
  }

  removeCall(call: CallRecord): void {
    if (call.pool !== this) return;
    call.pool = null;
    call.stamp++;
    this.#liveCalls--;
    if (this.#calls.size > COMPACT_MIN && this.#calls.size > 2 * this.#liveCalls) {
      this.#calls.retain((c, stamp) => stamp === c.stamp);
    }
    if (this.headCall === call) this.#setHead();
  }

  /** Drop stale entries off the top and mirror the new first call in line. */
  #setHead(): void {
    const heap = this.#calls;
    let top = heap.topItem();
    while (top !== undefined && heap.topStamp() !== top.stamp) {
      heap.pop();
      top = heap.topItem();
    }
    this.headCall = top ?? null;
    this.headKey = top ? top.key : Infinity;
    this.headSeq = top ? top.seq : Infinity;
  }

  /** The first call in line that `agent` did not just decline (it stays in line); null if none. */
  peekCall(agent: AgentRecord, now: number): CallRecord | null {
    const heap = this.#calls;
    let skipped: Held<CallRecord>[] | null = null;
    let found: CallRecord | null = null;
    for (;;) {
      const call = heap.topItem();
      if (call === undefined) break;
      const stamp = heap.topStamp();
      if (stamp !== call.stamp) {
        heap.pop();
      } else if (!declinedRecently(call, agent, now)) {
        found = call;
        break;
      } else {
        if ((skipped ??= []).length >= MAX_SKIPPED) break;
        skipped.push({ item: call, stamp, keys: heap.topKeys() });
        heap.pop();
      }
    }
    if (skipped) for (const h of skipped) heap.push(h.item, h.stamp, ...h.keys);
    this.#setHead();
    return found;
  }

  /** List a free agent with its rank for this queue's strategy. */
  addAgent(agent: AgentRecord, k1: number, k2: number): void {
    this.#agents.push(agent, agent.stamp, k1, k2, agent.ordinal);
    this.#liveAgents++;
  }

  /** One of this pool's free agents stopped being free (its entries are now stale). */
  agentLeft(): void {
    this.#liveAgents--;
    if (this.#agents.size > COMPACT_MIN && this.#agents.size > 2 * this.#liveAgents) {
      this.#agents.retain((a, stamp) => stamp === a.stamp);
    }
  }

  /** Up to `max` best-ranked free agents who did not just decline `call`, removed from this heap. */
  takeAgents(max: number, call: CallRecord, now: number): AgentRecord[] {
    const heap = this.#agents;
    const out: AgentRecord[] = [];
    let skipped: Held<AgentRecord>[] | null = null;
    while (out.length < max) {
      const agent = heap.topItem();
      if (agent === undefined) break;
      const stamp = heap.topStamp();
      if (stamp === agent.stamp && declinedRecently(call, agent, now)) {
        if ((skipped ??= []).length >= MAX_SKIPPED) break;
        skipped.push({ item: agent, stamp, keys: heap.topKeys() });
      } else if (stamp === agent.stamp) {
        out.push(agent);
      }
      heap.pop();
    }
    if (skipped) for (const h of skipped) heap.push(h.item, h.stamp, ...h.keys);
    return out;
  }
}
