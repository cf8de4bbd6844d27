import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The ACD (issue 3): agents get a role and skills, queues their routing configuration, tenants a skill catalog;
 * scheduled callbacks and per-interval queue metrics are kept.
 *
 * Configuration that the ACD validates as one object (a queue's strategy, hours, overflow, escalation…) is stored
 * as JSON text in one column, validated by `acd/queue-config.ts` on the way in and on the way out, so a new
 * routing option never needs a migration. Relations the database must guard (tenant ownership) stay columns.
 */
export const acd: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('agents')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('agent'))
      .execute();
    await db.schema.alterTable('agents').addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.alterTable('queues').addColumn('acd_config', 'text', (c) => c.notNull().defaultTo('{}')).execute();

    await db.schema
      .createTable('skills')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('skills_pk', ['tenant_id', 'name'])
      .execute();

    await db.schema
      .createTable('callbacks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('caller_name', 'text', (c) => c.notNull())
      .addColumn('caller_phone', 'text', (c) => c.notNull())
      .addColumn('caller_email', 'text')
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('origin_call_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addForeignKeyConstraint('callbacks_queue_fk', ['tenant_id', 'queue_id'], 'queues', ['tenant_id', 'id'])
      .addCheckConstraint('callbacks_state_ck', sql`state in ('scheduled', 'offered', 'done', 'cancelled')`)
      .execute();
    await db.schema.createIndex('callbacks_state_due_idx').on('callbacks').columns(['state', 'due_at']).execute();

    await db.schema
      .createTable('queue_metrics')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('interval_start', 'text', (c) => c.notNull())
      .addColumn('interval_sec', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('queue_metrics_pk', ['tenant_id', 'queue_id', 'interval_start'])
      .addForeignKeyConstraint('queue_metrics_queue_fk', ['tenant_id', 'queue_id'], 'queues', ['tenant_id', 'id'])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('queue_metrics').execute();
    await db.schema.dropTable('callbacks').execute();
    await db.schema.dropTable('skills').execute();
    await db.schema.alterTable('queues').dropColumn('acd_config').execute();
    await db.schema.alterTable('agents').dropColumn('skills').execute();
    await db.schema.alterTable('agents').dropColumn('role').execute();
  },
};
