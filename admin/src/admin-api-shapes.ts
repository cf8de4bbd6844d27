/**
 * What the bridge's admin API answers (README "HTTP API"; `bridge-server/src/http/crm-routes.ts`,
 * `delivery-routes.ts`, `admin-routes.ts`, `agent-routes.ts`), and the readers that turn an untrusted JSON body
 * into these types. A body of another shape is an {@link AdminError} `ADMIN_ERR_BRIDGE_FAILED`, never a crash in a
 * view. Every string read here is later rendered as text only.
 */
import { AdminError, type FieldErrors } from './admin-errors.js';

export type Role = 'agent' | 'supervisor' | 'admin';

/** `POST /api/agent/login` as this console keeps it: in memory only, never in storage. */
export interface AdminSession {
  readonly token: string;
  readonly expiresAt: string;
  readonly tenant: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
}

/** `GET /api/admin/crm` → `connection` (null when no CRM is connected). Never the credentials. */
export interface CrmConnectionStatus {
  readonly kind: string;
  readonly status: 'connected' | 'reconnect-required';
  /** The CRM's words when it refused our credentials, else null. */
  readonly reason: string | null;
  /** Who the credentials act as (Zendesk: the token owner's e-mail). */
  readonly accountUser: string | null;
  readonly timeZone: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly hasAppKey: boolean;
  readonly updatedAt: string;
}

