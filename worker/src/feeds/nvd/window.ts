/**
 * Where an NVD sync stands. The API answers "CVEs last modified between two times" in pages, and
 * refuses ranges longer than 120 days, so a sync walks windows of at most 120 days from its
 * cursor up to the run's `now`, page by page. The cursor names the next page to ask for (window
 * and startIndex): it advances with each stored page, so a failure resumes mid-window.
 */
import * as v from 'valibot';

const DAY_MS = 86_400_000;

/** The API's limit on lastModStartDate..lastModEndDate. */
export const MAX_WINDOW_MS = 120 * DAY_MS;

/**
 * Each window starts this much before the previous one ended: a CVE modified just before a run
 * may not be visible to the API yet when the run asks. Seeing a few CVEs twice is harmless.
 */
export const WINDOW_OVERLAP_MS = 15 * 60_000;

const Instant = v.pipe(v.string(), v.isoTimestamp());

export const NvdCursor = v.object({
  windowStart: Instant,
  windowEnd: Instant,
  startIndex: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type NvdCursor = v.InferOutput<typeof NvdCursor>;

export const NvdConfig = v.looseObject({
  /** Where the first run starts (ISO 8601); default: 120 days before it. */
  since: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => !Number.isNaN(Date.parse(s)), 'since must be an ISO 8601 time'),
    ),
  ),
  /** CVEs per page; the API allows at most 2,000. */
  pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2_000))),
});
export type NvdConfig = v.InferOutput<typeof NvdConfig>;

const iso = (ms: number) => new Date(ms).toISOString();

/** A window from `start` as long as the API allows, but not past `now`. */
function windowFrom(start: number, now: Date): NvdCursor {
  return { windowStart: iso(start), windowEnd: iso(Math.min(start + MAX_WINDOW_MS, now.getTime())), startIndex: 0 };
}

/**
 * The first page of this run. A window not yet begun (startIndex 0) is stretched to `now`, or to
 * 120 days; one left mid-way keeps its bounds, or its startIndex would point elsewhere.
 */
export function startPosition(cursor: unknown, config: NvdConfig, now: Date): NvdCursor {
  const saved = v.safeParse(NvdCursor, cursor);
  if (saved.success) {
    if (saved.output.startIndex > 0) return saved.output;
    return windowFrom(Date.parse(saved.output.windowStart), now);
  }
  const since = config.since === undefined ? now.getTime() - MAX_WINDOW_MS : Date.parse(config.since);
  return windowFrom(since, now);
}

/** Whether the window is empty or inverted (a `since` in the future): nothing to ask. */
export function isEmptyWindow(position: NvdCursor): boolean {
  return Date.parse(position.windowStart) >= Date.parse(position.windowEnd);
}

/** Whether this window reaches the run's `now`: once it is done, the sync is caught up. */
export function reachesNow(position: NvdCursor, now: Date): boolean {
  return Date.parse(position.windowEnd) >= now.getTime();
}

/** The position after a page that delivered `delivered` CVEs of a window holding `total`. */
export function nextPosition(position: NvdCursor, delivered: number, total: number, now: Date): NvdCursor {
  const startIndex = position.startIndex + delivered;
  if (startIndex < total) return { ...position, startIndex };
  const start = Date.parse(position.windowStart);
  const end = Date.parse(position.windowEnd);
  return windowFrom(Math.max(start, end - WINDOW_OVERLAP_MS), now);
}

/**
 * The API's date format: extended ISO 8601 with milliseconds and an offset, as in its own
 * documentation (`2021-08-04T13:00:00.000+01:00`).
 */
export function nvdDate(instant: string): string {
  return new Date(instant).toISOString().replace('Z', '+00:00');
}

/**
 * The page's URL. `+` must be escaped (%2B) or it reads as a space; `:` is left as is, as the
 * NVD examples and long-running clients (anchore/vunnel) send it.
 */
export function pageUrl(base: string, position: NvdCursor, pageSize: number): string {
  const params: [string, string][] = [
    ['lastModStartDate', nvdDate(position.windowStart)],
    ['lastModEndDate', nvdDate(position.windowEnd)],
    ['resultsPerPage', String(pageSize)],
    ['startIndex', String(position.startIndex)],
  ];
  const query = params.map(([key, value]) => `${key}=${encodeURIComponent(value).replace(/%3A/gi, ':')}`).join('&');
  return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}
