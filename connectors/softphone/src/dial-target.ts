/**
 * What a click-to-dial becomes: the user part the softphone puts in `sip:<user>@<tenant SIP domain>`. Pure.
 *
 * Until a PSTN trunk exists the bridge connects only internal calls, to another agent of the tenant named by
 * username (a username of digits serves as an extension). So a clicked value is either
 * - an agent's username (`bob`, `bob.smith`; matched case-insensitively, usernames are lower-case), or
 * - a number: visual separators (spaces, `-`, `.`, `(`, `)`; RFC 3966 §5.1.1) are dropped and a leading `+`
 *   kept, so `+62 812-3456-7890` dials `+6281234567890` and `201` dials extension 201.
 * Anything else (a `tel:`/`sip:` URL, letters mixed into a number, an e-mail address) is not dialled.
 */
import type { CallerContact } from './host-adapter.js';
import { phoneDigits } from './phone-match.js';

export type DialKind =
  /** An agent's username. */
  | 'username'
  /** A short number: an extension. */
  | 'extension'
  /** A global (`+`) or long (7+ digits) number: an outside line, which needs a trunk. */
  | 'phone';

export interface ParsedDialTarget {
  /** The SIP user part to dial. */
  readonly user: string;
  readonly kind: DialKind;
}

/** Longest E.164 number (ITU-T E.164 §6); usernames are at most 64 characters (the bridge's admin API). */
const MAX_DIGITS = 15;
const USERNAME = /^[a-z0-9._-]{1,64}$/;
const NUMBER = /^\+?[0-9 ().-]+$/;
/** The same threshold the bridge uses to tell an outside number from an extension. */
const PHONE_MIN_DIGITS = 7;

export function parseDialTarget(raw: string): ParsedDialTarget | null {
  const text = raw.trim();
  if (NUMBER.test(text)) {
    const digits = phoneDigits(text);
    if (digits.length === 0 || digits.length > MAX_DIGITS) return null;
    const global = text.startsWith('+');
    return {
      user: `${global ? '+' : ''}${digits}`,
      kind: global || digits.length >= PHONE_MIN_DIGITS ? 'phone' : 'extension',
    };
  }
  const username = text.toLowerCase();
  return USERNAME.test(username) && /[a-z]/.test(username) ? { user: username, kind: 'username' } : null;
}

/**
 * Whom the call log names for a dialled target: the CRM record's name when the click carried one; a number
 * as the phone (`+` and digits, like a caller's), an agent's username or extension as the name.
 */
export function dialledContact(target: ParsedDialTarget, recordName = ''): CallerContact {
  const name = recordName.trim();
  return target.kind === 'phone'
    ? { name, phone: target.user, email: '' }
    : { name: name || target.user, phone: '', email: '' };
}
