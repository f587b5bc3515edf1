import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRun } from '../feed';
import { digestHex } from '../http';
import {
  advisoryIds,
  chunkedBody,
  collect,
  collectUntilFailure,
  feedRun,
  quarantined,
  type RecordedRequest,
  recordedUpstream,
  records,
  resetResponse,
  timeout,
  truncatedResponse,
} from '../testing';
import { syncOsv } from './fetch';
import { DEFAULT_LIMITS, type OsvLimits } from './source';
import go2020 from './testdata/GO-2020-0001.json?raw';
import go2023 from './testdata/GO-2023-1989.json?raw';
import go2611 from './testdata/GO-2024-2611.json?raw';
import go2963 from './testdata/GO-2024-2963.json?raw';
import goCsv from './testdata/Go.modified_id.csv?raw';
import rhsa from './testdata/RHSA-2024_4546.osv.json?raw';
import ubuntuWayland from './testdata/UBUNTU-CVE-2021-3782.json?raw';
import ubuntuKernel from './testdata/UBUNTU-CVE-2025-38094.json?raw';
import ubuntuCsv from './testdata/Ubuntu.modified_id.csv?raw';
import usn from './testdata/USN-5614-1.json?raw';
import { bomb, streamedZipArchive, zipArchive } from './testing';

const BUCKET = 'https://osv-vulnerabilities.storage.googleapis.com';
const documents: Record<string, string> = {
  'USN-5614-1': usn,
  'UBUNTU-CVE-2021-3782': ubuntuWayland,
  'UBUNTU-CVE-2025-38094': ubuntuKernel,
  'GO-2020-0001': go2020,
  'GO-2023-1989': go2023,
  'GO-2024-2611': go2611,
  'GO-2024-2963': go2963,
  'RHSA-2024:4546': rhsa,
};
const encoder = new TextEncoder();

/** The Ubuntu archive as the first load finds it: two records (the third came later), a broken entry and a bomb. */
let ubuntuArchive: Uint8Array | undefined;
function ubuntuZip(): Uint8Array {
  ubuntuArchive ??= streamedZipArchive([
    ['BOMB-1.json', bomb()],
    ['BROKEN-1.json', '{"id": "BROKEN-1", "modified": '],
    ['UBUNTU-CVE-2025-38094.json', ubuntuKernel],
    ['USN-5614-1.json', usn],
  ]);
  return ubuntuArchive;
}

interface Bucket {
  readonly zip?: Uint8Array;
  readonly zipEtag?: string;
  readonly csv?: string;
  readonly csvEtag?: string;
  /** Answers some requests differently (faults); undefined falls through to the recorded bucket. */
  readonly override?: (request: RecordedRequest) => Response | undefined;
}

/** The OSV bucket, recorded: all.zip, modified_id.csv (honouring If-None-Match) and single records. */
function bucket(ecosystem: string, options: Bucket = {}) {
  const base = `${BUCKET}/${encodeURIComponent(ecosystem)}`;
  return recordedUpstream((url, request) => {
    const overridden = options.override?.(request);
    if (overridden) return overridden;
    if (url === `${base}/all.zip` && options.zip) {
      return new Response(chunkedBody(options.zip, 16_384), {
        headers: {
          'content-type': 'application/zip',
          'content-length': String(options.zip.byteLength),
          etag: options.zipEtag ?? '"zip-1"',
        },
      });
    }
    if (url === `${base}/modified_id.csv` && options.csv !== undefined) {
      const etag = options.csvEtag ?? '"csv-2"';
      if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304 });
      return new Response(options.csv, {
        headers: { 'content-type': 'text/csv', etag, 'last-modified': 'Wed, 22 Apr 2026 07:40:00 GMT' },
      });
    }
    for (const [id, text] of Object.entries(documents)) {
      if (url === `${base}/${encodeURIComponent(id)}.json`) {
        return new Response(text, { headers: { 'content-type': 'application/json' } });
      }
    }
    return new Response('<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>', {
      status: 404,
      headers: { 'content-type': 'application/xml' },
    });
  });
}

const ubuntu = (cursor: unknown = null, extra: Partial<FeedRun['feed']> = {}) => ({
  config: { mode: 'bulk', ecosystem: 'Ubuntu' },
  cursor,
  ...extra,
});

