/**
 * The rule of a maintenance window, as admins write it: when, in local wall-clock time, the window
 * opens and for how long. Two kinds (case-insensitive, spaces free):
 *
 *   weekly:  `Sat 02:00-05:00`, `Mon,Wed 22:00-02:00`, `Mon-Fri 01:00-03:00`, `daily 03:00-04:00`,
 *            full day names too (`Saturday`); an end at or before the start crosses midnight, so
 *            `Sat 22:00-02:00` ends on Sunday at 02:00 and `Sun 03:00-03:00` lasts 24 hours.
 *   monthly: a weekday of the local calendar month, `first|second|third|fourth|last <weekday>`,
 *            optionally moved by `+ N days` / `- N days`: `second Tuesday + 3 days 22:00-02:00`,
 *            `last Friday 20:00 for 6h`. `patch tuesday` is `second Tuesday` (Microsoft's Update
 *            Tuesday), so `patch tuesday + 3 days 22:00` is the Friday after it.
 *
 * The time is `HH:MM-HH:MM`, `HH:MM for 4h` (`for 4h30m`, `for 90 minutes`, `for 2d`), or
 * `HH:MM` alone for DEFAULT_LENGTH_MINUTES (4 hours). A window lasts more than nothing and at
 * most 7 days; the openings of a weekly rule may not overlap one another (`daily` lasts at most
 * 24 hours). Lengths are wall-clock time: see openings.ts for what that means across DST changes.
 *
 * Parsing never throws: it answers the rule, or the reason it is not one. describeRule writes the
 * canonical form, which parses back to the same rule.
 */

/** A day of the week as `Date#getUTCDay` numbers it: 0 is Sunday, 6 Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Which occurrence of a weekday in its month: the first to fourth, or the last (the fourth or fifth). */
export type Ordinal = 1 | 2 | 3 | 4 | 'last';

interface RuleTime {
  /** Opening time in minutes after local midnight (0-1439). */
  readonly start: number;
  /** Length in minutes of wall-clock time (1 to MAX_LENGTH_MINUTES). */
  readonly length: number;
}

export interface WeeklyRule extends RuleTime {
  readonly kind: 'weekly';
  /** The days an opening starts on, ascending (Sunday 0 first), at least one. */
  readonly days: readonly Weekday[];
}

export interface MonthlyRule extends RuleTime {
  readonly kind: 'monthly';
  readonly ordinal: Ordinal;
  readonly weekday: Weekday;
  /** Days added to (or, negative, taken from) the date of that weekday. */
  readonly offsetDays: number;
}

export type WindowRule = WeeklyRule | MonthlyRule;

export type RuleResult =
  | { readonly ok: true; readonly rule: WindowRule }
  | { readonly ok: false; readonly error: string };

/** The length of a rule that names only its opening time (`second Tuesday + 3 days 22:00`). */
export const DEFAULT_LENGTH_MINUTES = 4 * 60;

/** The longest window: a week. */
export const MAX_LENGTH_MINUTES = 7 * 24 * 60;

/** How far `+ N days` may move a monthly opening (four weeks). */
export const MAX_OFFSET_DAYS = 28;

/** The longest rule text accepted. */
export const MAX_RULE_LENGTH = 200;

const DAY_MINUTES = 24 * 60;

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const DAY_NAMES: ReadonlyMap<string, Weekday> = new Map(
  LONG_DAYS.flatMap((long, i) => {
    const day = i as Weekday;
    const short = SHORT_DAYS[i]?.toLowerCase() ?? '';
    const extra = day === 2 ? ['tues'] : day === 4 ? ['thur', 'thurs'] : [];
    return [long.toLowerCase(), short, ...extra].map((name) => [name, day] as const);
  }),
);

const ORDINALS: ReadonlyMap<string, Ordinal> = new Map<string, Ordinal>([
  ['first', 1],
  ['1st', 1],
  ['second', 2],
  ['2nd', 2],
  ['third', 3],
  ['3rd', 3],
  ['fourth', 4],
  ['4th', 4],
  ['last', 'last'],
]);
const ORDINAL_WORDS: Readonly<Record<Ordinal, string>> = {
  1: 'first',
  2: 'second',
  3: 'third',
  4: 'fourth',
  last: 'last',
};

const fail = (error: string): RuleResult => ({ ok: false, error });

/** Where the time part of a rule starts: its first `H:MM`. */
const FIRST_TIME = /\d{1,2}:\d{2}/;
const TIME_PART = /^(\d{1,2}:\d{2})(?:\s*(?:-|–|\bto\b)\s*(\d{1,2}:\d{2})|\s+for\s+(.+))?(?:\s+(.+))?$/;
const DURATION =
  /^(?:(\d{1,3})\s*(?:d|days?)\s*)?(?:(\d{1,4})\s*(?:h|hrs?|hours?)\s*)?(?:(\d{1,5})\s*(?:m|mins?|minutes?)\s*)?$/;
