import { AcdEngine, AcdTimer, type AcdEffect, type AgentStateChange, type AgentView, type AwayReason, type QueueConfigInput } from '../acd/index.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { SipLogger } from '../sip/transaction.js';
import type { Agent } from '../store/agent-repo.js';
import type { Queue } from '../store/queue-repo.js';
import type { Store } from '../store/store.js';
import { TypedEmitter } from '../typed-emitter.js';

/** What the agent asked to be (softphone selector); the ACD sees it only while the agent is registered. */
export interface AgentWish {
  state: 'available' | 'away';
  reason: AwayReason | null;
}

interface TenantAcd {
  engine: AcdEngine;
  timer: AcdTimer;
}

/** A queue as the ACD knows it: its name is its ACD id (unique per tenant, readable in overflow references). */
export function queueInput(queue: Queue): QueueConfigInput {
  return { ...(queue.acdConfig as Partial<QueueConfigInput>), id: queue.name, name: queue.name, ringTimeoutSec: queue.ringTimeoutSec };
}

/**
 * One ACD engine per tenant (each tenant has its own skills, queues and agents), loaded from the store on first
 * use and kept in step by the admin API. Engines are pure; this binds them to the clock (AcdTimer) and emits
 * every batch of effects for the B2BUA to carry out. It also folds an agent's wish (available/away) and its SIP
 * registration into the one state the ACD routes by: available only while registered.
 */
