/**
 * The top bar's client for the bridge's screen-pop endpoint, called with the agent's softphone session:
 *
 * - `POST {bridge}api/agent/calls/{callId}/screen-pop` (Bearer = the softphone's API token), body
 *   `{ zendeskAgentId? }` (the agent's Zendesk user id, from `currentUser`, which Talk Partner Edition's display
 *   endpoints need): the bridge searches Zendesk for the call's caller (phone, then e-mail), creates the
 *   end-user when none matches, and displays it to this agent through Talk Partner Edition. It answers
 *   `{ kind: 'opened' | 'created', record: { id, label, type } }`, `{ kind: 'choose', candidates: [record…] }`
 *   or `{ kind: 'none', reason? }`.
 * - the same URL with body `{ record: { id, type: 'contact' | 'ticket', label } }` displays the candidate the agent
 *   picked and logs the call on it.
 *
 * Runs in the top bar's iframe, so the bridge must allow CORS from the app's asset origin. Every failure is a
 * `HostAdapterError` (`HOST_ERR_UNAVAILABLE`); record ids and labels become strings shown as text.
 */
import { HostAdapterError, type CallerInfo, type RecordRef, type ScreenPopResult } from '../../softphone/src/host-adapter.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface BridgeScreenPopOptions {
  /** The bridge's base URL, with a trailing slash. */
  readonly bridgeUrl: string;
  /** The softphone's API token, or `null` while no agent is signed in. */
  readonly getToken: () => string | null;
  /** The agent's Zendesk user id once known (`HostContext.user.id`), sent along for the display. */
  readonly getZendeskAgentId?: () => string | null;
  readonly fetch: FetchLike;
  /** Told why nothing was displayed (`none` with the bridge's reason: no agent mapping, CRM needs reconnecting…). */
  readonly onNoScreenPop?: (reason: string) => void;
}

export interface BridgeScreenPop {
  screenPop(caller: CallerInfo): Promise<ScreenPopResult>;
  choose(callId: string, record: RecordRef): Promise<void>;
}

export function createBridgeScreenPop(options: BridgeScreenPopOptions): BridgeScreenPop {
  const post = async (callId: string, body: Record<string, unknown>): Promise<unknown> => {
    const token = options.getToken();
    if (!token) throw HostAdapterError.unavailable('No softphone session: sign in to pop the caller');
    const url = new URL(`api/agent/calls/${encodeURIComponent(callId)}/screen-pop`, options.bridgeUrl).href;
    const agentId = options.getZendeskAgentId?.() ?? null;
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(agentId ? { ...body, zendeskAgentId: agentId } : body),
        credentials: 'omit',
      });
    } catch (error) {
      throw HostAdapterError.unavailable('The bridge could not be reached for the screen pop', error);
    }
    if (!response.ok) throw HostAdapterError.unavailable(`The bridge refused the screen pop (HTTP ${response.status})`);
    return response.json().catch((error: unknown) => {
      throw HostAdapterError.unavailable('The bridge answered the screen pop with invalid JSON', error);
    });
  };

  return {
    async screenPop(caller) {
      const body = await post(caller.callId, {});
      const result = parseScreenPopResult(body);
      const reason = isObject(body) && typeof body['reason'] === 'string' ? body['reason'] : '';
      if (result.kind === 'none' && reason !== '') options.onNoScreenPop?.(reason);
      return result;
    },
    async choose(callId, record) {
      await post(callId, { record: { id: record.id, type: record.type === 'ticket' ? 'ticket' : 'contact', label: record.label } });
    },
  };
}

/** The bridge's answer as a {@link ScreenPopResult}; throws `HOST_ERR_UNAVAILABLE` on any other shape. */
export function parseScreenPopResult(body: unknown): ScreenPopResult {
  if (!isObject(body)) throw bad('not an object');
  switch (body['kind']) {
    case 'opened':
    case 'created':
      return { kind: body['kind'], record: recordRef(body['record']) };
    case 'choose': {
      const candidates = body['candidates'];
      if (!Array.isArray(candidates) || candidates.length === 0) throw bad('choose without candidates');
      return { kind: 'choose', candidates: candidates.map(recordRef) };
    }
    case 'none':
      return { kind: 'none' };
    default:
      throw bad('unknown kind');
  }
}

function recordRef(value: unknown): RecordRef {
  if (!isObject(value)) throw bad('record is not an object');
  const { id, label, type } = value;
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') throw bad('record without id');
  return {
    id: String(id),
    label: typeof label === 'string' ? label : '',
    ...(typeof type === 'string' && type !== '' ? { type } : {}),
  };
}

function bad(detail: string): HostAdapterError {
  return HostAdapterError.unavailable(`Unexpected screen-pop answer from the bridge: ${detail}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
