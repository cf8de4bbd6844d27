import { sql, type Kysely, type Migration } from 'kysely';

/**
 * CRM connections (issue 5): which CRM each tenant connected, with what settings and credentials, how our agents
 * map to the CRM's users, and which CRM record each call was screen-popped to.
 *
 * - `crm_connections`: one per tenant. `settings` is the connector's validated JSON (account, screen-pop target,
 *   recording mode); `secret` is the credentials sealed with AES-256-GCM (`crm/secret-box.ts`) — never returned by
 *   any API. `status` turns `reconnect-required` when the CRM refuses the credentials (401/403) and back to
 *   `connected` when an admin reconnects. `app_key_hash` is the SHA-256 of the key the CRM app (Zendesk's `secure`
 *   parameter) presents to our `/api/<crm>/…` routes.
 * - `crm_agent_links`: our agent → the CRM user id (Zendesk agent id) that screen pops and call logs name; one
 *   CRM user stands for one agent (unique per tenant).
 * - `calls.crm_contact_id`: the record the agent was shown (or chose), so the call log lands on it.
 */
export const crm: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('crm_connections')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('account_user', 'text')
      .addColumn('app_key_hash', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('crm_connections_status_ck', sql`status in ('connected', 'reconnect-required')`)
      .execute();
    await db.schema.createIndex('crm_connections_app_key_idx').on('crm_connections').column('app_key_hash').unique().execute();

    await db.schema
      .createTable('crm_agent_links')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('crm_user_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('crm_agent_links_pk', ['tenant_id', 'agent_id'])
      .addForeignKeyConstraint('crm_agent_links_agent_fk', ['tenant_id', 'agent_id'], 'agents', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
      .addUniqueConstraint('crm_agent_links_user_unique', ['tenant_id', 'crm_user_id'])
      .execute();

    await db.schema.alterTable('calls').addColumn('crm_contact_id', 'text').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('calls').dropColumn('crm_contact_id').execute();
    await db.schema.dropTable('crm_agent_links').execute();
    await db.schema.dropTable('crm_connections').execute();
  },
};
