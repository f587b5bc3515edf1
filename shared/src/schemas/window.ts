/**
 * Maintenance windows: when a tenant's hosts may be patched. A window has a rule in local time
 * (`Sat 02:00-05:00`, `second Tuesday + 3 days 22:00`; see ../windows/rule.ts), an IANA time zone,
 * blackout dates on which no opening starts, and the hosts it applies to (all, a ring, a tag or
 * one host). A host in several windows may be patched in any of them.
 */
import * as v from 'valibot';
import { describeRule, parseRule } from '../windows/rule';
import { canonicalTimeZone } from '../windows/zone';
import { Hostname, Ring, Tag, Timestamp } from './common';

/** At most this many blackout dates per window (a year of them and some). */
export const MAX_BLACKOUTS = 400;

/** Openings one GET /v1/windows/{id}/openings answers at most, and by default. */
export const MAX_OPENINGS = 50;
export const DEFAULT_OPENINGS = 10;

/** Openings each window shows in lists (`nextOpenings`). */
export const NEXT_OPENINGS = 3;

export const WindowName = v.pipe(
  v.string('name is required (a string)'),
  v.trim(),
  v.minLength(1, 'name must not be empty'),
  v.maxLength(100, 'name is at most 100 characters'),
  v.regex(/^[^\p{Cc}]*$/u, 'name must not contain control characters'),
);

/** A rule as parseRule reads it, normalised to its canonical text (`sat 2:00 - 5:00` -> `Sat 02:00-05:00`). */
export const WindowRuleText = v.pipe(
  v.string('rule is required (a string such as "Sat 02:00-05:00" or "second Tuesday + 3 days 22:00")'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseRule(dataset.value);
    if (!parsed.ok) {
      addIssue({ message: `rule: ${parsed.error}` });
      return NEVER;
    }
    return describeRule(parsed.rule);
  }),
);

/** An IANA time zone the runtime knows, spelled as it spells it (`europe/berlin` -> `Europe/Berlin`). */
export const TimeZone = v.pipe(
  v.string('timeZone is required (an IANA time zone such as Europe/Berlin)'),
  v.trim(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const zone = canonicalTimeZone(dataset.value);
    if (zone === null) {
      addIssue({
        message: `timeZone "${dataset.value.slice(0, 64)}" is not an IANA time zone (such as Europe/Berlin, America/New_York or UTC)`,
      });
      return NEVER;
    }
    return zone;
  }),
);

/** A local calendar date, `2026-12-24`, that exists. */
export const LocalDate = v.pipe(
  v.string('a blackout date is a string such as 2026-12-24'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a blackout date is a local date written YYYY-MM-DD, such as 2026-12-24'),
  v.check(
    (date) =>
      !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date),
    (issue) => `blackout date ${String(issue.input)} does not exist`,
  ),
);

/** Local dates on which no opening starts, sorted and without repeats. */
export const Blackouts = v.pipe(
  v.array(LocalDate, 'blackouts is a list of local dates such as ["2026-12-24"]'),
  v.maxLength(MAX_BLACKOUTS, `at most ${MAX_BLACKOUTS} blackout dates`),
  v.transform((dates) => [...new Set(dates)].sort()),
);

const keysOf = (kind: string, value: string) =>
  `appliesTo.value is required for kind "${kind}" (${value}), and appliesTo takes no other field`;

/** Which hosts a window applies to: every host, a ring, a tag, or one host. */
export const WindowScope = v.variant(
  'kind',
  [
    v.strictObject(
      { kind: v.literal('ring'), value: v.pipe(v.string('appliesTo.value (the ring) is required'), Ring) },
      keysOf('ring', 'the ring'),
    ),
    v.strictObject(
      { kind: v.literal('tag'), value: v.pipe(v.string('appliesTo.value (the tag) is required'), Tag) },
      keysOf('tag', 'the tag'),
    ),
    v.strictObject(
      { kind: v.literal('hostname'), value: v.pipe(v.string('appliesTo.value (the hostname) is required'), Hostname) },
      keysOf('hostname', 'the hostname'),
    ),
    v.strictObject(
      { kind: v.literal('all'), value: v.optional(v.nullable(v.never('appliesTo of kind "all" takes no value'))) },
      'appliesTo of kind "all" takes no other field',
    ),
  ],
  'appliesTo.kind must be one of: all, ring, tag, hostname',
);
export type WindowScope = v.InferOutput<typeof WindowScope>;

