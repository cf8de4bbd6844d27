/**
 * Decoding of the bridge's queue status. Two carriers are understood, so the widget works with either way the
 * bridge reports progress:
 * - in-dialog SIP INFO (RFC 6086) with `Content-Type: application/vnd.sambung.status+json` and a body like
 *   `{"state":"waiting","position":1}` or `{"state":"connected","agent":"Alice Agent"}`;
 * - provisional responses to the INVITE: `182 Queued` with `X-Sambung-Queue-Position: 2` (RFC 3261 §21.1.3),
 *   `180`/`183` while waiting, and the final `200 OK` with `X-Sambung-Agent: <percent-encoded name>`.
 *
 * Pure. Anything malformed or unknown decodes to `null` and is ignored: a status message is advisory, the
 * SIP dialog itself is the truth about whether the call exists.
 */

export const STATUS_CONTENT_TYPE = 'application/vnd.sambung.status+json';

export type QueueStatus =
  | { readonly state: 'waiting'; readonly position?: number }
  | { readonly state: 'connected'; readonly agent?: string };

const AGENT_NAME_MAX = 80;
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** `true` when a Content-Type header value names our status type, ignoring case and parameters. */
export function isStatusContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  return contentType.split(';')[0]!.trim().toLowerCase() === STATUS_CONTENT_TYPE;
}

export function parseQueueStatus(contentType: string | undefined, body: string | undefined): QueueStatus | null {
  if (!isStatusContentType(contentType) || body === undefined) return null;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;

  if (record.state === 'waiting') {
    const position = record.position;
    return Number.isSafeInteger(position) && (position as number) >= 1
      ? { state: 'waiting', position: position as number }
      : { state: 'waiting' };
  }
  if (record.state === 'connected') {
    const agent = typeof record.agent === 'string' ? cleanName(record.agent) : '';
    return agent === '' ? { state: 'connected' } : { state: 'connected', agent };
  }
  return null;
}

function cleanName(raw: string): string {
  return [...raw.replace(CONTROL_CHARS, '').trim()].slice(0, AGENT_NAME_MAX).join('');
}

/** Status carried by a provisional (1xx) response to the visitor's INVITE; `null` for 100 Trying. */
export function parseProgressStatus(statusCode: number, positionHeader: string | undefined): QueueStatus | null {
  if (statusCode <= 100 || statusCode >= 200) return null;
  const position = positionHeader === undefined ? Number.NaN : Number(positionHeader.trim());
  return statusCode === 182 && Number.isSafeInteger(position) && position >= 1
    ? { state: 'waiting', position }
    : { state: 'waiting' };
}

/**
 * The agent's name from the `X-Sambung-Agent` header of the 200 OK (percent-encoded UTF-8), or `undefined`
 * when the header is absent: then the 200 only means "answered by the bridge" and status follows in INFO.
 */
export function agentFromHeader(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep it as sent
  }
  return cleanName(decoded);
}
