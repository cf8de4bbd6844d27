import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The initial schema. Migrations take `Kysely<any>` on purpose: they describe the database as it was when they
 * were written, not as `schema.ts` says it is today.
 *
 * Only portable column types: `text`, `integer`, `double precision` (REAL affinity on SQLite). Tenant
 * ownership is enforced by the database too: calls reference their queue and agent through composite foreign
 * keys `(tenant_id, queue_id)` and `(tenant_id, agent_id)`, so a CDR can never point at another tenant's queue or
 * agent even if a repository had a bug. A composite foreign key needs a unique key on the referenced columns,
 * hence the `(tenant_id, id)` unique constraints.
 */
export const initial: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sip_domain', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('queues')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('ring_timeout_sec', 'integer', (c) => c.notNull().defaultTo(20))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('queues_tenant_name_uq', ['tenant_id', 'name'])
      .addUniqueConstraint('queues_tenant_id_uq', ['tenant_id', 'id'])
      .addCheckConstraint('queues_mode_ck', sql`mode in ('form', 'direct')`)
      .addCheckConstraint('queues_ring_timeout_ck', sql`ring_timeout_sec > 0`)
      .execute();

    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('sip_ha1', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('agents_tenant_username_uq', ['tenant_id', 'username'])
      .addUniqueConstraint('agents_tenant_id_uq', ['tenant_id', 'id'])
      .execute();

    await db.schema
      .createTable('agent_queues')
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
      .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('agent_queues_pk', ['agent_id', 'queue_id'])
      .execute();
    // agentsOfQueue() reads by queue; the primary key already serves queueIdsOf().
    await db.schema.createIndex('agent_queues_queue_idx').on('agent_queues').column('queue_id').execute();

    await db.schema
      .createTable('calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('caller_name', 'text', (c) => c.notNull())
      .addColumn('caller_phone', 'text', (c) => c.notNull())
      .addColumn('caller_email', 'text')
      .addColumn('agent_id', 'text')
      .addColumn('offered_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('wait_seconds', 'double precision')
      .addColumn('talk_seconds', 'double precision')
      .addColumn('end_reason', 'text')
      .addColumn('sip_call_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addForeignKeyConstraint('calls_queue_fk', ['tenant_id', 'queue_id'], 'queues', ['tenant_id', 'id'])
      .addForeignKeyConstraint('calls_agent_fk', ['tenant_id', 'agent_id'], 'agents', ['tenant_id', 'id'])
      .addCheckConstraint(
        'calls_end_reason_ck',
        sql`end_reason is null or end_reason in ('completed', 'abandoned', 'rejected', 'failed')`,
      )
      .execute();
    await db.schema.createIndex('calls_tenant_offered_idx').on('calls').columns(['tenant_id', 'offered_at']).execute();
    await db.schema.createIndex('calls_sip_call_id_idx').on('calls').column('sip_call_id').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const table of ['calls', 'agent_queues', 'agents', 'queues', 'tenants']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
