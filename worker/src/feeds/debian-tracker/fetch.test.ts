import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRun, FeedState } from '../feed';
import {
  advisories,
  collect,
  collectUntilFailure,
  feedRun,
  json,
  recordedUpstream,
  records,
  resetResponse,
  timeout,
  truncatedResponse,
} from '../testing';
import { BATCH_RECORDS, type DebianTrackerCursor, TRACKER_URL } from './fetch';
import { debianTrackerFeed } from './index';
import excerpt from './testdata/vunnel-debian.json?raw';

const LAST_MODIFIED = 'Thu, 26 Nov 2026 12:00:00 GMT';
const V1 = { etag: '"tracker-v1"', 'last-modified': LAST_MODIFIED };

type Tracker = Record<string, Record<string, unknown>>;

/** The excerpt as the live tracker writes it: packages and ids in name order, compact. */
function sorted(tracker: Tracker): string {
  const out: Tracker = {};
  for (const pkg of Object.keys(tracker).sort()) {
    const issues = tracker[pkg] ?? {};
    out[pkg] = Object.fromEntries(
      Object.keys(issues)
        .sort()
        .map((id) => [id, issues[id]]),
    );
  }
  return JSON.stringify(out);
}

const live = sorted(JSON.parse(excerpt));
const LIVE_ORDER = [
  'DEBIAN-CVE-2005-3111:backupninja',
  'DEBIAN-CVE-2022-0456:chromium',
  'DEBIAN-CVE-2022-0358:chromium-browser',
  'DEBIAN-CVE-2007-2383:prototypejs',
  'DEBIAN-CVE-2008-7220:prototypejs',
  'DEBIAN-CVE-2025-53603:sope',
  'DEBIAN-CVE-2013-1444:txt2man',
];

/** A tracker of `count` entries (the chromium entry's shape) in `perPackage` entries per package. */
function synthetic(count: number, perPackage: number): { chunks: string[]; size: number } {
  const template = JSON.parse(excerpt).chromium['CVE-2022-0456'];
  const chunks: string[] = ['{'];
  let size = 1;
  for (let p = 0; p * perPackage < count; p++) {
    const entries: string[] = [];
    for (let e = 0; e < perPackage && p * perPackage + e < count; e++) {
      const id = `CVE-2024-${String(100_000 + p * perPackage + e)}`;
      const entry = structuredClone(template);
      entry.description = `Synthetic issue ${id}: ${'a long upstream description '.repeat(8)}`;
      entry.releases.bookworm.fixed_version = `98.0.${p}.${e}-1`;
      entries.push(`${JSON.stringify(id)}:${JSON.stringify(entry)}`);
    }
    const chunk = `${p === 0 ? '' : ','}"pkg${String(p).padStart(6, '0')}":{${entries.join(',')}}`;
    chunks.push(chunk);
    size += chunk.length;
  }
  chunks.push('}');
  return { chunks, size: size + 1 };
}

