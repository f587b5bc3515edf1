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
import { ALPINE_SECDB_URL, type SecdbCursor, WOLFI_SECDB_URL } from './fetch';
import { alpineSecdbFeed } from './index';
import community from './testdata/v3.15-community.json?raw';
import main from './testdata/v3.15-main.json?raw';
import wolfi from './testdata/wolfi-security.json?raw';

const MAIN = 'https://secdb.alpinelinux.org/v3.15/main.json';
const COMMUNITY = 'https://secdb.alpinelinux.org/v3.15/community.json';
const LAST_MODIFIED = 'Thu, 26 Nov 2026 12:00:00 GMT';
const validators = (tag: string) => ({ etag: `"${tag}"`, 'last-modified': LAST_MODIFIED });

type Mutable = { -readonly [K in keyof FeedState]?: FeedState[K] };

/** A run of the Alpine feed (v3.15 unless `feed` says otherwise) over `fetch`. */
function alpineRun(fetch: typeof globalThis.fetch, feed: Partial<FeedState> = {}, deadline?: number): FeedRun {
  return feedRun('alpine-secdb', fetch, { url: ALPINE_SECDB_URL, config: { releases: ['v3.15'] }, ...feed }, deadline);
}

/** The two v3.15 files, each answering 304 to its own ETag. */
function secdb(files: Record<string, { body: string; tag: string }> = {}) {
  const current: Record<string, { body: string; tag: string }> = {
    [MAIN]: { body: main, tag: 'main-1' },
    [COMMUNITY]: { body: community, tag: 'community-1' },
    ...files,
  };
  return recordedUpstream((url, { headers }) => {
    const file = current[url];
    if (!file) return new Response('not found', { status: 404 });
    if (headers.get('if-none-match') === `"${file.tag}"`) return new Response(null, { status: 304 });
    return json(file.body, validators(file.tag));
  });
}

const CURSOR_V1: SecdbCursor = {
  files: {
    [MAIN]: { etag: '"main-1"', lastModified: LAST_MODIFIED },
    [COMMUNITY]: { etag: '"community-1"', lastModified: LAST_MODIFIED },
  },
};

function ids(batches: readonly FeedBatch[]): string[] {
  return advisories(batches).map((r) => r.advisory.id);
}

describe('syncing Alpine secdb', () => {
  it('reads main and community of each release from an empty cursor, and keeps each file’s validators', async () => {
    const { fetch, requests } = secdb();
    const batches = await collect(alpineSecdbFeed.sync(alpineRun(fetch)));
    expect(requests.map((r) => [r.url, r.headers.get('if-none-match')])).toEqual([
      [MAIN, null],
      [COMMUNITY, null],
    ]);
    expect(ids(batches)).toHaveLength(16);
    expect(ids(batches)).toEqual([...ids(batches)].sort());
    expect(batches.at(-1)?.cursor).toEqual(CURSOR_V1);
    // Several files: their validators are in the cursor, not in the feed's single etag.
    expect(batches.at(-1)?.etag).toBeUndefined();
    expect(advisories(batches)[0]?.advisory.modified).toBe('2026-11-26T12:00:00.000Z');
  });

  it('asks each file conditionally and does nothing when none changed', async () => {
    const { fetch, requests } = secdb();
    const batches = await collect(alpineSecdbFeed.sync(alpineRun(fetch, { cursor: CURSOR_V1 })));
    expect(batches).toEqual([]);
    expect(requests.map((r) => [r.url, r.headers.get('if-none-match'), r.headers.get('if-modified-since')])).toEqual([
      [MAIN, '"main-1"', LAST_MODIFIED],
      [COMMUNITY, '"community-1"', LAST_MODIFIED],
    ]);
  });

  it('when one file changed, fetches the unchanged one again and rebuilds; only the changed advisory hashes anew', async () => {
    const before = await collect(alpineSecdbFeed.sync(alpineRun(secdb().fetch)));
    const changed = JSON.parse(main);
    changed.packages[2].pkg.secfixes['1.2.12-r3'] = ['CVE-2022-37434'];
    delete changed.packages[2].pkg.secfixes['1.2.12-r2'];
    const { fetch, requests } = secdb({ [MAIN]: { body: JSON.stringify(changed), tag: 'main-2' } });
    const after = await collect(alpineSecdbFeed.sync(alpineRun(fetch, { cursor: CURSOR_V1 })));
    expect(requests.map((r) => [r.url, r.headers.get('if-none-match')])).toEqual([
      [MAIN, '"main-1"'],
      [COMMUNITY, '"community-1"'],
      [COMMUNITY, null],
    ]);
    const hashes = (batches: FeedBatch[]) => new Map(advisories(batches).map((r) => [r.advisory.id, r.contentHash]));
    const [old, now] = [hashes(before), hashes(after)];
    expect(now.size).toBe(16);
    expect([...now.keys()].filter((id) => now.get(id) !== old.get(id))).toEqual(['ALPINE-CVE-2022-37434:zlib']);
    expect(after.at(-1)?.cursor).toMatchObject({ files: { [MAIN]: { etag: '"main-2"' } } });
  });

  it('replayed: the same files twice give the same records', async () => {
    const first = await collect(alpineSecdbFeed.sync(alpineRun(secdb().fetch)));
    const second = await collect(alpineSecdbFeed.sync(alpineRun(secdb().fetch)));
    expect(second).toEqual(first);
  });

  it('sets a bad package entry aside, with the rest stored', async () => {
    const broken = JSON.parse(community);
    broken.packages[0].pkg.secfixes = { '2.1 r2': ['CVE-2019-9210'] };
    const { fetch } = secdb({ [COMMUNITY]: { body: JSON.stringify(broken), tag: 'community-2' } });
    const batches = await collect(alpineSecdbFeed.sync(alpineRun(fetch)));
    expect(ids(batches)).toHaveLength(15);
    expect(records(batches).filter((r) => r.kind === 'quarantine')).toMatchObject([
      { document: 'v3.15/community advancecomp 2.1 r2' },
    ]);
  });

  it('reads Wolfi’s single security.json', async () => {
    const { fetch, requests } = recordedUpstream((url) =>
      url === WOLFI_SECDB_URL ? json(wolfi, validators('wolfi-1')) : new Response('', { status: 404 }),
    );
    const feed = { url: WOLFI_SECDB_URL, config: { ecosystem: 'Wolfi' } };
    const batches = await collect(alpineSecdbFeed.sync(alpineRun(fetch, feed)));
    expect(requests).toHaveLength(1);
    expect(ids(batches)).toHaveLength(59);
    expect(ids(batches).every((id) => id.startsWith('WOLFI-'))).toBe(true);
  });

  it('refuses a configuration that names no release', async () => {
    const { fetch } = secdb();
    await expect(collect(alpineSecdbFeed.sync(alpineRun(fetch, { config: {} })))).rejects.toThrow(
      'names no Alpine release',
    );
    await expect(collect(alpineSecdbFeed.sync(alpineRun(fetch, { config: { releases: ['3.15'] } })))).rejects.toThrow(
      'v3.20',
    );
  });
});