/** Body of `POST /v1/windows`. Left out: no blackouts, and every host of the tenant. */
export const CreateWindowRequest = v.strictObject({
  name: WindowName,
  rule: WindowRuleText,
  timeZone: TimeZone,
  blackouts: v.optional(Blackouts, []),
  appliesTo: v.optional(WindowScope, { kind: 'all' }),
});
export type CreateWindowRequest = v.InferOutput<typeof CreateWindowRequest>;

/** Body of `PUT /v1/windows/{id}`: the fields to change; those left out keep their value. */
export const UpdateWindowRequest = v.pipe(
  v.strictObject({
    name: v.optional(WindowName),
    rule: v.optional(WindowRuleText),
    timeZone: v.optional(TimeZone),
    blackouts: v.optional(Blackouts),
    appliesTo: v.optional(WindowScope),
  }),
  v.check(
    (body) => Object.values(body).some((value) => value !== undefined),
    'send at least one of name, rule, timeZone, blackouts, appliesTo',
  ),
);
export type UpdateWindowRequest = v.InferOutput<typeof UpdateWindowRequest>;

export const WindowParams = v.object({
  id: v.pipe(v.string(), v.regex(/^[1-9]\d{0,14}$/, 'a window id is a positive whole number'), v.transform(Number)),
});

export const WindowOpeningsQuery = v.strictObject({
  /** From when (ISO 8601); left out: now. An opening in progress then comes first. */
  from: v.optional(
    v.pipe(
      v.string(),
      v.isoTimestamp('from must be an ISO 8601 timestamp such as 2026-03-28T00:00:00Z'),
      v.transform((value) => new Date(value)),
    ),
  ),
  count: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, `count must be a whole number from 1 to ${MAX_OPENINGS}`),
      v.transform(Number),
      v.number(),
      v.minValue(1, `count must be a whole number from 1 to ${MAX_OPENINGS}`),
      v.maxValue(MAX_OPENINGS, `count must be a whole number from 1 to ${MAX_OPENINGS}`),
    ),
  ),
});

/** One opening, UTC: from `start` (included) to `end` (excluded). */
export const WindowOpening = v.object({ start: Timestamp, end: Timestamp });
export type WindowOpening = v.InferOutput<typeof WindowOpening>;

export const MaintenanceWindow = v.object({
  id: v.number(),
  name: v.string(),
  /** The rule's canonical text. */
  rule: v.string(),
  timeZone: v.string(),
  blackouts: v.array(v.string()),
  appliesTo: v.object({ kind: v.picklist(['all', 'ring', 'tag', 'hostname']), value: v.nullable(v.string()) }),
  /** The opening in progress, if any, and the next ones: three in all, fewer if none start within 400 days. */
  nextOpenings: v.array(WindowOpening),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MaintenanceWindow = v.InferOutput<typeof MaintenanceWindow>;

export const WindowList = v.object({ items: v.array(MaintenanceWindow) });

/** An opening with its local times in the window's zone (`2026-03-29T03:00:00+02:00`), to see DST at work. */
export const WindowOpeningDetail = v.object({
  ...WindowOpening.entries,
  localStart: v.string(),
  localEnd: v.string(),
});

export const WindowOpenings = v.object({
  id: v.number(),
  name: v.string(),
  rule: v.string(),
  timeZone: v.string(),
  items: v.array(WindowOpeningDetail),
});
export type WindowOpenings = v.InferOutput<typeof WindowOpenings>;

/** The windows that apply to one host, and their openings merged in order. */
export const HostWindows = v.object({
  hostname: v.string(),
  ring: v.string(),
  tags: v.array(v.string()),
  windows: v.array(MaintenanceWindow),
  /** The next openings of all its windows (up to 10), by start, each naming its window. */
  nextOpenings: v.array(v.object({ ...WindowOpening.entries, windowId: v.number(), windowName: v.string() })),
});
export type HostWindows = v.InferOutput<typeof HostWindows>;
