import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { FeedRun } from '../feed';
import {
  advisoryIds,
  collect,
  collectUntilFailure,
  feedRun,
  quarantined,
  type RecordedRequest,
  recordedUpstream,
  resetResponse,
  timeout,
  truncatedResponse,
} from '../testing';
import { syncOsv } from './fetch';
import { DEFAULT_LIMITS, type OsvLimits } from './source';
import ghsa from './testdata/GHSA-9v2f-6vcg-3hgv.json?raw';
import withdrawn from './testdata/GHSA-35c4-f3rq-f9g3.withdrawn.json?raw';
import go2020 from './testdata/GO-2020-0001.json?raw';
import go2023 from './testdata/GO-2023-1989.json?raw';
import go2611 from './testdata/GO-2024-2611.json?raw';
import go2963 from './testdata/GO-2024-2963.json?raw';
import pysec from './testdata/PYSEC-2023-74.json?raw';
import recordedResults from './testdata/querybatch-results.json';

const QUERYBATCH = 'https://api.osv.dev/v1/querybatch';
const VULNS = 'https://api.osv.dev/v1/vulns/';
const documents: Record<string, string> = {
  'GO-2020-0001': go2020,
  'GO-2023-1989': go2023,
  'GO-2024-2611': go2611,
  'GO-2024-2963': go2963,
  'GHSA-9v2f-6vcg-3hgv': ghsa,
  'PYSEC-2023-74': pysec,
  'GHSA-35c4-f3rq-f9g3': withdrawn,
};
const results: Record<string, unknown> = recordedResults;
const json = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });

interface Query {
  readonly package: { readonly ecosystem: string; readonly name: string };
  readonly page_token?: string;
}

/** OSV's API, recorded: querybatch answers per package in query order (as the API does), vulns by id. */
function osvApi(override?: (request: RecordedRequest) => Response | undefined) {
  return recordedUpstream((url, request) => {
    const overridden = override?.(request);
    if (overridden) return overridden;
    if (url === QUERYBATCH && request.method === 'POST') {
      const { queries } = JSON.parse(request.body ?? '{}') as { queries: Query[] };
      const answer = queries.map((q) =>
        [`${q.package.ecosystem} ${q.package.name}`, q.page_token].filter(Boolean).join(' '),
      );
      return json(JSON.stringify({ results: answer.map((key) => results[key] ?? {}) }));
    }
    const id = decodeURIComponent(url.slice(VULNS.length));
    const document = url.startsWith(VULNS) ? documents[id] : undefined;
    return document ? json(document) : json('{"code":5,"message":"Bug not found."}', 404);
  });
}

/** The queries of each querybatch request, as `ecosystem name[ page_token]`. */
function queriesOf(requests: readonly RecordedRequest[]): string[][] {
  return requests
    .filter((r) => r.url === QUERYBATCH)
    .map((r) =>
      (JSON.parse(r.body ?? '{}') as { queries: Query[] }).queries.map((q) =>
        [q.package.ecosystem, q.package.name, q.page_token].filter(Boolean).join(' '),
      ),
    );
}

const fetchedIds = (requests: readonly RecordedRequest[]) =>
  requests.filter((r) => r.url.startsWith(VULNS)).map((r) => decodeURIComponent(r.url.slice(VULNS.length)));

const inventory = (cursor: unknown = null): Partial<FeedRun['feed']> => ({ config: { mode: 'inventory' }, cursor });
const limits = (overrides: Partial<OsvLimits>): OsvLimits => ({ ...DEFAULT_LIMITS, ...overrides });

const EVERY_PACKAGE = [
  'Go github.com/gin-gonic/gin',
  'Go golang.org/x/image',
  'Go google.golang.org/protobuf',
  'Go stdlib',
  'PyPI gradio',
  'PyPI requests',
  'RubyGems activesupport',
  'npm left-pad',
];

