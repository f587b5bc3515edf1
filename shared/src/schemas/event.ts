import * as v from 'valibot';
import { Cursor, Timestamp } from './common';

export const EventKind = v.picklist([
  'finding.p1',
  'finding.kev',
  'approval.waiting',
  'exception.expiring',
  'exception.expired',
  'ring.failed',
]);

/** Something the toolbar tells on-call staff about, once. */
export const Event = v.object({
  kind: EventKind,
  at: Timestamp,
  /** What it is about: `advisory:DSA-5678-1`, `exception:7`, `deployment:3`. */
  subject: v.string(),
  /** One line for a notification: `On CISA KEV: DSA-5678-1 (CVE-2024-3094) affects 3 hosts (1 in prod)`. */
  summary: v.string(),
  /** Details by kind: hostnames and counts of a finding event, the exception of an expiry. */
  payload: v.record(v.string(), v.unknown()),
});

export const EventsQuery = v.strictObject({
  /**
   * Where the last answer ended (its `cursor`). Left out: from the tenant's first event; `now`: no
   * events, only the cursor of the present, for a client that wants news from now on.
   */
  since: v.optional(v.union([v.literal('now'), Cursor])),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 500'),
      v.transform(Number),
      v.number(),
      v.minValue(1, 'limit must be a whole number from 1 to 500'),
      v.maxValue(500, 'limit must be a whole number from 1 to 500'),
    ),
  ),
});

export const EventsPage = v.object({
  /** Oldest first: the order they happened in. */
  items: v.array(Event),
  /** Pass as `since` next time; it moves only past events delivered here. */
  cursor: v.string(),
  /** More events wait beyond this page: ask again at once. */
  more: v.boolean(),
});
