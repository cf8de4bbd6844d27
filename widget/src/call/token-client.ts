/**
 * Client for `POST /api/visitor-token`: exchanges the visitor's details for a short-lived JWT scoped to one
 * queue, plus the SIP and ICE settings for the call. The caller details travel inside the signed token; the
 * bridge never takes them from SIP headers a visitor could forge.
 *
 * `fetch` is injected so the module runs (and is tested) in node.
 */
import { isRecord, readErrorBody, sendJson, type FetchLike } from './bridge-http.js';
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

export type { FetchLike };

export async function requestVisitorToken(
  baseUrl: string,
  request: VisitorTokenRequest,
  fetchImpl: FetchLike,
  signal?: AbortSignal,
): Promise<VisitorCallGrant> {
  const answer = await sendJson(fetchImpl, new URL('api/visitor-token', baseUrl).href, {
    method: 'POST',
    payload: request,
    ...(signal ? { signal } : {}),
  });
  if (answer.status >= 400 && answer.status < 500) {
    const error = readErrorBody(answer.body);
    throw WidgetError.rejected(answer.status, error.code, error.message, error.fieldErrors);
  }
  if (!answer.ok) throw WidgetError.bridgeFailed(answer.status);
  return parseGrant(answer.body);
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
