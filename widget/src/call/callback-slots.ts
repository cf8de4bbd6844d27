/**
 * Callback slots as the visitor sees them: the bridge offers instants (ISO 8601, UTC) inside the queue's hours;
 * the visitor reads them in their own locale and time zone, grouped by their own calendar day. Pure apart from
 * `Intl`, which is given the locale and zone explicitly (the view passes the browser's).
 *
 * Grouping asks `Intl` for each instant's local date rather than adding a fixed offset, so a day that is 23 or
 * 25 hours long (a daylight-saving change) still groups correctly.
 */

export interface SlotOption {
  /** Exactly as the bridge sent it: `POST /api/visitor/callbacks` must get one of its own strings back. */
  readonly at: string;
  /** Local time of day, e.g. `9:30 AM` / `09.30`. */
  readonly time: string;
}

export interface SlotDay {
  /** Local calendar date `YYYY-MM-DD`, stable across locales (for keys and tests). */
  readonly date: string;
  /** e.g. `Monday, November 23`. */
  readonly label: string;
  readonly slots: readonly SlotOption[];
}

export interface DisplayZone {
  /** BCP 47, e.g. `navigator.language`. */
  readonly locale: string;
  /** IANA zone; `undefined` = the runtime's own. */
  readonly timeZone?: string | undefined;
}

/** Seven days of five-minute slots is ~2,000; anything beyond is not a list a person scrolls. */
export const MAX_SLOTS = 2016;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The instant of a slot string, or `NaN` when it is not a complete ISO 8601 timestamp with an offset. */
export function slotInstant(at: string): number {
  return typeof at === 'string' && ISO_INSTANT.test(at) ? Date.parse(at) : Number.NaN;
}

/** Valid slots only, de-duplicated by instant, in time order, at most {@link MAX_SLOTS}. */
export function normaliseSlots(slots: readonly unknown[]): string[] {
  const seen = new Map<number, string>();
  for (const slot of slots) {
    if (typeof slot !== 'string') continue;
    const instant = slotInstant(slot);
    if (Number.isFinite(instant) && !seen.has(instant)) seen.set(instant, slot);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).slice(0, MAX_SLOTS).map(([, slot]) => slot);
}

export function groupSlotsByDay(slots: readonly string[], zone: DisplayZone): SlotDay[] {
  const dateKey = formatter('en-US', zone.timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const dayLabel = formatter(zone.locale, zone.timeZone, { weekday: 'long', month: 'long', day: 'numeric' });
  const timeLabel = formatter(zone.locale, zone.timeZone, { hour: 'numeric', minute: '2-digit' });
  const days: { date: string; label: string; slots: SlotOption[] }[] = [];
  for (const at of normaliseSlots(slots)) {
    const instant = new Date(slotInstant(at));
    const date = isoDate(dateKey, instant);
    let day = days.at(-1);
    if (!day || day.date !== date) {
      day = { date, label: dayLabel.format(instant), slots: [] };
      days.push(day);
    }
    day.slots.push({ at, time: timeLabel.format(instant) });
  }
  return days;
}

/** The booked time for the confirmation, in the visitor's locale and zone: `{ day: "Monday, November 23", time: "9:30 AM" }`. */
export function formatCallbackTime(at: string, zone: DisplayZone): { readonly day: string; readonly time: string } {
  const instant = slotInstant(at);
  if (!Number.isFinite(instant)) return { day: '', time: at };
  const date = new Date(instant);
  return {
    day: formatter(zone.locale, zone.timeZone, { weekday: 'long', month: 'long', day: 'numeric' }).format(date),
    time: formatter(zone.locale, zone.timeZone, { hour: 'numeric', minute: '2-digit' }).format(date),
  };
}

/** The zone's short name at `at` ("GMT+7", "CET", "EST"), to say which clock the times are on. */
export function zoneName(zone: DisplayZone, at: number): string {
  const parts = formatter(zone.locale, zone.timeZone, { timeZoneName: 'short' }).formatToParts(new Date(at));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/** `YYYY-MM-DD` from an `en-US` numeric formatter's parts (never from its string, whose order is locale's). */
function isoDate(format: Intl.DateTimeFormat, instant: Date): string {
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A formatter that survives a malformed locale or an unknown zone (falls back rather than throwing). */
function formatter(locale: string, timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const base: Intl.DateTimeFormatOptions = { ...options, calendar: 'gregory', numberingSystem: 'latn' };
  for (const [loc, tz] of [[locale, timeZone], ['en', timeZone], [locale, undefined], ['en', undefined]] as const) {
    try {
      return new Intl.DateTimeFormat(loc, tz ? { ...base, timeZone: tz } : base);
    } catch {
      // try the next, less specific combination
    }
  }
  return new Intl.DateTimeFormat('en', base);
}
