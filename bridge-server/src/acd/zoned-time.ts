/**
 * Wall-clock time in an IANA time zone, from the platform's own tz database (`Intl`), with no library. Business
 * hours are written in local time ("09:00–17:00 Europe/Berlin"), so every question — is it open now, when does it
 * open next, which callback slots exist — is answered by converting between instants and local wall time here,
 * which is where daylight-saving days are handled once.
 */

/** Local calendar fields of an instant. `weekday` is 0 = Sunday … 6 = Saturday. */
export interface ZonedParts {
  readonly dateKey: string; // YYYY-MM-DD
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly minuteOfDay: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Formatters are costly to build; one per zone, created on first use. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the platform knows `timeZone` as an IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function fields(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const out = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0 };
  for (const p of formatter(timeZone).formatToParts(ms)) {
    switch (p.type) {
      case 'year': out.y = Number(p.value); break;
      case 'month': out.mo = Number(p.value); break;
      case 'day': out.d = Number(p.value); break;
      case 'hour': out.h = Number(p.value); break;
      case 'minute': out.mi = Number(p.value); break;
      case 'second': out.s = Number(p.value); break;
      default: break;
    }
  }
  return out;
}

export function dateKeyOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Local date, weekday and minute of day of the instant `ms` in `timeZone`. */
export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const f = fields(ms, timeZone);
  return {
    dateKey: dateKeyOf(f.y, f.mo, f.d),
    year: f.y,
    month: f.mo,
    day: f.d,
    weekday: new Date(Date.UTC(f.y, f.mo - 1, f.d)).getUTCDay(),
    minuteOfDay: f.h * 60 + f.mi,
  };
}

/** The zone's offset from UTC at the instant `ms`, in ms (Berlin in summer: +2 h). */
export function offsetAt(ms: number, timeZone: string): number {
  const f = fields(ms, timeZone);
  const whole = Math.floor(ms / 1000) * 1000;
  return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) - whole;
}

/** Parse `YYYY-MM-DD`; null when it is not a real calendar date. */
export function parseDateKey(key: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The date `n` days after `key` (calendar arithmetic, no time zone involved). */
export function addDays(key: string, n: number): string {
  const p = parseDateKey(key)!;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + n));
  return dateKeyOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function weekdayOf(key: string): number {
  const p = parseDateKey(key)!;
  return new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
}

/**
 * The instant at which the local wall clock in `timeZone` shows `minuteOfDay` on `dateKey` (1440 = the next
 * midnight). When the clock goes back and the time happens twice, the earlier instant; when it springs forward
 * and the time never happens, null.
 *
 * Why two candidates: the true instant is `local − offset(instant)`, and near a transition the two offsets in
 * play are those a day or two either side. Each candidate is kept only if the zone really shows that wall time
 * then. (Assumes no zone changes its offset twice within four days, which holds for the tz database in use.)
 */
export function zonedToInstant(dateKey: string, minuteOfDay: number, timeZone: string): number | null {
  const p = parseDateKey(dateKey);
  if (!p) return null;
  const local = Date.UTC(p.year, p.month - 1, p.day, 0, minuteOfDay);
  const before = offsetAt(local - 2 * DAY, timeZone);
  const after = offsetAt(local + 2 * DAY, timeZone);
  let best: number | null = null;
  for (const o of before === after ? [before] : [before, after]) {
    const t = local - o;
    if (offsetAt(t, timeZone) === o && (best === null || t < best)) best = t;
  }
  return best;
}

/**
 * Like {@link zonedToInstant}, but a wall time skipped by a spring-forward moves to the first minute that
 * exists after it (an opening at 02:30 on the day 02:00 jumps to 03:00 opens at 03:00).
 */
export function zonedToInstantOrLater(dateKey: string, minuteOfDay: number, timeZone: string): number {
  for (let m = minuteOfDay; m <= minuteOfDay + 24 * 60; m++) {
    const t = zonedToInstant(dateKey, m, timeZone);
    if (t !== null) return t;
  }
  throw new RangeError(`no instant for ${dateKey} ${minuteOfDay} in ${timeZone}`);
}

/** The next local midnight strictly after `ms` in `timeZone` (where daily counters roll over). */
export function nextMidnight(ms: number, timeZone: string): number {
  const today = zonedParts(ms, timeZone).dateKey;
  return zonedToInstantOrLater(addDays(today, 1), 0, timeZone);
}
