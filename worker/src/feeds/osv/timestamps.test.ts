import { describe, expect, it } from 'vitest';
import { laterOf, timeKey } from './timestamps';

describe('OSV timestamps', () => {
  it('orders instants exactly, whatever the fractional digits or the offset', () => {
    const ordered = [
      '2023-06-05T01:13:00Z',
      '2023-06-05T01:13:00.5349Z',
      '2023-06-05T01:13:00.534973Z',
      '2023-06-05T01:13:00.534973001Z',
      '2023-06-05T03:13:00.6+02:00',
      '2023-06-05T01:14:00Z',
    ];
    const keys = ordered.map((t) => timeKey(t));
    expect(keys.every((k) => k !== null)).toBe(true);
    expect([...keys].sort()).toEqual(keys);
    expect(timeKey('2023-06-05T01:13:00Z')).toBe(timeKey('2023-06-05T01:13:00.000000000Z'));
    expect(timeKey('2023-06-05T03:13:00+0200')).toBe(timeKey('2023-06-05T01:13:00Z'));
  });

  it('reads no other text as a time', () => {
    for (const text of ['yesterday', '2023-06-05', '2023-13-05T01:13:00Z', '2023-06-05T01:13:00', '']) {
      expect(timeKey(text)).toBeNull();
    }
  });

  it('keeps the later one as written', () => {
    expect(laterOf('2023-06-05T01:13:00.534973Z', '2023-06-05T01:13:00.534Z')).toBe('2023-06-05T01:13:00.534973Z');
    expect(laterOf(null, '2020-01-01T00:00:00Z')).toBe('2020-01-01T00:00:00Z');
    expect(laterOf('2020-01-01T00:00:00Z', 'garbage')).toBe('2020-01-01T00:00:00Z');
  });
});
