import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { CveRecord, FeedBatch, FeedRecord } from '../feed';
import {
  collect,
  collectUntilFailure,
  feedRun,
  json,
  recordedUpstream,
  resetResponse,
  timeout,
  truncatedResponse,
} from '../testing';
import { createNvdFeed, NVD_URL } from './index';
import v4Cve from './testdata/fkie-CVE-2024-0012.cve.json?raw';
import rejectedCve from './testdata/fkie-CVE-2024-0069.rejected.cve.json?raw';
import fullPage from './testdata/vunnel-full-page.json?raw';
import { fakeClock, pageOf } from './testing';
import { MAX_WINDOW_MS } from './window';

/** The 38 CVEs of the vunnel page, then CVE-2024-0012 (CVSS 4.0) and the rejected CVE-2024-0069: 40 in all. */
const CVES: unknown[] = [
  ...JSON.parse(fullPage).vulnerabilities.map((v: { cve: unknown }) => v.cve),
  JSON.parse(v4Cve),
  JSON.parse(rejectedCve),
];

/** The API as recorded: answers a window query with the CVEs, paged as asked (resultsPerPage, startIndex). */
function nvdApi(cves: readonly unknown[] = CVES) {
  return (url: string) => {
    const params = new URL(url).searchParams;
    const start = Number(params.get('startIndex'));
    const size = Number(params.get('resultsPerPage'));
    return json(pageOf(cves.slice(start, start + size), start, cves.length));
  };
}

function cves(records: readonly FeedRecord[]): CveRecord[] {
  return records.flatMap((r) => (r.kind === 'cve' ? r.records : []));
}

const allCves = (batches: readonly FeedBatch[]) => cves(batches.flatMap((b) => b.records));

function windowOf(url: string) {
  const params = new URL(url).searchParams;
  return {
    start: params.get('lastModStartDate'),
    end: params.get('lastModEndDate'),
    startIndex: Number(params.get('startIndex')),
  };
}

