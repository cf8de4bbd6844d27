import { describe, expect, it } from 'vitest';
import { callbackSlots, isOpenAt, neverOpens, nextOpening, openIntervals, type BusinessHours } from './business-hours.js';
import { zonedToInstant } from './zoned-time.js';

const Z = (iso: string) => Date.parse(iso);
const weekdays = (from: string, to: string) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from, to }]]));

const newYork: BusinessHours = { timeZone: 'America/New_York', weekly: weekdays('09:00', '17:00'), holidays: [] };
const berlin: BusinessHours = { timeZone: 'Europe/Berlin', weekly: weekdays('08:00', '18:00'), holidays: ['2025-12-25', '2025-04-21'] };

describe('business hours across daylight-saving changes', () => {
  it('opens at 09:00 New York time on both sides of the March change (14:00Z in EST, 13:00Z in EDT)', () => {
    // DST starts Sunday 2025-03-09 at 02:00 in America/New_York.
    expect(isOpenAt(newYork, Z('2025-03-07T13:59:00Z'))).toBe(false);
    expect(isOpenAt(newYork, Z('2025-03-07T14:00:00Z'))).toBe(true);
    expect(isOpenAt(newYork, Z('2025-03-07T21:59:00Z'))).toBe(true);
    expect(isOpenAt(newYork, Z('2025-03-07T22:00:00Z'))).toBe(false);
    expect(isOpenAt(newYork, Z('2025-03-10T12:59:00Z'))).toBe(false);
    expect(isOpenAt(newYork, Z('2025-03-10T13:00:00Z'))).toBe(true);
    expect(isOpenAt(newYork, Z('2025-03-10T21:00:00Z'))).toBe(false);
  });

  it('moves the Berlin opening by an hour in UTC at the March and October changes', () => {
    // CEST from Sunday 2025-03-30 02:00 to Sunday 2025-10-26 03:00 in Europe/Berlin.
    expect(openIntervals(berlin, Z('2025-03-28T00:00:00Z'), Z('2025-03-28T23:00:00Z'))).toEqual([[Z('2025-03-28T07:00:00Z'), Z('2025-03-28T17:00:00Z')]]);
    expect(openIntervals(berlin, Z('2025-03-31T00:00:00Z'), Z('2025-03-31T23:00:00Z'))).toEqual([[Z('2025-03-31T06:00:00Z'), Z('2025-03-31T16:00:00Z')]]);
    expect(openIntervals(berlin, Z('2025-10-24T00:00:00Z'), Z('2025-10-24T23:00:00Z'))).toEqual([[Z('2025-10-24T06:00:00Z'), Z('2025-10-24T16:00:00Z')]]);
    expect(openIntervals(berlin, Z('2025-10-27T00:00:00Z'), Z('2025-10-27T23:00:00Z'))).toEqual([[Z('2025-10-27T07:00:00Z'), Z('2025-10-27T17:00:00Z')]]);
  });

  it('makes a whole-day opening 23 hours long on the spring-forward day and 25 on the fall-back day', () => {
    const allSunday: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '00:00', to: '24:00' }] }, holidays: [] };
    const [spring] = openIntervals(allSunday, Z('2025-03-08T00:00:00Z'), Z('2025-03-11T00:00:00Z'));
    expect(spring).toEqual([Z('2025-03-09T05:00:00Z'), Z('2025-03-10T04:00:00Z')]);
    const [fall] = openIntervals(allSunday, Z('2025-11-01T00:00:00Z'), Z('2025-11-04T00:00:00Z'));
    expect(fall![1] - fall![0]).toBe(25 * 3_600_000);
  });

  it('opens a range that starts inside the skipped hour at the first minute that exists', () => {
    const night: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '02:30', to: '05:00' }] }, holidays: [] };
    // 02:30 does not exist on 2025-03-09; 03:00 EDT is 07:00Z.
    expect(openIntervals(night, Z('2025-03-09T00:00:00Z'), Z('2025-03-10T00:00:00Z'))).toEqual([[Z('2025-03-09T07:00:00Z'), Z('2025-03-09T09:00:00Z')]]);
    expect(zonedToInstant('2025-03-09', 150, 'America/New_York')).toBeNull();
  });

  it('takes the earlier instant for a wall time that happens twice', () => {
    // 01:30 on 2025-11-02 in New York is 05:30Z (EDT) and 06:30Z (EST).
    expect(zonedToInstant('2025-11-02', 90, 'America/New_York')).toBe(Z('2025-11-02T05:30:00Z'));
  });
});