beforeAll(async () => {
  const now = '2026-11-27T00:00:00.000Z';
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO tenants (id, name, created_at) VALUES ('tn_osvinventory01', 'osv-inventory', ?1), ('tn_osvinventory02', 'osv-inventory-2', ?1)`,
    ).bind(now),
    env.DB.prepare(
      `INSERT INTO hosts (id, tenant_id, hostname, os_family, os_release, ecosystem, created_at, updated_at) VALUES
         (9101, 'tn_osvinventory01', 'app-01', 'debian', '12.5', 'Debian:12', ?1, ?1),
         (9102, 'tn_osvinventory01', 'app-02', 'debian', '12.5', 'Debian:12', ?1, ?1),
         (9201, 'tn_osvinventory02', 'web-01', 'ubuntu', '22.04', 'Ubuntu:22.04', ?1, ?1)`,
    ).bind(now),
    env.DB.prepare(
      `INSERT INTO installed_packages (tenant_id, host_id, ecosystem, name, version) VALUES
         ('tn_osvinventory01', 9101, 'Debian:12', 'openssl', '3.0.11-1~deb12u2'),
         ('tn_osvinventory01', 9101, 'PyPI', 'requests', '2.30.0'),
         ('tn_osvinventory01', 9101, 'PyPI', 'gradio', '4.36.0'),
         ('tn_osvinventory01', 9102, 'PyPI', 'requests', '2.31.0'),
         ('tn_osvinventory01', 9102, 'Go', 'github.com/gin-gonic/gin', 'v1.5.0'),
         ('tn_osvinventory01', 9102, 'Go', 'stdlib', 'v1.22.4'),
         ('tn_osvinventory01', 9102, 'Go', 'golang.org/x/image', 'v0.9.0'),
         ('tn_osvinventory02', 9201, 'Go', 'google.golang.org/protobuf', 'v1.32.0'),
         ('tn_osvinventory02', 9201, 'RubyGems', 'activesupport', '4.1.10'),
         ('tn_osvinventory02', 9201, 'npm', 'left-pad', '1.3.0'),
         ('tn_osvinventory02', 9201, 'Ubuntu:22.04', 'wayland', '1.20.0-1')`,
    ),
  ]);
});

describe('OSV inventory: querybatch for the packages installed', () => {
  it('queries exactly the language packages installed, once each, and fetches every record listed', async () => {
    const api = osvApi();
    const batches = await collect(syncOsv(feedRun('osv', api.fetch, inventory())));
    expect(queriesOf(api.requests)).toEqual([
      EVERY_PACKAGE,
      // Only the query that had more pages is asked again, with its token.
      ['Go google.golang.org/protobuf CiQKIkdPLTIwMjQtMjYxMQ'],
    ]);
    expect(fetchedIds(api.requests)).toEqual([
      'GHSA-35c4-f3rq-f9g3',
      'GHSA-9v2f-6vcg-3hgv',
      'GO-2020-0001',
      'GO-2023-1989',
      'GO-2024-2611',
      'GO-2024-2963',
      'PYSEC-2023-74',
    ]);
    expect(advisoryIds(batches)).toEqual(fetchedIds(api.requests));
    expect(quarantined(batches)).toEqual([]);
    expect(batches[batches.length - 1]?.cursor).toEqual({ completedAt: '2026-11-27T00:00:00.000Z', after: null });
  });

  it('fetches only records not stored yet, or stored as of another `modified`', async () => {
    const at = '2026-11-26T00:00:00.000Z';
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO advisories (scope, id, source, modified, document, content_hash, imported_at, updated_at) VALUES
           ('', 'GO-2020-0001', 'osv', '2024-05-20T16:03:47.000Z', '{}', 'h1', ?1, ?1),
           ('', 'PYSEC-2023-74', 'osv', '2023-06-05T01:13:00.534Z', '{}', 'h2', ?1, ?1),
           ('', 'GO-2023-1989', 'osv', '2023-08-01T00:00:00.000Z', '{}', 'h3', ?1, ?1),
           ('tn_osvinventory01', 'GO-2024-2963', 'osv', '2024-07-02T20:11:00.000Z', '{}', 'h4', ?1, ?1)`,
      ).bind(at),
    ]);
    try {
      const api = osvApi();
      const batches = await collect(syncOsv(feedRun('osv', api.fetch, inventory())));
      // GO-2023-1989 changed since it was stored; a tenant's own copy of GO-2024-2963 is not the global one.
      expect(fetchedIds(api.requests)).toEqual([
        'GHSA-35c4-f3rq-f9g3',
        'GHSA-9v2f-6vcg-3hgv',
        'GO-2023-1989',
        'GO-2024-2611',
        'GO-2024-2963',
      ]);
      expect(advisoryIds(batches)).toHaveLength(5);
    } finally {
      await env.DB.prepare(
        `DELETE FROM advisories WHERE id IN ('GO-2020-0001', 'PYSEC-2023-74', 'GO-2023-1989', 'GO-2024-2963')`,
      ).run();
    }
  });

  it('asks a request’s worth of packages at a time, the cursor after each, and resumes there', async () => {
    const api = osvApi();
    const small = limits({ queriesPerRequest: 3 });
    const batches = await collect(
      syncOsv(feedRun('osv', api.fetch, inventory({ completedAt: null, after: null })), small),
    );
    expect(queriesOf(api.requests)).toEqual([
      EVERY_PACKAGE.slice(0, 3),
      ['Go google.golang.org/protobuf CiQKIkdPLTIwMjQtMjYxMQ'],
      EVERY_PACKAGE.slice(3, 6),
      EVERY_PACKAGE.slice(6),
    ]);
    expect(batches.map((b) => b.cursor)).toEqual([
      { completedAt: null, after: ['Go', 'google.golang.org/protobuf'] },
      { completedAt: null, after: ['PyPI', 'requests'] },
      { completedAt: null, after: ['npm', 'left-pad'] },
      { completedAt: '2026-11-27T00:00:00.000Z', after: null },
    ]);
    const resumed = osvApi();
    await collect(
      syncOsv(feedRun('osv', resumed.fetch, inventory({ completedAt: null, after: ['PyPI', 'requests'] })), small),
    );
    expect(queriesOf(resumed.requests)).toEqual([EVERY_PACKAGE.slice(6)]);
    expect(fetchedIds(resumed.requests)).toEqual(['GHSA-35c4-f3rq-f9g3']);
  });

  it('at the deadline, yields what it fetched with the cursor before the packages not finished', async () => {
    const api = osvApi();
    const run = feedRun('osv', api.fetch, inventory({ completedAt: '2026-11-20T00:00:00.000Z', after: null }));
    // The deadline passes once the two querybatch pages and three records were fetched.
    const cut = Object.defineProperty({ ...run }, 'deadline', {
      get: () => (api.requests.length >= 5 ? 0 : Date.now() + 60_000),
    });
    const batches = await collect(syncOsv(cut, limits({ concurrency: 1 })));
    expect(advisoryIds(batches)).toEqual(['GHSA-35c4-f3rq-f9g3', 'GHSA-9v2f-6vcg-3hgv', 'GO-2020-0001']);
    expect(batches.map((b) => b.cursor)).toEqual([{ completedAt: '2026-11-20T00:00:00.000Z', after: null }]);
  });

  it('quarantines a listed record that is gone (404) and an id that is not an OSV id', async () => {
    const api = osvApi((request) => {
      if (request.url !== QUERYBATCH) return undefined;
      const { queries } = JSON.parse(request.body ?? '{}') as { queries: Query[] };
      const listed = [
        { id: 'GHSA-0000-0000-0000', modified: '2024-01-01T00:00:00Z' },
        { id: '../admin', modified: '2024-01-01T00:00:00Z' },
      ];
      return json(JSON.stringify({ results: queries.map((_, i) => (i === 0 ? { vulns: listed } : {})) }));
    });
    const batches = await collect(syncOsv(feedRun('osv', api.fetch, inventory())));
    expect(fetchedIds(api.requests)).toEqual(['GHSA-0000-0000-0000']);
    expect(quarantined(batches).map((q) => [q.document, q.reason])).toEqual([
      ['../admin', 'querybatch listed an id that is not an OSV id'],
      ['GHSA-0000-0000-0000', expect.stringContaining('answered 404')],
    ]);
  });

  it('replayed: the same answers with everything stored fetch nothing', async () => {
    const at = '2026-11-26T00:00:00.000Z';
    const stored = Object.entries(documents).map(([id, text]) => [
      id,
      new Date(JSON.parse(text).modified).toISOString(),
    ]);
    await env.DB.batch(
      stored.map(([id, modified]) =>
        env.DB.prepare(
          `INSERT INTO advisories (scope, id, source, modified, document, content_hash, imported_at, updated_at)
           VALUES ('', ?1, 'osv', ?2, '{}', 'h', ?3, ?3)`,
        ).bind(id, modified, at),
      ),
    );
    try {
      const api = osvApi();
      const batches = await collect(syncOsv(feedRun('osv', api.fetch, inventory())));
      expect(fetchedIds(api.requests)).toEqual([]);
      expect(batches.flatMap((b) => b.records)).toEqual([]);
      expect(batches[batches.length - 1]?.cursor).toEqual({ completedAt: '2026-11-27T00:00:00.000Z', after: null });
    } finally {
      await env.DB.prepare(`DELETE FROM advisories WHERE scope = '' AND content_hash = 'h'`).run();
    }
  });
});

