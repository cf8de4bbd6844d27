import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import { isForeignKeyViolation } from './constraint-errors.js';
import type { CallTable, Database, EndReason } from './schema.js';
import { fromIso, secondsBetween, toIso } from './timestamps.js';

export type { EndReason } from './schema.js';

/** One call detail record. */
export interface Call {
  id: string;
  tenantId: string;
  queueId: string;
  callerName: string;
  callerPhone: string;
  callerEmail: string | null;
  agentId: string | null;
  offeredAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  /** Offer → answer, or offer → end when never answered. */
  waitSeconds: number | null;
  /** Answer → end; null when never answered. */
  talkSeconds: number | null;
  endReason: EndReason | null;
  /** Call-ID of the visitor's leg. */
  sipCallId: string;
  createdAt: Date;
}

export interface OfferedCall {
  tenantId: string;
  queueId: string;
  callerName: string;
  callerPhone: string;
  callerEmail?: string | null;
  sipCallId: string;
  at: Date;
}

export interface ListCallsOptions {
  /** 1…{@link MAX_LIST_LIMIT}. */
  limit: number;
  /** Only calls offered strictly before this instant (the previous page's last `offeredAt`). */
  before?: Date;
}

export type EndReasonCounts = Record<EndReason | 'open', number>;

export const MAX_LIST_LIMIT = 1000;

/**
 * The CDR. A record moves offered → answered → ended or offered → ended, never backwards: `answered` refuses a
 * call that is already answered or ended, and `ended` is idempotent (the first end wins). Durations are computed
 * here from the stored ISO timestamps, not in SQL, so both dialects agree to the millisecond.
 */
