import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Recording and delivery (issue 4): the durable outbox that carries call logs and recording parts to the CRM,
 * its per-job history, the recordings themselves and the audit of every access to one.
 *
 * - `outbox_jobs`: one row per delivery step. `dedupe_key` is unique per tenant so enqueueing twice is a no-op;
 *   `after_job_id` orders steps (a job is not due until its predecessor is done); `group_key` ties a recording's
 *   steps together so retention can park them all; `result` is the step's output as JSON (a call log's CRM
 *   reference, needed by the parts after it).
 * - `outbox_events`: append-only history, numbered per job (`seq`) so ties in `at` keep their order.
 * - `recordings`: reference their CDR through `(tenant_id, call_id)`, so a recording can never point at another
 *   tenant's call; that needs a unique index on `calls (tenant_id, id)`, added here. `bytes` is double precision
 *   because Postgres `integer` stops at 2 GiB (a long 48 kHz stereo call passes it) and `bigint` comes back from
 *   `pg` as a string.
 * - `recording_access`: no foreign keys on purpose — a refused access to a forged or unknown recording is
 *   audited too, and an audit insert must never fail.
 */
export const delivery: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('outbox_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('dedupe_key', 'text', (c) => c.notNull())
      .addColumn('group_key', 'text')
      .addColumn('after_job_id', 'text', (c) => c.references('outbox_jobs.id'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('result', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('outbox_jobs_tenant_dedupe_uq', ['tenant_id', 'dedupe_key'])
      .addCheckConstraint('outbox_jobs_state_ck', sql`state in ('pending', 'running', 'done', 'parked', 'waiting-auth')`)
      .execute();
    await db.schema.createIndex('outbox_jobs_due_idx').on('outbox_jobs').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('outbox_jobs_group_idx').on('outbox_jobs').columns(['tenant_id', 'group_key']).execute();
    await db.schema.createIndex('outbox_jobs_after_idx').on('outbox_jobs').column('after_job_id').execute();

    await db.schema
      .createTable('outbox_events')
      .addColumn('job_id', 'text', (c) => c.notNull().references('outbox_jobs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addPrimaryKeyConstraint('outbox_events_pk', ['job_id', 'seq'])
      .execute();

    await db.schema.createIndex('calls_tenant_id_uq').on('calls').columns(['tenant_id', 'id']).unique().execute();
    await db.schema
      .createTable('recordings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('bytes', 'double precision')
      .addColumn('duration_sec', 'double precision')
      .addColumn('parts', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addColumn('purged_at', 'text')
      .addColumn('purge_reason', 'text')
      .addForeignKeyConstraint('recordings_call_fk', ['tenant_id', 'call_id'], 'calls', ['tenant_id', 'id'])
      .addCheckConstraint('recordings_state_ck', sql`state in ('recording', 'rendered', 'delivered', 'purged', 'failed')`)
      .execute();
    await db.schema.createIndex('recordings_state_created_idx').on('recordings').columns(['state', 'created_at']).execute();
    await db.schema.createIndex('recordings_tenant_call_idx').on('recordings').columns(['tenant_id', 'call_id']).execute();

    await db.schema
      .createTable('recording_access')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text')
      .addColumn('recording_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('who', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('recording_access_tenant_recording_idx')
      .on('recording_access')
      .columns(['tenant_id', 'recording_id', 'at'])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('recording_access').execute();
    await db.schema.dropTable('recordings').execute();
    await db.schema.dropIndex('calls_tenant_id_uq').execute();
    await db.schema.dropTable('outbox_events').execute();
    await db.schema.dropTable('outbox_jobs').execute();
  },
};
