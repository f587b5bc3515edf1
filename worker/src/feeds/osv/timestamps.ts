/**
 * OSV's `modified` times, compared exactly. They come with any number of fractional digits
 * (`2023-06-05T01:13:00.534973Z`, `2024-11-27T19:40:48.342Z`, `2024-05-20T16:03:47Z`), so neither
 * text comparison nor Date (milliseconds only) orders them right; a key with the instant in UTC and
 * nanoseconds spelled out does, as plain text.
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/** `Z`, `+05`, `+0530` or `+05:30` as Date.parse reads it. */
function offsetOf(zone: string): string {
  if (/^[Zz]$/.test(zone)) return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2).padEnd(2, '0')}`;
}

/** A sortable key of an RFC 3339 timestamp (`2023-06-05T01:13:00.534973000Z`), or null when it is not one. */
export function timeKey(value: string): string | null {
  const match = RFC3339.exec(value);
  if (!match) return null;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const millis = Date.parse(`${date}T${time}${offsetOf(zone)}`);
  if (Number.isNaN(millis)) return null;
  const seconds = new Date(millis).toISOString().slice(0, 19);
  return `${seconds}.${fraction.slice(0, 9).padEnd(9, '0')}Z`;
}

/** The later of two timestamps as written (either may be null); an unreadable one never wins. */
export function laterOf(a: string | null, b: string | null): string | null {
  const keyA = a === null ? null : timeKey(a);
  const keyB = b === null ? null : timeKey(b);
  if (keyB === null) return keyA === null ? null : a;
  if (keyA === null) return b;
  return keyB > keyA ? b : a;
}
