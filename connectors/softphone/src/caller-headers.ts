/**
 * Decoding of the caller details the bridge puts on its INVITE to the agent:
 * `X-Sambung-Call-Id`, `X-Sambung-Queue`, `X-Sambung-Caller-Name`, `X-Sambung-Caller-Phone`,
 * `X-Sambung-Caller-Email`, each percent-encoded UTF-8 (RFC 3986 §2.1), each possibly absent or empty.
 *
 * Pure. The values came from a public web form: they are decoded, stripped of control and bidi-override
 * characters, trimmed and length-capped here, and rendered with `textContent` only (CONVENTIONS #12).
 */
import type { CallerInfo } from './host-adapter.js';

export const CALLER_HEADERS = {
  callId: 'X-Sambung-Call-Id',
  queue: 'X-Sambung-Queue',
  name: 'X-Sambung-Caller-Name',
  phone: 'X-Sambung-Caller-Phone',
  email: 'X-Sambung-Caller-Email',
} as const satisfies Record<keyof CallerInfo, string>;

const LIMITS: Record<keyof CallerInfo, number> = { callId: 128, queue: 64, name: 80, phone: 32, email: 254 };
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** Reads a header by name; `undefined` (or empty) when absent. JsSIP's `request.getHeader` fits. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * `fallbackCallId` is used when the bridge sent no call id (the JsSIP session id keeps the log idempotent).
 */
export function decodeCallerHeaders(read: HeaderReader, fallbackCallId: string): CallerInfo {
  const value = (field: keyof CallerInfo): string => cleanHeaderValue(read(CALLER_HEADERS[field]), LIMITS[field]);
  return {
    callId: value('callId') || fallbackCallId,
    queue: value('queue'),
    name: value('name'),
    phone: value('phone'),
    email: value('email'),
  };
}

export function cleanHeaderValue(raw: string | undefined, maxLength: number): string {
  if (raw === undefined || raw === null) return '';
  return [...percentDecode(raw).replace(UNSAFE, '').trim()].slice(0, maxLength).join('');
}

/**
 * `decodeURIComponent`, but a malformed sequence (`%E0%A4%A`, a lone `%`) leaves the text as sent instead of
 * throwing. `+` stays `+`: this is percent-encoding, not form encoding, and phone numbers start with `+`.
 */
function percentDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
