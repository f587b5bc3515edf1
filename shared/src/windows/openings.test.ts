import { describe, expect, it } from 'vitest';
import {
  HORIZON_DAYS,
  mergeOpenings,
  nextOpening,
  type Opening,
  openingAt,
  openings,
  upcomingOpenings,
  type WindowSpec,
} from './openings';
import { parseRule } from './rule';

function windowOf(rule: string, timeZone: string, blackouts: readonly string[] = []): WindowSpec {
  const parsed = parseRule(rule);
  if (!parsed.ok) throw new Error(parsed.error);
  return { rule: parsed.rule, timeZone, blackouts };
}

const at = (iso: string) => new Date(iso);
const text = (list: readonly Opening[]) => list.map((o) => `${o.start.toISOString()} ${o.end.toISOString()}`);
const hours = (o: Opening | null | undefined) => (o ? (o.end.getTime() - o.start.getTime()) / 3_600_000 : null);

describe('openings: weekly rules across DST changes', () => {
  it('Europe/Berlin, spring forward on 2026-03-29: Sun 01:00-05:00 lasts 3 real hours', () => {
    const window = windowOf('Sun 01:00-05:00', 'Europe/Berlin');
    expect(text(openings(window, at('2026-03-20T00:00:00Z'), at('2026-04-06T00:00:00Z')))).toEqual([
      '2026-03-22T00:00:00.000Z 2026-03-22T04:00:00.000Z', // CET, +01
      '2026-03-29T00:00:00.000Z 2026-03-29T03:00:00.000Z', // 01:00 CET to 05:00 CEST
      '2026-04-04T23:00:00.000Z 2026-04-05T03:00:00.000Z', // CEST, +02
    ]);
  });

  it('Europe/Berlin, fall back on 2026-10-25: Sun 01:00-05:00 lasts 5 real hours', () => {
    const window = windowOf('Sun 01:00-05:00', 'Europe/Berlin');
    const list = openings(window, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'));
    expect(text(list)).toEqual(['2026-10-24T23:00:00.000Z 2026-10-25T04:00:00.000Z']);
    expect(hours(list[0])).toBe(5);
  });

  it('a start in the gap opens at its end: Sun 02:30-04:00 opens at 03:00 CEST (01:00Z) on 2026-03-29', () => {
    const window = windowOf('Sun 02:30-04:00', 'Europe/Berlin');
    expect(text(openings(window, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z')))).toEqual([
      '2026-03-29T01:00:00.000Z 2026-03-29T02:00:00.000Z',
    ]);
  });

  it('a start in the fold takes its first occurrence: Sun 02:30-04:00 on 2026-10-25 lasts 2.5 hours', () => {
    const window = windowOf('Sun 02:30-04:00', 'Europe/Berlin');
    const list = openings(window, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'));
    expect(text(list)).toEqual(['2026-10-25T00:30:00.000Z 2026-10-25T03:00:00.000Z']);
  });

  it('skips an opening that the spring-forward gap swallows whole', () => {
    const window = windowOf('Sun 02:15-02:45', 'Europe/Berlin');
    const list = openings(window, at('2026-03-21T00:00:00Z'), at('2026-04-06T00:00:00Z'));
    expect(list.map((o) => o.start.toISOString().slice(0, 10))).toEqual(['2026-03-22', '2026-04-05']);
  });

  it('America/New_York across 2026-03-08 and 2026-11-01', () => {
    const window = windowOf('Sun 00:00-04:00', 'America/New_York');
    const march = openings(window, at('2026-03-07T00:00:00Z'), at('2026-03-09T00:00:00Z'));
    expect(text(march)).toEqual(['2026-03-08T05:00:00.000Z 2026-03-08T08:00:00.000Z']);
    const november = openings(window, at('2026-10-31T00:00:00Z'), at('2026-11-02T00:00:00Z'));
    expect(text(november)).toEqual(['2026-11-01T04:00:00.000Z 2026-11-01T09:00:00.000Z']);
    expect([hours(march[0]), hours(november[0])]).toEqual([3, 5]);
  });

  it('Asia/Kolkata (+05:30, no DST) and UTC', () => {
    const kolkata = windowOf('Sat 02:00-05:00', 'Asia/Kolkata');
    expect(text(openings(kolkata, at('2026-03-27T00:00:00Z'), at('2026-04-05T00:00:00Z')))).toEqual([
      '2026-03-27T20:30:00.000Z 2026-03-27T23:30:00.000Z',
      '2026-04-03T20:30:00.000Z 2026-04-03T23:30:00.000Z',
    ]);
    const utc = windowOf('Sat 02:00-05:00', 'UTC');
    expect(text(openings(utc, at('2026-03-27T00:00:00Z'), at('2026-04-01T00:00:00Z')))).toEqual([
      '2026-03-28T02:00:00.000Z 2026-03-28T05:00:00.000Z',
    ]);
  });

  it('Australia/Lord_Howe: a half-hour DST change shortens the night window by 30 minutes', () => {
    const window = windowOf('Sun 01:00-04:00', 'Australia/Lord_Howe');
    const list = openings(window, at('2026-09-26T00:00:00Z'), at('2026-10-05T00:00:00Z'));
    expect(text(list)).toEqual([
      '2026-09-26T14:30:00.000Z 2026-09-26T17:30:00.000Z', // +10:30
      '2026-10-03T14:30:00.000Z 2026-10-03T17:00:00.000Z', // 01:00 +10:30 to 04:00 +11
    ]);
  });

  it('a weekly window crossing midnight: Sat 22:00-02:00 ends on Sunday at 02:00', () => {
    const window = windowOf('Sat 22:00-02:00', 'Europe/Berlin');
    expect(text(openings(window, at('2026-06-01T00:00:00Z'), at('2026-06-14T00:00:00Z')))).toEqual([
      '2026-06-06T20:00:00.000Z 2026-06-07T00:00:00.000Z',
      '2026-06-13T20:00:00.000Z 2026-06-14T00:00:00.000Z',
    ]);
  });

  it('includes the opening in progress at `from`, and nothing that ended by then', () => {
    const window = windowOf('Sat 00:00 for 48h', 'UTC');
    expect(text(openings(window, at('2026-06-07T12:00:00Z'), at('2026-06-08T00:00:00Z')))).toEqual([
      '2026-06-06T00:00:00.000Z 2026-06-08T00:00:00.000Z',
    ]);
    expect(openings(window, at('2026-06-08T00:00:00Z'), at('2026-06-12T00:00:00Z'))).toEqual([]);
    expect(openings(window, at('2026-06-08T00:00:00Z'), at('2026-06-08T00:00:00Z'))).toEqual([]);
  });

  it('daily windows of 24 hours touch without overlapping', () => {
    const window = windowOf('daily 00:00-00:00', 'Europe/Berlin');
    const list = openings(window, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'));
    expect(text(list)).toEqual([
      '2026-03-27T23:00:00.000Z 2026-03-28T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z 2026-03-29T22:00:00.000Z', // the 23-hour day
      '2026-03-29T22:00:00.000Z 2026-03-30T22:00:00.000Z',
    ]);
  });
});

describe('openings: monthly rules', () => {
  it('Patch Tuesday, the second Tuesday, of every month of 2026', () => {
    const window = windowOf('patch tuesday 22:00', 'UTC');
    const list = openings(window, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
    expect(list.map((o) => o.start.toISOString().slice(0, 10))).toEqual([
      '2026-01-13',
      '2026-02-10',
      '2026-03-10',
      '2026-04-14',
      '2026-05-12',
      '2026-06-09',
      '2026-07-14',
      '2026-08-11',
      '2026-09-08',
      '2026-10-13',
      '2026-11-10',
      '2026-12-08',
    ]);
    expect(list.every((o) => hours(o) === 4)).toBe(true);
  });

  it('second Tuesday + 3 days 22:00 is the Friday after, in local time', () => {
    const window = windowOf('second Tuesday + 3 days 22:00', 'Europe/Berlin');
    const list = openings(window, at('2026-01-01T00:00:00Z'), at('2026-05-01T00:00:00Z'));
    expect(text(list)).toEqual([
      '2026-01-16T21:00:00.000Z 2026-01-17T01:00:00.000Z',
      '2026-02-13T21:00:00.000Z 2026-02-14T01:00:00.000Z',
      '2026-03-13T21:00:00.000Z 2026-03-14T01:00:00.000Z',
      '2026-04-17T20:00:00.000Z 2026-04-18T00:00:00.000Z', // CEST
    ]);
    expect(list.every((o) => o.start.getUTCDay() === 5)).toBe(true);
  });

  it('counts the weekday in the local month: first Monday 01:00 in Asia/Kolkata is a Sunday evening in UTC', () => {
    const window = windowOf('first Monday 01:00-03:00', 'Asia/Kolkata');
    expect(text(openings(window, at('2026-05-25T00:00:00Z'), at('2026-06-25T00:00:00Z')))).toEqual([
      '2026-05-31T19:30:00.000Z 2026-05-31T21:30:00.000Z',
    ]);
  });

  it('an offset may carry the opening into the next month', () => {
    const window = windowOf('last Friday + 3 days 06:00-08:00', 'UTC');
    // The last Friday of July 2026 is the 31st; three days later is Monday, August 3.
    expect(text(openings(window, at('2026-07-25T00:00:00Z'), at('2026-08-10T00:00:00Z')))).toEqual([
      '2026-08-03T06:00:00.000Z 2026-08-03T08:00:00.000Z',
    ]);
  });

  it('last Friday, in months of four and five Fridays', () => {
    const window = windowOf('last Friday 20:00-23:00', 'America/New_York');
    const list = openings(window, at('2026-01-01T00:00:00Z'), at('2026-06-01T00:00:00Z'));
    expect(list.map((o) => o.start.toISOString())).toEqual([
      '2026-01-31T01:00:00.000Z', // Fri Jan 30, 20:00 EST
      '2026-02-28T01:00:00.000Z', // Fri Feb 27
      '2026-03-28T00:00:00.000Z', // Fri Mar 27, 20:00 EDT
      '2026-04-25T00:00:00.000Z', // Fri Apr 24
      '2026-05-30T00:00:00.000Z', // Fri May 29
    ]);
  });

  it('minus days move the opening before the weekday', () => {
    const window = windowOf('second Tuesday - 1 day 23:00-01:00', 'UTC');
    expect(openings(window, at('2026-03-01T00:00:00Z'), at('2026-04-01T00:00:00Z'))[0]?.start.toISOString()).toBe(
      '2026-03-09T23:00:00.000Z',
    );
  });
});

describe('blackouts', () => {
  it('no opening starts on a blackout date; one begun the day before runs to its end', () => {
    const window = windowOf('daily 22:00-02:00', 'Europe/Berlin', ['2026-12-24', '2026-12-25']);
    const list = openings(window, at('2026-12-23T02:00:00Z'), at('2026-12-27T00:00:00Z'));
    expect(text(list)).toEqual([
      '2026-12-23T21:00:00.000Z 2026-12-24T01:00:00.000Z', // began on the 23rd, ends on the 24th
      '2026-12-26T21:00:00.000Z 2026-12-27T01:00:00.000Z',
    ]);
  });

  it('are local dates: the Kolkata opening of 2026-03-07 02:00 local starts on 2026-03-06 in UTC', () => {
    const window = windowOf('Sat 02:00-05:00', 'Asia/Kolkata', ['2026-03-07']);
    expect(openings(window, at('2026-03-01T00:00:00Z'), at('2026-03-10T00:00:00Z'))).toEqual([]);
  });

  it('a blacked-out Patch Tuesday moves nextOpening to the next month', () => {
    const window = windowOf('patch tuesday 22:00', 'UTC', ['2026-12-08']);
    expect(nextOpening(window, at('2026-12-01T00:00:00Z'))?.start.toISOString()).toBe('2027-01-12T22:00:00.000Z');
  });
});

describe('openingAt, nextOpening, upcomingOpenings', () => {
  const window = windowOf('Sat 22:00-02:00', 'Europe/Berlin');

  it('openingAt finds the opening containing the instant, start included and end excluded', () => {
    expect(openingAt(window, at('2026-06-06T23:59:00Z'))?.start.toISOString()).toBe('2026-06-06T20:00:00.000Z');
    expect(openingAt(window, at('2026-06-06T20:00:00Z'))).not.toBeNull();
    expect(openingAt(window, at('2026-06-07T00:00:00Z'))).toBeNull();
    expect(openingAt(window, at('2026-06-06T19:59:59.999Z'))).toBeNull();
  });

  it('nextOpening answers the opening in progress, or else the next', () => {
    expect(nextOpening(window, at('2026-06-06T23:00:00Z'))?.start.toISOString()).toBe('2026-06-06T20:00:00.000Z');
    expect(nextOpening(window, at('2026-06-07T00:00:00Z'))?.start.toISOString()).toBe('2026-06-13T20:00:00.000Z');
  });

  it('nextOpening is null when nothing opens within 400 days', () => {
    const dates = Array.from({ length: HORIZON_DAYS + 10 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
    );
    expect(nextOpening(windowOf('daily 03:00-04:00', 'UTC', dates), at('2026-01-01T00:00:00Z'))).toBeNull();
    const yearly = windowOf('daily 03:00-04:00', 'UTC', dates.slice(0, HORIZON_DAYS - 1));
    expect(nextOpening(yearly, at('2026-01-01T00:00:00Z'))?.start.toISOString()).toBe(
      new Date(Date.UTC(2026, 0, HORIZON_DAYS, 3)).toISOString(),
    );
  });

  it('upcomingOpenings counts across months, without repeating one that spans its reading steps', () => {
    const list = upcomingOpenings(windowOf('daily 22:00-02:00', 'UTC'), at('2026-01-01T00:00:00Z'), 50);
    expect(list).toHaveLength(50);
    expect(list[0]?.start.toISOString()).toBe('2025-12-31T22:00:00.000Z');
    expect(new Set(list.map((o) => o.start.getTime())).size).toBe(50);
    const monthly = upcomingOpenings(windowOf('patch tuesday 22:00', 'UTC'), at('2026-01-01T00:00:00Z'), 3);
    expect(monthly.map((o) => o.start.toISOString().slice(0, 10))).toEqual(['2026-01-13', '2026-02-10', '2026-03-10']);
  });

  it('mergeOpenings orders several windows by start', () => {
    const a = windowOf('Sat 02:00-05:00', 'UTC');
    const b = windowOf('Fri 22:00-23:00', 'UTC');
    const from = at('2026-06-01T00:00:00Z');
    const merged = mergeOpenings(
      [
        { window: 'a', openings: upcomingOpenings(a, from, 2) },
        { window: 'b', openings: upcomingOpenings(b, from, 2) },
      ],
      3,
    );
    expect(merged.map((o) => `${o.window} ${o.start.toISOString()}`)).toEqual([
      'b 2026-06-05T22:00:00.000Z',
      'a 2026-06-06T02:00:00.000Z',
      'b 2026-06-12T22:00:00.000Z',
    ]);
  });
});
