import type { Clock, TimerHandle } from '../../clock.js';
import { StoreError } from '../../errors.js';
import type { NewOutboxJob, OutboxEvent, OutboxJob, OutboxJobFilter, OutboxJobState, OutboxRepo } from '../../store/outbox-repo.js';
import { defaultFailurePolicy, failureOutcome, type FailurePolicy } from './failure-policy.js';
import { movesFrom } from './outbox-job-state.js';

export type { OutboxJob, OutboxEvent, OutboxJobFilter, NewOutboxJob } from '../../store/outbox-repo.js';

export interface OutboxHandlerContext {
  /** What the tenant's job with this dedupe key returned; throws unless that job is done. */
  resultOf(dedupeKey: string): Promise<unknown>;
}

/**
 * Does one job's work. Resolves with a JSON-serialisable result (kept for the jobs after it) when the step is
 * confirmed; throws a CrmError (or ParkJobError) to say how it failed. It MUST be idempotent: after a crash or a
 * lost answer the same job runs again.
 */
export type OutboxHandler = (job: OutboxJob, ctx: OutboxHandlerContext) => Promise<unknown>;

export interface OutboxOptions {
  repo: OutboxRepo;
  clock: Clock;
  /** Jitter source in [0, 1) (default Math.random; tests pass `seededRandom`). */
  random?: () => number;
  policy?: Partial<FailurePolicy>;
  /** Jobs run at once by `runDue` (default 4). Ordered steps never overlap: a successor is not due yet. */
  concurrency?: number;
  /** The loop looks for due jobs at least this often (jobs enqueued by other nodes; default 5 s). */
  pollIntervalMs?: number;
  /** Told about failures of the loop itself (the database is down …); never about a job's own failure. */
  onLoopError?: (error: unknown) => void;
}

export interface EnqueueOptions {
  /** Not due until this job is done. */
  after?: string;
  groupKey?: string;
  notBefore?: Date;
}

export interface OutboxJobDetail extends OutboxJob {
  history: OutboxEvent[];
}

export interface OutboxStatus {
  counts: Record<OutboxJobState, number>;
  /** True while deliveries wait for the tenant to reconnect its CRM. */
  needsReconnect: boolean;
}

export interface RunSummary {
  ran: number;
  done: number;
  retrying: number;
  waitingAuth: number;
  parked: number;
}

const now = (clock: Clock) => new Date(clock.now());

/**
 * The durable outbox: every delivery step is a row, so a crash or a CRM outage loses nothing. `runDue` claims due
 * jobs (a conditional update to `running`, so two loops — or two nodes — never run one job), runs the handler for
 * the job's kind and records the outcome as `failure-policy.ts` decides. `start()` runs it on the injected clock.
 */
export class Outbox {
  readonly #repo: OutboxRepo;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #policy: FailurePolicy;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #onLoopError: (error: unknown) => void;
  readonly #handlers = new Map<string, OutboxHandler>();
  #timer: TimerHandle | undefined;
  #started = false;
  #closed = false;
  #ticking: Promise<void> | undefined;
  #again = false;

  constructor(options: OutboxOptions) {
    this.#repo = options.repo;
    this.#clock = options.clock;
    this.#random = options.random ?? Math.random;
    this.#policy = { ...defaultFailurePolicy, ...options.policy };
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#pollMs = options.pollIntervalMs ?? 5_000;
    this.#onLoopError = options.onLoopError ?? (() => {});
  }