export const DELIVERY_STATES = ['pending', 'running', 'done', 'parked', 'waiting-auth'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The outbox's counts for the tenant (`deliveries` of `GET /api/admin/crm`, `status` of the deliveries list). */
export interface DeliveryStatus {
  readonly counts: Readonly<Record<DeliveryState, number>>;
  /** True while deliveries wait for the tenant to reconnect its CRM. */
  readonly needsReconnect: boolean;
}

export interface CrmOverview {
  readonly connection: CrmConnectionStatus | null;
  readonly deliveries: DeliveryStatus;
}

/** `PUT /api/admin/crm`'s answer. */
export interface ConnectResult {
  readonly connection: CrmConnectionStatus;
  /** How many deliveries that waited for credentials are due again. */
  readonly resumedDeliveries: number;
}

/** One of `GET /api/admin/agents`. */
export interface AgentSummary {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
}

/** One of `GET /api/admin/crm/agents`: `username` is null when the agent no longer exists. */
export interface CrmAgentLink {
  readonly username: string | null;
  readonly crmUserId: string;
}

/** One of the CRM's staff who can take calls (Zendesk roles `agent` and `admin`; never an end user). */
export interface CrmUser {
  /** The CRM's user id, as a string (Zendesk: the Users API `id`). */
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: 'agent' | 'admin';
}

/** `GET /api/admin/crm/users`: the CRM's agents, sorted by name, for the agent mapping. */
export interface CrmUserList {
  readonly users: readonly CrmUser[];
  /** The CRM has more agents than the bridge lists: the list is partial. */
  readonly truncated: boolean;
  /** False when the connected CRM cannot list its users (then `users` is empty). */
  readonly listable: boolean;
}

/** One outbox job (`GET /api/admin/deliveries`), reduced to what an operator needs. */
export interface DeliveryJob {
  readonly id: string;
  /** `call-log`, `recording-part`, `recording-cleanup` (or a kind this console does not know). */
  readonly kind: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: string;
  readonly updatedAt: string;
  /** The call the job belongs to, when its payload names one. */
  readonly callId: string | null;
  /** A recording part's place, `{ index: 1, total: 3 }`. */
  readonly part: { readonly index: number; readonly total: number } | null;
}

export interface DeliveryList {
  readonly status: DeliveryStatus;
  readonly jobs: readonly DeliveryJob[];
}

// --- readers ---

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(record: Record<string, unknown>, key: string, what: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw AdminError.badResponse(`${what}.${key}`);
  return value;
}

function nullableText(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' ? value : null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

function role(value: unknown, what: string): Role {
  if (value === 'agent' || value === 'supervisor' || value === 'admin') return value;
  throw AdminError.badResponse(`${what}.role`);
}

export function isDeliveryState(value: unknown): value is DeliveryState {
  return typeof value === 'string' && (DELIVERY_STATES as readonly string[]).includes(value);
}

export function readSession(body: unknown, tenant: string): AdminSession {
  if (!isRecord(body) || !isRecord(body.agent)) throw AdminError.badResponse('login');
  const token = text(body, 'token', 'login');
  if (token === '') throw AdminError.badResponse('login.token');
  const username = text(body.agent, 'username', 'login.agent');
  const displayName = typeof body.agent.displayName === 'string' && body.agent.displayName !== '' ? body.agent.displayName : username;
  return {
    token,
    expiresAt: nullableText(body, 'expiresAt') ?? '',
    tenant,
    username,
    displayName,
    role: role(body.agent.role, 'login.agent'),
  };
}

export function readConnection(value: unknown): CrmConnectionStatus | null {
  if (value === null) return null;
  if (!isRecord(value)) throw AdminError.badResponse('connection');
  const status = value.status;
  if (status !== 'connected' && status !== 'reconnect-required') throw AdminError.badResponse('connection.status');
  return {
    kind: text(value, 'kind', 'connection'),
    status,
    reason: nullableText(value, 'reason'),
    accountUser: nullableText(value, 'accountUser'),
    timeZone: nullableText(value, 'timeZone') ?? 'UTC',
    settings: isRecord(value.settings) ? { ...value.settings } : {},
    hasAppKey: value.hasAppKey === true,
    updatedAt: nullableText(value, 'updatedAt') ?? '',
  };
}

export function readDeliveryStatus(value: unknown): DeliveryStatus {
  if (!isRecord(value) || !isRecord(value.counts)) throw AdminError.badResponse('deliveries');
  const counts = value.counts;
  const read = Object.fromEntries(DELIVERY_STATES.map((state) => [state, count(counts[state])])) as Record<DeliveryState, number>;
  return { counts: read, needsReconnect: value.needsReconnect === true || read['waiting-auth'] > 0 };
}

export function readOverview(body: unknown): CrmOverview {
  if (!isRecord(body) || !('connection' in body)) throw AdminError.badResponse('crm');
  return { connection: readConnection(body.connection), deliveries: readDeliveryStatus(body.deliveries) };
}

export function readConnectResult(body: unknown): ConnectResult {
  if (!isRecord(body)) throw AdminError.badResponse('crm');
  const connection = readConnection(body.connection);
  if (!connection) throw AdminError.badResponse('crm.connection');
  return { connection, resumedDeliveries: count(body.resumedDeliveries) };
}

export function readAgents(body: unknown): AgentSummary[] {
  if (!isRecord(body) || !Array.isArray(body.agents)) throw AdminError.badResponse('agents');
  return body.agents.map((agent, i) => {
    if (!isRecord(agent)) throw AdminError.badResponse(`agents.${i}`);
    const username = text(agent, 'username', `agents.${i}`);
    return { username, displayName: nullableText(agent, 'displayName') || username, role: role(agent.role, `agents.${i}`) };
  });
}

export function readLinks(body: unknown): CrmAgentLink[] {
  if (!isRecord(body) || !Array.isArray(body.links)) throw AdminError.badResponse('links');
  return body.links.map((link, i) => {
    if (!isRecord(link)) throw AdminError.badResponse(`links.${i}`);
    return { username: nullableText(link, 'username'), crmUserId: text(link, 'crmUserId', `links.${i}`) };
  });
}

/**
 * A CRM user id as the bridge stores it (`crmUserId`, at most 64 characters): letters, digits and `_.:-` cover the
 * ids CRMs use (Zendesk's are integers). Anything else is not the documented shape — and this keeps the mapping
 * table's own option values (`#…`) from ever meaning a user.
 */
const CRM_USER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function readCrmUsers(body: unknown): CrmUserList {
  if (!isRecord(body) || !Array.isArray(body.users)) throw AdminError.badResponse('users');
  if (typeof body.truncated !== 'boolean') throw AdminError.badResponse('users.truncated');
  if (typeof body.listable !== 'boolean') throw AdminError.badResponse('users.listable');
  const seen = new Set<string>();
  const users = body.users.map((user, i): CrmUser => {
    const where = `users.${i}`;
    if (!isRecord(user)) throw AdminError.badResponse(where);
    const id = text(user, 'id', where);
    if (!CRM_USER_ID.test(id) || seen.has(id)) throw AdminError.badResponse(`${where}.id`);
    seen.add(id);
    const email = user.email;
    if (email !== null && typeof email !== 'string') throw AdminError.badResponse(`${where}.email`);
    const userRole = user.role;
    if (userRole !== 'agent' && userRole !== 'admin') throw AdminError.badResponse(`${where}.role`);
    return { id, name: text(user, 'name', where), email: email === '' ? null : email, role: userRole };
  });
  return { users, truncated: body.truncated, listable: body.listable };
}

export function readJob(value: unknown, where = 'job'): DeliveryJob {
  if (!isRecord(value)) throw AdminError.badResponse(where);
  const state = value.state;
  if (!isDeliveryState(state)) throw AdminError.badResponse(`${where}.state`);
  const payload = isRecord(value.payload) ? value.payload : {};
  const log = isRecord(payload.log) ? payload.log : {};
  const callId = typeof payload.callId === 'string' ? payload.callId : typeof log.callId === 'string' ? log.callId : null;
  const index = payload.index;
  const total = payload.total;
  const part = typeof index === 'number' && typeof total === 'number' ? { index, total } : null;
  return {
    id: text(value, 'id', where),
    kind: text(value, 'kind', where),
    state,
    attempts: count(value.attempts),
    lastError: nullableText(value, 'lastError'),
    nextAttemptAt: nullableText(value, 'nextAttemptAt') ?? '',
    updatedAt: nullableText(value, 'updatedAt') ?? '',
    callId,
    part,
  };
}

export function readDeliveryList(body: unknown): DeliveryList {
  if (!isRecord(body) || !Array.isArray(body.jobs)) throw AdminError.badResponse('deliveries');
  return { status: readDeliveryStatus(body.status), jobs: body.jobs.map((job, i) => readJob(job, `jobs.${i}`)) };
}

/** The bridge's `{"error": {code, message, fieldErrors}}`, each part only when it has the documented type. */
export function readErrorBody(body: unknown): { serverCode?: string; message?: string; fieldErrors?: FieldErrors } {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const out: { serverCode?: string; message?: string; fieldErrors?: FieldErrors } = {};
  if (typeof error.code === 'string') out.serverCode = error.code;
  if (typeof error.message === 'string') out.message = error.message;
  if (isRecord(error.fieldErrors)) {
    const fields: Record<string, string[]> = {};
    for (const [key, messages] of Object.entries(error.fieldErrors)) {
      const list = Array.isArray(messages) ? messages.filter((m): m is string => typeof m === 'string') : typeof messages === 'string' ? [messages] : [];
      if (list.length > 0) fields[key] = list;
    }
    out.fieldErrors = fields;
  }
  return out;
}
