import type { IsoTimestamp } from './schema.js';

/**
 * Timestamps are stored as ISO-8601 UTC text of a fixed 24-character width, so that text order equals time
 * order on both SQLite and Postgres without dialect-specific date types. `Date#toISOString` throws a RangeError
 * for an invalid date, which is what we want: a bad timestamp must never reach a CDR.
 */
export function toIso(at: Date | number): IsoTimestamp {
  return new Date(at).toISOString();
}

export function fromIso(text: IsoTimestamp): Date {
  return new Date(text);
}

/** Seconds between two instants, never negative (clock steps must not produce negative CDR durations). */
export function secondsBetween(from: IsoTimestamp, to: Date): number {
  return Math.max(0, (to.getTime() - Date.parse(from)) / 1000);
}
