/**
 * The sidebar's data: `GET {bridge}api/crm-app/recent-calls?contact_id=<zendesk user id>`, sent through Zendesk's
 * proxy with the tenant key (a secure setting) as bearer. The bridge answers
 * `{ calls: [{ callId, startedAt, direction, queue, agent, durationSec, outcome, recordingUrl | null }] }`.
 *
 * Everything in it is shown as text. A recording link is kept only when it is `https:` or on the bridge's own
 * origin (the bridge's signed `/recordings/<jwt>.wav` links), so a stored value can never become a
 * `javascript:` or look-alike link in an agent's browser.
 */
import type { ZafRequestOptions } from './zaf-client.js';

export interface RecentCall {
  readonly callId: string;
  readonly startedAt: string;
  readonly direction: 'inbound' | 'outbound';
  readonly queue: string;
  readonly agent: string;
  readonly durationSec: number;
  readonly outcome: string;
  /** A safe absolute URL, or `null`. */
  readonly recordingUrl: string | null;
}

/** The proxied request; `{{setting.tenant_key}}` is replaced by Zendesk's proxy, never in the browser. */
export function recentCallsRequest(bridgeUrl: string, zendeskUserId: string): ZafRequestOptions {
  const url = new URL('api/crm-app/recent-calls', bridgeUrl);
  url.searchParams.set('contact_id', zendeskUserId);
  return {
    url: url.href,
    type: 'GET',
    dataType: 'json',
    secure: true,
    cors: false,
    headers: { Authorization: 'Bearer {{setting.tenant_key}}' },
  };
}

/** The calls in a response, newest first as the bridge sent them; malformed entries are skipped. */
export function parseRecentCalls(body: unknown, bridgeUrl: string): RecentCall[] {
  const calls = isObject(body) ? body['calls'] : undefined;
  if (!Array.isArray(calls)) throw new Error('recent-calls answer without a calls list');
  const parsed: RecentCall[] = [];
  for (const raw of calls) {
    if (!isObject(raw) || typeof raw['callId'] !== 'string' || typeof raw['startedAt'] !== 'string') continue;
    const duration = Number(raw['durationSec']);
    parsed.push({
      callId: raw['callId'],
      startedAt: raw['startedAt'],
      direction: raw['direction'] === 'outbound' ? 'outbound' : 'inbound',
      queue: text(raw['queue']),
      agent: isObject(raw['agent']) ? text(raw['agent']['displayName'] ?? raw['agent']['name']) : text(raw['agent']),
      durationSec: Number.isFinite(duration) && duration > 0 ? Math.round(duration) : 0,
      outcome: text(raw['outcome']),
      recordingUrl: safeRecordingHref(raw['recordingUrl'], bridgeUrl),
    });
  }
  return parsed;
}

/** `raw` as an absolute URL when it is https, or on the bridge's origin; otherwise `null`. */
export function safeRecordingHref(raw: unknown, bridgeUrl: string): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim(), bridgeUrl);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  const sameOrigin = url.origin === new URL(bridgeUrl).origin;
  return url.protocol === 'https:' || sameOrigin ? url.href : null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