describe('NVD sync', () => {
  it("a full sync from an empty cursor asks for the last 120 days in the API's date format", async () => {
    const upstream = recordedUpstream(nvdApi());
    const batches = await collect(createNvdFeed(fakeClock()).sync(feedRun('nvd', upstream.fetch)));
    expect(upstream.requests.map((r) => r.url)).toEqual([
      `${NVD_URL}?lastModStartDate=2026-07-30T00:00:00.000%2B00:00&lastModEndDate=2026-11-27T00:00:00.000%2B00:00&resultsPerPage=2000&startIndex=0`,
    ]);
    expect(upstream.requests[0]?.headers.get('apikey')).toBeNull();
    expect(allCves(batches)).toHaveLength(40);
    expect(allCves(batches).find((r) => r.cve === 'CVE-2024-0069')?.status).toBe('Rejected');
    // Caught up: the next run starts a little before this one's end (see WINDOW_OVERLAP_MS).
    expect(batches.at(-1)?.cursor).toEqual({
      windowStart: '2026-11-26T23:45:00.000Z',
      windowEnd: '2026-11-27T00:00:00.000Z',
      startIndex: 0,
    });
  });

  it('pages by startIndex, one batch per page, the cursor pointing at the next page', async () => {
    const upstream = recordedUpstream(nvdApi());
    const run = feedRun('nvd', upstream.fetch, { config: { pageSize: 15 } });
    const batches = await collect(createNvdFeed(fakeClock()).sync(run));
    expect(upstream.requests.map((r) => windowOf(r.url).startIndex)).toEqual([0, 15, 30]);
    expect(batches.map((b) => cves(b.records).length)).toEqual([15, 15, 10]);
    expect(batches.map((b) => (b.cursor as { startIndex: number }).startIndex)).toEqual([15, 30, 0]);
    expect(batches[0]?.cursor).toEqual({
      windowStart: '2026-07-30T00:00:00.000Z',
      windowEnd: '2026-11-27T00:00:00.000Z',
      startIndex: 15,
    });
  });

  it("resumes mid-window with the saved window bounds, not today's", async () => {
    const upstream = recordedUpstream(nvdApi());
    const cursor = { windowStart: '2026-07-30T00:00:00.000Z', windowEnd: '2026-11-26T00:00:00.000Z', startIndex: 30 };
    const run = feedRun('nvd', upstream.fetch, { cursor, config: { pageSize: 15 } });
    const batches = await collect(createNvdFeed(fakeClock()).sync(run));
    expect(windowOf(upstream.requests[0]?.url ?? '')).toEqual({
      start: '2026-07-30T00:00:00.000+00:00',
      end: '2026-11-26T00:00:00.000+00:00',
      startIndex: 30,
    });
    expect(cves(batches[0]?.records ?? []).map((r) => r.cve)).toEqual(
      CVES.slice(30).map((c) => (c as { id: string }).id),
    );
    // That window ended before now: the next one runs from it up to now, in the same run.
    expect(windowOf(upstream.requests[1]?.url ?? '')).toEqual({
      start: '2026-11-25T23:45:00.000+00:00',
      end: '2026-11-27T00:00:00.000+00:00',
      startIndex: 0,
    });
  });

  it('an incremental sync asks only for what changed since the cursor', async () => {
    const upstream = recordedUpstream(nvdApi([JSON.parse(rejectedCve)]));
    const cursor = { windowStart: '2026-11-26T23:45:00.000Z', windowEnd: '2026-11-27T00:00:00.000Z', startIndex: 0 };
    const run = { ...feedRun('nvd', upstream.fetch, { cursor }), now: new Date('2026-11-27T02:00:00Z') };
    const batches = await collect(createNvdFeed(fakeClock()).sync(run));
    expect(upstream.requests.map((r) => windowOf(r.url))).toEqual([
      { start: '2026-11-26T23:45:00.000+00:00', end: '2026-11-27T02:00:00.000+00:00', startIndex: 0 },
    ]);
    expect(allCves(batches).map((r) => [r.cve, r.status])).toEqual([['CVE-2024-0069', 'Rejected']]);
    expect(batches.at(-1)?.cursor).toMatchObject({ windowStart: '2026-11-27T01:45:00.000Z', startIndex: 0 });
  });

  it('walks a long backlog in windows of at most 120 days', async () => {
    const upstream = recordedUpstream(nvdApi([]));
    const run = feedRun('nvd', upstream.fetch, { config: { since: '2026-01-01T00:00:00Z' } });
    const batches = await collect(createNvdFeed(fakeClock()).sync(run));
    const windows = upstream.requests.map((r) => windowOf(r.url));
    expect(windows).toEqual([
      { start: '2026-01-01T00:00:00.000+00:00', end: '2026-05-01T00:00:00.000+00:00', startIndex: 0 },
      { start: '2026-04-30T23:45:00.000+00:00', end: '2026-08-28T23:45:00.000+00:00', startIndex: 0 },
      { start: '2026-08-28T23:30:00.000+00:00', end: '2026-11-27T00:00:00.000+00:00', startIndex: 0 },
    ]);
    for (const w of windows)
      expect(Date.parse(w.end ?? '') - Date.parse(w.start ?? '')).toBeLessThanOrEqual(MAX_WINDOW_MS);
    // Empty windows still move the cursor on.
    expect(batches.map((b) => (b.cursor as { windowStart: string }).windowStart)).toEqual([
      '2026-04-30T23:45:00.000Z',
      '2026-08-28T23:30:00.000Z',
      '2026-11-26T23:45:00.000Z',
    ]);
  });

  it('sends the API key from the secrets in the apiKey header', async () => {
    const upstream = recordedUpstream(nvdApi());
    await collect(
      createNvdFeed(fakeClock()).sync({ ...feedRun('nvd', upstream.fetch), secrets: { nvdApiKey: 'k-123' } }),
    );
    expect(upstream.requests[0]?.headers.get('apiKey')).toBe('k-123');
  });

  it('sends no HTTP validators (no 304 exists here): the lastModified window is the conditional part', async () => {
    const upstream = recordedUpstream(nvdApi());
    await collect(createNvdFeed(fakeClock()).sync(feedRun('nvd', upstream.fetch, { etag: '"x"', lastModified: 'y' })));
    expect(upstream.requests[0]?.headers.get('if-none-match')).toBeNull();
    expect(upstream.requests[0]?.headers.get('if-modified-since')).toBeNull();
  });

  it('a replayed page gives the same records; a future `since` asks nothing', async () => {
    const first = await collect(createNvdFeed(fakeClock()).sync(feedRun('nvd', recordedUpstream(nvdApi()).fetch)));
    const again = await collect(createNvdFeed(fakeClock()).sync(feedRun('nvd', recordedUpstream(nvdApi()).fetch)));
    expect(again).toEqual(first);
    const upstream = recordedUpstream(nvdApi());
    const future = feedRun('nvd', upstream.fetch, { config: { since: '2027-01-01T00:00:00Z' } });
    expect(await collect(createNvdFeed(fakeClock()).sync(future))).toEqual([]);
    expect(upstream.requests).toEqual([]);
  });

  it("a bad CVE in a good page is quarantined and the page's cursor still advances", async () => {
    const broken = [...CVES.slice(0, 3), { id: 'CVE-2024-1', vulnStatus: 'Analyzed' }];
    const batches = await collect(
      createNvdFeed(fakeClock()).sync(feedRun('nvd', recordedUpstream(nvdApi(broken)).fetch)),
    );
    expect(allCves(batches)).toHaveLength(3);
    expect(batches[0]?.records.filter((r) => r.kind === 'quarantine')).toMatchObject([{ document: 'nvd:CVE-2024-1' }]);
    expect(batches[0]?.cursor).toMatchObject({ startIndex: 0, windowEnd: '2026-11-27T00:00:00.000Z' });
  });
});

