import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import { isForeignKeyViolation } from './constraint-errors.js';
import type { CallbackState, CallbackTable, Database } from './schema.js';
import { fromIso, toIso } from './timestamps.js';

export type { CallbackState } from './schema.js';

/** A callback a visitor asked for (a chosen slot, or "keep my place"). */
export interface Callback {
  id: string;
  tenantId: string;
  queueId: string;
  callerName: string;
  callerPhone: string;
  callerEmail: string | null;
  dueAt: Date;
  state: CallbackState;
  originCallId: string | null;
  createdAt: Date;
}

export interface NewCallback {
  tenantId: string;
  queueId: string;
  callerName: string;
  callerPhone: string;
  callerEmail: string | null;
  dueAt: Date;
  originCallId?: string | null;
}

/** Scheduled callbacks survive restarts: the bridge reloads the open ones into the ACD at start. */
export class CallbackRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  async create(input: NewCallback): Promise<Callback> {
    const row: Selectable<CallbackTable> = {
      id: randomUUID(),
      tenant_id: input.tenantId,
      queue_id: input.queueId,
      caller_name: input.callerName,
      caller_phone: input.callerPhone,
      caller_email: input.callerEmail,
      due_at: toIso(input.dueAt.getTime()),
      state: 'scheduled',
      origin_call_id: input.originCallId ?? null,
      created_at: toIso(this.#clock.now()),
    };
    try {
      await this.#db.insertInto('callbacks').values(row).execute();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw StoreError.notFound(`queue ${input.queueId}`);
      throw error;
    }
    return toCallback(row);
  }

  async setState(tenantId: string, id: string, state: CallbackState): Promise<void> {
    await this.#db.updateTable('callbacks').set({ state }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  /** Every callback not yet done or cancelled, oldest due first (all tenants: the ACD is loaded at start). */
  async open(): Promise<Callback[]> {
    const rows = await this.#db
      .selectFrom('callbacks')
      .selectAll()
      .where('state', 'in', ['scheduled', 'offered'])
      .orderBy('due_at')
      .execute();
    return rows.map(toCallback);
  }

  async list(tenantId: string): Promise<Callback[]> {
    const rows = await this.#db.selectFrom('callbacks').selectAll().where('tenant_id', '=', tenantId).orderBy('due_at').execute();
    return rows.map(toCallback);
  }
}

function toCallback(row: Selectable<CallbackTable>): Callback {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    queueId: row.queue_id,
    callerName: row.caller_name,
    callerPhone: row.caller_phone,
    callerEmail: row.caller_email,
    dueAt: fromIso(row.due_at),
    state: row.state,
    originCallId: row.origin_call_id,
    createdAt: fromIso(row.created_at),
  };
}
