import type { Clock } from '../clock.js';
import { TypedEmitter } from '../typed-emitter.js';

/** What the bridge knows about a signed-in agent right now. */
export interface AgentEntry {
  readonly agentId: string;
  readonly tenantId: string;
  readonly username: string;
  readonly displayName: string;
  /** The SIP address-of-record the agent registers (`sip:alice@demo.sambung.local`). */
  readonly aor: string;
  queueIds: readonly string[];
  availability: 'available' | 'away';
  awayReason: string | null;
  /** The call this agent is ringing for or talking on; null when free. */
  busyWith: string | null;
  /** When the agent last became free (for longest-idle routing). */
  idleSince: number;
}

export type AgentProfile = Pick<AgentEntry, 'agentId' | 'tenantId' | 'username' | 'displayName' | 'aor' | 'queueIds'>;

/**
 * Agents' availability and occupancy, in memory. Routing today is longest-idle among available, free and
 * reachable agents of the queue; the ACD engine (issue 3) replaces {@link AgentDirectory.pick}.
 * Emits `changed` whenever an agent may have become routable, so waiting calls are re-offered.
 */
export class AgentDirectory extends TypedEmitter<{ changed: [tenantId: string] }> {
  readonly #agents = new Map<string, AgentEntry>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    super();
    this.#clock = clock;
  }

  /** Add or refresh an agent's profile; a new agent starts available and idle from now. */
  upsert(profile: AgentProfile): AgentEntry {
    const existing = this.#agents.get(profile.agentId);
    if (existing) {
      existing.queueIds = profile.queueIds;
      return existing;
    }
    const entry: AgentEntry = {
      ...profile,
      availability: 'available',
      awayReason: null,
      busyWith: null,
      idleSince: this.#clock.now(),
    };
    this.#agents.set(profile.agentId, entry);
    this.safeEmit('changed', profile.tenantId);
    return entry;
  }

  get(agentId: string): AgentEntry | undefined {
    return this.#agents.get(agentId);
  }

  setAvailability(agentId: string, availability: 'available' | 'away', reason: string | null = null): void {
    const a = this.#agents.get(agentId);
    if (!a) return;
    a.availability = availability;
    a.awayReason = availability === 'away' ? reason : null;
    if (availability === 'available') this.safeEmit('changed', a.tenantId);
  }

  /** Mark the agent as ringing/talking for `callId`. */
  reserve(agentId: string, callId: string): void {
    const a = this.#agents.get(agentId);
    if (a) a.busyWith = callId;
  }

  /** Free the agent if it is still held by `callId`; it becomes idle from now. */
  release(agentId: string, callId: string): void {
    const a = this.#agents.get(agentId);
    if (!a || a.busyWith !== callId) return;
    a.busyWith = null;
    a.idleSince = this.#clock.now();
    this.safeEmit('changed', a.tenantId);
  }

  /** Notify that reachability changed (an agent registered or its connection closed). */
  touch(tenantId: string): void {
    this.safeEmit('changed', tenantId);
  }

  /**
   * The longest-idle agent of the queue that is available, free, reachable and not excluded; null if none.
   */
  pick(
    tenantId: string,
    queueId: string,
    isReachable: (a: AgentEntry) => boolean,
    isExcluded: (a: AgentEntry) => boolean,
  ): AgentEntry | null {
    let best: AgentEntry | null = null;
    for (const a of this.#agents.values()) {
      if (a.tenantId !== tenantId || a.availability !== 'available' || a.busyWith !== null) continue;
      if (!a.queueIds.includes(queueId) || isExcluded(a) || !isReachable(a)) continue;
      if (!best || a.idleSince < best.idleSince) best = a;
    }
    return best;
  }

  /** Agents of a tenant (for the API and metrics). */
  list(tenantId?: string): AgentEntry[] {
    return [...this.#agents.values()].filter((a) => tenantId === undefined || a.tenantId === tenantId);
  }
}
