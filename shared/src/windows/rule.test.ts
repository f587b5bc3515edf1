import { describe, expect, it } from 'vitest';
import { DEFAULT_LENGTH_MINUTES, describeRule, parseRule, type WindowRule } from './rule';

function parsed(text: string): WindowRule {
  const result = parseRule(text);
  if (!result.ok) throw new Error(`${text}: ${result.error}`);
  return result.rule;
}

function errorOf(text: string): string {
  const result = parseRule(text);
  if (result.ok) throw new Error(`${text} parsed as ${describeRule(result.rule)}`);
  return result.error;
}

describe('parseRule: weekly', () => {
  it.each([
    ['Sat 02:00-05:00', [6], 120, 180, 'Sat 02:00-05:00'],
    ['sat 2:00 - 5:00', [6], 120, 180, 'Sat 02:00-05:00'],
    ['SATURDAY 02:00-05:00', [6], 120, 180, 'Sat 02:00-05:00'],
    ['Mon,Wed 01:00-03:00', [1, 3], 60, 120, 'Mon,Wed 01:00-03:00'],
    ['Wednesday, monday 01:00 to 03:00', [1, 3], 60, 120, 'Mon,Wed 01:00-03:00'],
    ['Mon-Fri 22:00-02:00', [1, 2, 3, 4, 5], 1320, 240, 'Mon-Fri 22:00-02:00'],
    ['Mon-Wed,Fri 23:30-00:15', [1, 2, 3, 5], 1410, 45, 'Mon-Wed,Fri 23:30-00:15'],
    ['Fri-Mon 01:00-02:00', [0, 1, 5, 6], 60, 60, 'Mon,Fri-Sun 01:00-02:00'],
    ['Sat,Sun 10:00-12:00', [0, 6], 600, 120, 'Sat,Sun 10:00-12:00'],
    ['daily 03:00-04:00', [0, 1, 2, 3, 4, 5, 6], 180, 60, 'daily 03:00-04:00'],
    ['Mon-Sun 03:00-04:00', [0, 1, 2, 3, 4, 5, 6], 180, 60, 'daily 03:00-04:00'],
    ['Thurs 22:00-24:00', [4], 1320, 120, 'Thu 22:00-00:00'],
    ['Sun 03:00-03:00', [0], 180, 1440, 'Sun 03:00-03:00'],
    ['Sat 00:00 for 48h', [6], 0, 2880, 'Sat 00:00 for 48h'],
    ['Sat 02:00 for 90 minutes', [6], 120, 90, 'Sat 02:00-03:30'],
    ['Sat 02:00 for 7d', [6], 120, 10080, 'Sat 02:00 for 168h'],
    ['Tue 21:00', [2], 1260, DEFAULT_LENGTH_MINUTES, 'Tue 21:00-01:00'],
  ])('%s', (text, days, start, length, canonical) => {
    expect(parsed(text)).toEqual({ kind: 'weekly', days, start, length });
    expect(describeRule(parsed(text))).toBe(canonical);
  });

  it('crosses midnight when the end is at or before the start: Sat 22:00-02:00 ends Sunday 02:00', () => {
    expect(parsed('Sat 22:00-02:00')).toMatchObject({ start: 22 * 60, length: 4 * 60 });
  });
});

describe('parseRule: monthly', () => {
  it.each([
    ['second Tuesday + 3 days 22:00', 2, 2, 3, 1320, 240, 'second Tuesday + 3 days 22:00-02:00'],
    ['patch tuesday 22:00-02:00', 2, 2, 0, 1320, 240, 'second Tuesday 22:00-02:00'],
    ['Patch Tuesday +3 days 22:00', 2, 2, 3, 1320, 240, 'second Tuesday + 3 days 22:00-02:00'],
    ['patch tuesday + 1 day 20:00 for 6h30m', 2, 2, 1, 1200, 390, 'second Tuesday + 1 day 20:00-02:30'],
    ['last Friday 20:00 for 48h', 'last', 5, 0, 1200, 2880, 'last Friday 20:00 for 48h'],
    ['LAST fri - 2 days 01:00-03:00', 'last', 5, -2, 60, 120, 'last Friday - 2 days 01:00-03:00'],
    ['first monday 06:00 for 1h', 1, 1, 0, 360, 60, 'first Monday 06:00-07:00'],
    ['3rd Wed 23:00 for 2h15m', 3, 3, 0, 1380, 135, 'third Wednesday 23:00-01:15'],
    ['fourth sunday+28 days 00:00 for 45 minutes', 4, 0, 28, 0, 45, 'fourth Sunday + 28 days 00:00-00:45'],
  ] as const)('%s', (text, ordinal, weekday, offsetDays, start, length, canonical) => {
    expect(parsed(text)).toEqual({ kind: 'monthly', ordinal, weekday, offsetDays, start, length });
    expect(describeRule(parsed(text))).toBe(canonical);
  });

  it('gives a time without an end the default length of 4 hours', () => {
    expect(DEFAULT_LENGTH_MINUTES).toBe(240);
    expect(parsed('second Tuesday + 3 days 22:00')).toMatchObject({ length: 240 });
  });
});

