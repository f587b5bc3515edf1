/**
 * When a maintenance window is open: its rule read in its time zone, less its blackout dates.
 *
 * An opening starts on each local date the rule names, at the rule's local start time, and ends at
 * the local wall-clock time `length` later; both are turned into instants by zone.ts (a time in a
 * spring-forward gap moves to the end of the gap, a time in a fall-back fold takes its first
 * occurrence). So a window follows the clock on the wall across DST changes: `Sun 01:00-05:00` in
 * Europe/Berlin lasts 3 real hours on 2026-03-29 and 5 on 2026-10-25, and `Sun 02:30-04:00` opens
 * at 03:00 on 2026-03-29. An opening that such a change leaves no real time (`Sun 02:15-02:45` on
 * the night the clocks skip 02:00-03:00) does not happen.
 *
 * Blackout dates are local dates on which no opening starts; an opening that started the day
 * before runs to its end.
 */
import type { Weekday, WindowRule } from './rule';
import { wallClock, wallToInstant } from './zone';

/** What openings are computed from: a parsed rule, an IANA zone and local blackout dates (YYYY-MM-DD). */
export interface WindowSpec {
  readonly rule: WindowRule;
  readonly timeZone: string;
  readonly blackouts: readonly string[];
}

/** An interval in which the window is open: from `start` (included) to `end` (excluded), both UTC. */
export interface Opening {
  readonly start: Date;
  readonly end: Date;
}

/** How far ahead nextOpening and upcomingOpenings look. */
export const HORIZON_DAYS = 400;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Days looked at before `from` for an opening still in progress: the longest window and a day of offsets. */
const LOOK_BACK_DAYS = 8;
/** upcomingOpenings reads the calendar this many days at a time. */
const CHUNK_DAYS = 35;

/** A local date as days since 1970-01-01, read from a wall-clock value. */
const dayOfWall = (wall: number) => Math.floor(wall / DAY_MS);

/** `2026-03-29` of a local day number. */
export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** Whether the rule opens on local day `day` (days since 1970-01-01). */
export function startsOn(rule: WindowRule, day: number): boolean {
  if (rule.kind === 'weekly') return rule.days.includes(weekdayOf(day));
  // The weekday of the month, counted in its own calendar month, then moved by the offset: the
  // opening is on `day` when the date `offsetDays` before it is that weekday.
  const base = day - rule.offsetDays;
  if (weekdayOf(base) !== rule.weekday) return false;
  const date = new Date(base * DAY_MS);
  const dayOfMonth = date.getUTCDate();
  if (rule.ordinal === 'last') return dayOfMonth + 7 > daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
  return Math.ceil(dayOfMonth / 7) === rule.ordinal;
}

/** 0 is Sunday, as Date#getUTCDay; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): Weekday {
  return ((((day + 4) % 7) + 7) % 7) as Weekday;
}

/**
 * The window's openings that overlap [from, until), in order: one that started before `from` and
 * is still open comes first.
 */
export function openings(window: WindowSpec, from: Date, until: Date): Opening[] {
  const fromMs = from.getTime();
  const untilMs = until.getTime();
  if (!(untilMs > fromMs)) return [];
  const { rule, timeZone } = window;
  const blackouts = new Set(window.blackouts);
  const first = dayOfWall(wallClock(timeZone, fromMs)) - LOOK_BACK_DAYS;
  const last = dayOfWall(wallClock(timeZone, untilMs)) + 1;
  const found: Opening[] = [];
  for (let day = first; day <= last; day++) {
    if (!startsOn(rule, day) || blackouts.has(isoDateOfDay(day))) continue;
    const startWall = day * DAY_MS + rule.start * MINUTE_MS;
    const start = wallToInstant(timeZone, startWall);
    const end = wallToInstant(timeZone, startWall + rule.length * MINUTE_MS);
    if (end > start && end > fromMs && start < untilMs) found.push({ start: new Date(start), end: new Date(end) });
  }
  return found.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The opening in progress at `at`, or null when the window is closed then. */
export function openingAt(window: WindowSpec, at: Date): Opening | null {
  const t = at.getTime();
  return openings(window, at, new Date(t + 1)).find((o) => o.start.getTime() <= t && t < o.end.getTime()) ?? null;
}

/**
 * Up to `count` openings from `from` on: the one in progress at `from` if any, then those that
 * start within HORIZON_DAYS of `from`.
 */
export function upcomingOpenings(window: WindowSpec, from: Date, count: number): Opening[] {
  const horizon = from.getTime() + HORIZON_DAYS * DAY_MS;
  const result: Opening[] = [];
  const seen = new Set<number>();
  for (let chunk = from.getTime(); chunk < horizon && result.length < count; chunk += CHUNK_DAYS * DAY_MS) {
    const until = Math.min(chunk + CHUNK_DAYS * DAY_MS, horizon);
    for (const opening of openings(window, new Date(chunk), new Date(until))) {
      // An opening across a chunk's edge is found by both chunks.
      if (seen.has(opening.start.getTime())) continue;
      seen.add(opening.start.getTime());
      result.push(opening);
      if (result.length === count) break;
    }
  }
  return result;
}

/**
 * The opening in progress at `after`, or else the next one to start; null when none starts within
 * HORIZON_DAYS (every date blacked out, say).
 */
export function nextOpening(window: WindowSpec, after: Date): Opening | null {
  return upcomingOpenings(window, after, 1)[0] ?? null;
}

/** Several windows' upcoming openings merged in order of start (then end), each with its window. */
export function mergeOpenings<W>(
  lists: readonly { readonly window: W; readonly openings: readonly Opening[] }[],
  count: number,
): (Opening & { readonly window: W })[] {
  return lists
    .flatMap((list) => list.openings.map((opening) => ({ window: list.window, ...opening })))
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime())
    .slice(0, count);
}
