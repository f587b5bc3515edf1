import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRecord } from '../feed';
import { collectUntilFailure, feedRun, recordedUpstream, resetResponse, timeout, truncatedResponse } from '../testing';
import { msrcFeed } from './index';
import feb from './testdata/2024-Feb.json?raw';
import jan from './testdata/2024-Jan.json?raw';
import updates from './testdata/updates.json?raw';

const LIST = 'https://api.msrc.microsoft.com/cvrf/v3.0/updates';
const JAN = 'https://api.msrc.microsoft.com/cvrf/v3.0/cvrf/2024-Jan';
const FEB = 'https://api.msrc.microsoft.com/cvrf/v3.0/cvrf/2024-Feb';
const LIST_VALIDATORS = { etag: '"updates-v2"', 'last-modified': 'Thu, 25 Jan 2024 08:00:00 GMT' };

type Routes = Readonly<Record<string, () => Response | Promise<Response>>>;

/** A JSON answer as MSRC sends it, with its exact Content-Length. */
function jsonResponse(text: string, headers: Record<string, string> = {}): Response {
  const bytes = new TextEncoder().encode(text);
  return new Response(bytes, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.byteLength),
      ...headers,
    },
  });
}

/** Answers each URL from `routes`, and 404 for any other. */
function routed(routes: Routes) {
  return recordedUpstream((url) => {
    const route = routes[url];
    return route ? route() : new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  });
}

/** The recorded API: the updates list and the two monthly documents, each overridable. */
function upstream(overrides: Routes = {}) {
  return routed({
    [LIST]: () => jsonResponse(updates, LIST_VALIDATORS),
    [JAN]: () => jsonResponse(jan),
    [FEB]: () => jsonResponse(feb),
    ...overrides,
  });
}

function ids(batch: FeedBatch | undefined): string[] {
  return (batch?.records ?? []).map((r: FeedRecord) =>
    r.kind === 'advisory' ? r.advisory.id : r.kind === 'quarantine' ? `quarantine ${r.document}` : r.kind,
  );
}

const stored = {
  releases: { '2024-Jan': '2024-01-25T08:00:00.000Z', '2024-Feb': '2024-02-13T08:00:00.000Z' },
};

describe('a full sync from an empty cursor', () => {
  it('fetches the list, then every month oldest first, one batch each; the list validators come with the last', async () => {
    const api = upstream();
    const { batches, error } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', api.fetch)));
    expect(error).toBeUndefined();
    expect(api.urls()).toEqual([LIST, JAN, FEB]);
    expect(api.requests.every((r) => r.headers.get('accept') === 'application/json')).toBe(true);
    expect(api.requests[0]?.headers.has('if-none-match')).toBe(false);
    expect(batches).toHaveLength(2);
    expect(ids(batches[0])).toEqual([
      'MSRC-CVE-2024-20674',
      'MSRC-CVE-2024-20666',
      'MSRC-CVE-2024-21307',
      'MSRC-CVE-2024-20677',
    ]);
    expect(batches[0]).toMatchObject({
      cursor: { releases: { '2024-Jan': '2024-01-25T08:00:00.000Z' } },
      etag: null,
      lastModified: null,
    });
    expect(ids(batches[1])).toEqual(['MSRC-CVE-2024-21412', 'MSRC-CVE-2024-21351', 'MSRC-CVE-2024-21413']);
    expect(batches[1]).toMatchObject({
      cursor: stored,
      etag: '"updates-v2"',
      lastModified: 'Thu, 25 Jan 2024 08:00:00 GMT',
    });
  });

  it('carries the supersedence learnt from each month with its advisories', async () => {
    const { batches } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', upstream().fetch)));
    const pairs = batches[1]?.records.flatMap((r) => (r.kind === 'advisory' ? (r.supersedence ?? []) : []));
    expect(pairs).toContainEqual(['KB5034770', 'KB5034129']);
  });

  it('reads the documents beside a mirrored updates list', async () => {
    const mirror = 'https://mirror.example/msrc/cvrf/v3.0/updates';
    const api = routed({
      [mirror]: () => jsonResponse(updates),
      'https://mirror.example/msrc/cvrf/v3.0/cvrf/2024-Jan': () => jsonResponse(jan),
      'https://mirror.example/msrc/cvrf/v3.0/cvrf/2024-Feb': () => jsonResponse(feb),
    });
    const { batches, error } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', api.fetch, { url: mirror })));
    expect(error).toBeUndefined();
    expect(batches.at(-1)?.cursor).toEqual(stored);
  });
});

