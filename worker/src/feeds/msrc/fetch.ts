/**
 * Downloading MSRC's monthly CVRF documents. The updates list (asked conditionally) names every
 * monthly release with its CurrentReleaseDate; MSRC revises old months in place, so the cursor
 * keeps the date of each month already stored, and a month is fetched again exactly when its date
 * changed. One batch per monthly document, oldest release first.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRecord, FeedRun } from '../feed';
import { fetchFeed, readJson, readText } from '../http';
import { ReleaseEntry, UpdatesList } from './input';
import { parseMonthlyDocument } from './parse';

export const MSRC_UPDATES_URL = 'https://api.msrc.microsoft.com/cvrf/v3.0/updates';

const JSON_TYPE = /^application\/(.+\+)?json\b/i;

/** Monthly documents run to several megabytes and the API is slow to build them. */
const DOCUMENT_TIMEOUT_MS = 90_000;

/** The feed's position: release id -> the CurrentReleaseDate (ISO) of the version stored. */
export const MsrcCursor = v.object({ releases: v.record(v.string(), v.string()) });
export type MsrcCursor = v.InferOutput<typeof MsrcCursor>;

function savedCursor(cursor: unknown): MsrcCursor {
  const checked = v.safeParse(MsrcCursor, cursor);
  // No cursor (first run) or one of another shape: everything is fetched; storing is idempotent.
  return checked.success ? checked.output : { releases: {} };
}

/** `https://api.msrc.microsoft.com/cvrf/v3.0/cvrf/2024-Jan`, beside the updates list it was listed in. */
export function documentUrl(updatesUrl: string, release: string): string {
  return new URL(`cvrf/${encodeURIComponent(release)}`, updatesUrl).toString();
}

interface ReadList {
  readonly due: ReleaseEntry[];
  readonly problems: FeedRecord[];
}

/** The releases whose date differs from the stored one, oldest first, and entries that could not be read. */
function releasesDue(list: unknown, cursor: MsrcCursor, url: string): ReadList {
  const checked = v.safeParse(UpdatesList, list);
  // Not a list at all (an error document served as JSON): upstream trouble, not data.
  if (!checked.success) throw new FeedError(`${url}: not an MSRC updates list`);
  const due: ReleaseEntry[] = [];
  const problems: FeedRecord[] = [];
  for (const [index, raw] of checked.output.value.entries()) {
    const entry = v.safeParse(ReleaseEntry, raw);
    if (!entry.success) {
      problems.push({
        kind: 'quarantine',
        document: `MSRC updates[${index}]`,
        reason: `not a valid updates entry: ${entry.issues[0]?.message ?? 'malformed'}`,
        content: (JSON.stringify(raw) ?? '').slice(0, 2048),
      });
      continue;
    }
    if (cursor.releases[entry.output.ID] !== entry.output.CurrentReleaseDate) due.push(entry.output);
  }
  const initial = (e: ReleaseEntry) => e.InitialReleaseDate ?? e.CurrentReleaseDate;
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  due.sort((a, b) => order(initial(a), initial(b)) || order(a.ID, b.ID));
  return { due, problems };
}

/**
 * Fetches and reads one monthly document. A body that is not JSON at all is a broken transfer
 * (FeedError); JSON that is not a CVRF document is quarantined by the parser.
 */
async function fetchMonth(run: FeedRun, url: string, release: string) {
  const fetched = await fetchFeed(run, url, {
    accept: 'application/json',
    contentType: JSON_TYPE,
    timeoutMs: DOCUMENT_TIMEOUT_MS,
  });
  if (fetched.notModified) throw new FeedError(`${url} answered 304 to an unconditional request`);
  const text = await readText(fetched.response, url);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FeedError(`${url}: body is not valid JSON: ${(err as Error).message}`);
  }
  return parseMonthlyDocument(value, release, text);
}

/**
 * The earlier of the two dates: the list's, which the next run compares with, unless the document
 * itself says it is older (a list ahead of its documents), so that the next run fetches it again.
 */
function storedDate(listed: string, own: string | null): string {
  return own !== null && own < listed ? own : listed;
}

export async function* syncMsrc(run: FeedRun): AsyncGenerator<FeedBatch, void, void> {
  const updatesUrl = run.feed.url || MSRC_UPDATES_URL;
  const cursor = savedCursor(run.feed.cursor);
  const listed = await fetchFeed(run, updatesUrl, {
    accept: 'application/json',
    contentType: JSON_TYPE,
    etag: run.feed.etag,
    lastModified: run.feed.lastModified,
  });
  if (listed.notModified) return;
  const { due, problems } = releasesDue(await readJson(listed.response, updatesUrl), cursor, updatesUrl);

  const releases = { ...cursor.releases };
  // The list's validators are saved only with the batch that completes it; until then they are
  // cleared, so that a run cut short (deadline, failure) asks for the list again next time
  // instead of being told "not modified" with months still to fetch.
  const complete = { etag: listed.etag, lastModified: listed.lastModified };
  const partial = { etag: null, lastModified: null };
  if (due.length === 0) {
    yield { records: problems, cursor: { releases }, ...complete };
    return;
  }
  for (const [index, entry] of due.entries()) {
    if (Date.now() >= run.deadline) return;
    const month = await fetchMonth(run, documentUrl(updatesUrl, entry.ID), entry.ID);
    releases[entry.ID] = storedDate(entry.CurrentReleaseDate, month.currentReleaseDate);
    const last = index === due.length - 1;
    yield {
      records: last ? [...month.records, ...problems] : month.records,
      cursor: { releases: { ...releases } },
      ...(last ? complete : partial),
    };
  }
}