export class CallRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Records a call offered to a queue; returns its id. Throws `NOT_FOUND` when the queue is not the tenant's. */
  async offered(input: OfferedCall): Promise<string> {
    const id = randomUUID();
    try {
      await this.#db
        .insertInto('calls')
        .values({
          id,
          tenant_id: input.tenantId,
          queue_id: input.queueId,
          caller_name: input.callerName,
          caller_phone: input.callerPhone,
          caller_email: input.callerEmail ?? null,
          agent_id: null,
          offered_at: toIso(input.at),
          answered_at: null,
          ended_at: null,
          end_reason: null,
          sip_call_id: input.sipCallId,
          created_at: toIso(this.#clock.now()),
        })
        .execute();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw StoreError.notFound(`queue ${input.queueId}`);
      throw error;
    }
    return id;
  }

  /**
   * Marks the call answered by `agentId` and sets `waitSeconds` = answer − offer. Throws `NOT_FOUND` for an
   * unknown call or an agent of another tenant, `CONFLICT` when the call was already answered or has ended.
   */
  async answered(tenantId: string, id: string, agentId: string, at: Date): Promise<Call> {
    const row = await this.#row(tenantId, id);
    if (row.answered_at !== null || row.ended_at !== null) throw alreadyDone(id, row);
    const patch = { agent_id: agentId, answered_at: toIso(at), wait_seconds: secondsBetween(row.offered_at, at) };
    let updated: bigint;
    try {
      const result = await this.#db
        .updateTable('calls')
        .set(patch)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('answered_at', 'is', null)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      updated = result.numUpdatedRows;
    } catch (error) {
      if (isForeignKeyViolation(error)) throw StoreError.notFound(`agent ${agentId}`);
      throw error;
    }
    // Lost a race with another answer or end between our read and our write.
    if (updated === 0n) throw alreadyDone(id, await this.#row(tenantId, id));
    return toCall({ ...row, ...patch });
  }

  /**
   * Ends the call: `talkSeconds` = end − answer when it was answered, else `waitSeconds` = end − offer.
   * Idempotent: ending an ended call changes nothing and returns the record as first ended.
   * Throws `NOT_FOUND` for an unknown call.
   */
  async ended(tenantId: string, id: string, reason: EndReason, at: Date): Promise<Call> {
    const row = await this.#row(tenantId, id);
    if (row.ended_at !== null) return toCall(row);
    const patch = endPatch(row, reason, at);
    const result = await this.#db
      .updateTable('calls')
      .set(patch)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return toCall(await this.#row(tenantId, id));
    return toCall({ ...row, ...patch });
  }

  /** Throws `NOT_FOUND` when the call does not exist or belongs to another tenant. */
  async get(tenantId: string, id: string): Promise<Call> {
    return toCall(await this.#row(tenantId, id));
  }

  /** The newest call whose visitor leg has this Call-ID, or null. */
  async findBySipCallId(tenantId: string, sipCallId: string): Promise<Call | null> {
    const row = await this.#db
      .selectFrom('calls')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('sip_call_id', '=', sipCallId)
      .orderBy('offered_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toCall(row) : null;
  }

  /** The tenant's calls, newest offer first. */
  async list(tenantId: string, options: ListCallsOptions): Promise<Call[]> {
    const limit = Math.min(MAX_LIST_LIMIT, Math.max(1, Math.trunc(options.limit)));
    let query = this.#db.selectFrom('calls').selectAll().where('tenant_id', '=', tenantId);
    if (options.before) query = query.where('offered_at', '<', toIso(options.before));
    const rows = await query.orderBy('offered_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toCall);
  }

  /** Calls per end reason (`open` = not ended yet), for one tenant or, without a tenant id, all of them. */
  async countByEndReason(tenantId?: string): Promise<EndReasonCounts> {
    let query = this.#db
      .selectFrom('calls')
      .select(['end_reason', sql<number | string>`count(*)`.as('n')])
      .groupBy('end_reason');
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    const counts: EndReasonCounts = { completed: 0, abandoned: 0, rejected: 0, failed: 0, open: 0 };
    // Postgres returns count(*) as a bigint string; SQLite as a number.
    for (const { end_reason, n } of await query.execute()) counts[end_reason ?? 'open'] = Number(n);
    return counts;
  }

  /**
   * Ends every open call of every tenant with `reason`. Run once at start, before taking calls: after a crash no
   * CDR may stay open forever. Single-node only — in a cluster the other nodes' live calls are open too.
   * Returns how many calls it closed.
   */
  async closeDangling(reason: 'failed', at: Date): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      const open = await trx.selectFrom('calls').selectAll().where('ended_at', 'is', null).execute();
      let closed = 0;
      for (const row of open) {
        const result = await trx
          .updateTable('calls')
          .set(endPatch(row, reason, at))
          .where('id', '=', row.id)
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        closed += Number(result.numUpdatedRows);
      }
      return closed;
    });
  }

  async #row(tenantId: string, id: string): Promise<Selectable<CallTable>> {
    const row = await this.#db
      .selectFrom('calls')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw StoreError.notFound(`call ${id}`);
    return row;
  }
}

function endPatch(
  row: Selectable<CallTable>,
  reason: EndReason,
  at: Date,
): Pick<CallTable, 'ended_at' | 'end_reason'> & { wait_seconds?: number; talk_seconds?: number } {
  const ended = { ended_at: toIso(at), end_reason: reason };
  return row.answered_at === null
    ? { ...ended, wait_seconds: secondsBetween(row.offered_at, at) }
    : { ...ended, talk_seconds: secondsBetween(row.answered_at, at) };
}

function alreadyDone(id: string, row: Selectable<CallTable>): StoreError {
  const state = row.ended_at !== null ? 'ended' : 'answered';
  return new StoreError('CONFLICT', `call ${id} is already ${state}`, { detail: { state } });
}

function toCall(row: Selectable<CallTable>): Call {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    queueId: row.queue_id,
    callerName: row.caller_name,
    callerPhone: row.caller_phone,
    callerEmail: row.caller_email,
    agentId: row.agent_id,
    offeredAt: fromIso(row.offered_at),
    answeredAt: row.answered_at === null ? null : fromIso(row.answered_at),
    endedAt: row.ended_at === null ? null : fromIso(row.ended_at),
    waitSeconds: row.wait_seconds,
    talkSeconds: row.talk_seconds,
    endReason: row.end_reason,
    sipCallId: row.sip_call_id,
    createdAt: fromIso(row.created_at),
  };
}
