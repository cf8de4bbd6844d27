/**
 * The softphone's client for the bridge's agent API. `fetch` is injected so it runs in node under test.
 *
 * - `POST /api/agent/login` `{ tenant, username, password }` → the API bearer token, the agent, SIP and ICE
 *   settings and the agent's queues; 401 on bad credentials.
 * - `PUT /api/agent/state` (Bearer) `{ state: 'available' | 'away', reason? }` → `{ state }`.
 * - `GET /api/agent/me` (Bearer) → `{ id, username, state, awayReason, registered, wrapUpEndsAt? }`: the agent's
 *   state as the ACD holds it (see `agent-status.ts`).
 */
import { presenceBody, type Presence, type PresenceState } from './agent-presence.js';
import { parseAgentStatus, type AgentStatus } from './agent-status.js';
import type { AgentRef } from './host-adapter.js';
import { SoftphoneError } from './softphone-errors.js';

export interface AgentSipSettings {
  readonly wsUrl: string;
  readonly domain: string;
  /** e.g. `sip:alice@demo.sambung.local` */
  readonly uri: string;
  readonly authorizationUser: string;
}

export interface AgentSession {
  readonly token: string;
  readonly agent: AgentRef;
  readonly sip: AgentSipSettings;
  readonly iceServers: readonly RTCIceServer[];
  readonly queues: readonly { readonly name: string; readonly displayName: string }[];
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export class AgentApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: FetchLike,
  ) {}

  async login(credentials: { tenant: string; username: string; password: string }): Promise<AgentSession> {
    const body = await this.#send('POST', 'api/agent/login', credentials, undefined, true);
    return parseSession(body);
  }

  async setPresence(token: string, presence: Presence): Promise<PresenceState> {
    const body = await this.#send('PUT', 'api/agent/state', presenceBody(presence), token, false);
    const state = isRecord(body) ? body.state : undefined;
    if (state !== 'available' && state !== 'away') throw SoftphoneError.badResponse('state');
    return state;
  }

  /** The ACD's view of this agent; `null` when the bridge answered a shape this console does not know. */
  async me(token: string): Promise<AgentStatus | null> {
    return parseAgentStatus(await this.#send('GET', 'api/agent/me', undefined, token, false));
  }

  async #send(method: string, path: string, payload: unknown, token: string | undefined, login: boolean):
    Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl).href, {
        method,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        credentials: 'omit',
      });
    } catch (error) {
      throw SoftphoneError.unreachable(error);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = isRecord(body) && isRecord(body.error) ? body.error : {};
      throw SoftphoneError.fromStatus(
        response.status,
        typeof error.code === 'string' ? error.code : undefined,
        typeof error.message === 'string' ? error.message : `HTTP ${response.status}`,
        login,
      );
    }
    return body;
  }
}

function parseSession(body: unknown): AgentSession {
  if (!isRecord(body) || !isRecord(body.agent) || !isRecord(body.sip)) throw SoftphoneError.badResponse('shape');
  const { agent, sip } = body;
  const text = (record: Record<string, unknown>, key: string): string => {
    const value = record[key];
    if (typeof value !== 'string' || value === '') throw SoftphoneError.badResponse(key);
    return value;
  };
  const wsUrl = text(sip, 'wsUrl');
  if (!/^wss?:\/\//i.test(wsUrl)) throw SoftphoneError.badResponse('wsUrl');
  const uri = text(sip, 'uri');
  if (!/^sips?:/i.test(uri)) throw SoftphoneError.badResponse('uri');
  const queues = Array.isArray(body.queues) ? body.queues.filter(isRecord) : [];
  return {
    token: text(body, 'token'),
    agent: {
      id: String(agent.id ?? ''),
      username: text(agent, 'username'),
      displayName: typeof agent.displayName === 'string' && agent.displayName !== '' ? agent.displayName
        : text(agent, 'username'),
    },
    sip: { wsUrl, uri, domain: text(sip, 'domain'), authorizationUser: text(sip, 'authorizationUser') },
    iceServers: Array.isArray(body.iceServers) ? (body.iceServers as RTCIceServer[]) : [],
    queues: queues.map((q) => ({ name: String(q.name ?? ''), displayName: String(q.displayName ?? q.name ?? '') })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
