/**
 * Downloads the CISA KEV catalog: one JSON document (about 1.5 MB), fetched conditionally. The
 * cursor names the catalog last stored and the SHA-256 of its text, so a server that ignores the
 * conditional request, or a stale mirror serving an older catalog, changes nothing.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRecord, FeedRun } from '../feed';
import { digestHex, fetchFeed, readText } from '../http';
import { kevRecords, parseKevCatalog } from './parse';

export const KEV_URL = 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';

/** Ten times today's catalog: anything larger is not the catalog. */
const MAX_CATALOG_BYTES = 16 * 1024 * 1024;

export const KevCursor = v.object({ catalogVersion: v.string(), sha256: v.pipe(v.string(), v.hexadecimal()) });
export type KevCursor = v.InferOutput<typeof KevCursor>;

function savedCursor(cursor: unknown): KevCursor | null {
  const parsed = v.safeParse(KevCursor, cursor);
  return parsed.success ? parsed.output : null;
}

/** catalogVersion is a day (`2025.02.19`); only versions of that shape are compared. */
function isOlder(version: string, than: string): boolean {
  const day = /^\d{4}\.\d{2}\.\d{2}$/;
  return day.test(version) && day.test(than) && version < than;
}

export async function* syncKev(run: FeedRun): AsyncGenerator<FeedBatch, void, void> {
  const url = run.feed.url || KEV_URL;
  const fetched = await fetchFeed(run, url, {
    accept: 'application/json',
    etag: run.feed.etag,
    lastModified: run.feed.lastModified,
    contentType: /json/,
  });
  if (fetched.notModified) return;
  const text = await readText(fetched.response, url, MAX_CATALOG_BYTES);
  const previous = savedCursor(run.feed.cursor);
  const sha256 = await digestHex('SHA-256', text);
  if (previous?.sha256 === sha256) return;

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FeedError(`${url}: body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = parseKevCatalog(value);
  if ('error' in parsed) {
    // A refused catalog is filed and the cursor stays, so the next run fetches again (no validators saved).
    const refused: FeedRecord = {
      kind: 'quarantine',
      document: url,
      reason: parsed.error,
      content: text.slice(0, 2048),
    };
    yield { records: [refused], cursor: run.feed.cursor };
    return;
  }
  if (previous && isOlder(parsed.catalogVersion, previous.catalogVersion)) return;

  const cursor: KevCursor = { catalogVersion: parsed.catalogVersion, sha256 };
  const batches = kevBatches(kevRecords(parsed));
  // Every batch but the last keeps the old cursor: the new one is saved only with the whole catalog stored.
  for (const [index, records] of batches.entries()) {
    if (index < batches.length - 1) yield { records, cursor: run.feed.cursor };
    else yield { records, cursor, etag: fetched.etag, lastModified: fetched.lastModified };
  }
}

/** One `kev` record per batch; the refused entries travel with the last batch. */
function kevBatches(records: readonly FeedRecord[]): FeedRecord[][] {
  const batches: FeedRecord[][] = records.filter((r) => r.kind === 'kev').map((r) => [r]);
  const refused = records.filter((r) => r.kind !== 'kev');
  const last = batches.at(-1);
  if (last) last.push(...refused);
  else batches.push(refused);
  return batches;
}