describe('holidays and the next opening', () => {
  it('is closed all day on a holiday date and open the day before', () => {
    expect(isOpenAt(berlin, Z('2025-12-24T10:00:00Z'))).toBe(true);
    expect(isOpenAt(berlin, Z('2025-12-25T10:00:00Z'))).toBe(false);
  });

  it('finds the next opening after a weekend and a holiday Monday (Easter Monday 2025-04-21)', () => {
    expect(nextOpening(berlin, Z('2025-04-18T17:30:00Z'))).toBe(Z('2025-04-22T06:00:00Z'));
    expect(nextOpening(berlin, Z('2025-04-22T07:00:00Z'))).toBe(Z('2025-04-22T07:00:00Z'));
  });

  it('knows hours with no opening never open', () => {
    expect(neverOpens({ timeZone: 'UTC', weekly: {}, holidays: [] })).toBe(true);
    expect(neverOpens(berlin)).toBe(false);
    expect(nextOpening({ timeZone: 'UTC', weekly: {}, holidays: [] }, 0, 30)).toBeNull();
  });

  it('is always open without hours', () => {
    expect(isOpenAt(null, 0)).toBe(true);
  });
});

describe('callback slots', () => {
  it('leaves out slots the spring-forward skips (Berlin 2025-03-30, 01:00–04:00 every 30 min)', () => {
    const h: BusinessHours = { timeZone: 'Europe/Berlin', weekly: { sun: [{ from: '01:00', to: '04:00' }] }, holidays: [] };
    expect(callbackSlots(h, Z('2025-03-29T12:00:00Z'), Z('2025-03-30T12:00:00Z'), 30)).toEqual(
      ['2025-03-30T00:00:00Z', '2025-03-30T00:30:00Z', '2025-03-30T01:00:00Z', '2025-03-30T01:30:00Z'].map(Z),
    );
  });

  it('offers a repeated wall time once on the fall-back day (New York 2025-11-02, 00:00–03:00)', () => {
    const h: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '00:00', to: '03:00' }] }, holidays: [] };
    expect(callbackSlots(h, Z('2025-11-01T12:00:00Z'), Z('2025-11-03T00:00:00Z'), 30)).toEqual(
      ['04:00', '04:30', '05:00', '05:30', '07:00', '07:30'].map((t) => Z(`2025-11-02T${t}:00Z`)),
    );
  });

  it('lists only slots that fit before closing and skip holidays', () => {
    const slots = callbackSlots(berlin, Z('2025-12-24T15:00:00Z'), Z('2025-12-26T08:00:00Z'), 45);
    // The 45-minute grid runs from the 08:00 opening: …, 16:15, 17:00 (ends 17:45); 17:45 would end after 18:00.
    expect(slots.filter((s) => s < Z('2025-12-25T00:00:00Z'))).toEqual([Z('2025-12-24T15:15:00Z'), Z('2025-12-24T16:00:00Z')]);
    expect(slots.some((s) => s >= Z('2025-12-25T00:00:00Z') && s < Z('2025-12-26T00:00:00Z'))).toBe(false);
    expect(slots.filter((s) => s >= Z('2025-12-26T00:00:00Z'))).toEqual([Z('2025-12-26T07:00:00Z'), Z('2025-12-26T07:45:00Z')]);
  });
});