export class AcdService extends TypedEmitter<{
  effects: [tenantId: string, effects: AcdEffect[]];
  'agent-state': [tenantId: string, change: AgentStateChange];
}> {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: SipLogger;
  readonly #maxMisses: number;
  readonly #tenants = new Map<string, Promise<TenantAcd>>();
  readonly #loaded = new Map<string, TenantAcd>();
  readonly #wishes = new Map<string, AgentWish>();
  readonly #registered = new Set<string>();
  readonly #busyElsewhere = new Set<string>();
  #closed = false;
  #flushTimer: TimerHandle | null = null;

  constructor(deps: { store: Store; clock: Clock; log: SipLogger; maxMissesBeforeAway?: number }) {
    super();
    this.#maxMisses = deps.maxMissesBeforeAway ?? 3;
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  /** The tenant's engine, loading its configuration on first use. */
  engine(tenantId: string): Promise<AcdEngine> {
    let loading = this.#tenants.get(tenantId);
    if (!loading) {
      loading = this.#load(tenantId);
      this.#tenants.set(tenantId, loading);
      loading.catch(() => this.#tenants.delete(tenantId));
    }
    return loading.then((t) => t.engine);
  }

  /** The engine if already loaded (synchronous paths: effects, SIP events). */
  loaded(tenantId: string): AcdEngine | undefined {
    return this.#loaded.get(tenantId)?.engine;
  }

  async #load(tenantId: string): Promise<TenantAcd> {
    const engine = new AcdEngine({ now: () => this.#clock.now(), maxMissesBeforeAway: this.#maxMisses });
    const [skills, queues, agents] = await Promise.all([
      this.#store.skills.list(tenantId),
      this.#store.queues.list(tenantId),
      this.#store.agents.list(tenantId),
    ]);
    const agentInputs = await Promise.all(agents.map((a) => this.#agentInput(a, queues)));
    engine.load({ skills, queues: queues.map(queueInput), agents: agentInputs });
    // Booked callbacks survive a restart: put the open ones back (a missed slot is offered as soon as possible).
    const byId = new Map(queues.map((q) => [q.id, q]));
    for (const cb of (await this.#store.callbacks.open()).filter((c) => c.tenantId === tenantId)) {
      const queue = byId.get(cb.queueId);
      if (!queue) continue;
      try {
        engine.scheduleCallback({
          callbackId: cb.id,
          queueId: queue.name,
          at: Math.max(cb.dueAt.getTime(), this.#clock.now()),
          data: { visitorId: 'callback', name: cb.callerName, phone: cb.callerPhone, email: cb.callerEmail ?? '', callbackId: cb.id },
        });
      } catch (err) {
        this.#log.warn({ err, callbackId: cb.id }, 'could not restore a callback');
      }
    }
    engine.on('agent-state', (change) => {
      if (change.to === 'away' && change.reason === 'missed') this.#wishes.set(change.agentId, { state: 'away', reason: 'missed' });
      this.safeEmit('agent-state', tenantId, change);
    });
    engine.onListenerError((event, err) => this.#log.error({ err, event }, 'ACD listener threw'));
    const timer = new AcdTimer(engine, this.#clock, (effects) => this.safeEmit('effects', tenantId, effects));
    const acd = { engine, timer };
    this.#loaded.set(tenantId, acd);
    return acd;
  }

  async #agentInput(agent: Agent, queues: readonly Queue[]) {
    const queueIds = new Set(await this.#store.agents.queueIdsOf(agent.tenantId, agent.id));
    return { id: agent.id, skills: agent.skills, queues: queues.filter((q) => queueIds.has(q.id)).map((q) => q.name) };
  }

  /** Hand a command's effects to the B2BUA and re-arm the tenant's timer. */
  run(tenantId: string, effects: AcdEffect[]): void {
    const acd = this.#loaded.get(tenantId);
    if (effects.length > 0) this.safeEmit('effects', tenantId, effects);
    acd?.timer.arm();
  }

  /** Refresh one queue after an admin change (the config was validated before it was saved). */
  async syncQueue(queue: Queue): Promise<void> {
    const engine = await this.engine(queue.tenantId);
    this.run(queue.tenantId, engine.upsertQueue(queueInput(queue)));
  }

  /** Refresh one agent after an admin change. */
  async syncAgent(agent: Agent): Promise<void> {
    const engine = await this.engine(agent.tenantId);
    const queues = await this.#store.queues.list(agent.tenantId);
    this.run(agent.tenantId, engine.upsertAgent(await this.#agentInput(agent, queues)));
    this.#apply(agent.tenantId, agent.id);
  }

  async syncSkills(tenantId: string): Promise<void> {
    const engine = await this.engine(tenantId);
    engine.defineSkills(await this.#store.skills.list(tenantId));
  }

  // ---- presence ----------------------------------------------------------------------------------------

  wish(agentId: string): AgentWish {
    return this.#wishes.get(agentId) ?? { state: 'available', reason: null };
  }

  /** The softphone's selector. */
  async setWish(tenantId: string, agentId: string, wish: AgentWish): Promise<void> {
    await this.engine(tenantId);
    this.#wishes.set(agentId, wish);
    this.#apply(tenantId, agentId);
  }

  /**
   * The agent is (or no longer is) on an internal call the ACD did not route: while busy elsewhere an available
   * agent is `away` with reason `internal-call`, so no queue call is offered (and no miss counted) meanwhile.
   */
  async setBusyElsewhere(tenantId: string, agentId: string, busy: boolean): Promise<void> {
    await this.engine(tenantId);
    if (busy === this.#busyElsewhere.has(agentId)) return;
    if (busy) this.#busyElsewhere.add(agentId);
    else this.#busyElsewhere.delete(agentId);
    this.#apply(tenantId, agentId);
  }

  /** The agent has (or no longer has) a live SIP registration. */
  async setRegistered(tenantId: string, agentId: string, registered: boolean): Promise<void> {
    await this.engine(tenantId);
    if (registered === this.#registered.has(agentId)) return;
    if (registered) this.#registered.add(agentId);
    else this.#registered.delete(agentId);
    this.#apply(tenantId, agentId);
  }

  agentView(tenantId: string, agentId: string): AgentView | null {
    return this.loaded(tenantId)?.agent(agentId) ?? null;
  }

  /** Move the engine to what the wish and the registration say, when that differs from where it is. */
  #apply(tenantId: string, agentId: string): void {
    const engine = this.loaded(tenantId);
    const view = engine?.agent(agentId);
    if (!engine || !view) return;
    const elsewhere = this.#busyElsewhere.has(agentId) && this.wish(agentId).state === 'available';
    const wish: AgentWish = elsewhere ? { state: 'away', reason: 'internal-call' } : this.wish(agentId);
    const target = !this.#registered.has(agentId) ? 'offline' : wish.state;
    const busy = view.state === 'reserved' || view.state === 'on-call' || view.state === 'wrap-up';
    if (target === 'available' && (view.state === 'available' || busy) && view.pending === null) return;
    if (target !== 'available' && view.state === target && view.awayReason === (target === 'away' ? wish.reason : null)) return;
    try {
      this.run(tenantId, engine.setAgentState(agentId, target, target === 'away' ? wish.reason ?? 'break' : null));
    } catch (err) {
      this.#log.warn({ err, agentId, target }, 'ACD refused an agent state change');
    }
  }

  /**
   * Save every closed metrics interval of the tenant (or of every loaded tenant) to the store, where reports
   * read them; the engine forgets them once saved.
   */
  async flushMetrics(tenantId?: string): Promise<void> {
    const tenants = tenantId === undefined ? [...this.#loaded.keys()] : [tenantId];
    for (const t of tenants) {
      const engine = this.loaded(t);
      if (!engine) continue;
      const idOf = new Map((await this.#store.queues.list(t)).map((q) => [q.name, q.id]));
      const closed = engine.metricsRows({ remove: true });
      this.run(t, closed.effects);
      await this.#store.queueMetrics.save(
        closed.queues
          .filter((r) => idOf.has(r.queueId))
          .map((r) => ({ tenantId: t, queueId: idOf.get(r.queueId)!, intervalStart: new Date(r.intervalStart), intervalSec: r.intervalSec, data: { ...r } })),
      );
    }
  }

  /** Flush metrics every `everyMs` until closed (the entry point starts it; tests call flushMetrics directly). */
  startMetricsFlush(everyMs: number): void {
    const loop = () => {
      this.#flushTimer = this.#clock.setTimeout(() => {
        if (this.#closed) return;
        this.flushMetrics().catch((err) => this.#log.error({ err }, 'saving ACD metrics failed')).finally(loop);
      }, everyMs);
    };
    loop();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#flushTimer?.cancel();
    for (const acd of this.#loaded.values()) acd.timer.close();
  }
}
