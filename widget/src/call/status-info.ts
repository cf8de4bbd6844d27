/**
 * Decoding of the bridge's queue status, sent as in-dialog SIP INFO (RFC 6086) with
 * `Content-Type: application/vnd.sambung.status+json` and a body like `{"state":"waiting","position":1}` or
 * `{"state":"connected","agent":"Alice Agent"}`.
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
