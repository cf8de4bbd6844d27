/**
 * How contacts are matched, shared by the reference adapters and the fakes so "the same number" means one thing.
 * CRMs store numbers as typed (`+62 21-555 0100`, `(021) 555 0100`); we compare digits only.
 */

/** Fewer digits than this never match: an empty or junk search must not return every contact. */
export const MIN_PHONE_DIGITS = 5;

/** The digits of a phone number, without formatting and without a `00` international prefix. */
export function phoneDigits(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, '');
  return !trimmed.startsWith('+') && digits.startsWith('00') ? digits.slice(2) : digits;
}

/** Whether two numbers are the same by their digits (both long enough to be a number at all). */
export function samePhone(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const da = phoneDigits(a);
  return da.length >= MIN_PHONE_DIGITS && da === phoneDigits(b);
}

/** E-mail addresses compare trimmed and case-insensitively (RFC 5321 allows case-sensitive local parts; no CRM does). */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function sameEmail(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const na = normalizeEmail(a);
  return na !== '' && na === normalizeEmail(b);
}
