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
  /** The ACD routing configuration as stored (validated by `acd/queue-config.ts` where it is used). */
  acdConfig: Record<string, unknown>;
  /** Recorded calls first hear the recording-consent announcement (played as early media before hold audio). */
  recordingConsent: boolean;
  createdAt: Date;
}

/** What an admin may change on a queue; absent fields stay as they are. */
export interface QueuePatch {
  displayName?: string;
  mode?: QueueMode;
  ringTimeoutSec?: number;
  acdConfig?: Record<string, unknown>;
  recordingConsent?: boolean;
}

export interface NewQueue {
  tenantId: string;
  name: string;
  displayName: string;
  mode: QueueMode;
  /** Seconds an offer rings one agent before moving on; default 20. */
  ringTimeoutSec?: number;
  acdConfig?: Record<string, unknown>;
  /** Default false. */
  recordingConsent?: boolean;
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
      acd_config: JSON.stringify(input.acdConfig ?? {}),
      recording_consent: input.recordingConsent ? 1 : 0,
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

  /** Apply a patch; throws `NOT_FOUND` for an unknown queue. One UPDATE, so it is all or nothing. */
  async update(tenantId: string, id: string, patch: QueuePatch): Promise<Queue> {
    const set: { display_name?: string; mode?: QueueMode; ring_timeout_sec?: number; acd_config?: string; recording_consent?: number } = {};
    if (patch.displayName !== undefined) set.display_name = patch.displayName;
    if (patch.mode !== undefined) set.mode = patch.mode;
    if (patch.ringTimeoutSec !== undefined) set.ring_timeout_sec = patch.ringTimeoutSec;
    if (patch.acdConfig !== undefined) set.acd_config = JSON.stringify(patch.acdConfig);
    if (patch.recordingConsent !== undefined) set.recording_consent = patch.recordingConsent ? 1 : 0;
    if (Object.keys(set).length > 0) {
      const result = await this.#db.updateTable('queues').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw StoreError.notFound(`queue ${id}`);
    }
    return this.get(tenantId, id);
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
    acdConfig: JSON.parse(row.acd_config) as Record<string, unknown>,
    recordingConsent: Number(row.recording_consent) === 1,
    createdAt: fromIso(row.created_at),
  };
}