const limits = (overrides: Partial<OsvLimits>): OsvLimits => ({ ...DEFAULT_LIMITS, ...overrides });

/** A run whose deadline passes once `requests` requests were made. */
function runUntil(
  fetch: typeof globalThis.fetch,
  feed: Partial<FeedRun['feed']>,
  made: () => number,
  requests: number,
): FeedRun {
  const run = feedRun('osv', fetch, feed);
  return Object.defineProperty({ ...run }, 'deadline', { get: () => (made() >= requests ? 0 : Date.now() + 60_000) });
}

describe('OSV bulk: the first load from all.zip', () => {
  it('streams the archive: a record per entry, the broken and the bomb quarantined, the cursor at the newest `modified`', async () => {
    const upstream = bucket('Ubuntu', { zip: ubuntuZip() });
    const batches = await collect(syncOsv(feedRun('osv', upstream.fetch, ubuntu())));
    expect(upstream.urls()).toEqual([`${BUCKET}/Ubuntu/all.zip`]);
    expect(advisoryIds(batches)).toEqual(['UBUNTU-CVE-2025-38094', 'USN-5614-1']);
    expect(quarantined(batches).map((q) => [q.document, q.reason])).toEqual([
      ['BOMB-1.json', `inflates to more than the ${DEFAULT_LIMITS.maxRecordBytes} bytes allowed`],
      ['BROKEN-1.json', expect.stringContaining('not valid JSON')],
    ]);
    expect(quarantined(batches)[0]?.content).toBe(' '.repeat(2048));
    const last = batches[batches.length - 1];
    expect(last?.cursor).toEqual({ modified: '2026-04-22T07:37:02Z', id: null });
    // The archive has no validators worth keeping: the feed's are modified_id.csv's.
    expect(batches.every((b) => b.etag === undefined && b.lastModified === undefined)).toBe(true);
    const usnRecord = records(batches).find((r) => r.kind === 'advisory' && r.advisory.id === 'USN-5614-1');
    expect(usnRecord).toMatchObject({
      advisory: {
        source: 'osv',
        affected: expect.arrayContaining([expect.objectContaining({ ecosystem: 'Ubuntu:22.04' })]),
      },
      contentHash: await digestHex('SHA-256', usn),
    });
  });

  it('yields in batches with the archive position, and a run cut short resumes after what it delivered', async () => {
    const zip = ubuntuZip();
    const first = bucket('Ubuntu', { zip });
    const cut = await collect(
      syncOsv(
        runUntil(first.fetch, ubuntu(), () => first.requests.length, 1),
        limits({ batchRecords: 1 }),
      ),
    );
    expect(cut).toHaveLength(1);
    expect(cut[0]?.cursor).toEqual({ archive: { etag: '"zip-1"', entries: 1, newest: null } });
    expect(quarantined(cut).map((q) => q.document)).toEqual(['BOMB-1.json']);

    const second = bucket('Ubuntu', { zip });
    const rest = await collect(
      syncOsv(feedRun('osv', second.fetch, ubuntu(cut[0]?.cursor)), limits({ batchRecords: 1 })),
    );
    expect(
      records(rest).map((r) => (r.kind === 'advisory' ? r.advisory.id : r.kind === 'quarantine' ? r.document : '')),
    ).toEqual(['BROKEN-1.json', 'UBUNTU-CVE-2025-38094', 'USN-5614-1']);
    expect(rest.map((b) => b.cursor)).toEqual([
      { archive: { etag: '"zip-1"', entries: 2, newest: null } },
      { archive: { etag: '"zip-1"', entries: 3, newest: '2025-07-04T00:00:00Z' } },
      { archive: { etag: '"zip-1"', entries: 4, newest: '2026-04-22T07:37:02Z' } },
      { modified: '2026-04-22T07:37:02Z', id: null },
    ]);
  });

  it('reads a newer archive from its start, since records modified in between could fall between two archives', async () => {
    const upstream = bucket('Ubuntu', { zip: ubuntuZip(), zipEtag: '"zip-2"' });
    const resumed = { archive: { etag: '"zip-1"', entries: 3, newest: '2025-07-04T00:00:00Z' } };
    const batches = await collect(syncOsv(feedRun('osv', upstream.fetch, ubuntu(resumed))));
    expect(advisoryIds(batches)).toEqual(['UBUNTU-CVE-2025-38094', 'USN-5614-1']);
    expect(quarantined(batches)).toHaveLength(2);
  });

  it('replayed: the same archive again gives the same records', async () => {
    const once = await collect(syncOsv(feedRun('osv', bucket('Ubuntu', { zip: ubuntuZip() }).fetch, ubuntu())));
    const twice = await collect(syncOsv(feedRun('osv', bucket('Ubuntu', { zip: ubuntuZip() }).fetch, ubuntu())));
    expect(twice).toEqual(once);
  });

  it('reads a Red Hat archive, its ecosystem and ids escaped in the URLs', async () => {
    const zip = zipArchive([['RHSA-2024:4546.json', rhsa]]);
    const upstream = bucket('Red Hat', { zip, csv: '2024-09-02T14:30:00Z,RHSA-2024:4546\n' });
    const feed = { config: { mode: 'bulk', ecosystem: 'Red Hat' } };
    const first = await collect(syncOsv(feedRun('osv', upstream.fetch, feed)));
    expect(advisoryIds(first)).toEqual(['RHSA-2024:4546']);
    const older = { modified: '2024-01-01T00:00:00Z', id: null };
    const later = await collect(syncOsv(feedRun('osv', upstream.fetch, { ...feed, cursor: older })));
    expect(advisoryIds(later)).toEqual(['RHSA-2024:4546']);
    expect(upstream.urls()).toEqual([
      `${BUCKET}/Red%20Hat/all.zip`,
      `${BUCKET}/Red%20Hat/modified_id.csv`,
      `${BUCKET}/Red%20Hat/RHSA-2024%3A4546.json`,
    ]);
  });
});

