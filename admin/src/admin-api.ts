/**
 * The admin console's client for the bridge's JSON API. `fetch` is injected so it runs in node under test.
 *
 * - `POST /api/agent/login` `{tenant, username, password}` → the bearer token; only an `admin` may keep it.
 * - `GET|PUT|DELETE /api/admin/crm`, `POST /api/admin/crm/app-key` — the tenant's CRM connection.
 * - `GET /api/admin/agents`, `GET /api/admin/crm/agents`, `PUT|DELETE /api/admin/crm/agents/:username`.
 * - `GET /api/admin/crm/users` — the CRM's agents to map ours to.
 * - `GET /api/admin/deliveries?state=&limit=`, `POST /api/admin/deliveries/:id/retry`.
 *
 * The token lives in this object only (never in storage, cookies or the URL); {@link AdminApiClient.signOut}
 * forgets it. A non-2xx answer is an {@link AdminError} carrying the bridge's message and field errors.
 */
import { AdminError } from './admin-errors.js';
import {
  readAgents,
  readConnectResult,
  readCrmUsers,
  readDeliveryList,
  readErrorBody,
  readJob,
  readLinks,
  readOverview,
  readSession,
  isRecord,
  type AdminSession,
  type AgentSummary,
  type ConnectResult,
  type CrmAgentLink,
  type CrmOverview,
  type CrmUserList,
  type DeliveryJob,
  type DeliveryList,
  type DeliveryState,
} from './admin-api-shapes.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The body of `PUT /api/admin/crm` (see `connect-form-model.ts`). */
export interface ConnectRequest {
  readonly kind: string;
  readonly timeZone: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly secret: Readonly<Record<string, unknown>>;
}

export class AdminApiClient {
  readonly #baseUrl: string;
  readonly #fetch: FetchLike;
  #session: AdminSession | null = null;

  constructor(baseUrl: string, fetchImpl: FetchLike) {
    this.#baseUrl = baseUrl;
    this.#fetch = fetchImpl;
  }

  get session(): AdminSession | null {
    return this.#session;
  }

  /**
   * Signs in; only an admin's session is kept. Anyone else gets `ADMIN_ERR_NOT_ADMIN` and their token is dropped
   * at once (the CRM routes would refuse it anyway).
   */
  async signIn(credentials: { tenant: string; username: string; password: string }): Promise<AdminSession> {
    this.#session = null;
    const session = readSession(await this.#send('POST', 'api/agent/login', credentials, true), credentials.tenant);
    if (session.role !== 'admin') throw AdminError.notAdmin(session.role);
    this.#session = session;
    return session;
  }

  signOut(): void {
    this.#session = null;
  }

  async crm(): Promise<CrmOverview> {
    return readOverview(await this.#send('GET', 'api/admin/crm'));
  }

  /** Connects (or reconnects) the CRM; the bridge checks the credentials with the CRM before storing them. */
  async connect(request: ConnectRequest): Promise<ConnectResult> {
    return readConnectResult(await this.#send('PUT', 'api/admin/crm', request));
  }

  async disconnect(): Promise<void> {
    await this.#send('DELETE', 'api/admin/crm');
  }

  /** A new key for the CRM app's secure setting; the bridge keeps only its hash, so this is the one chance to see it. */
  async newAppKey(): Promise<string> {
    const body = await this.#send('POST', 'api/admin/crm/app-key', {});
    if (!isRecord(body) || typeof body.appKey !== 'string' || body.appKey === '') throw AdminError.badResponse('appKey');
    return body.appKey;
  }

  async agents(): Promise<AgentSummary[]> {
    return readAgents(await this.#send('GET', 'api/admin/agents'));
  }

  async agentLinks(): Promise<CrmAgentLink[]> {
    return readLinks(await this.#send('GET', 'api/admin/crm/agents'));
  }

  /**
   * The CRM's agents (Zendesk: roles agent and admin), sorted by name. Rejects with `ADMIN_ERR_REJECTED` 404 when no
   * CRM is connected, 409 when the CRM refused the stored credentials, and `ADMIN_ERR_CRM_FAILED` (502, the
   * bridge's sentence kept) when the CRM failed.
   */
  async listCrmUsers(): Promise<CrmUserList> {
    return readCrmUsers(await this.#send('GET', 'api/admin/crm/users'));
  }

  async linkAgent(username: string, crmUserId: string): Promise<void> {
    await this.#send('PUT', `api/admin/crm/agents/${encodeURIComponent(username)}`, { crmUserId });
  }

  async unlinkAgent(username: string): Promise<void> {
    await this.#send('DELETE', `api/admin/crm/agents/${encodeURIComponent(username)}`);
  }

  async deliveries(filter: { state?: DeliveryState; limit?: number } = {}): Promise<DeliveryList> {
    const query = new URLSearchParams();
    if (filter.state) query.set('state', filter.state);
    if (filter.limit !== undefined) query.set('limit', String(filter.limit));
    const suffix = query.toString() === '' ? '' : `?${query.toString()}`;
    return readDeliveryList(await this.#send('GET', `api/admin/deliveries${suffix}`));
  }

  /** An operator's retry of a parked (or credential-waiting) job: due at once. 409 when it is in another state. */
  async retry(jobId: string): Promise<DeliveryJob> {
    return readJob(await this.#send('POST', `api/admin/deliveries/${encodeURIComponent(jobId)}/retry`, {}));
  }

  async #send(method: string, path: string, payload?: unknown, signIn = false): Promise<unknown> {
    const token = signIn ? null : this.#session?.token;
    if (!signIn && !token) throw new AdminError('ADMIN_ERR_SESSION_EXPIRED', 'not signed in');
    let response: Response;
    try {
      response = await this.#fetch(new URL(path, this.#baseUrl).href, {
        method,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw AdminError.unreachable(error);
    }
    const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = AdminError.fromStatus(response.status, readErrorBody(body), signIn);
      if (error.code === 'ADMIN_ERR_SESSION_EXPIRED') this.#session = null;
      throw error;
    }
    return body;
  }
}
