import { sql, type Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { ClosedError, StoreError } from '../errors.js';
import { AgentRepo } from './agent-repo.js';
import { CallRepo } from './call-repo.js';
import { CallbackRepo } from './callback-repo.js';
import { CrmConnectionRepo } from './crm-connection-repo.js';
import { QueueMetricsRepo } from './queue-metrics-repo.js';
import { OutboxRepo } from './outbox-repo.js';
import { RecordingRepo } from './recording-repo.js';
import { SkillRepo } from './skill-repo.js';
import { createDatabase, migrateToLatest, type DatabaseOptions } from './database.js';
import { QueueRepo } from './queue-repo.js';
import type { Database } from './schema.js';
import { TenantRepo } from './tenant-repo.js';

export interface StoreOptions extends DatabaseOptions {
  /** Source of `created_at` times; the system clock by default. */
  clock?: Clock;
}

/** The database, migrated, with one repository per aggregate. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly tenants: TenantRepo;
  readonly queues: QueueRepo;
  readonly agents: AgentRepo;
  readonly calls: CallRepo;
  readonly skills: SkillRepo;
  readonly callbacks: CallbackRepo;
  readonly queueMetrics: QueueMetricsRepo;
  readonly outbox: OutboxRepo;
  readonly recordings: RecordingRepo;
  readonly crm: CrmConnectionRepo;
  /**
   * Resolves when the database answers a trivial query (for health checks). Rejects with `CLOSED` after
   * {@link Store.close}, or `STORE_FAILED` with the driver's error as `cause` when the database is unreachable.
   */
  ping(): Promise<void>;
  /** Closes the database (pool or file). Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the database and migrates it to the newest schema. If migrating fails the database is closed again and
 * the {@link StoreError} from `migrateToLatest` is thrown.
 */
export async function createStore(opts: StoreOptions): Promise<Store> {
  const db = createDatabase(opts);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, opts.clock ?? systemClock);
}

class KyselyStore implements Store {
  readonly db: Kysely<Database>;
  readonly tenants: TenantRepo;
  readonly queues: QueueRepo;
  readonly agents: AgentRepo;
  readonly calls: CallRepo;
  readonly skills: SkillRepo;
  readonly callbacks: CallbackRepo;
  readonly queueMetrics: QueueMetricsRepo;
  readonly outbox: OutboxRepo;
  readonly recordings: RecordingRepo;
  readonly crm: CrmConnectionRepo;
  #closing: Promise<void> | undefined;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.db = db;
    this.tenants = new TenantRepo(db, clock);
    this.queues = new QueueRepo(db, clock);
    this.agents = new AgentRepo(db, clock);
    this.calls = new CallRepo(db, clock);
    this.skills = new SkillRepo(db, clock);
    this.callbacks = new CallbackRepo(db, clock);
    this.queueMetrics = new QueueMetricsRepo(db);
    this.outbox = new OutboxRepo(db, clock);
    this.recordings = new RecordingRepo(db, clock);
    this.crm = new CrmConnectionRepo(db, clock);
  }

  async ping(): Promise<void> {
    if (this.#closing) throw ClosedError.closed('store');
    try {
      await sql`select 1`.execute(this.db);
    } catch (cause) {
      throw new StoreError('STORE_FAILED', 'database unreachable', { cause });
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.db.destroy();
    return this.#closing;
  }
}