describe('OSV inventory: upstream faults', () => {
  const faults: [string, (bytes: Uint8Array) => Response][] = [
    ['a 503', () => new Response('busy', { status: 503 })],
    ['a timeout', () => timeout()],
    ['a reset', (bytes) => resetResponse(bytes, 'application/json', 20)],
    ['a truncated body', (bytes) => truncatedResponse(bytes, 'application/json')],
    ['an HTML page', () => new Response('<html>sign in</html>', { headers: { 'content-type': 'text/html' } })],
  ];
  const page = new TextEncoder().encode(JSON.stringify({ results: EVERY_PACKAGE.map(() => ({})) }));

  it.each(faults)('querybatch: %s throws FeedError and yields nothing', async (_, fault) => {
    const api = osvApi((request) => (request.url === QUERYBATCH ? fault(page) : undefined));
    const { batches, error } = await collectUntilFailure(syncOsv(feedRun('osv', api.fetch, inventory())));
    expect(error).toBeInstanceOf(FeedError);
    expect(batches).toEqual([]);
  });

  it.each(faults)('a record: %s throws FeedError, the cursor never past its package', async (_, fault) => {
    const api = osvApi((request) =>
      request.url === `${VULNS}GO-2023-1989` ? fault(new TextEncoder().encode(go2023)) : undefined,
    );
    const { batches, error } = await collectUntilFailure(
      syncOsv(feedRun('osv', api.fetch, inventory()), limits({ batchRecords: 1, concurrency: 1 })),
    );
    expect(error).toBeInstanceOf(FeedError);
    expect(advisoryIds(batches)).toEqual(['GHSA-35c4-f3rq-f9g3', 'GHSA-9v2f-6vcg-3hgv', 'GO-2020-0001']);
    for (const batch of batches) expect(batch.cursor).toEqual({ completedAt: null, after: null });
  });

  it('an answer that does not match the queries is an upstream failure', async () => {
    const api = osvApi((request) => (request.url === QUERYBATCH ? json('{"results": []}') : undefined));
    const { error } = await collectUntilFailure(syncOsv(feedRun('osv', api.fetch, inventory())));
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).toContain('does not match');
  });
});