describe('parseRule: errors name what is wrong', () => {
  it.each([
    ['', 'the rule is empty'],
    ['   ', 'the rule is empty'],
    ['Sat', '"Sat" has no time'],
    ['22:00-02:00', 'names no days'],
    ['Sta 02:00-05:00', '"sta" is not a day of the week'],
    ['Mon-Fir 02:00-05:00', '"fir" is not a day of the week'],
    ['Mon--Fri 02:00-05:00', 'is not a day or a range of days'],
    ['every other Saturday 02:00-05:00', 'is neither days of the week'],
    ['second Tuesdy 22:00', '"tuesdy" is not a day of the week'],
    ['fifth Friday 22:00', 'use "last friday"'],
    ['second Tuesday + 30 days 22:00', 'at most 28 days'],
    ['Sat 25:00-03:00', 'hour 25'],
    ['Sat 02:60-03:00', '60 minutes'],
    ['Sat 24:00-03:00', 'hour 24'],
    ['Sat 02:00-05:00 please', 'unexpected "please"'],
    ['Sat 02:00 for ever', '"for ever" is not a length'],
    ['Sat 02:00 for 0h', 'lasts no time at all'],
    ['Sat 02:00 for 8d', 'at most 7 days'],
    ['Sat 02:00 for 169h', 'at most 7 days'],
    ['daily 22:00 for 25h', 'start 24h apart, so openings would overlap'],
    ['Mon,Wed 00:00 for 49h', 'start 48h apart'],
    ['Sat 02:00-05:00'.repeat(20), 'at most 200 characters'],
  ])('%j', (text, message) => {
    expect(errorOf(text)).toContain(message);
  });

  it('never throws, whatever the input', () => {
    for (const text of ['-', ':', '99:99', '+ 3 days 22:00', 'last', 'last 22:00', 'Mon-', ',Sat 02:00', '\u0000']) {
      expect(parseRule(text).ok, text).toBe(false);
    }
    expect(parseRule(42 as unknown as string)).toEqual({ ok: false, error: expect.stringContaining('a string') });
  });
});

describe('describeRule', () => {
  it('round-trips: the canonical text parses to the same rule and describes itself', () => {
    const days = ['Sat', 'Mon,Wed', 'Mon-Fri', 'Fri-Mon', 'daily', 'Sun,Tue,Thu,Sat', 'Sat,Sun', 'Mon,Tue'];
    const times = ['02:00-05:00', '22:00-02:00', '00:00-00:00', '23:59-00:01', '07:15', '00:00 for 24h'];
    const monthly = [
      'second Tuesday + 3 days',
      'patch tuesday',
      'last Friday - 1 day',
      'first Sunday',
      'third Thu + 28 days',
    ];
    const longer = ['00:00 for 25h', '12:30 for 167h59m', '06:00 for 7d'];
    const texts = [
      ...days.flatMap((d) => times.map((t) => `${d} ${t}`)),
      ...monthly.flatMap((m) => [...times, ...longer].map((t) => `${m} ${t}`)),
      ...longer.map((t) => `Sat ${t}`),
    ];
    for (const text of texts) {
      const rule = parsed(text);
      const canonical = describeRule(rule);
      expect(parsed(canonical), `${text} -> ${canonical}`).toEqual(rule);
      expect(describeRule(parsed(canonical))).toBe(canonical);
    }
  });

  it('answers frozen rules', () => {
    const rule = parsed('Mon-Fri 22:00-02:00');
    expect(Object.isFrozen(rule)).toBe(true);
    expect(rule.kind === 'weekly' && Object.isFrozen(rule.days)).toBe(true);
  });
});
