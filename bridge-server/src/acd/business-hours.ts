import { addDays, weekdayOf, zonedParts, zonedToInstant, zonedToInstantOrLater } from './zoned-time.js';

/** Day keys of the weekly schedule, indexed by `Date#getUTCDay()` (0 = Sunday). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening on a day, local wall time `HH:MM`; `to` may be `24:00`. */
export interface TimeRange {
  readonly from: string;
  readonly to: string;
}

/**
 * When a queue takes calls: a weekly schedule in local time of an IANA zone, minus holiday dates (local
 * `YYYY-MM-DD`). Written in local time on purpose: "09:00–17:00 New York" must stay 09:00–17:00 across the
 * daylight-saving change, which only a zone-aware conversion per day gets right.
 */
export interface BusinessHours {
  readonly timeZone: string;
  readonly weekly: Readonly<Partial<Record<Weekday, readonly TimeRange[]>>>;
  readonly holidays: readonly string[];
}

/** `HH:MM` → minutes after midnight (`24:00` → 1440); NaN when malformed. */
export function minutesOf(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) return Number.NaN;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v > 1440 ? Number.NaN : v;
}

function rangesOf(hours: BusinessHours, weekday: number): readonly TimeRange[] {
  return hours.weekly[WEEKDAYS[weekday]!] ?? [];
}

/** True when no day of the week has an opening (holidays aside) — such hours never open. */
export function neverOpens(hours: BusinessHours): boolean {
  return WEEKDAYS.every((d) => (hours.weekly[d] ?? []).every((r) => !(minutesOf(r.to) > minutesOf(r.from))));
}

/** Whether the queue is open at the instant `ms`; `null` hours mean always open. */
export function isOpenAt(hours: BusinessHours | null, ms: number): boolean {
  if (!hours) return true;
  const p = zonedParts(ms, hours.timeZone);
  if (hours.holidays.includes(p.dateKey)) return false;
  return rangesOf(hours, p.weekday).some((r) => minutesOf(r.from) <= p.minuteOfDay && p.minuteOfDay < minutesOf(r.to));
}

/**
 * The open intervals `[start, end)` as instants that overlap `[fromMs, toMs)`, clipped to it and merged where
 * they touch (Monday 00:00–24:00 and Tuesday 00:00–… are one interval). A day's ranges are converted with that
 * day's own offset, so a daylight-saving day yields a 23- or 25-hour "00:00–24:00".
 */
export function openIntervals(hours: BusinessHours | null, fromMs: number, toMs: number): Array<[number, number]> {
  if (toMs <= fromMs) return [];
  if (!hours) return [[fromMs, toMs]];
  const tz = hours.timeZone;
  const out: Array<[number, number]> = [];
  const last = zonedParts(toMs, tz).dateKey;
  for (let day = addDays(zonedParts(fromMs, tz).dateKey, -1); day <= last; day = addDays(day, 1)) {
    if (hours.holidays.includes(day)) continue;
    const ranges = [...rangesOf(hours, weekdayOf(day))].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    for (const r of ranges) {
      const start = Math.max(fromMs, zonedToInstantOrLater(day, minutesOf(r.from), tz));
      const end = Math.min(toMs, zonedToInstantOrLater(day, minutesOf(r.to), tz));
      if (end <= start) continue;
      const prev = out[out.length - 1];
      if (prev && start <= prev[1]) prev[1] = Math.max(prev[1], end);
      else out.push([start, end]);
    }
  }
  return out;
}

/** The first instant at or after `ms` when the queue is open, looking up to `horizonDays` ahead; null if none. */
export function nextOpening(hours: BusinessHours | null, ms: number, horizonDays = 400): number | null {
  const week = 7 * 86_400_000;
  for (let from = ms; from < ms + horizonDays * 86_400_000; from += week) {
    const first = openIntervals(hours, from, from + week)[0];
    if (first) return first[0];
  }
  return null;
}

/**
 * Start instants of callback slots of `slotMinutes` inside the opening hours between `fromMs` and `toMs`: slots
 * start on the local grid from each opening (09:00, 09:30, …) and must end by its close. A slot whose local start
 * does not exist (skipped by spring-forward) is left out; one that happens twice (fall-back) is offered once.
 */
export function callbackSlots(hours: BusinessHours | null, fromMs: number, toMs: number, slotMinutes: number): number[] {
  const slotMs = slotMinutes * 60_000;
  if (!hours) {
    const out: number[] = [];
    for (let t = Math.ceil(fromMs / slotMs) * slotMs; t < toMs; t += slotMs) out.push(t);
    return out;
  }
  const tz = hours.timeZone;
  const out: number[] = [];
  const last = zonedParts(toMs, tz).dateKey;
  for (let day = zonedParts(fromMs, tz).dateKey; day <= last; day = addDays(day, 1)) {
    if (hours.holidays.includes(day)) continue;
    for (const r of rangesOf(hours, weekdayOf(day))) {
      const close = minutesOf(r.to);
      for (let m = minutesOf(r.from); m + slotMinutes <= close; m += slotMinutes) {
        const t = zonedToInstant(day, m, tz);
        if (t !== null && t >= fromMs && t < toMs) out.push(t);
      }
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}
