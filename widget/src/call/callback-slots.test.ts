import { describe, expect, it } from 'vitest';
import { formatCallbackTime, groupSlotsByDay, normaliseSlots, slotInstant, zoneName } from './callback-slots.js';

const dates = (days: ReturnType<typeof groupSlotsByDay>) => days.map((d) => [d.date, d.slots.map((s) => s.at)]);

describe('groupSlotsByDay', () => {
  it("groups by the visitor's own calendar day, not the bridge's or UTC's", () => {
    const slots = ['2026-11-23T02:00:00.000Z', '2026-11-23T15:30:00.000Z', '2026-11-23T17:00:00.000Z'];
    // Jakarta (UTC+7): 09:00 and 22:30 on the 23rd, 00:00 on the 24th.
    expect(dates(groupSlotsByDay(slots, { locale: 'en', timeZone: 'Asia/Jakarta' }))).toEqual([
      ['2026-11-23', ['2026-11-23T02:00:00.000Z', '2026-11-23T15:30:00.000Z']],
      ['2026-11-24', ['2026-11-23T17:00:00.000Z']],
    ]);
    // Los Angeles (UTC−8): 18:00 on the 22nd, 07:30 and 09:00 on the 23rd.
    expect(dates(groupSlotsByDay(slots, { locale: 'en', timeZone: 'America/Los_Angeles' }))).toEqual([
      ['2026-11-22', ['2026-11-23T02:00:00.000Z']],
      ['2026-11-23', ['2026-11-23T15:30:00.000Z', '2026-11-23T17:00:00.000Z']],
    ]);
  });

  it('keeps a 25-hour day together when the clocks fall back (New York, 1 November 2026)', () => {
    const slots = [
      '2026-11-01T03:30:00Z', // Oct 31, 23:30 EDT
      '2026-11-01T04:30:00Z', // Nov 1, 00:30 EDT
      '2026-11-02T04:30:00Z', // Nov 1, 23:30 EST — same local day, 25 hours later
      '2026-11-02T05:30:00Z', // Nov 2, 00:30 EST
    ];
    const days = groupSlotsByDay(slots, { locale: 'en-US', timeZone: 'America/New_York' });
    expect(dates(days)).toEqual([
      ['2026-10-31', ['2026-11-01T03:30:00Z']],
      ['2026-11-01', ['2026-11-01T04:30:00Z', '2026-11-02T04:30:00Z']],
      ['2026-11-02', ['2026-11-02T05:30:00Z']],
    ]);
    expect(days[1]!.slots.map((s) => s.time)).toEqual(['12:30 AM', '11:30 PM']);
    expect(days[1]!.label).toBe('Sunday, November 1');
  });

  it('keeps a 23-hour day together when the clocks spring forward (Berlin, 29 March 2026)', () => {
    const slots = ['2026-03-28T23:00:00Z', '2026-03-29T21:30:00Z', '2026-03-29T22:00:00Z'];
    // 00:00 CET and 23:30 CEST on the 29th; 00:00 CEST on the 30th.
    expect(dates(groupSlotsByDay(slots, { locale: 'de-DE', timeZone: 'Europe/Berlin' }))).toEqual([
      ['2026-03-29', ['2026-03-28T23:00:00Z', '2026-03-29T21:30:00Z']],
      ['2026-03-30', ['2026-03-29T22:00:00Z']],
    ]);
  });

  it('handles half-hour daylight saving (Lord Howe Island, 5 April 2026)', () => {
    // Lord Howe: UTC+11 until 2026-04-05 02:00 local, then UTC+10:30.
    const slots = ['2026-04-04T13:15:00Z', '2026-04-05T13:15:00Z', '2026-04-05T13:45:00Z'];
    // 00:15 LHDT and 23:45 LHST on the 5th (a 24.5-hour day), 00:15 on the 6th.
    expect(dates(groupSlotsByDay(slots, { locale: 'en-AU', timeZone: 'Australia/Lord_Howe' }))).toEqual([
      ['2026-04-05', ['2026-04-04T13:15:00Z', '2026-04-05T13:15:00Z']],
      ['2026-04-06', ['2026-04-05T13:45:00Z']],
    ]);
  });

  it('formats labels in the visitor locale', () => {
    const [day] = groupSlotsByDay(['2026-11-23T02:00:00.000Z'], { locale: 'id-ID', timeZone: 'Asia/Jakarta' });
    expect(day!.label).toBe('Senin, 23 November');
    expect(day!.slots[0]!.time).toBe('9.00');
  });

  it('sorts, de-duplicates by instant and drops what is not a timestamp', () => {
    const slots = ['2026-11-23T03:00:00Z', 'tomorrow', '2026-11-23T02:00:00Z', '2026-11-23T10:00:00+07:00',
      '2026-11-23', '2026-11-23T02:00:00', '<img src=x>', '2026-13-45T99:99:00Z'];
    expect(normaliseSlots([...slots, 42, null, {}])).toEqual(['2026-11-23T02:00:00Z', '2026-11-23T03:00:00Z']);
  });

  it('caps a flood of slots', () => {
    const start = Date.parse('2026-11-23T00:00:00Z');
    const many = Array.from({ length: 5000 }, (_, i) => new Date(start + i * 60_000).toISOString());
    expect(normaliseSlots(many)).toHaveLength(2016);
  });

  it('falls back instead of throwing on an unknown zone or a broken locale', () => {
    expect(() => groupSlotsByDay(['2026-11-23T02:00:00Z'], { locale: 'not a locale!', timeZone: 'Mars/Olympus' }))
      .not.toThrow();
  });
});

describe('slot formatting', () => {
  it('says the confirmed time in full, in the visitor zone', () => {
    expect(formatCallbackTime('2026-11-23T02:00:00.000Z', { locale: 'en-GB', timeZone: 'Asia/Jakarta' }))
      .toEqual({ day: 'Monday 23 November', time: '9:00' });
    expect(formatCallbackTime('2026-11-23T02:00:00.000Z', { locale: 'en-US', timeZone: 'America/New_York' }))
      .toEqual({ day: 'Sunday, November 22', time: '9:00 PM' });
  });

  it('names the zone at a given instant, following daylight saving', () => {
    const ny = { locale: 'en-US', timeZone: 'America/New_York' };
    expect(zoneName(ny, Date.parse('2026-07-01T12:00:00Z'))).toBe('EDT');
    expect(zoneName(ny, Date.parse('2026-12-01T12:00:00Z'))).toBe('EST');
  });

  it('reads only complete ISO instants with an offset', () => {
    expect(slotInstant('2026-11-23T02:00:00.000Z')).toBe(Date.parse('2026-11-23T02:00:00.000Z'));
    expect(slotInstant('2026-11-23T02:00:00')).toBeNaN();
  });
});