/** A body handed out one chunk per read, counting how far it has been read. */
function pulledBody(chunks: readonly string[]) {
  const encoder = new TextEncoder();
  const state = { pulled: 0, total: chunks.length };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[state.pulled];
        if (chunk === undefined) {
          controller.close();
          return;
        }
        state.pulled++;
        controller.enqueue(encoder.encode(chunk));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** A run of the tracker feed over `fetch`. */
function trackerRun(fetch: typeof globalThis.fetch, feed: Partial<FeedState> = {}, deadline?: number): FeedRun {
  return feedRun('debian-tracker', fetch, { url: TRACKER_URL, ...feed }, deadline);
}

function upstream(body: () => Response) {
  return recordedUpstream((url) => (url === TRACKER_URL ? body() : new Response('not found', { status: 404 })));
}

function ids(batches: readonly FeedBatch[]): string[] {
  return advisories(batches).map((r) => r.advisory.id);
}

describe('a full sync', () => {
  it('reads the whole tracker from an empty cursor, unconditionally, and ends with the validators', async () => {
    const { fetch, requests } = upstream(() => json(live, V1));
    const batches = await collect(debianTrackerFeed.sync(trackerRun(fetch)));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.get('if-none-match')).toBeNull();
    expect(requests[0]?.headers.get('if-modified-since')).toBeNull();
    expect(requests[0]?.headers.get('accept')).toBe('application/json');
    expect(ids(batches)).toEqual(LIVE_ORDER);
    expect(batches.at(-1)).toMatchObject({ cursor: { done: true }, etag: '"tracker-v1"', lastModified: LAST_MODIFIED });
    // No per-entry dates: `modified` is when the file changed.
    expect(new Set(advisories(batches).map((r) => r.advisory.modified))).toEqual(new Set(['2026-11-26T12:00:00.000Z']));
  });

  it('answers a 304 to a conditional request with nothing', async () => {
    const { fetch, requests } = recordedUpstream((_, { headers }) =>
      headers.get('if-none-match') === '"tracker-v1"' ? new Response(null, { status: 304 }) : json(live, V1),
    );
    const run = trackerRun(fetch, { cursor: { done: true }, etag: '"tracker-v1"', lastModified: LAST_MODIFIED });
    expect(await collect(debianTrackerFeed.sync(run))).toEqual([]);
    expect(requests[0]?.headers.get('if-none-match')).toBe('"tracker-v1"');
    expect(requests[0]?.headers.get('if-modified-since')).toBe(LAST_MODIFIED);
  });

  it('reads it all again when it changed; only the changed entry has a new content hash', async () => {
    const before = await collect(debianTrackerFeed.sync(trackerRun(upstream(() => json(live, V1)).fetch)));
    const changed = JSON.parse(live);
    changed.sope['CVE-2025-53603'].releases.trixie.fixed_version = '5.12.1-3';
    // A new upload changes `repositories` only: not a change of the advisory.
    changed.chromium['CVE-2022-0456'].releases.sid.repositories.sid = '100.0.1-1';
    const { fetch, requests } = upstream(() =>
      json(JSON.stringify(changed), { etag: '"tracker-v2"', 'last-modified': 'Fri, 27 Nov 2026 06:00:00 GMT' }),
    );
    const after = await collect(
      debianTrackerFeed.sync(
        trackerRun(fetch, { cursor: { done: true }, etag: '"tracker-v1"', lastModified: LAST_MODIFIED }),
      ),
    );
    expect(requests[0]?.headers.get('if-none-match')).toBe('"tracker-v1"');
    const hashes = (batches: FeedBatch[]) => new Map(advisories(batches).map((r) => [r.advisory.id, r.contentHash]));
    const [old, now] = [hashes(before), hashes(after)];
    expect([...now.keys()].filter((id) => now.get(id) !== old.get(id))).toEqual(['DEBIAN-CVE-2025-53603:sope']);
    expect(after.at(-1)).toMatchObject({ cursor: { done: true }, etag: '"tracker-v2"' });
  });

  it('replayed: the same body twice gives the same records', async () => {
    const first = await collect(debianTrackerFeed.sync(trackerRun(upstream(() => json(live, V1)).fetch)));
    const second = await collect(debianTrackerFeed.sync(trackerRun(upstream(() => json(live, V1)).fetch)));
    expect(second).toEqual(first);
  });

  it('sets a bad entry aside and goes on with the others', async () => {
    const body = JSON.parse(live);
    body.chromium['CVE-2022-0456'].releases.bookworm.fixed_version = 'not a version';
    body.sope['CVE-2025-53603'] = '<html>';
    const batches = await collect(
      debianTrackerFeed.sync(trackerRun(upstream(() => json(JSON.stringify(body), V1)).fetch)),
    );
    expect(ids(batches)).toEqual(LIVE_ORDER.filter((id) => !id.endsWith(':chromium') && !id.endsWith(':sope')));
    expect(records(batches).filter((r) => r.kind === 'quarantine')).toMatchObject([
      { document: 'chromium/CVE-2022-0456', reason: expect.stringContaining('not a version') },
      { document: 'sope/CVE-2025-53603', reason: 'an entry is an object with releases' },
    ]);
    expect(batches.at(-1)?.cursor).toEqual({ done: true });
  });
});

