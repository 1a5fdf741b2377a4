// The one date reader: UTC whatever the machine's time zone. Node re-reads process.env.TZ when it changes, so one
// process can try several zones; each test first checks that the zone really changed (local midnight moved).
import { afterAll, describe, expect, it } from 'vitest';
import { dayNumber, isoDate, parseDate } from '../src/index.js';

const zones = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const original = process.env.TZ;
afterAll(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

describe('parseDate reads every date as UTC', () => {
  for (const tz of zones) {
    it(`in ${tz}`, () => {
      process.env.TZ = tz;
      // the zone took effect: the local offset of a January date is the zone's (0 only in UTC)
      expect(new Date(2024, 0, 29).getTimezoneOffset() === 0).toBe(tz === 'UTC');
      expect(parseDate('2024-01-29')).toBe(Date.UTC(2024, 0, 29));
      expect(parseDate('2024-01-29T00:00')).toBe(Date.UTC(2024, 0, 29));
      expect(parseDate('2024-01-29 10:30:15')).toBe(Date.UTC(2024, 0, 29, 10, 30, 15));
      expect(parseDate('2024-01-29T10:30:15.25')).toBe(Date.UTC(2024, 0, 29, 10, 30, 15, 250));
      expect(parseDate('20240129')).toBe(Date.UTC(2024, 0, 29));
      expect(parseDate('2024/1/29')).toBe(Date.UTC(2024, 0, 29));
      // an explicit zone is that instant
      expect(parseDate('2024-01-29T01:00:00+02:00')).toBe(Date.UTC(2024, 0, 28, 23));
      expect(parseDate('2024-01-29T01:00:00Z')).toBe(Date.UTC(2024, 0, 29, 1));
      expect(dayNumber('1970-01-02')).toBe(1);
      expect(isoDate(parseDate('2024-02-29T23:59'))).toBe('2024-02-29');
    });
  }
  it('refuses what is not a date, or is ambiguous across locales', () => {
    for (const v of ['2024-02-30', '2023-02-29', '2024-13-01', '01/29/2024', 'Jan 29 2024', '', 'soon', null, undefined, Number.NaN, {}])
      expect(parseDate(v)).toBeNaN();
    expect(parseDate(new Date(Date.UTC(2020, 5, 1)))).toBe(Date.UTC(2020, 5, 1));
    expect(parseDate(86_400_000)).toBe(86_400_000);
  });
});