describe('OSV bulk: incremental from modified_id.csv', () => {
  const afterLoad = { modified: '2026-04-22T07:37:02Z', id: null };

  it('reads the list down to the cursor and fetches only the records that changed since', async () => {
    // A line the reader never reaches: it stops at the cursor.
    const upstream = bucket('Ubuntu', { csv: `${ubuntuCsv}not a line it reads\n` });
    const batches = await collect(syncOsv(feedRun('osv', upstream.fetch, ubuntu(afterLoad))));
    expect(upstream.urls()).toEqual([`${BUCKET}/Ubuntu/modified_id.csv`, `${BUCKET}/Ubuntu/UBUNTU-CVE-2021-3782.json`]);
    expect(advisoryIds(batches)).toEqual(['UBUNTU-CVE-2021-3782']);
    expect(quarantined(batches)).toEqual([]);
    expect(batches[batches.length - 1]).toMatchObject({
      cursor: { modified: '2026-04-22T07:39:49Z', id: 'UBUNTU-CVE-2021-3782' },
      etag: '"csv-2"',
      lastModified: 'Wed, 22 Apr 2026 07:40:00 GMT',
    });
  });

  it('honours the conditional request: 304 yields nothing', async () => {
    const upstream = bucket('Ubuntu', { csv: ubuntuCsv });
    const feed = ubuntu(afterLoad, { etag: '"csv-2"', lastModified: 'Wed, 22 Apr 2026 07:40:00 GMT' });
    expect(await collect(syncOsv(feedRun('osv', upstream.fetch, feed)))).toEqual([]);
    expect(upstream.requests[0]?.headers.get('if-none-match')).toBe('"csv-2"');
    expect(upstream.requests[0]?.headers.get('if-modified-since')).toBe('Wed, 22 Apr 2026 07:40:00 GMT');
  });

  it('replayed: the list again with the cursor at its newest fetches nothing and keeps its validators', async () => {
    const upstream = bucket('Ubuntu', { csv: ubuntuCsv });
    const atNewest = { modified: '2026-04-22T07:39:49Z', id: 'UBUNTU-CVE-2021-3782' };
    const batches = await collect(syncOsv(feedRun('osv', upstream.fetch, ubuntu(atNewest))));
    expect(upstream.urls()).toEqual([`${BUCKET}/Ubuntu/modified_id.csv`]);
    expect(batches).toEqual([
      { records: [], cursor: atNewest, etag: '"csv-2"', lastModified: 'Wed, 22 Apr 2026 07:40:00 GMT' },
    ]);
  });

  it('orders records of one instant by id, and resumes among them exactly', async () => {
    const feed = (cursor: unknown) => ({ config: { mode: 'bulk', ecosystem: 'Go' }, cursor });
    const upstream = bucket('Go', { csv: goCsv });
    const small = limits({ batchRecords: 1, concurrency: 1 });
    const tie = { modified: '2024-05-20T16:03:47Z', id: 'GO-2020-0001' };
    const batches = await collect(syncOsv(feedRun('osv', upstream.fetch, feed(tie)), small));
    expect(advisoryIds(batches)).toEqual(['GO-2023-1989', 'GO-2024-2611', 'GO-2024-2963']);
    expect(batches.map((b) => b.cursor)).toEqual([
      { modified: '2024-05-20T16:03:47Z', id: 'GO-2023-1989' },
      { modified: '2024-05-20T16:03:47Z', id: 'GO-2024-2611' },
      { modified: '2024-07-02T20:11:00Z', id: 'GO-2024-2963' },
      { modified: '2024-07-02T20:11:00Z', id: 'GO-2024-2963' },
    ]);
    const wholeInstant = await collect(syncOsv(feedRun('osv', upstream.fetch, feed({ ...tie, id: null })), small));
    expect(advisoryIds(wholeInstant)).toEqual(['GO-2024-2963']);
  });

  it('stops at the deadline with the cursor after the last record delivered', async () => {
    const upstream = bucket('Go', { csv: goCsv });
    const feed = { config: { mode: 'bulk', ecosystem: 'Go' }, cursor: { modified: '2024-01-01T00:00:00Z', id: null } };
    const run = runUntil(upstream.fetch, feed, () => upstream.requests.length, 3);
    const batches = await collect(syncOsv(run, limits({ concurrency: 1 })));
    expect(advisoryIds(batches)).toEqual(['GO-2020-0001', 'GO-2023-1989']);
    expect(batches[batches.length - 1]).toEqual({
      records: expect.any(Array),
      cursor: { modified: '2024-05-20T16:03:47Z', id: 'GO-2023-1989' },
    });
  });

  it('quarantines a record listed but gone (404) and moves on', async () => {
    const upstream = bucket('Ubuntu', { csv: `2026-05-01T00:00:00Z,UBUNTU-CVE-2099-0001\n${ubuntuCsv}` });
    const batches = await collect(syncOsv(feedRun('osv', upstream.fetch, ubuntu(afterLoad))));
    expect(advisoryIds(batches)).toEqual(['UBUNTU-CVE-2021-3782']);
    expect(quarantined(batches).map((q) => [q.document, q.reason])).toEqual([
      ['UBUNTU-CVE-2099-0001', expect.stringContaining('answered 404')],
    ]);
    expect(batches[batches.length - 1]?.cursor).toEqual({
      modified: '2026-05-01T00:00:00Z',
      id: 'UBUNTU-CVE-2099-0001',
    });
  });

  it('quarantines lines that are not `<time>,<id>` (an id that would leave the folder included)', async () => {
    const csv = `2026-05-01T00:00:00Z,../../etc/passwd\nyesterday,USN-1-1\n${ubuntuCsv}`;
    const batches = await collect(syncOsv(feedRun('osv', bucket('Ubuntu', { csv }).fetch, ubuntu(afterLoad))));
    expect(quarantined(batches).map((q) => q.document)).toEqual(['modified_id.csv line 1', 'modified_id.csv line 2']);
    expect(advisoryIds(batches)).toEqual(['UBUNTU-CVE-2021-3782']);
  });

  it('reloads all.zip when more records changed than fetching one by one is worth', async () => {
    const upstream = bucket('Ubuntu', { csv: ubuntuCsv, zip: ubuntuZip() });
    const batches = await collect(
      syncOsv(
        feedRun('osv', upstream.fetch, ubuntu({ modified: '2020-01-01T00:00:00Z', id: null })),
        limits({ maxChanges: 2 }),
      ),
    );
    expect(upstream.urls()).toEqual([`${BUCKET}/Ubuntu/modified_id.csv`, `${BUCKET}/Ubuntu/all.zip`]);
    expect(advisoryIds(batches)).toEqual(['UBUNTU-CVE-2025-38094', 'USN-5614-1']);
    expect(batches[batches.length - 1]?.cursor).toEqual({ modified: '2026-04-22T07:37:02Z', id: null });
  });
});

