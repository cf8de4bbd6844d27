/**
 * The name of a contact created for a visitor who gave none: "Web User – MM/DD HH:MM" (en dash), the time of the
 * call in the tenant's time zone, as Google CCAI Platform names anonymous web callers (issue 4, seed 002).
 * `hourCycle: 'h23'` because `hour12: false` renders midnight as "24" in some ICU versions.
 * Throws RangeError for a time zone that is not an IANA name; tenants' zones are validated where they are set.
 */
export function webUserName(at: Date, timeZone: string): string {
  const t = localClock(at, timeZone);
  return `Web User \u2013 ${t.month}/${t.day} ${t.hour}:${t.minute}`;
}

/** `at` on the wall clock of `timeZone`, each field zero-padded (`month: '03'`, `hour: '00'` at midnight). */
export function localClock(at: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The name to give a new contact: what the visitor typed, or the anonymous web-user name. */
export function contactName(name: string | null, at: Date, timeZone: string): string {
  const trimmed = name?.trim() ?? '';
  return trimmed === '' ? webUserName(at, timeZone) : trimmed;
}
