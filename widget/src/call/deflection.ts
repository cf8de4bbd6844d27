/**
 * Decoding of a deflection: the bridge's answer when the queue will not hold the call (after hours, queue full,
 * expected wait too long, waited too long). It ends the INVITE with `480 Temporarily Unavailable` (RFC 3261
 * §21.4.18) and says what to offer instead in `X-Sambung-Deflection`: percent-encoded UTF-8 JSON such as
 * `{"reason":"closed","type":"email","address":"sales@example.com"}`.
 *
 * Pure. The header crosses a trust boundary (it is configured by a tenant admin and relayed by the bridge), so
 * it is decoded defensively: bounded size, no exceptions escape, fields read as own properties only, every
 * value validated for its use (an address that can go into `mailto:`, an E.164 number for `tel:`), unknown
 * fields ignored. Anything unusable decodes to `null`, and the visitor sees the plain "no one is available".
 */
import { cleanText, percentDecode } from './clean-text.js';
import { validateEmail } from './validate.js';

export const DEFLECTION_HEADER = 'X-Sambung-Deflection';

export const DEFLECT_REASONS = ['closed', 'full', 'expected-wait', 'max-wait'] as const;
export type DeflectReason = (typeof DEFLECT_REASONS)[number];

interface Because {
  /** Absent when the bridge sent a reason this widget does not know yet. */
  readonly reason?: DeflectReason;
}

export type Deflection =
  | (Because & { readonly type: 'message'; readonly text: string })
  | (Because & { readonly type: 'email'; readonly address: string })
  | (Because & { readonly type: 'phone'; readonly number: string })
  | (Because & { readonly type: 'callback'; readonly slotMinutes?: number })
  | (Because & { readonly type: 'voicemail' });

export type DeflectionType = Deflection['type'];

/** The encoded header is a few hundred bytes; refuse to parse megabytes a broken proxy might pass on. */
const HEADER_MAX_LENGTH = 8192;
const MESSAGE_MAX_LENGTH = 1000;
/** ITU-T E.164: `+`, a non-zero country code digit, at most 15 digits; the bridge's own schema asks ≥ 7. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

export function parseDeflectionHeader(raw: string | undefined): Deflection | null {
  if (raw === undefined || raw.length === 0 || raw.length > HEADER_MAX_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(percentDecode(raw.trim()));
  } catch {
    return null;
  }
  return readDeflection(value);
}

/** Validates an already-parsed deflection object (also what a future HTTP API would return). */
export function readDeflection(value: unknown): Deflection | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const field = (name: string): unknown => (Object.prototype.hasOwnProperty.call(value, name)
    ? (value as Record<string, unknown>)[name] : undefined);
  const rawReason = field('reason');
  const reason = DEFLECT_REASONS.find((known) => known === rawReason);
  const because: Because = reason ? { reason } : {};

  switch (field('type')) {
    case 'message': {
      const text = field('text');
      const clean = typeof text === 'string' ? cleanText(text, MESSAGE_MAX_LENGTH, true) : '';
      return clean ? { ...because, type: 'message', text: clean } : null;
    }
    case 'email': {
      const address = field('address');
      return typeof address === 'string' && mailtoHref(address) ? { ...because, type: 'email', address: address.trim() }
        : null;
    }
    case 'phone': {
      const number = field('number');
      return typeof number === 'string' && E164.test(number.trim())
        ? { ...because, type: 'phone', number: number.trim() } : null;
    }
    case 'callback': {
      // Informational (the slots come from the API); a bad value is dropped, not fatal.
      const minutes = field('slotMinutes');
      return typeof minutes === 'number' && Number.isSafeInteger(minutes) && minutes > 0 && minutes <= 1440
        ? { ...because, type: 'callback', slotMinutes: minutes } : { ...because, type: 'callback' };
    }
    case 'voicemail':
      return { ...because, type: 'voicemail' };
    default:
      return null;
  }
}

/**
 * `mailto:` URL (RFC 6068) for a validated address, each part percent-encoded so nothing in it can add
 * `?subject=`/`&cc=`/`&body=` fields or break out of the URL; `null` when the address does not validate.
 */
export function mailtoHref(address: string): string | null {
  const checked = validateEmail(address);
  if ('error' in checked || checked.value === undefined || /[\u0000-\u001f\u007f-\u009f]/.test(checked.value)) return null;
  const at = checked.value.lastIndexOf('@');
  return `mailto:${encodeURIComponent(checked.value.slice(0, at))}@${encodeURIComponent(checked.value.slice(at + 1))}`;
}

/** `tel:` URL (RFC 3966 global number) for an E.164 number; `null` otherwise. */
export function telHref(number: string): string | null {
  const trimmed = number.trim();
  return E164.test(trimmed) ? `tel:${trimmed}` : null;
}
