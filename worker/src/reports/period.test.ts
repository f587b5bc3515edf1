import { describe, expect, it } from 'vitest';
import { daysAfter, daysBefore, reportPeriod } from './period';

describe('reportPeriod', () => {
  it('covers the 90 UTC days ending with the day of the request, from midnight to now', () => {
    expect(reportPeriod(new Date('2026-11-27T10:00:00.000Z'))).toEqual({
      from: '2026-08-30T00:00:00.000Z',
      to: '2026-11-27T10:00:00.000Z',
      days: 90,
      firstDay: '2026-08-30',
      lastDay: '2026-11-27',
    });
  });

  it('counts days in UTC across a leap day and a year end', () => {
    expect(reportPeriod(new Date('2028-03-01T00:30:00.000Z'), 2)).toMatchObject({ firstDay: '2028-02-29' });
    expect(reportPeriod(new Date('2027-01-01T23:59:59.999Z'), 3)).toMatchObject({
      from: '2026-12-30T00:00:00.000Z',
      lastDay: '2027-01-01',
    });
  });
});

describe('daysBefore and daysAfter', () => {
  it('move by whole 24-hour days', () => {
    const now = new Date('2026-11-27T10:00:00.000Z');
    expect(daysBefore(now, 7)).toBe('2026-11-20T10:00:00.000Z');
    expect(daysAfter(now, 7)).toBe('2026-12-04T10:00:00.000Z');
  });
});
