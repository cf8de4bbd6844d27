/**
 * Decoding of the bridge's queue status, carried by the responses to the visitor's INVITE: `183 Session
 * Progress` with SDP (early media: hold audio, waiting), `182 Queued` with `X-Sambung-Queue-Position: 2`
 * (RFC 3261 §21.1.3), `180 Ringing` while an agent's softphone rings, and the final `200 OK` — sent only once an
 * agent answered — with `X-Sambung-Agent: <percent-encoded name>`.
 *
 * Pure. Anything malformed decodes to "no detail": status is advisory, the SIP dialog itself is the truth.
 */

export type QueueStatus =
  | { readonly state: 'waiting'; readonly position?: number }
  | { readonly state: 'connected'; readonly agent?: string };

const AGENT_NAME_MAX = 80;
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

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
 * when the header is absent.
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
