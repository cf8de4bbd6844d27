import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import { isForeignKeyViolation, isUniqueViolation } from './constraint-errors.js';
import { hashPassword, sipHa1, verifyPassword } from './password.js';
import type { AgentRole, AgentTable, Database } from './schema.js';

export type { AgentRole } from './schema.js';
import { fromIso, toIso } from './timestamps.js';

/** An agent as the rest of the server sees it: no password hash and no HA1 (see {@link AgentRepo.sipCredentials}). */
export interface Agent {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  /** `agent` takes calls; `supervisor` also reads reports; `admin` also configures queues, agents and skills. */
  role: AgentRole;
  /** ACD skills with levels 1–10. */
  skills: AgentSkill[];
  createdAt: Date;
}

export interface AgentSkill {
  skill: string;
  level: number;
}

/** What an admin may change on an agent; absent fields stay as they are. */
export interface AgentPatch {
  displayName?: string;
  role?: AgentRole;
  skills?: readonly AgentSkill[];
  /** Replaces the agent's queue memberships. */
  queueIds?: readonly string[];
}

export interface NewAgent {
  tenantId: string;
  username: string;
  displayName: string;
  /** Clear text; only its scrypt hash and SIP HA1 are stored. */
  password: string;
  /** The digest realm for the HA1: the tenant's SIP domain. */
  realm: string;
  /** Queues the agent serves; each must belong to the same tenant. */
  queueIds: readonly string[];
  role?: AgentRole;
  skills?: readonly AgentSkill[];
}

export interface SipCredentials {
  agentId: string;
  /** Lower-case hex MD5(username:realm:password) (RFC 3261 §22.4). */
  ha1: string;
}