describe('streaming', () => {
  it('reads a 30 MB tracker in batches, the first before the body is half read', async () => {
    const count = 36_000;
    const { chunks, size } = synthetic(count, 40);
    expect(size).toBeGreaterThan(30_000_000);
    const { stream, state } = pulledBody(chunks);
    const { fetch } = upstream(() => new Response(stream, { headers: { 'content-type': 'application/json', ...V1 } }));
    let advisoriesSeen = 0;
    let firstBatchAt: number | null = null;
    const sizes: number[] = [];
    let last: FeedBatch | undefined;
    for await (const batch of debianTrackerFeed.sync(trackerRun(fetch))) {
      firstBatchAt ??= state.pulled;
      sizes.push(batch.records.length);
      advisoriesSeen += batch.records.filter((r) => r.kind === 'advisory').length;
      last = batch;
    }
    expect(advisoriesSeen).toBe(count);
    expect(firstBatchAt).toBeLessThan(state.total / 2);
    expect(Math.max(...sizes)).toBe(BATCH_RECORDS);
    expect(sizes).toHaveLength(Math.ceil(count / BATCH_RECORDS) + (count % BATCH_RECORDS === 0 ? 1 : 0));
    expect(last?.cursor).toEqual({ done: true });
  }, 120_000);

  it('each batch’s cursor is the position of its own last record', async () => {
    const { chunks } = synthetic(2_500, 7);
    const { fetch } = upstream(() => json(chunks.join(''), V1));
    const batches = await collect(debianTrackerFeed.sync(trackerRun(fetch)));
    expect(batches.map((b) => b.records.length)).toEqual([1000, 1000, 500]);
    for (const batch of batches.slice(0, -1)) {
      const lastRecord = batch.records.at(-1);
      const [issue, pkg] = lastRecord?.kind === 'advisory' ? lastRecord.advisory.id.slice(7).split(':') : [];
      expect(batch.cursor).toMatchObject({ done: false, package: pkg, entry: issue });
      expect(batch.etag).toBeUndefined();
    }
  });
});

describe('resuming after the deadline', () => {
  /** Runs the feed as the runner would, each run with its deadline already passed, until a pass ends. */
  async function runToTheEnd(body: (run: number) => Response, start: unknown = null) {
    const feed: { -readonly [K in keyof FeedState]?: FeedState[K] } = { cursor: start };
    const seen: string[][] = [];
    const conditional: (string | null)[] = [];
    let last: FeedBatch | undefined;
    for (let run = 0; run < 20 && !(last?.cursor as DebianTrackerCursor | undefined)?.done; run++) {
      const { fetch, requests } = upstream(() => body(run));
      const batches = await collect(debianTrackerFeed.sync(trackerRun(fetch, feed, Date.now() - 1)));
      conditional.push(requests[0]?.headers.get('if-modified-since') ?? null);
      seen.push(ids(batches));
      last = batches.at(-1);
      feed.cursor = last?.cursor ?? feed.cursor;
    }
    return { seen, last, conditional };
  }

  it('moves at least one entry per run and resumes exactly after it, without asking conditionally', async () => {
    const { seen, last, conditional } = await runToTheEnd(() => json(live, V1));
    expect(seen).toEqual([...LIVE_ORDER.map((id) => [id]), []]);
    expect(conditional.every((c) => c === null)).toBe(true);
    // The same body throughout: its validators stand for the whole pass.
    expect(last).toMatchObject({ cursor: { done: true }, etag: '"tracker-v1"', lastModified: LAST_MODIFIED });
  });

  it('a run that stops saves its position, with the body’s validators', async () => {
    const { fetch } = upstream(() => json(live, V1));
    const batches = await collect(debianTrackerFeed.sync(trackerRun(fetch, {}, Date.now() - 1)));
    expect(batches).toHaveLength(1);
    expect(batches[0]?.cursor).toEqual({
      done: false,
      package: 'backupninja',
      entry: 'CVE-2005-3111',
      validators: { etag: '"tracker-v1"', lastModified: LAST_MODIFIED },
    });
  });

  it('when the body changed during the pass, the pass ends without validators, so the next run reads it all', async () => {
    const v2 = { etag: '"tracker-v2"', 'last-modified': 'Fri, 27 Nov 2026 06:00:00 GMT' };
    const { seen, last } = await runToTheEnd((run) => json(live, run < 3 ? V1 : v2));
    expect(seen.flat()).toEqual(LIVE_ORDER);
    expect(last).toMatchObject({ cursor: { done: true }, etag: null, lastModified: null });
  });

  it('goes on after where the stopped package would be when it is gone from the tracker', async () => {
    const start = { done: false, package: 'chromium-a', entry: 'CVE-2000-0001', validators: null };
    const { seen } = await runToTheEnd(() => json(live, V1), start);
    expect(seen.flat()).toEqual(LIVE_ORDER.slice(2));
  });

  it('an unreadable cursor starts a full unconditional pass', async () => {
    const { fetch, requests } = upstream(() => json(live, V1));
    const run = trackerRun(fetch, { cursor: { page: 3 }, etag: '"tracker-v1"' });
    expect(ids(await collect(debianTrackerFeed.sync(run)))).toEqual(LIVE_ORDER);
    expect(requests[0]?.headers.get('if-none-match')).toBeNull();
  });
});