const MONTHLY = /^(\S+)\s+(\S+)(?:\s*([+-])\s*(\d{1,3})\s*(days?|d)?)?$/;
const PATCH_TUESDAY = /^patch\s+tuesday(?:\s*([+-])\s*(\d{1,3})\s*(days?|d)?)?$/;

/** Minutes after midnight of `H:MM`, with 24:00 allowed where `end` says so, or an error message. */
function minutesOf(text: string, end: boolean): number | string {
  const [h = '', m = ''] = text.split(':');
  const hours = Number(h);
  const minutes = Number(m);
  if (minutes > 59) return `"${text}" has ${minutes} minutes; minutes are 00-59`;
  if (end && hours === 24 && minutes === 0) return DAY_MINUTES;
  if (hours > 23) return `"${text}" has hour ${hours}; hours are 00-23${end ? ' (or 24:00 for midnight)' : ''}`;
  return hours * 60 + minutes;
}

function parseDuration(text: string): number | string {
  const match = DURATION.exec(text.trim());
  if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) {
    return `"for ${text.trim()}" is not a length; write it as 4h, 4h30m, 90 minutes or 2d`;
  }
  return Number(match[1] ?? 0) * DAY_MINUTES + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

function parseTime(text: string): RuleTime | string {
  const match = TIME_PART.exec(text);
  if (!match) return `"${text}" is not a time; write HH:MM-HH:MM, HH:MM for 4h, or HH:MM`;
  const [, startText = '', endText, forText, rest] = match;
  if (rest !== undefined) {
    return `unexpected "${rest}" after ${text.slice(0, text.length - rest.length).trim()}; write HH:MM-HH:MM, HH:MM for 4h, or HH:MM alone (${DEFAULT_LENGTH_MINUTES / 60} hours)`;
  }
  const start = minutesOf(startText, false);
  if (typeof start === 'string') return start;
  let length: number;
  if (endText !== undefined) {
    const end = minutesOf(endText, true);
    if (typeof end === 'string') return end;
    // An end at or before the start is on the next day.
    length = end > start ? end - start : end + DAY_MINUTES - start;
  } else if (forText !== undefined) {
    const duration = parseDuration(forText);
    if (typeof duration === 'string') return duration;
    length = duration;
  } else {
    length = DEFAULT_LENGTH_MINUTES;
  }
  if (length <= 0) return 'the window lasts no time at all; give it a length above 0';
  if (length > MAX_LENGTH_MINUTES) {
    return `the window lasts ${formatLength(length)}; a window lasts at most 7 days (168h)`;
  }
  return { start, length };
}

function dayOf(name: string): Weekday | undefined {
  return DAY_NAMES.get(name.trim());
}