/** Agents of one tenant and the queues they serve; every read is scoped by tenant id. */
export class AgentRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  /** A real hash to verify against when the username is unknown, so both paths cost one scrypt. */
  #decoyHash: Promise<string> | undefined;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  /**
   * Creates the agent and its queue memberships in one transaction. Throws `CONFLICT` when the username is
   * taken in the tenant, `NOT_FOUND` when a queue id is unknown or another tenant's, or the tenant is unknown.
   */
  async create(input: NewAgent): Promise<Agent> {
    const row: Selectable<AgentTable> = {
      id: randomUUID(),
      tenant_id: input.tenantId,
      username: input.username,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      sip_ha1: sipHa1(input.username, input.realm, input.password),
      role: input.role ?? 'agent',
      skills: JSON.stringify(input.skills ?? []),
      created_at: toIso(this.#clock.now()),
    };
    const queueIds = [...new Set(input.queueIds)];
    try {
      await this.#db.transaction().execute(async (trx) => {
        if (queueIds.length > 0) {
          const owned = await trx
            .selectFrom('queues')
            .select('id')
            .where('tenant_id', '=', input.tenantId)
            .where('id', 'in', queueIds)
            .execute();
          const ownedIds = new Set(owned.map((q) => q.id));
          const missing = queueIds.find((id) => !ownedIds.has(id));
          if (missing !== undefined) throw StoreError.notFound(`queue ${missing}`);
        }
        await trx.insertInto('agents').values(row).execute();
        if (queueIds.length > 0) {
          await trx
            .insertInto('agent_queues')
            .values(queueIds.map((queue_id) => ({ agent_id: row.id, queue_id })))
            .execute();
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw StoreError.conflict(`agent ${input.username}`);
      if (isForeignKeyViolation(error)) throw StoreError.notFound(`tenant ${input.tenantId}`);
      throw error;
    }
    return toAgent(row);
  }

  async findByUsername(tenantId: string, username: string): Promise<Agent | null> {
    const row = await this.#byUsername(tenantId, username);
    return row ? toAgent(row) : null;
  }

  /** Throws `NOT_FOUND` when the agent does not exist or belongs to another tenant. */
  async get(tenantId: string, id: string): Promise<Agent> {
    const row = await this.#db
      .selectFrom('agents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw StoreError.notFound(`agent ${id}`);
    return toAgent(row);
  }

  /**
   * The agent when `password` is right, else null. An unknown username still costs one scrypt, so response time
   * does not reveal which usernames exist.
   */
  async verifyLogin(tenantId: string, username: string, password: string): Promise<Agent | null> {
    const row = await this.#byUsername(tenantId, username);
    if (!row) {
      this.#decoyHash ??= hashPassword(randomUUID());
      await verifyPassword(password, await this.#decoyHash);
      return null;
    }
    return (await verifyPassword(password, row.password_hash)) ? toAgent(row) : null;
  }

  /** What the registrar needs to check a SIP digest (RFC 3261 §22.4) for `username` in the tenant's realm. */
  async sipCredentials(tenantId: string, username: string): Promise<SipCredentials | null> {
    const row = await this.#byUsername(tenantId, username);
    return row ? { agentId: row.id, ha1: row.sip_ha1 } : null;
  }

  /** Ids of the queues the agent serves; empty when the agent is unknown or another tenant's. */
  async queueIdsOf(tenantId: string, agentId: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('agent_queues')
      .innerJoin('agents', 'agents.id', 'agent_queues.agent_id')
      .select('agent_queues.queue_id')
      .where('agents.tenant_id', '=', tenantId)
      .where('agent_queues.agent_id', '=', agentId)
      .orderBy('agent_queues.queue_id')
      .execute();
    return rows.map((r) => r.queue_id);
  }

  /** Agents serving the queue, by username; empty when the queue is unknown or another tenant's. */
  async agentsOfQueue(tenantId: string, queueId: string): Promise<Agent[]> {
    const rows = await this.#db
      .selectFrom('agents')
      .innerJoin('agent_queues', 'agent_queues.agent_id', 'agents.id')
      .selectAll('agents')
      .where('agents.tenant_id', '=', tenantId)
      .where('agent_queues.queue_id', '=', queueId)
      .orderBy('agents.username')
      .execute();
    return rows.map(toAgent);
  }

  /** The tenant's agents by username. */
  async list(tenantId: string): Promise<Agent[]> {
    const rows = await this.#db.selectFrom('agents').selectAll().where('tenant_id', '=', tenantId).orderBy('username').execute();
    return rows.map(toAgent);
  }

  /**
   * Change an agent in one transaction (profile, role, skills and queue memberships together or nothing).
   * Throws `NOT_FOUND` for an unknown agent or a queue id that is unknown or another tenant's.
   */
  async update(tenantId: string, id: string, patch: AgentPatch): Promise<Agent> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        const set: { display_name?: string; role?: AgentRole; skills?: string } = {};
        if (patch.displayName !== undefined) set.display_name = patch.displayName;
        if (patch.role !== undefined) set.role = patch.role;
        if (patch.skills !== undefined) set.skills = JSON.stringify(patch.skills);
        const found = await trx.selectFrom('agents').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
        if (!found) throw StoreError.notFound(`agent ${id}`);
        if (Object.keys(set).length > 0) {
          await trx.updateTable('agents').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
        }
        if (patch.queueIds !== undefined) {
          const owned = patch.queueIds.length
            ? await trx.selectFrom('queues').select('id').where('tenant_id', '=', tenantId).where('id', 'in', [...patch.queueIds]).execute()
            : [];
          if (owned.length !== new Set(patch.queueIds).size) throw StoreError.notFound('queue');
          await trx.deleteFrom('agent_queues').where('agent_id', '=', id).execute();
          if (patch.queueIds.length) {
            await trx.insertInto('agent_queues').values([...new Set(patch.queueIds)].map((queue_id) => ({ agent_id: id, queue_id }))).execute();
          }
        }
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw StoreError.notFound('queue');
      throw error;
    }
    return this.get(tenantId, id);
  }

  #byUsername(tenantId: string, username: string): Promise<Selectable<AgentTable> | undefined> {
    return this.#db
      .selectFrom('agents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('username', '=', username)
      .executeTakeFirst();
  }
}

function toAgent(row: Selectable<AgentTable>): Agent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    skills: parseSkills(row.skills),
    createdAt: fromIso(row.created_at),
  };
}

function parseSkills(json: string): AgentSkill[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? (value as AgentSkill[]) : [];
}