describe('an incremental sync', () => {
  it('fetches only the month that was revised since the stored version', async () => {
    const api = upstream();
    const cursor = { releases: { ...stored.releases, '2024-Jan': '2024-01-09T08:00:00.000Z' } };
    const { batches, error } = await collectUntilFailure(
      msrcFeed.sync(feedRun('msrc', api.fetch, { cursor, etag: '"updates-v1"' })),
    );
    expect(error).toBeUndefined();
    expect(api.urls()).toEqual([LIST, JAN]);
    expect(api.requests[0]?.headers.get('if-none-match')).toBe('"updates-v1"');
    expect(batches).toHaveLength(1);
    expect(ids(batches[0])).toHaveLength(4);
    expect(batches[0]).toMatchObject({ cursor: stored, etag: '"updates-v2"' });
  });

  it('stores nothing but the new validators when the list changed and no month did', async () => {
    const api = upstream();
    const { batches } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', api.fetch, { cursor: stored })));
    expect(api.urls()).toEqual([LIST]);
    expect(batches).toEqual([
      { records: [], cursor: stored, etag: '"updates-v2"', lastModified: LIST_VALIDATORS['last-modified'] },
    ]);
  });

  it('sends the saved validators and stops at a 304', async () => {
    const api = upstream({ [LIST]: () => new Response(null, { status: 304 }) });
    const { batches, error } = await collectUntilFailure(
      msrcFeed.sync(
        feedRun('msrc', api.fetch, {
          cursor: stored,
          etag: '"updates-v2"',
          lastModified: 'Thu, 25 Jan 2024 08:00:00 GMT',
        }),
      ),
    );
    expect(error).toBeUndefined();
    expect(batches).toEqual([]);
    expect(api.urls()).toEqual([LIST]);
    expect(api.requests[0]?.headers.get('if-none-match')).toBe('"updates-v2"');
    expect(api.requests[0]?.headers.get('if-modified-since')).toBe('Thu, 25 Jan 2024 08:00:00 GMT');
  });

  it('starts over from an unreadable cursor (storing the same records again changes nothing)', async () => {
    const api = upstream();
    const { batches } = await collectUntilFailure(
      msrcFeed.sync(feedRun('msrc', api.fetch, { cursor: { since: 'yesterday' } })),
    );
    expect(api.urls()).toEqual([LIST, JAN, FEB]);
    expect(batches.at(-1)?.cursor).toEqual(stored);
  });

  it('stops at the deadline with the cursor of what it stored, and clears the list validators', async () => {
    const api = upstream();
    const run = { ...feedRun('msrc', api.fetch), deadline: Number.POSITIVE_INFINITY };
    let yielded = 0;
    const timed = {
      ...run,
      get deadline() {
        return yielded > 0 ? 0 : Number.POSITIVE_INFINITY;
      },
    };
    const batches: FeedBatch[] = [];
    for await (const batch of msrcFeed.sync(timed)) {
      batches.push(batch);
      yielded += 1;
    }
    expect(api.urls()).toEqual([LIST, JAN]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({
      cursor: { releases: { '2024-Jan': '2024-01-25T08:00:00.000Z' } },
      etag: null,
      lastModified: null,
    });
    // The next run asks for the whole list again and goes on with February.
    const next = upstream();
    const rest = await collectUntilFailure(
      msrcFeed.sync(feedRun('msrc', next.fetch, { cursor: batches[0]?.cursor, etag: null })),
    );
    expect(next.urls()).toEqual([LIST, FEB]);
    expect(rest.batches.at(-1)?.cursor).toEqual(stored);
  });
});

describe('replays', () => {
  it('the same documents again give the same records (same content hashes)', async () => {
    const first = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', upstream().fetch)));
    const again = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', upstream().fetch)));
    expect(again.batches).toEqual(first.batches);
  });

  it('an older copy of a month than the list announces is stored under its own date and fetched again next time', async () => {
    const older = JSON.parse(jan);
    older.DocumentTracking.CurrentReleaseDate = '2024-01-09T08:00:00';
    const api = upstream({ [JAN]: () => jsonResponse(JSON.stringify(older)) });
    const { batches } = await collectUntilFailure(
      msrcFeed.sync(feedRun('msrc', api.fetch, { cursor: { releases: { '2024-Feb': stored.releases['2024-Feb'] } } })),
    );
    expect(batches.at(-1)?.cursor).toEqual({
      releases: { ...stored.releases, '2024-Jan': '2024-01-09T08:00:00.000Z' },
    });
    const next = upstream();
    await collectUntilFailure(msrcFeed.sync(feedRun('msrc', next.fetch, { cursor: batches.at(-1)?.cursor })));
    expect(next.urls()).toEqual([LIST, JAN]);
  });
});

describe('faults', () => {
  /** Each fault, and what its FeedError says. */
  const broken: Record<string, [() => Response | Promise<Response>, RegExp]> = {
    '5xx': [() => new Response('busy', { status: 503, headers: { 'retry-after': '120' } }), /answered 503/],
    timeout: [timeout, /timed out/],
    reset: [() => resetResponse(feb, 'application/json', 300), /connection reset/],
    'truncated body': [() => truncatedResponse(feb, 'application/json'), /truncated/],
    'wrong content type': [
      () => new Response('<html>Sign in</html>', { headers: { 'content-type': 'text/html' } }),
      /content type "text\/html"/,
    ],
    'JSON cut short without a Content-Length': [
      () => new Response(feb.slice(0, 500), { headers: { 'content-type': 'application/json' } }),
      /not valid JSON/,
    ],
    404: [() => new Response('not found', { status: 404 }), /answered 404/],
  };

  for (const [name, [answer, message]] of Object.entries(broken)) {
    it(`${name} on the updates list: FeedError, nothing yielded`, async () => {
      const api = upstream({ [LIST]: answer });
      const { batches, error } = await collectUntilFailure(
        msrcFeed.sync(feedRun('msrc', api.fetch, { cursor: stored })),
      );
      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).message).toMatch(message);
      expect(batches).toEqual([]);
      if (name === '5xx') expect((error as FeedError).retryAfterSeconds).toBe(120);
    });

    it(`${name} on a month: FeedError after the months before it, whose cursor does not name it`, async () => {
      const api = upstream({ [FEB]: answer });
      const { batches, error } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', api.fetch)));
      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).message).toMatch(message);
      expect(batches).toHaveLength(1);
      expect(batches[0]?.cursor).toEqual({ releases: { '2024-Jan': '2024-01-25T08:00:00.000Z' } });
      expect(batches[0]?.etag).toBeNull();
    });
  }

  it('an updates list that is JSON but no list is an upstream failure', async () => {
    const api = upstream({ [LIST]: () => jsonResponse('{"error":{"code":"InternalError"}}') });
    const { error } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', api.fetch)));
    expect(error).toBeInstanceOf(FeedError);
  });

  it('a month that is JSON but no CVRF document is quarantined and its date stored', async () => {
    const api = upstream({ [FEB]: () => jsonResponse('{"value":[]}') });
    const { batches, error } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', api.fetch)));
    expect(error).toBeUndefined();
    expect(ids(batches[1])).toEqual(['quarantine MSRC 2024-Feb']);
    expect(batches[1]?.cursor).toEqual(stored);
  });

  it('an unreadable entry of the updates list is quarantined; the others are fetched', async () => {
    const list = JSON.parse(updates);
    list.value.push({ ID: '../../etc', CurrentReleaseDate: '2024-03-12T07:00:00Z' }, { ID: '2024-Mar' });
    const api = upstream({ [LIST]: () => jsonResponse(JSON.stringify(list)) });
    const { batches, error } = await collectUntilFailure(msrcFeed.sync(feedRun('msrc', api.fetch)));
    expect(error).toBeUndefined();
    expect(api.urls()).toEqual([LIST, JAN, FEB]);
    expect(ids(batches[1]).slice(-2)).toEqual(['quarantine MSRC updates[2]', 'quarantine MSRC updates[3]']);
  });
});