function parseDays(text: string): readonly Weekday[] | string {
  if (text === 'daily' || text === 'every day') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<Weekday>();
  for (const item of text.split(',')) {
    const bounds = item.split('-').map((s) => s.trim());
    if (bounds.length > 2 || bounds.some((b) => b === ''))
      return `"${item.trim()}" is not a day or a range of days such as Mon-Fri`;
    const [first, last] = [dayOf(bounds[0] ?? ''), dayOf(bounds[1] ?? bounds[0] ?? '')];
    if (first === undefined || last === undefined) {
      const bad = bounds.find((b) => dayOf(b) === undefined) ?? item;
      return `"${bad}" is not a day of the week (Mon, Tue, Wed, Thu, Fri, Sat, Sun or the full names)`;
    }
    // A range may wrap over the week's end: Fri-Mon is Fri, Sat, Sun, Mon.
    for (let day = first; ; day = ((day + 1) % 7) as Weekday) {
      days.add(day);
      if (day === last) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** The fewest minutes between the starts of two consecutive days of the set (a week for one day). */
function shortestGap(days: readonly Weekday[]): number {
  let gap = 7;
  for (const [i, day] of days.entries()) {
    const next = days[(i + 1) % days.length] ?? day;
    gap = Math.min(gap, (next - day + 7) % 7 || 7);
  }
  return gap * DAY_MINUTES;
}

function offsetOf(sign: string | undefined, amount: string | undefined): number | string {
  if (sign === undefined) return 0;
  const days = Number(amount);
  if (days > MAX_OFFSET_DAYS) return `"${sign} ${days} days" moves the window too far; at most ${MAX_OFFSET_DAYS} days`;
  return sign === '-' ? -days : days;
}

function parseHead(head: string): Omit<WeeklyRule, keyof RuleTime> | Omit<MonthlyRule, keyof RuleTime> | string {
  const patch = PATCH_TUESDAY.exec(head);
  if (patch) {
    const offsetDays = offsetOf(patch[1], patch[2]);
    if (typeof offsetDays === 'string') return offsetDays;
    return { kind: 'monthly', ordinal: 2, weekday: 2, offsetDays };
  }
  const monthly = MONTHLY.exec(head);
  const ordinal = monthly && ORDINALS.get(monthly[1] ?? '');
  if (monthly && ordinal !== undefined && ordinal !== null) {
    const weekday = dayOf(monthly[2] ?? '');
    if (weekday === undefined) return `"${monthly[2]}" is not a day of the week (such as Tuesday)`;
    const offsetDays = offsetOf(monthly[3], monthly[4]);
    if (typeof offsetDays === 'string') return offsetDays;
    return { kind: 'monthly', ordinal, weekday, offsetDays };
  }
  if (monthly && /^(fifth|5th)$/.test(monthly[1] ?? '')) {
    return `"${monthly[1]} ${monthly[2]}" is missing from most months; use "last ${monthly[2]}"`;
  }
  const days = parseDays(head);
  if (typeof days === 'string') {
    // Say what was expected when the text looks like neither kind.
    if (!/^[a-z]+(\s*[-,]+\s*[a-z]+)*$/.test(head)) {
      return `"${head}" is neither days of the week (Sat, Mon-Fri, Mon,Wed, daily) nor a weekday of the month (second Tuesday, last Friday + 1 day, patch tuesday)`;
    }
    return days;
  }
  return { kind: 'weekly', days };
}

/** Parses a window's rule (see the module's comment for the grammar). Never throws. */
export function parseRule(text: string): RuleResult {
  if (typeof text !== 'string') return fail('a rule is a string such as "Sat 02:00-05:00"');
  if (text.length > MAX_RULE_LENGTH) return fail(`a rule is at most ${MAX_RULE_LENGTH} characters`);
  const normal = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (normal === '') return fail('the rule is empty; write one such as "Sat 02:00-05:00" or "patch tuesday 22:00"');
  const at = FIRST_TIME.exec(normal)?.index;
  if (at === undefined) {
    return fail(
      `"${text.trim()}" has no time; end it with HH:MM-HH:MM, HH:MM for 4h or HH:MM (such as "Sat 02:00-05:00")`,
    );
  }
  const head = normal.slice(0, at).trim();
  if (head === '') return fail(`"${text.trim()}" names no days; start with them (such as "Sat" or "second Tuesday")`);
  const when = parseHead(head);
  if (typeof when === 'string') return fail(when);
  const time = parseTime(normal.slice(at));
  if (typeof time === 'string') return fail(time);
  if (when.kind === 'weekly') {
    const gap = shortestGap(when.days);
    if (time.length > gap) {
      return fail(
        `the window lasts ${formatLength(time.length)} but its days start ${formatLength(gap)} apart, so openings would overlap; shorten it or name fewer days`,
      );
    }
  }
  const rule: WindowRule = Object.freeze({ ...when, ...time } as WindowRule);
  if (rule.kind === 'weekly') Object.freeze(rule.days);
  return { ok: true, rule };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `02:00` */
export function formatClock(minutes: number): string {
  const m = ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** `4h`, `4h30m`, `45m`: how the canonical form writes lengths over a day. */
export function formatLength(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest}m`;
  return rest === 0 ? `${hours}h` : `${hours}h${rest}m`;
}

const MONDAY_FIRST: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];

function describeDays(days: readonly Weekday[]): string {
  if (days.length === 7) return 'daily';
  // Runs of consecutive days in Monday-first order: three or more as a range (Mon-Fri), else listed (Sat,Sun).
  const runs: Weekday[][] = [];
  for (const day of MONDAY_FIRST.filter((d) => days.includes(d))) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    if (run && previous !== undefined && (previous + 1) % 7 === day) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap(([first, ...rest]) => {
      const last = rest.at(-1);
      if (first === undefined) return [];
      if (last !== undefined && rest.length >= 2) return [`${SHORT_DAYS[first]}-${SHORT_DAYS[last]}`];
      return [first, ...rest].map((d) => SHORT_DAYS[d]);
    })
    .join(',');
}

function describeTime(rule: RuleTime): string {
  if (rule.length <= DAY_MINUTES) return `${formatClock(rule.start)}-${formatClock(rule.start + rule.length)}`;
  return `${formatClock(rule.start)} for ${formatLength(rule.length)}`;
}

/**
 * The canonical text of a rule: `Mon-Fri 22:00-02:00`, `second Tuesday + 3 days 22:00-02:00`,
 * `Sat 00:00 for 48h`. It parses back to the same rule.
 */
export function describeRule(rule: WindowRule): string {
  if (rule.kind === 'weekly') return `${describeDays(rule.days)} ${describeTime(rule)}`;
  const offset =
    rule.offsetDays === 0
      ? ''
      : ` ${rule.offsetDays > 0 ? '+' : '-'} ${Math.abs(rule.offsetDays)} ${Math.abs(rule.offsetDays) === 1 ? 'day' : 'days'}`;
  return `${ORDINAL_WORDS[rule.ordinal]} ${LONG_DAYS[rule.weekday]}${offset} ${describeTime(rule)}`;
}
