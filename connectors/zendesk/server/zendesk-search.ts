/**
 * Search queries built from what a caller typed (CONVENTIONS #12). Zendesk's search syntax
 * (https://support.zendesk.com/hc/en-us/articles/4408886879258 "Zendesk Support search reference") reads
 * `keyword:value` pairs separated by spaces, `"…"` phrases, `*` wildcards and `-` negation, so a visitor's text
 * pasted into a query could add conditions of its own (`x@example.com role:agent`). The value therefore never
 * reaches the query unless it cannot carry any syntax: phone numbers as digits only, e-mail addresses quoted and
 * only when they contain no quote, space, wildcard or other search operator — such a string is not an address
 * Zendesk stores, so nothing is lost by not asking.
 */
import { MIN_PHONE_DIGITS, normalizeEmail, phoneDigits } from '../../../bridge-server/src/crm/contact-match.js';

/** E.164 numbers have at most 15 digits; longer input is not a number, and only its end can match one. */
const MAX_PHONE_DIGITS = 15;

/**
 * `role:end-user phone:*<digits>`: the documented way to find a caller by number — digits only, no `+`, with a
 * leading `*` so stored numbers in any format and with any prefix match
 * (Talk Partner Edition guide, "Retrieving the Zendesk user id of a caller"). Null when the number has too few
 * digits to search for (an empty or junk number must not match everyone).
 */
export function phoneSearchQuery(phone: string): string | null {
  const digits = phoneDigits(phone);
  if (digits.length < MIN_PHONE_DIGITS) return null;
  return `role:end-user phone:*${digits.slice(-MAX_PHONE_DIGITS)}`;
}

/**
 * Characters that have a meaning in a search query or cannot be in an address Zendesk accepts: whitespace, the
 * double quote, backslash, the wildcard, parentheses, angle brackets, comma, semicolon, colon and square brackets.
 * (A single quote, as in `o'brien@example.com`, is an ordinary character inside a quoted value.)
 */
const NOT_IN_SEARCHABLE_EMAIL = /[\s"\\*()<>,;:[\]]/;

/** The address as it is searched (trimmed, lowercase), or null when it must not be put in a query at all. */
export function searchableEmail(email: string): string | null {
  const address = normalizeEmail(email);
  if (address === '' || address.length > 254 || NOT_IN_SEARCHABLE_EMAIL.test(address)) return null;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || address.startsWith('-')) return null;
  return address;
}

/** `<scope> email:"<address>"`, or null when the address cannot be searched (see {@link searchableEmail}). */
export function emailSearchQuery(email: string, scope: 'role:end-user' | 'type:user'): string | null {
  const address = searchableEmail(email);
  return address === null ? null : `${scope} email:"${address}"`;
}
