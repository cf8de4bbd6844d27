import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it: snake_case tables exactly as `migrations/` creates them. Repositories map rows
 * to camelCase domain objects; nothing outside `store/` should import these row types.
 *
 * Portable on SQLite and Postgres alike: ids are text UUIDs made by the application (`crypto.randomUUID()`),
 * timestamps are ISO-8601 UTC text of one fixed width (`2026-11-21T10:00:00.000Z`, see `timestamps.ts`) so text
 * order is time order, durations are `double precision` (REAL affinity on SQLite), and there are no booleans.
 */
export interface Database {
  tenants: TenantTable;
  queues: QueueTable;
  agents: AgentTable;
  agent_queues: AgentQueueTable;
  calls: CallTable;
  skills: SkillTable;
  callbacks: CallbackTable;
  queue_metrics: QueueMetricsTable;
}

/** ISO-8601 UTC timestamp text. */
export type IsoTimestamp = string;

export type QueueMode = 'form' | 'direct';

/** Why a call ended; `null` while it is still open. */
export type EndReason = 'completed' | 'abandoned' | 'rejected' | 'failed';

export interface TenantTable {
  id: string;
  slug: string;
  name: string;
  /** Lower-cased; also the SIP digest realm of the tenant's agents (RFC 3261 §22.4). */
  sip_domain: string;
  created_at: IsoTimestamp;
}

export interface QueueTable {
  id: string;
  tenant_id: string;
  /** A slug like `sales`, unique per tenant. */
  name: string;
  display_name: string;
  mode: QueueMode;
  /** Defaults to 20 in the database. */
  ring_timeout_sec: Generated<number>;
  created_at: IsoTimestamp;
  /** The ACD routing configuration as JSON (see `acd/queue-config.ts`); `{}` = defaults. */
  acd_config: Generated<string>;
}

export interface AgentTable {
  id: string;
  tenant_id: string;
  username: string;
  display_name: string;
  /** `scrypt$N$r$p$salt$hash`, see `password.ts`. */
  password_hash: string;
  /** Lower-case hex MD5(username:realm:password) (RFC 3261 §22.4, RFC 2617 §3.2.2.2). */
  sip_ha1: string;
  created_at: IsoTimestamp;
  role: Generated<AgentRole>;
  /** JSON `[{ "skill": "english", "level": 7 }]`. */
  skills: Generated<string>;
}

export type AgentRole = 'agent' | 'supervisor' | 'admin';

export interface SkillTable {
  tenant_id: string;
  name: string;
  created_at: IsoTimestamp;
}

export type CallbackState = 'scheduled' | 'offered' | 'done' | 'cancelled';

/** A callback a visitor asked for: offered to agents like a call once due. */
export interface CallbackTable {
  id: string;
  tenant_id: string;
  queue_id: string;
  caller_name: string;
  caller_phone: string;
  caller_email: string | null;
  due_at: IsoTimestamp;
  state: CallbackState;
  /** The CDR id of the call that asked for it (keep-my-place), if any. */
  origin_call_id: string | null;
  created_at: IsoTimestamp;
}

/** One queue's ACD figures for one interval, as JSON (see `acd/acd-metrics.ts`). */
export interface QueueMetricsTable {
  tenant_id: string;
  queue_id: string;
  interval_start: IsoTimestamp;
  interval_sec: number;
  data: string;
}

export interface AgentQueueTable {
  agent_id: string;
  queue_id: string;
}

/** The call detail record: one row per visitor call offered to a queue. */
export interface CallTable {
  id: string;
  tenant_id: string;
  queue_id: string;
  caller_name: string;
  caller_phone: string;
  caller_email: string | null;
  agent_id: string | null;
  offered_at: IsoTimestamp;
  answered_at: IsoTimestamp | null;
  ended_at: IsoTimestamp | null;
  /** Seconds from offer to answer, or to end when never answered. */
  wait_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  /** Seconds from answer to end; null when never answered. */
  talk_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  end_reason: EndReason | null;
  /** The Call-ID of the visitor's leg (RFC 3261 §8.1.1.4). */
  sip_call_id: string;
  created_at: IsoTimestamp;
}