  /** Registers the handler of one job kind. Jobs of kinds without a handler are never claimed. */
  register(kind: string, handler: OutboxHandler): this {
    if (this.#handlers.has(kind)) throw StoreError.conflict(`outbox handler for ${kind}`);
    this.#handlers.set(kind, handler);
    return this;
  }

  /** Adds a job; a second enqueue with the tenant's same dedupe key returns the first job unchanged. */
  async enqueue(tenantId: string, kind: string, payload: unknown, dedupeKey: string, options: EnqueueOptions = {}): Promise<OutboxJob> {
    const step: NewOutboxJob = { kind, payload, dedupeKey, groupKey: options.groupKey ?? null };
    if (options.notBefore) step.notBefore = options.notBefore;
    const [added] = await this.#repo.enqueue(tenantId, [step], { after: options.after ?? null });
    this.#kick();
    return added!.job;
  }

  /** Adds steps that run strictly one after another, atomically (each step dedupes like {@link enqueue}). */
  async enqueueChain(tenantId: string, steps: readonly NewOutboxJob[], options: { after?: string } = {}): Promise<OutboxJob[]> {
    const added = await this.#repo.enqueue(tenantId, steps, { after: options.after ?? null, chained: true });
    this.#kick();
    return added.map((a) => a.job);
  }

  /**
   * Runs every job due now, including successors that become due on the way, each at most once per call; resolves
   * when none is left. For tests with a ManualClock, and the body of the loop.
   */
  async runDue(): Promise<RunSummary> {
    const summary: RunSummary = { ran: 0, done: 0, retrying: 0, waitingAuth: 0, parked: 0 };
    const tried = new Set<string>();
    const kinds = [...this.#handlers.keys()];
    for (;;) {
      const due = (await this.#repo.due(now(this.#clock), kinds, this.#concurrency + tried.size))
        .filter((job) => !tried.has(job.id))
        .slice(0, this.#concurrency);
      if (due.length === 0) return summary;
      for (const job of due) tried.add(job.id);
      const outcomes = await Promise.all(due.map((job) => this.#runOne(job)));
      for (const outcome of outcomes) {
        if (outcome === undefined) continue;
        summary.ran += 1;
        if (outcome === 'done') summary.done += 1;
        else if (outcome === 'pending') summary.retrying += 1;
        else if (outcome === 'waiting-auth') summary.waitingAuth += 1;
        else summary.parked += 1;
      }
    }
  }

  /** When the next job is due, or null when nothing is waiting. */
  nextDueAt(): Promise<Date | null> {
    return this.#repo.nextDueAt([...this.#handlers.keys()]);
  }

  /**
   * Turns jobs left `running` by a crash back into `pending`, due at once. Call once at start, before `start()`.
   * Single-node: in a cluster, other nodes' running jobs are running. Returns how many it recovered.
   */
  async recoverAfterRestart(): Promise<number> {
    let recovered = 0;
    for (const job of await this.#repo.inState('running')) {
      const moved = await this.#repo.transition(job.tenantId, job.id, {
        from: movesFrom(['running'], 'pending'),
        to: 'pending',
        nextAttemptAt: now(this.#clock),
        event: 'recovered',
        detail: 'the bridge restarted during this attempt',
      });
      if (moved) recovered += 1;
    }
    return recovered;
  }

  /** An operator's retry of a parked or credential-waiting job: due at once, attempts counted from zero. */
  async retry(tenantId: string, jobId: string): Promise<OutboxJob> {
    const moved = await this.#repo.transition(tenantId, jobId, {
      from: movesFrom(['parked', 'waiting-auth'], 'pending'),
      to: 'pending',
      attempts: 0,
      nextAttemptAt: now(this.#clock),
      event: 'operator-retry',
    });
    if (!moved) {
      const job = await this.#repo.get(tenantId, jobId);
      throw new StoreError('CONFLICT', `outbox job ${jobId} is ${job.state}, not parked`, { detail: { state: job.state } });
    }
    this.#kick();
    return moved;
  }

  /** The tenant reconnected its CRM: every job waiting for credentials is due at once. Returns how many. */
  async reconnected(tenantId: string): Promise<number> {
    let moved = 0;
    for (const job of await this.#repo.list(tenantId, { state: 'waiting-auth', limit: 1000 })) {
      const done = await this.#repo.transition(tenantId, job.id, {
        from: movesFrom(['waiting-auth'], 'pending'),
        to: 'pending',
        nextAttemptAt: now(this.#clock),
        event: 'reconnected',
      });
      if (done) moved += 1;
    }
    this.#kick();
    return moved;
  }

  /** Parks a job that is not done (a running attempt's outcome is then ignored). Null when it was done already. */
  park(tenantId: string, jobId: string, reason: string): Promise<OutboxJob | null> {
    return this.#repo.transition(tenantId, jobId, {
      from: movesFrom(['pending', 'running', 'waiting-auth'], 'parked'),
      to: 'parked',
      lastError: reason,
      event: 'parked',
      detail: reason,
    });
  }

  /** Parks every job of `groupKey` that is not done; returns how many. */
  async parkGroup(tenantId: string, groupKey: string, reason: string): Promise<number> {
    let parked = 0;
    for (const job of await this.#repo.list(tenantId, { groupKey, limit: 1000 })) {
      if (job.state !== 'done' && job.state !== 'parked' && (await this.park(tenantId, job.id, reason))) parked += 1;
    }
    return parked;
  }

  jobs(tenantId: string, filter: OutboxJobFilter = {}): Promise<OutboxJob[]> {
    return this.#repo.list(tenantId, filter);
  }

  /** One job with its history. Throws `NOT_FOUND` for an unknown job or another tenant's. */
  async job(tenantId: string, jobId: string): Promise<OutboxJobDetail> {
    const job = await this.#repo.get(tenantId, jobId);
    return { ...job, history: await this.#repo.events(tenantId, jobId) };
  }

  async status(tenantId: string): Promise<OutboxStatus> {
    const counts = await this.#repo.countByState(tenantId);
    return { counts, needsReconnect: counts['waiting-auth'] > 0 };
  }

  /** Runs due jobs now and then whenever the next one is due (at least every `pollIntervalMs`). */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** Stops the loop and waits for the attempts in flight. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#ticking;
  }

  async #runOne(job: OutboxJob): Promise<OutboxJobState | undefined> {
    const handler = this.#handlers.get(job.kind);
    if (!handler) return undefined;
    const attempts = job.attempts + 1;
    const claimed = await this.#repo.transition(job.tenantId, job.id, {
      from: movesFrom([job.state], 'running'),
      to: 'running',
      attempts,
    });
    if (!claimed) return undefined; // another runner took it, or it was parked meanwhile
    let result: unknown;
    try {
      result = await handler(claimed, { resultOf: (key) => this.#resultOf(job.tenantId, key) });
    } catch (error) {
      const outcome = failureOutcome(error, attempts, this.#policy, this.#random);
      const moved = await this.#repo.transition(job.tenantId, job.id, {
        from: movesFrom(['running'], outcome.to),
        to: outcome.to,
        lastError: outcome.reason,
        ...(outcome.to === 'parked' ? {} : { nextAttemptAt: new Date(this.#clock.now() + outcome.delayMs) }),
        event: outcome.to === 'pending' ? 'retry' : outcome.to,
        detail: outcome.to === 'parked' ? outcome.reason : `${outcome.reason} (next in ${outcome.delayMs} ms)`,
      });
      return moved ? outcome.to : undefined;
    }
    const moved = await this.#repo.transition(job.tenantId, job.id, {
      from: movesFrom(['running'], 'done'),
      to: 'done',
      result: result ?? null,
      lastError: null,
      event: 'done',
    });
    return moved ? 'done' : undefined;
  }

  async #resultOf(tenantId: string, dedupeKey: string): Promise<unknown> {
    const job = await this.#repo.byDedupeKey(tenantId, dedupeKey);
    if (!job || job.state !== 'done') throw new Error(`outbox job ${dedupeKey} is ${job?.state ?? 'missing'}, not done`);
    return job.result;
  }

  #kick(): void {
    if (!this.#started || this.#closed) return;
    if (this.#ticking) this.#again = true;
    else this.#schedule(0);
  }

  #schedule(ms: number): void {
    this.#timer?.cancel();
    this.#timer = this.#clock.setTimeout(() => void this.#tick(), ms);
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    if (this.#closed || this.#ticking) return;
    let delay = this.#pollMs;
    this.#ticking = (async () => {
      try {
        this.#again = false;
        await this.runDue();
        const next = await this.nextDueAt();
        if (next) delay = Math.min(this.#pollMs, Math.max(0, next.getTime() - this.#clock.now()));
      } catch (error) {
        this.#onLoopError(error);
      }
    })();
    await this.#ticking;
    this.#ticking = undefined;
    if (!this.#closed) this.#schedule(this.#again ? 0 : delay);
  }
}
