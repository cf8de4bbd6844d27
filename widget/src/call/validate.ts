/**
 * Validation of the visitor verification form, at the edge (CONVENTIONS #12).
 *
 * Pure: no DOM, no I/O. The bridge validates again (it never trusts the widget); this module exists so the
 * visitor gets inline, immediate feedback and so what we send is already normalised for CRM searches.
 */

export type VisitorField = 'name' | 'phone' | 'email';

/** One human-readable message per field that failed. */
export type FieldErrors = Partial<Record<VisitorField, string>>;

/** What the form holds, untrimmed, exactly as typed. */
export interface VisitorFormInput {
  readonly name: string;
  readonly phone: string;
  readonly email: string;
}

/** What we send to `POST /api/visitor-token`. */
export interface VisitorDetails {
  readonly name: string;
  /** Normalised: an optional leading `+` followed by digits only (E.164-like, 6–15 digits). */
  readonly phone: string;
  /** Absent when the visitor left the field empty. */
  readonly email?: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly value: VisitorDetails }
  | { readonly ok: false; readonly errors: FieldErrors };

export const NAME_MAX_LENGTH = 80;
export const PHONE_MIN_DIGITS = 6;
/** ITU-T E.164 §6.1: at most 15 digits including the country code. */
export const PHONE_MAX_DIGITS = 15;
/** RFC 5321 §4.5.3.1.3 path limit minus the angle brackets. */
export const EMAIL_MAX_LENGTH = 254;

/**
 * C0/C1 controls, plus the Unicode bidi embedding/override/isolate marks (U+202A–U+202E, U+2066–U+2069):
 * a name travels into agents' CRMs and supervisors' screens, where a bidi override can make "Bob" read as
 * something else ("Trojan Source", CVE-2021-42574).
 */
const FORBIDDEN_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const PHONE_SHAPE = /^\+?[0-9\s\-()]+$/;
/**
 * Deliberately "sane" rather than RFC 5322-complete: one `@`, no whitespace or characters that only appear in
 * quoted local parts, and a dotted domain whose last label has at least two characters.
 */
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]{1,64}@(?:[^\s@<>()[\]\\,;:".]+\.)+[^\s@<>()[\]\\,;:".]{2,}$/u;

export function validateName(raw: string): string | undefined {
  const name = raw.trim();
  if (name.length === 0) return 'Please enter your name.';
  if (FORBIDDEN_IN_NAME.test(name)) return 'Your name contains characters that are not allowed.';
  // Count code points, not UTF-16 units, so an emoji or a CJK extension character counts as one.
  if ([...name].length > NAME_MAX_LENGTH) return `Please keep your name under ${NAME_MAX_LENGTH + 1} characters.`;
  return undefined;
}

/** Returns the normalised phone (`+` and digits) or an error message. */
export function validatePhone(raw: string): { readonly value: string } | { readonly error: string } {
  const phone = raw.trim();
  if (phone.length === 0) return { error: 'Please enter your phone number.' };
  if (!PHONE_SHAPE.test(phone)) {
    return { error: 'Use digits, spaces, dashes, parentheses and an optional leading +.' };
  }
  const digits = phone.replace(/\D/g, '');
  if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) {
    return { error: `A phone number has ${PHONE_MIN_DIGITS} to ${PHONE_MAX_DIGITS} digits.` };
  }
  return { value: (phone.startsWith('+') ? '+' : '') + digits };
}

/** Empty is fine (e-mail is optional); otherwise returns the trimmed address or an error message. */
export function validateEmail(raw: string): { readonly value: string | undefined } | { readonly error: string } {
  const email = raw.trim();
  if (email.length === 0) return { value: undefined };
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) {
    return { error: 'Please enter a valid e-mail address, or leave it empty.' };
  }
  return { value: email };
}

export function validateVisitor(input: VisitorFormInput): ValidationResult {
  const errors: FieldErrors = {};
  const nameError = validateName(input.name);
  if (nameError !== undefined) errors.name = nameError;
  const phone = validatePhone(input.phone);
  if ('error' in phone) errors.phone = phone.error;
  const email = validateEmail(input.email);
  if ('error' in email) errors.email = email.error;

  if (nameError !== undefined || 'error' in phone || 'error' in email) return { ok: false, errors };
  const value: VisitorDetails =
    email.value === undefined
      ? { name: input.name.trim(), phone: phone.value }
      : { name: input.name.trim(), phone: phone.value, email: email.value };
  return { ok: true, value };
}
