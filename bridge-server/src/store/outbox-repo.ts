import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import type { Database, OutboxEventTable, OutboxJobState, OutboxJobTable } from './schema.js';
import { fromIso, toIso } from './timestamps.js';

export type { OutboxJobState } from './schema.js';

export interface OutboxJob {
  id: string;
  tenantId: string;
  kind: string;
  payload: unknown;
  dedupeKey: string;
  groupKey: string | null;
  /** Not due until this job is done. */
  afterJobId: string | null;
  state: OutboxJobState;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  /** What the job's handler returned, once done. */
  result: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface OutboxEvent {
  jobId: string;
  seq: number;
  at: Date;
  /** `enqueued`, `done`, `retry`, `waiting-auth`, `parked`, `recovered`, `operator-retry`, `reconnected` … */
  event: string;
  attempt: number;
  detail: string | null;
}

export interface NewOutboxJob {
  kind: string;
  payload: unknown;
  dedupeKey: string;
  groupKey?: string | null;
  /** Not due before this instant (default: at once). */
  notBefore?: Date;
}

export interface OutboxJobFilter {
  state?: OutboxJobState;
  kind?: string;
  groupKey?: string;
  /** 1…1000, default 100; newest first. */
  limit?: number;
}

/** A state change and its history row, applied only when the job is still in one of `from`. */
export interface OutboxTransition {
  from: readonly OutboxJobState[];
  to: OutboxJobState;
  /** The history row to add; none for a claim (the attempt's outcome is recorded when it ends). */
  event?: string;
  detail?: string | null;
  attempts?: number;
  nextAttemptAt?: Date;
  lastError?: string | null;
  result?: unknown;
}

/**
 * Storage of the outbox (policy lives in `recordings/outbox/outbox.ts`). Every state change is a conditional update
 * (`where state in from`) in one transaction with its history row, so two runners can never both claim a job and
 * the history never disagrees with the state. Postgres serialises concurrent updates of one row by its row lock;
 * SQLite has one writer. `due` and `nextDueAt` read every tenant: one runner serves them all.
 */
export class OutboxRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  /**
   * Adds the steps in one transaction; with `chained`, each step runs after the one before it (the first after
   * `after`). A step whose dedupe key the tenant already has is not added again: the existing job is returned
   * (with `created: false`) and the next step chains after it.
   */
  async enqueue(
    tenantId: string,
    steps: readonly NewOutboxJob[],
    options: { after?: string | null; chained?: boolean } = {},
  ): Promise<Array<{ job: OutboxJob; created: boolean }>> {
    const now = toIso(this.#clock.now());
    return this.#db.transaction().execute(async (trx) => {
      const out: Array<{ job: OutboxJob; created: boolean }> = [];
      let after = options.after ?? null;
      for (const step of steps) {
        const row: Selectable<OutboxJobTable> = {
          id: randomUUID(),
          tenant_id: tenantId,
          kind: step.kind,
          payload: JSON.stringify(step.payload ?? null),
          dedupe_key: step.dedupeKey,
          group_key: step.groupKey ?? null,
          after_job_id: after,
          state: 'pending',
          attempts: 0,
          next_attempt_at: step.notBefore ? toIso(step.notBefore) : now,
          last_error: null,
          result: null,
          created_at: now,
          updated_at: now,
        };
        const inserted = await trx
          .insertInto('outbox_jobs')
          .values(row)
          .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
          .executeTakeFirst();
        const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
        if (created) await addEvent(trx, row, 'enqueued', after ? `after ${after}` : null, now);
        const job = created ? toJob(row) : await findByKey(trx, tenantId, step.dedupeKey);
        out.push({ job, created });
        if (options.chained) after = job.id;
      }
      return out;
    });
  }

  /** Throws `NOT_FOUND` for an unknown job or another tenant's. */
  async get(tenantId: string, id: string): Promise<OutboxJob> {
    const row = await this.#db.selectFrom('outbox_jobs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) throw StoreError.notFound(`outbox job ${id}`);
    return toJob(row);
  }

  async byDedupeKey(tenantId: string, dedupeKey: string): Promise<OutboxJob | null> {
    const row = await this.#db
      .selectFrom('outbox_jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async list(tenantId: string, filter: OutboxJobFilter = {}): Promise<OutboxJob[]> {
    let query = this.#db.selectFrom('outbox_jobs').selectAll().where('tenant_id', '=', tenantId);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.groupKey) query = query.where('group_key', '=', filter.groupKey);
    const limit = Math.min(1000, Math.max(1, Math.trunc(filter.limit ?? 100)));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(toJob);
  }

  /** The job's history, oldest first. */
  async events(tenantId: string, jobId: string): Promise<OutboxEvent[]> {
    const rows = await this.#db
      .selectFrom('outbox_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('job_id', '=', jobId)
      .orderBy('seq')
      .execute();
    return rows.map(toEvent);
  }

  /**
   * Jobs of `kinds` that may run at `now` (all tenants): pending or waiting for credentials, due, and whose
   * predecessor (if any) is done. Earliest due first.
   */
  async due(now: Date, kinds: readonly string[], limit: number): Promise<OutboxJob[]> {
    if (kinds.length === 0) return [];
    const rows = await this.#runnable(kinds)
      .selectAll('j')
      .where('j.next_attempt_at', '<=', toIso(now))
      .orderBy('j.next_attempt_at')
      .orderBy('j.created_at')
      .orderBy('j.id')
      .limit(limit)
      .execute();
    return rows.map(toJob);
  }

  /** When the next runnable job of `kinds` is due, or null when none is waiting. */
  async nextDueAt(kinds: readonly string[]): Promise<Date | null> {
    if (kinds.length === 0) return null;
    const row = await this.#runnable(kinds).select(sql<string | null>`min(j.next_attempt_at)`.as('at')).executeTakeFirst();
    return row?.at ? fromIso(row.at) : null;
  }

  /** Applies `change` when the job is still in one of `change.from`; returns the job after it, or null. */
  async transition(tenantId: string, id: string, change: OutboxTransition): Promise<OutboxJob | null> {
    const now = toIso(this.#clock.now());
    return this.#db.transaction().execute(async (trx) => {
      const patch: Partial<Selectable<OutboxJobTable>> = { state: change.to, updated_at: now };
      if (change.attempts !== undefined) patch.attempts = change.attempts;
      if (change.nextAttemptAt !== undefined) patch.next_attempt_at = toIso(change.nextAttemptAt);
      if (change.lastError !== undefined) patch.last_error = change.lastError;
      if (change.result !== undefined) patch.result = JSON.stringify(change.result ?? null);
      const updated = await trx
        .updateTable('outbox_jobs')
        .set(patch)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('state', 'in', [...change.from])
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return null;
      const row = await trx.selectFrom('outbox_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      if (change.event !== undefined) await addEvent(trx, row, change.event, change.detail ?? null, now);
      return toJob(row);
    });
  }

  /** Jobs in `state` across all tenants (restart recovery). */
  async inState(state: OutboxJobState): Promise<OutboxJob[]> {
    const rows = await this.#db.selectFrom('outbox_jobs').selectAll().where('state', '=', state).orderBy('created_at').execute();
    return rows.map(toJob);
  }

  async countByState(tenantId: string): Promise<Record<OutboxJobState, number>> {
    const rows = await this.#db
      .selectFrom('outbox_jobs')
      .select(['state', sql<number | string>`count(*)`.as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('state')
      .execute();
    const counts: Record<OutboxJobState, number> = { pending: 0, running: 0, done: 0, parked: 0, 'waiting-auth': 0 };
    for (const { state, n } of rows) counts[state] = Number(n);
    return counts;
  }

  #runnable(kinds: readonly string[]) {
    return this.#db
      .selectFrom('outbox_jobs as j')
      .where('j.state', 'in', ['pending', 'waiting-auth'])
      .where('j.kind', 'in', [...kinds])
      .where((eb) =>
        eb.or([
          eb('j.after_job_id', 'is', null),
          eb.exists(eb.selectFrom('outbox_jobs as p').select('p.id').whereRef('p.id', '=', 'j.after_job_id').where('p.state', '=', 'done')),
        ]),
      );
  }
}

async function addEvent(
  trx: Transaction<Database>,
  job: Pick<Selectable<OutboxJobTable>, 'id' | 'tenant_id' | 'attempts'>,
  event: string,
  detail: string | null,
  at: string,
): Promise<void> {
  const last = await trx
    .selectFrom('outbox_events')
    .select(sql<number | string | null>`max(seq)`.as('seq'))
    .where('job_id', '=', job.id)
    .executeTakeFirst();
  const row: OutboxEventTable = {
    job_id: job.id,
    seq: Number(last?.seq ?? 0) + 1,
    tenant_id: job.tenant_id,
    at,
    event,
    attempt: job.attempts,
    detail,
  };
  await trx.insertInto('outbox_events').values(row).execute();
}

async function findByKey(trx: Transaction<Database>, tenantId: string, dedupeKey: string): Promise<OutboxJob> {
  const row = await trx
    .selectFrom('outbox_jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirstOrThrow();
  return toJob(row);
}

function toJob(row: Selectable<OutboxJobTable>): OutboxJob {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    payload: JSON.parse(row.payload),
    dedupeKey: row.dedupe_key,
    groupKey: row.group_key,
    afterJobId: row.after_job_id,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: fromIso(row.next_attempt_at),
    lastError: row.last_error,
    result: row.result === null ? null : JSON.parse(row.result),
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
  };
}

function toEvent(row: Selectable<OutboxEventTable>): OutboxEvent {
  return {
    jobId: row.job_id,
    seq: Number(row.seq),
    at: fromIso(row.at),
    event: row.event,
    attempt: Number(row.attempt),
    detail: row.detail,
  };
}
