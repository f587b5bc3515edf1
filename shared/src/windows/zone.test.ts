import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  formatLocal,
  isTimeZone,
  type LocalDateTime,
  localToUtc,
  offsetAt,
  utcToLocal,
} from './zone';

const local = (text: string): LocalDateTime => {
  const [date = '', time = ''] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return { year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: hour ?? 0, minute: minute ?? 0 };
};
const utc = (zone: string, text: string) => localToUtc(zone, local(text)).toISOString();

describe('isTimeZone', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires'])(
    'knows %s',
    (zone) => {
      expect(isTimeZone(zone)).toBe(true);
    },
  );

  it.each(['Europe/Berlinn', 'Mars/Olympus', '+01:00', '-05:00', 'CET ', '', 'Europe//Berlin', '../etc/passwd'])(
    'refuses %j',
    (zone) => {
      expect(isTimeZone(zone)).toBe(false);
    },
  );

  it('spells a known zone as the runtime does', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Nowhere/Land')).toBeNull();
  });
});

describe('localToUtc and utcToLocal', () => {
  it('converts ordinary times both ways', () => {
    expect(utc('Europe/Berlin', '2026-01-15 10:00')).toBe('2026-01-15T09:00:00.000Z');
    expect(utc('Europe/Berlin', '2026-07-15 10:00')).toBe('2026-07-15T08:00:00.000Z');
    expect(utc('America/New_York', '2026-01-15 10:00')).toBe('2026-01-15T15:00:00.000Z');
    expect(utc('Asia/Kolkata', '2026-03-29 02:30')).toBe('2026-03-28T21:00:00.000Z');
    expect(utc('UTC', '2026-03-29 02:30')).toBe('2026-03-29T02:30:00.000Z');
    expect(utcToLocal('Asia/Kolkata', new Date('2026-03-28T21:00:00Z'))).toEqual({
      ...local('2026-03-29 02:30'),
      second: 0,
    });
    expect(utcToLocal('America/New_York', new Date('2026-11-01T05:30:00Z'))).toMatchObject(local('2026-11-01 01:30'));
  });

  it('moves a time in the spring-forward gap to the end of the gap', () => {
    // Europe/Berlin skips 02:00-03:00 on 2026-03-29: 02:30 opens at 03:00 CEST.
    expect(utc('Europe/Berlin', '2026-03-29 02:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(utc('Europe/Berlin', '2026-03-29 02:30')).toBe('2026-03-29T01:00:00.000Z');
    expect(utc('Europe/Berlin', '2026-03-29 01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(utc('Europe/Berlin', '2026-03-29 03:00')).toBe('2026-03-29T01:00:00.000Z');
    // America/New_York skips 02:00-03:00 on 2026-03-08.
    expect(utc('America/New_York', '2026-03-08 02:30')).toBe('2026-03-08T07:00:00.000Z');
  });

  it('takes the first occurrence of a time in the fall-back fold', () => {
    // Europe/Berlin has 02:00-03:00 twice on 2026-10-25: first CEST (+02), then CET (+01).
    expect(utc('Europe/Berlin', '2026-10-25 02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(utc('Europe/Berlin', '2026-10-25 03:00')).toBe('2026-10-25T02:00:00.000Z');
    // America/New_York has 01:00-02:00 twice on 2026-11-01.
    expect(utc('America/New_York', '2026-11-01 01:30')).toBe('2026-11-01T05:30:00.000Z');
    expect(utc('America/New_York', '2026-11-01 02:00')).toBe('2026-11-01T07:00:00.000Z');
  });

  it('handles a half-hour DST change (Australia/Lord_Howe: +10:30, +11 in summer)', () => {
    expect(offsetAt('Australia/Lord_Howe', new Date('2026-07-01T00:00:00Z'))).toBe(630 * 60_000);
    expect(offsetAt('Australia/Lord_Howe', new Date('2026-12-01T00:00:00Z'))).toBe(660 * 60_000);
    // 2026-10-04 02:00 -> 02:30: 02:15 does not exist and opens at 02:30 (+11).
    expect(utc('Australia/Lord_Howe', '2026-10-04 02:15')).toBe('2026-10-03T15:30:00.000Z');
    // 2026-04-05 02:00 -> 01:30: 01:45 happens twice; the first is at +11.
    expect(utc('Australia/Lord_Howe', '2026-04-05 01:45')).toBe('2026-04-04T14:45:00.000Z');
  });

  it('rolls fields over as Date.UTC does, and keeps years below 100', () => {
    expect(utc('UTC', '2026-01-32 00:00')).toBe('2026-02-01T00:00:00.000Z');
    expect(localToUtc('UTC', { year: 50, month: 1, day: 1, hour: 0, minute: 0 }).getUTCFullYear()).toBe(50);
  });
});

describe('formatLocal', () => {
  it('writes the wall clock with its offset', () => {
    expect(formatLocal('Europe/Berlin', new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(formatLocal('Europe/Berlin', new Date('2026-03-29T00:59:00Z'))).toBe('2026-03-29T01:59:00+01:00');
    expect(formatLocal('Asia/Kolkata', new Date('2026-03-28T21:00:00Z'))).toBe('2026-03-29T02:30:00+05:30');
    expect(formatLocal('America/New_York', new Date('2026-11-01T06:30:00Z'))).toBe('2026-11-01T01:30:00-05:00');
    expect(formatLocal('UTC', new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00+00:00');
  });
});
