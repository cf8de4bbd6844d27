import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import { isForeignKeyViolation, isUniqueViolation } from './constraint-errors.js';
import type { Database, QueueMode, QueueTable } from './schema.js';
import { fromIso, toIso } from './timestamps.js';

export type { QueueMode } from './schema.js';

export interface Queue {
  id: string;
  tenantId: string;
  /** A slug like `sales`, unique per tenant. */
  name: string;
  displayName: string;
  mode: QueueMode;
  ringTimeoutSec: number;
  createdAt: Date;
}

export interface NewQueue {
  tenantId: string;
  name: string;
  displayName: string;
  mode: QueueMode;
  /** Seconds an offer rings one agent before moving on; default 20. */
  ringTimeoutSec?: number;
}

export const DEFAULT_RING_TIMEOUT_SEC = 20;

/** Queues of one tenant; every read is scoped by tenant id. */
export class QueueRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Throws `CONFLICT` when the tenant already has a queue of that name, `NOT_FOUND` for an unknown tenant. */
  async create(input: NewQueue): Promise<Queue> {
    const row: Selectable<QueueTable> = {
      id: randomUUID(),
      tenant_id: input.tenantId,
      name: input.name,
      display_name: input.displayName,
      mode: input.mode,
      ring_timeout_sec: input.ringTimeoutSec ?? DEFAULT_RING_TIMEOUT_SEC,
      created_at: toIso(this.#clock.now()),
    };
    try {
      await this.#db.insertInto('queues').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw StoreError.conflict(`queue ${input.name}`);
      if (isForeignKeyViolation(error)) throw StoreError.notFound(`tenant ${input.tenantId}`);
      throw error;
    }
    return toQueue(row);
  }

  async findByName(tenantId: string, name: string): Promise<Queue | null> {
    const row = await this.#db
      .selectFrom('queues')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toQueue(row) : null;
  }

  /** The tenant's queues by name. */
  async list(tenantId: string): Promise<Queue[]> {
    const rows = await this.#db
      .selectFrom('queues')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('name')
      .execute();
    return rows.map(toQueue);
  }

  /** Throws `NOT_FOUND` when the queue does not exist or belongs to another tenant (the two are indistinguishable). */
  async get(tenantId: string, id: string): Promise<Queue> {
    const row = await this.#db
      .selectFrom('queues')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw StoreError.notFound(`queue ${id}`);
    return toQueue(row);
  }
}

function toQueue(row: Selectable<QueueTable>): Queue {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    displayName: row.display_name,
    mode: row.mode,
    ringTimeoutSec: row.ring_timeout_sec,
    createdAt: fromIso(row.created_at),
  };
}