describe('OSV bulk: upstream faults', () => {
  const csvUrl = `${BUCKET}/Ubuntu/modified_id.csv`;
  const zipUrl = `${BUCKET}/Ubuntu/all.zip`;
  const recordUrl = `${BUCKET}/Ubuntu/UBUNTU-CVE-2021-3782.json`;
  const afterLoad = { modified: '2026-04-22T07:37:02Z', id: null };

  const faults: [string, (bytes: Uint8Array, type: string) => Response][] = [
    ['a 503', () => new Response('busy', { status: 503, headers: { 'retry-after': '120' } })],
    ['a timeout', () => timeout()],
    ['a reset', (bytes, type) => resetResponse(bytes, type, Math.floor(bytes.byteLength / 2))],
    ['a truncated body', (bytes, type) => truncatedResponse(bytes, type)],
    ['an HTML page', () => new Response('<html>sign in</html>', { headers: { 'content-type': 'text/html' } })],
  ];

  /** A cursor no batch may pass: the first load's final cursor, or any past the changed record. */
  function expectNothingPast(batches: readonly FeedBatch[], limit: unknown) {
    for (const batch of batches) expect(batch.cursor).not.toEqual(limit);
  }

  it.each(faults)('the archive: %s throws FeedError and never yields the completed cursor', async (_, fault) => {
    const zip = ubuntuZip();
    const upstream = bucket('Ubuntu', {
      zip,
      override: (request) => (request.url === zipUrl ? fault(zip, 'application/zip') : undefined),
    });
    const { batches, error } = await collectUntilFailure(
      syncOsv(feedRun('osv', upstream.fetch, ubuntu()), limits({ batchRecords: 1 })),
    );
    expect(error).toBeInstanceOf(FeedError);
    expectNothingPast(batches, { modified: '2026-04-22T07:37:02Z', id: null });
    for (const batch of batches) expect(batch.cursor).toHaveProperty('archive');
  });

  it.each(faults)('modified_id.csv: %s throws FeedError and yields nothing', async (_, fault) => {
    const csv = encoder.encode(ubuntuCsv);
    const upstream = bucket('Ubuntu', {
      csv: ubuntuCsv,
      override: (request) => (request.url === csvUrl ? fault(csv, 'text/csv') : undefined),
    });
    const { batches, error } = await collectUntilFailure(
      syncOsv(feedRun('osv', upstream.fetch, ubuntu({ modified: '2020-01-01T00:00:00Z', id: null }))),
    );
    expect(error).toBeInstanceOf(FeedError);
    expect(batches).toEqual([]);
  });

  it.each(faults)('a changed record: %s throws FeedError, the cursor never past it', async (_, fault) => {
    const record = encoder.encode(ubuntuWayland);
    const upstream = bucket('Ubuntu', {
      csv: ubuntuCsv,
      override: (request) => (request.url === recordUrl ? fault(record, 'application/json') : undefined),
    });
    const from = { modified: '2020-01-01T00:00:00Z', id: null };
    const { batches, error } = await collectUntilFailure(
      syncOsv(feedRun('osv', upstream.fetch, ubuntu(from)), limits({ batchRecords: 1, concurrency: 1 })),
    );
    expect(error).toBeInstanceOf(FeedError);
    // The two older records were delivered, each with its own position; the failed one is not covered.
    expect(advisoryIds(batches)).toEqual(['UBUNTU-CVE-2025-38094', 'USN-5614-1']);
    expect(batches[batches.length - 1]?.cursor).toEqual({ modified: '2026-04-22T07:37:02Z', id: 'USN-5614-1' });
  });

  it('a 503 carries its Retry-After', async () => {
    const upstream = bucket('Ubuntu', {
      override: () => new Response('busy', { status: 503, headers: { 'retry-after': '120' } }),
    });
    const { error } = await collectUntilFailure(syncOsv(feedRun('osv', upstream.fetch, ubuntu(afterLoad))));
    expect((error as FeedError).retryAfterSeconds).toBe(120);
  });

  it('refuses a configuration it cannot follow', async () => {
    const upstream = bucket('Ubuntu');
    const { error } = await collectUntilFailure(
      syncOsv(feedRun('osv', upstream.fetch, { config: { mode: 'bulk', ecosystem: '../secrets' } })),
    );
    expect(String(error)).toContain('config must be');
    expect(upstream.requests).toEqual([]);
  });
});
