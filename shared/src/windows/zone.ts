/**
 * Wall-clock time in an IANA time zone <-> UTC instants, with `Intl.DateTimeFormat` and nothing else.
 *
 * Why no library: the runtime's ICU already carries the tz database (workerd and Node both ship
 * it) and `Intl.DateTimeFormat#formatToParts` reads the local time of any instant in any zone;
 * that is all the data there is. `@date-fns/tz` (1.5.0) was weighed: its `tzOffset` is the same
 * Intl call, and its `TZDate` builds wall-clock times through the *system* zone's `Date` setters
 * with corrections for the system's own DST changes, so its answer in a gap or a fold is whatever
 * that normalisation yields rather than a rule we chose. The two rules maintenance windows need
 * (below) take a few lines on top of the offset, and shared/ stays free of a dependency that the
 * extension would bundle too.
 *
 * The rules, for a local time that does not name exactly one instant:
 * - a gap (spring forward): the time does not exist and moves forward to the end of the gap, the
 *   instant the clocks jump (02:30 on 2026-03-29 in Europe/Berlin is 03:00 CEST = 01:00Z);
 * - a fold (fall back): the time exists twice and takes the first, earlier occurrence (02:30 on
 *   2026-10-25 in Europe/Berlin is 02:30 CEST = 00:30Z, not 02:30 CET = 01:30Z).
 */

/** A local date and time in some time zone, to the second. `month` is 1-12. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second?: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** IANA names are letters, digits and `/_+-`; Intl would also take offsets such as `+01:00`, which are not zones. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * The zone's name as the runtime spells it (`europe/berlin` -> `Europe/Berlin`, `utc` -> `UTC`), or
 * null when it is not an IANA time zone the runtime knows.
 */
export function canonicalTimeZone(name: string): string | null {
  if (name.length > 64 || !ZONE_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Whether `name` is an IANA time zone (`Europe/Berlin`, `UTC`) that the runtime knows. */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== null;
}

/**
 * The wall clock of `instant` in `timeZone`, as milliseconds since the epoch read as if the wall
 * clock were UTC: date arithmetic on it is plain addition, and UTC getters read its fields.
 */
export function wallClock(timeZone: string, instant: Date | number): number {
  if (typeof instant !== 'number') return wallClock(timeZone, instant.getTime());
  const parts: Record<string, string> = {};
  for (const part of formatFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const whole = wallFromFields({
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  });
  // formatToParts has no milliseconds: keep the instant's own.
  return whole + (instant - Math.floor(instant / 1000) * 1000);
}

/** A wall-clock value from its fields; years 0-99 stay themselves (Date.UTC would make them 19xx). */
export function wallFromFields(local: LocalDateTime): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second ?? 0, 0);
  return date.getTime();
}

/** The zone's offset from UTC at `instant`, in milliseconds (+3,600,000 for CET). */
export function offsetAt(timeZone: string, instant: Date | number): number {
  const at = typeof instant === 'number' ? instant : instant.getTime();
  return wallClock(timeZone, at) - at;
}

/** The local date and time of `instant` in `timeZone`. */
export function utcToLocal(timeZone: string, instant: Date | number): LocalDateTime {
  const at = typeof instant === 'number' ? instant : instant.getTime();
  return wallToLocal(wallClock(timeZone, at));
}

/** An instant as the zone's wall clock with its offset, RFC 3339: `2026-03-29T03:00:00+02:00`. */
export function formatLocal(timeZone: string, instant: Date | number): string {
  const at = typeof instant === 'number' ? instant : instant.getTime();
  const wall = wallClock(timeZone, at);
  const offsetMinutes = Math.round((wall - at) / MINUTE_MS);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = new Date(wall).toISOString().slice(0, 19);
  return `${text}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Fields of a wall-clock value (see wallClock). */
export function wallToLocal(wall: number): LocalDateTime {
  const date = new Date(wall);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/**
 * The instant a local wall-clock time names in `timeZone`: in a gap the end of the gap, in a fold
 * the earlier occurrence (see the rules at the top). Fields out of range roll over as with
 * `Date.UTC` (day 32 is the next month's first).
 */
export function localToUtc(timeZone: string, local: LocalDateTime): Date {
  return new Date(wallToInstant(timeZone, wallFromFields(local)));
}

/** localToUtc for a wall-clock value (see wallClock). */
export function wallToInstant(timeZone: string, wall: number): number {
  // Zones change their offset at most once in two days (by far), so the offsets a day before and
  // a day after are the only two this wall time can have.
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const early = wall - before;
  const late = wall - after;
  const candidates = [early, late].filter((t) => wallClock(timeZone, t) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // A gap: neither offset names this wall time. The jump lies between the two readings of it; find
  // the first instant past it (whole minutes suffice for every transition since 1970, but search
  // to the millisecond so historical local-mean-time offsets work too).
  let lo = Math.min(early, late);
  let hi = Math.max(early, late);
  const offsetLo = offsetAt(timeZone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timeZone, mid) === offsetLo) lo = mid;
    else hi = mid;
  }
  return hi;
}
