import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import { isUniqueViolation } from './constraint-errors.js';
import type { CrmConnectionStatus, Database } from './schema.js';
import { toIso } from './timestamps.js';

export type { CrmConnectionStatus } from './schema.js';

/** A tenant's stored CRM connection. `secret` is sealed (`crm/secret-box.ts`); nothing here is ever decrypted. */
export interface StoredCrmConnection {
  readonly tenantId: string;
  readonly kind: string;
  /** The connector's settings as stored (JSON-parsed, validated again by the connector when used). */
  readonly settings: unknown;
  readonly sealedSecret: string;
  readonly status: CrmConnectionStatus;
  readonly statusReason: string | null;
  readonly accountUser: string | null;
  readonly hasAppKey: boolean;
  readonly updatedAt: string;
}

export interface CrmAgentLink {
  readonly agentId: string;
  readonly crmUserId: string;
}

/** CRM connections, agent ↔ CRM user links and the CRM record of each call; every read takes the tenant id. */
export class CrmConnectionRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  async get(tenantId: string): Promise<StoredCrmConnection | null> {
    const row = await this.#db.selectFrom('crm_connections').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      kind: row.kind,
      settings: JSON.parse(row.settings) as unknown,
      sealedSecret: row.secret,
      status: row.status,
      statusReason: row.status_reason,
      accountUser: row.account_user,
      hasAppKey: row.app_key_hash !== null,
      updatedAt: row.updated_at,
    };
  }

  /** Creates or replaces the tenant's connection as `connected` (keeping its app key). */
  async save(tenantId: string, c: { kind: string; settings: unknown; sealedSecret: string; accountUser: string | null }): Promise<void> {
    const values = {
      kind: c.kind,
      settings: JSON.stringify(c.settings),
      secret: c.sealedSecret,
      status: 'connected' as const,
      status_reason: null,
      account_user: c.accountUser,
      updated_at: toIso(this.#clock.now()),
    };
    await this.#db
      .insertInto('crm_connections')
      .values({ tenant_id: tenantId, app_key_hash: null, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }

  /** Sets the status; returns false when the tenant has no connection. */
  async setStatus(tenantId: string, status: CrmConnectionStatus, reason: string | null): Promise<boolean> {
    const r = await this.#db
      .updateTable('crm_connections')
      .set({ status, status_reason: reason, updated_at: toIso(this.#clock.now()) })
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async remove(tenantId: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('crm_connections').where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async setAppKeyHash(tenantId: string, hash: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('crm_connections')
      .set({ app_key_hash: hash, updated_at: toIso(this.#clock.now()) })
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** The tenant whose CRM app key hashes to `hash`, or null. */
  async tenantOfAppKey(hash: string): Promise<string | null> {
    const row = await this.#db.selectFrom('crm_connections').select('tenant_id').where('app_key_hash', '=', hash).executeTakeFirst();
    return row?.tenant_id ?? null;
  }

  /** Links (or relinks) an agent. `CONFLICT` when another agent of the tenant already has `crmUserId`. */
  async linkAgent(tenantId: string, agentId: string, crmUserId: string): Promise<void> {
    const updated_at = toIso(this.#clock.now());
    try {
      await this.#db
        .insertInto('crm_agent_links')
        .values({ tenant_id: tenantId, agent_id: agentId, crm_user_id: crmUserId, updated_at })
        .onConflict((oc) => oc.columns(['tenant_id', 'agent_id']).doUpdateSet({ crm_user_id: crmUserId, updated_at }))
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw StoreError.conflict(`a mapping of CRM user ${crmUserId} to another agent`);
      throw error;
    }
  }

  async unlinkAgent(tenantId: string, agentId: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('crm_agent_links').where('tenant_id', '=', tenantId).where('agent_id', '=', agentId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async agentLinks(tenantId: string): Promise<CrmAgentLink[]> {
    const rows = await this.#db
      .selectFrom('crm_agent_links')
      .select(['agent_id', 'crm_user_id'])
      .where('tenant_id', '=', tenantId)
      .orderBy('agent_id')
      .execute();
    return rows.map((r) => ({ agentId: r.agent_id, crmUserId: r.crm_user_id }));
  }

  /** The agent other than `exceptAgentId` linked to `crmUserId`, or null (one CRM user stands for one agent). */
  async agentOfCrmUser(tenantId: string, crmUserId: string, exceptAgentId: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom('crm_agent_links')
      .select('agent_id')
      .where('tenant_id', '=', tenantId)
      .where('crm_user_id', '=', crmUserId)
      .where('agent_id', '!=', exceptAgentId)
      .executeTakeFirst();
    return row?.agent_id ?? null;
  }

  async crmUserOf(tenantId: string, agentId: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom('crm_agent_links')
      .select('crm_user_id')
      .where('tenant_id', '=', tenantId)
      .where('agent_id', '=', agentId)
      .executeTakeFirst();
    return row?.crm_user_id ?? null;
  }

  /** Records the CRM record a call was popped to (its call log goes there). False when no such call. */
  async setCallContact(tenantId: string, callId: string, contactId: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('calls')
      .set({ crm_contact_id: contactId })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', callId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async callContact(tenantId: string, callId: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom('calls')
      .select('crm_contact_id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', callId)
      .executeTakeFirst();
    return row?.crm_contact_id ?? null;
  }

  /** The ids of the tenant's newest calls popped to `contactId`, newest first. */
  async callsOfContact(tenantId: string, contactId: string, limit: number): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('calls')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('crm_contact_id', '=', contactId)
      .orderBy('offered_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
}