describe('resuming after the deadline', () => {
  async function runToTheEnd(upstream: (run: number) => ReturnType<typeof secdb>, start: unknown = null) {
    const feed: Mutable = { cursor: start };
    const seen: string[][] = [];
    let last: FeedBatch | undefined;
    for (let run = 0; run < 40; run++) {
      const batches = await collect(alpineSecdbFeed.sync(alpineRun(upstream(run).fetch, feed, Date.now() - 1)));
      seen.push(ids(batches));
      last = batches.at(-1);
      feed.cursor = last?.cursor ?? feed.cursor;
      if (last && !(last.cursor as SecdbCursor).pass) break;
    }
    return { seen, last };
  }

  it('delivers one advisory per run in id order and goes on after the last one delivered', async () => {
    const full = ids(await collect(alpineSecdbFeed.sync(alpineRun(secdb().fetch))));
    const { seen, last } = await runToTheEnd(() => secdb());
    expect(seen).toEqual([...full.map((id) => [id]), []]);
    expect(last?.cursor).toEqual(CURSOR_V1);
  });

  it('starts the pass over when a file changed in between', async () => {
    const full = ids(await collect(alpineSecdbFeed.sync(alpineRun(secdb().fetch))));
    const { seen } = await runToTheEnd((run) => (run < 3 ? secdb() : secdb({ [MAIN]: { body: main, tag: 'main-2' } })));
    expect(seen.flat()).toEqual([...full.slice(0, 3), ...full]);
  });

  it('a stopped pass saves where it is and the files it is reading, and keeps the old validators', async () => {
    const batches = await collect(alpineSecdbFeed.sync(alpineRun(secdb().fetch, {}, Date.now() - 1)));
    expect(batches).toHaveLength(1);
    expect(batches[0]?.cursor).toEqual({
      files: {},
      pass: { files: CURSOR_V1.files, after: 'ALPINE-CVE-2018-1071:zsh' },
    });
  });
});

describe('upstream faults', () => {
  const bytes = new TextEncoder().encode(main);

  async function failure(answer: () => Response, feed: Partial<FeedState> = {}) {
    const { fetch } = recordedUpstream((url) => (url === MAIN ? answer() : json(community, validators('c'))));
    return collectUntilFailure(alpineSecdbFeed.sync(alpineRun(fetch, feed)));
  }

  it('a 5xx is a FeedError that keeps Retry-After', async () => {
    const { batches, error } = await failure(() => new Response('', { status: 502, headers: { 'retry-after': '30' } }));
    expect(batches).toEqual([]);
    expect((error as FeedError).retryAfterSeconds).toBe(30);
  });

  it('a timeout is a FeedError', async () => {
    const { batches, error } = await failure(timeout);
    expect(batches).toEqual([]);
    expect((error as FeedError).message).toMatch(/timed out/);
  });

  it('a reset is a FeedError', async () => {
    const { batches, error } = await failure(() => resetResponse(bytes, 'application/json', 100));
    expect(batches).toEqual([]);
    expect(error).toBeInstanceOf(FeedError);
  });

  it('a truncated body is a FeedError', async () => {
    const { batches, error } = await failure(() => truncatedResponse(bytes, 'application/json'));
    expect(batches).toEqual([]);
    expect((error as FeedError).message).toMatch(/truncated/);
  });

  it('a login page is a FeedError', async () => {
    const { error } = await failure(() => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }));
    expect((error as FeedError).message).toMatch(/content type/);
  });

  it('a file of the wrong shape, or of another release, is a FeedError: the advisories stay as stored', async () => {
    const shape = await failure(() => json('{"packages":{}}'));
    expect(shape.batches).toEqual([]);
    expect((shape.error as FeedError).message).toMatch(/not a secdb file/);
    const other = await failure(() => json(JSON.stringify({ ...JSON.parse(main), distroversion: 'v3.14' })));
    expect((other.error as FeedError).message).toMatch(/holds v3.14, not v3.15/);
  });
});
