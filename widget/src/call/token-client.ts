/**
 * Client for `POST /api/visitor-token`: exchanges the visitor's details for a short-lived JWT scoped to one
 * queue, plus the SIP and ICE settings for the call. The caller details travel inside the signed token; the
 * bridge never takes them from SIP headers a visitor could forge.
 *
 * `fetch` is injected so the module runs (and is tested) in node.
 */
import { WidgetError } from './widget-errors.js';

export interface VisitorTokenRequest {
  readonly tenant: string;
  readonly queue: string;
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
}

export interface VisitorSipSettings {
  /** `ws:` or `wss:` URL of the bridge's SIP-over-WebSocket endpoint (RFC 7118). */
  readonly wsUrl: string;
  readonly domain: string;
  /** The queue's SIP URI, the INVITE's Request-URI, e.g. `sip:sales@demo.sambung.local`. */
  readonly queueUri: string;
  readonly visitorUri: string;
  readonly displayName: string;
}

export interface VisitorCallGrant {
  readonly token: string;
  readonly expiresAt: string;
  readonly sip: VisitorSipSettings;
  readonly iceServers: readonly RTCIceServer[];
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export async function requestVisitorToken(
  baseUrl: string,
  request: VisitorTokenRequest,
  fetchImpl: FetchLike,
  signal?: AbortSignal,
): Promise<VisitorCallGrant> {
  let response: Response;
  try {
    response = await fetchImpl(new URL('api/visitor-token', baseUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
      credentials: 'omit',
      mode: 'cors',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    throw WidgetError.unreachable(error);
  }

  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 400 && response.status < 500) {
    const error = readErrorBody(body);
    throw WidgetError.rejected(response.status, error.code, error.message, error.fieldErrors);
  }
  if (!response.ok) throw WidgetError.bridgeFailed(response.status);
  return parseGrant(body);
}

function readErrorBody(body: unknown): {
  code: string | undefined;
  message: string;
  fieldErrors: Record<string, string[]> | undefined;
} {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const fieldErrors: Record<string, string[]> = {};
  if (isRecord(error.fieldErrors)) {
    for (const [field, messages] of Object.entries(error.fieldErrors)) {
      if (Array.isArray(messages)) fieldErrors[field] = messages.filter((m): m is string => typeof m === 'string');
    }
  }
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : 'The call service refused the request',
    fieldErrors: Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined,
  };
}

function parseGrant(body: unknown): VisitorCallGrant {
  if (!isRecord(body) || !isRecord(body.sip)) throw WidgetError.badResponse('missing sip settings');
  const { token, expiresAt, sip, iceServers } = body;
  if (typeof token !== 'string' || token === '') throw WidgetError.badResponse('missing token');
  const wsUrl = stringField(sip, 'wsUrl');
  if (!/^wss?:\/\//i.test(wsUrl)) throw WidgetError.badResponse('wsUrl is not a WebSocket URL');
  const queueUri = stringField(sip, 'queueUri');
  const visitorUri = stringField(sip, 'visitorUri');
  if (!/^sips?:/i.test(queueUri) || !/^sips?:/i.test(visitorUri)) throw WidgetError.badResponse('not a SIP URI');
  if (iceServers !== undefined && !Array.isArray(iceServers)) throw WidgetError.badResponse('iceServers');
  return {
    token,
    expiresAt: typeof expiresAt === 'string' ? expiresAt : '',
    sip: {
      wsUrl,
      domain: stringField(sip, 'domain'),
      queueUri,
      visitorUri,
      displayName: typeof sip.displayName === 'string' ? sip.displayName : '',
    },
    iceServers: (iceServers ?? []) as RTCIceServer[],
  };
}

function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '') throw WidgetError.badResponse(`missing sip.${key}`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
