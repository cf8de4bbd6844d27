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
  outbox_jobs: OutboxJobTable;
  outbox_events: OutboxEventTable;
  recordings: RecordingTable;
  recording_access: RecordingAccessTable;
  crm_connections: CrmConnectionTable;
  crm_agent_links: CrmAgentLinkTable;
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
  /** 1: a recorded call first hears the recording-consent announcement; 0 (default): it does not. */
  recording_consent: Generated<number>;
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
  /** The CRM record the answering agent was shown or chose (its call log lands there). */
  crm_contact_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type OutboxJobState = 'pending' | 'running' | 'done' | 'parked' | 'waiting-auth';

/** One delivery step of the outbox (`recordings/outbox/`); payload and result are JSON text. */
export interface OutboxJobTable {
  id: string;
  tenant_id: string;
  kind: string;
  payload: string;
  /** Unique per tenant: enqueueing the same step twice returns the first job. */
  dedupe_key: string;
  /** Ties the steps of one subject together (`recording:<id>`), so they can be parked at once. */
  group_key: string | null;
  /** Not due until this job is done. */
  after_job_id: string | null;
  state: OutboxJobState;
  attempts: number;
  next_attempt_at: IsoTimestamp;
  last_error: string | null;
  result: string | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

/** The history of an outbox job, numbered per job. */
export interface OutboxEventTable {
  job_id: string;
  seq: number;
  tenant_id: string;
  at: IsoTimestamp;
  event: string;
  attempt: number;
  detail: string | null;
}

export type RecordingState = 'recording' | 'rendered' | 'delivered' | 'purged' | 'failed';

/** A call's recording on local disk, until the CRM confirmed every part or retention purged it. */
export interface RecordingTable {
  id: string;
  tenant_id: string;
  call_id: string;
  /** The recording's own file or directory (chunks). */
  path: string;
  bytes: number | null;
  duration_sec: number | null;
  /** JSON `[{ "index": 1, "path": "…", "bytes": 123 }]`, the rendered WAV parts in order. */
  parts: Generated<string>;
  state: RecordingState;
  error: string | null;
  created_at: IsoTimestamp;
  delivered_at: IsoTimestamp | null;
  purged_at: IsoTimestamp | null;
  purge_reason: string | null;
  /** What the caller heard of the recording-consent announcement; null when the queue played none. */
  consent: ColumnType<RecordingConsent | null, RecordingConsent | null | undefined, RecordingConsent | null>;
}

export type RecordingConsent = 'played' | 'interrupted';

/** Audit of every access to a recording, served or refused; ids are null when the request named none we know. */
export interface RecordingAccessTable {
  id: string;
  tenant_id: string | null;
  recording_id: string | null;
  at: IsoTimestamp;
  who: string;
  outcome: string;
  reason: string;
}

export type CrmConnectionStatus = 'connected' | 'reconnect-required';

/** A tenant's CRM: connector kind, its settings (JSON) and sealed credentials (`crm/secret-box.ts`). */
export interface CrmConnectionTable {
  tenant_id: string;
  kind: string;
  settings: string;
  secret: string;
  status: CrmConnectionStatus;
  status_reason: string | null;
  account_user: string | null;
  /** SHA-256 (hex) of the key the CRM app presents to `/api/<crm>/…`. */
  app_key_hash: string | null;
  updated_at: IsoTimestamp;
}

/** Our agent → the CRM user id that screen pops and call logs name. */
export interface CrmAgentLinkTable {
  tenant_id: string;
  agent_id: string;
  crm_user_id: string;
  updated_at: IsoTimestamp;
}