describe('upstream faults', () => {
  const bytes = new TextEncoder().encode(live);

  async function failure(answer: () => Response, feed: Partial<FeedState> = {}) {
    const { fetch } = upstream(answer);
    return collectUntilFailure(debianTrackerFeed.sync(trackerRun(fetch, feed)));
  }

  it('a 5xx is a FeedError that keeps Retry-After', async () => {
    const { batches, error } = await failure(
      () => new Response('busy', { status: 503, headers: { 'retry-after': '120' } }),
    );
    expect(batches).toEqual([]);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).retryAfterSeconds).toBe(120);
  });

  it('a timeout is a FeedError', async () => {
    const { batches, error } = await failure(timeout);
    expect(batches).toEqual([]);
    expect((error as FeedError).message).toMatch(/timed out/);
  });

  it('a reset mid-body is a FeedError, and no cursor goes past what was delivered', async () => {
    const { chunks } = synthetic(2_500, 7);
    const big = new TextEncoder().encode(chunks.join(''));
    const { batches, error } = await failure(() =>
      resetResponse(big, 'application/json', Math.floor(big.byteLength * 0.6)),
    );
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).message).toMatch(/connection reset/);
    expect(batches).toHaveLength(1);
    const lastRecord = batches[0]?.records.at(-1);
    const [issue, pkg] = lastRecord?.kind === 'advisory' ? lastRecord.advisory.id.slice(7).split(':') : [];
    expect(batches[0]?.cursor).toMatchObject({ done: false, package: pkg, entry: issue });
  });

  it('a body cut short of its Content-Length is a FeedError', async () => {
    const { batches, error } = await failure(() => truncatedResponse(bytes, 'application/json'));
    expect(batches).toEqual([]);
    expect(error).toBeInstanceOf(FeedError);
  });

  it('a whole document with a Content-Length that promised more is a FeedError too', async () => {
    const { batches, error } = await failure(
      () =>
        new Response(bytes, {
          headers: { 'content-type': 'application/json', 'content-length': String(bytes.byteLength + 10) },
        }),
    );
    expect(batches).toEqual([]);
    expect((error as FeedError).message).toMatch(/truncated/);
  });

  it('a login page (text/html) is a FeedError', async () => {
    const { error } = await failure(
      () => new Response('<html>sign in</html>', { headers: { 'content-type': 'text/html' } }),
    );
    expect((error as FeedError).message).toMatch(/content type/);
  });

  it('an HTML page labelled JSON, and bytes that are not UTF-8, are FeedErrors', async () => {
    const html = await failure(() => json('<!DOCTYPE html><html></html>'));
    expect((html.error as FeedError).message).toMatch(/not the tracker's JSON/);
    const latin1 = await failure(
      () => new Response(new Uint8Array([0x7b, 0x22, 0xe9, 0x22]), { headers: { 'content-type': 'application/json' } }),
    );
    expect(latin1.error).toBeInstanceOf(FeedError);
  });
});