describe('NVD pacing', () => {
  const twoPerPage = { config: { pageSize: 2 } };
  const sevenPages = CVES.slice(0, 14);

  it('without a key: 5 requests per rolling 30 s window, then waits for the oldest to leave it', async () => {
    const clock = fakeClock();
    const start = clock.now();
    const sentAt: number[] = [];
    const upstream = recordedUpstream((url) => {
      sentAt.push(clock.now() - start);
      return nvdApi(sevenPages)(url);
    });
    const batches = await collect(createNvdFeed(clock).sync(feedRun('nvd', upstream.fetch, twoPerPage)));
    expect(batches).toHaveLength(7);
    expect(sentAt).toEqual([0, 0, 0, 0, 0, 31_000, 31_000]);
    for (const t of sentAt) expect(sentAt.filter((u) => u > t - 30_000 && u <= t).length).toBeLessThanOrEqual(5);
  });

  it('with a key: 50 per window, so seven pages go at once', async () => {
    const clock = fakeClock();
    const upstream = recordedUpstream(nvdApi(sevenPages));
    const run = { ...feedRun('nvd', upstream.fetch, twoPerPage), secrets: { nvdApiKey: 'k' } };
    expect(await collect(createNvdFeed(clock).sync(run))).toHaveLength(7);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops before a wait that would pass the deadline, its cursor at the next page', async () => {
    const clock = fakeClock();
    const upstream = recordedUpstream(nvdApi(sevenPages));
    const run = { ...feedRun('nvd', upstream.fetch, twoPerPage), deadline: clock.now() + 10_000 };
    const batches = await collect(createNvdFeed(clock).sync(run));
    expect(upstream.requests).toHaveLength(5);
    expect(clock.sleeps).toEqual([]);
    expect(batches.at(-1)?.cursor).toMatchObject({ windowStart: '2026-07-30T00:00:00.000Z', startIndex: 10 });
  });
});

describe('NVD failures throw FeedError, never past the last stored page', () => {
  it("403 (rate limited) without Retry-After: one window of backoff, and NVD's message", async () => {
    const upstream = recordedUpstream(
      () => new Response('', { status: 403, headers: { message: 'Request forbidden by administrative rules.' } }),
    );
    const { batches, error } = await collectUntilFailure(
      createNvdFeed(fakeClock()).sync(feedRun('nvd', upstream.fetch)),
    );
    expect(batches).toEqual([]);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).retryAfterSeconds).toBe(30);
    expect((error as FeedError).message).toContain('Request forbidden by administrative rules.');
  });

  it("429 and 503 with Retry-After: the source's own wait", async () => {
    for (const status of [429, 503]) {
      const upstream = recordedUpstream(() => new Response('', { status, headers: { 'retry-after': '90' } }));
      const { error } = await collectUntilFailure(createNvdFeed(fakeClock()).sync(feedRun('nvd', upstream.fetch)));
      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).retryAfterSeconds).toBe(90);
    }
  });

  it('a failure on page 2 leaves the cursor of page 1, and the next run resumes at page 2', async () => {
    const api = nvdApi();
    const failing = recordedUpstream((url) =>
      windowOf(url).startIndex === 15 ? new Response('', { status: 503 }) : api(url),
    );
    const run = feedRun('nvd', failing.fetch, { config: { pageSize: 15 } });
    const { batches, error } = await collectUntilFailure(createNvdFeed(fakeClock()).sync(run));
    expect(error).toBeInstanceOf(FeedError);
    expect(batches.map((b) => b.cursor)).toEqual([
      { windowStart: '2026-07-30T00:00:00.000Z', windowEnd: '2026-11-27T00:00:00.000Z', startIndex: 15 },
    ]);
    const retry = recordedUpstream(api);
    const resumed = await collect(
      createNvdFeed(fakeClock()).sync(
        feedRun('nvd', retry.fetch, { config: { pageSize: 15 }, cursor: batches[0]?.cursor }),
      ),
    );
    expect(retry.requests.map((r) => windowOf(r.url).startIndex)).toEqual([15, 30]);
    expect(allCves([...batches, ...resumed])).toHaveLength(40);
  });

  it('an empty page short of totalResults would loop: FeedError', async () => {
    const upstream = recordedUpstream(() => json(pageOf([], 0, 40)));
    const { error } = await collectUntilFailure(createNvdFeed(fakeClock()).sync(feedRun('nvd', upstream.fetch)));
    expect(error).toBeInstanceOf(FeedError);
  });

  const bytes = new TextEncoder().encode(fullPage);
  const cases: Record<string, () => Response> = {
    '5xx': () => new Response('', { status: 500 }),
    timeout,
    reset: () => resetResponse(bytes, 'application/json', 1_000),
    'truncated body': () => truncatedResponse(bytes, 'application/json'),
    'wrong content type': () => new Response('<html>maintenance</html>', { headers: { 'content-type': 'text/html' } }),
    'a JSON body that is not a page': () => json('{"message":"Invalid apiKey"}'),
  };
  for (const [name, answer] of Object.entries(cases)) {
    it(name, async () => {
      const { batches, error } = await collectUntilFailure(
        createNvdFeed(fakeClock()).sync(feedRun('nvd', recordedUpstream(answer).fetch)),
      );
      expect(error).toBeInstanceOf(FeedError);
      expect(batches).toEqual([]);
    });
  }
});
