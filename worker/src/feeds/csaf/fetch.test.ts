import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRun, FeedState } from '../feed';
import { storeRecords } from '../store';
import { collectUntilFailure, feedRun, records } from '../testing';
import type { CsafCursor } from './cursor';
import { syncCsaf } from './fetch';
import { MICROSOFT_PROVIDER_METADATA, REDHAT_PROVIDER_METADATA } from './index';
import { type Fault, MICROSOFT_BASE, REDHAT_ADVISORIES, record, recordedProviders, server } from './testing';

const CHANGES = `${REDHAT_ADVISORIES}changes.csv`;
const DELETIONS = `${REDHAT_ADVISORIES}deletions.csv`;
const doc = (path: string) => `${REDHAT_ADVISORIES}${path}`;

/** A run of the provider at `url`, reading changes since 2024 unless `feed.config` says otherwise. */
function providerRun(url: string, fetch: typeof globalThis.fetch, feed: Partial<FeedState> = {}): FeedRun {
  return feedRun('csaf', fetch, { url, config: { since: '2024-01-01T00:00:00Z' }, ...feed });
}

/** What each record is about: `advisory RHSA-2024:0010`, `deleted RHSA-2024:2106`, `quarantine <url>`. */
function summary(batches: readonly FeedBatch[]): string[] {
  return records(batches).map((r) =>
    r.kind === 'advisory'
      ? `advisory ${r.advisory.id}`
      : r.kind === 'deleted'
        ? `deleted ${r.id}`
        : r.kind === 'quarantine'
          ? `quarantine ${r.document}`
          : r.kind,
  );
}

function lastCursor(batches: readonly FeedBatch[]): CsafCursor {
  const cursor = batches.at(-1)?.cursor;
  if (!cursor) throw new Error('no batch');
  return cursor as CsafCursor;
}

async function fullSync() {
  const site = recordedProviders();
  const upstream = server(site);
  const result = await collectUntilFailure(syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch)));
  if (result.error) throw result.error;
  return { site, upstream, batches: result.batches, cursor: lastCursor(result.batches) };
}

const fullSyncRecords = [
  'deleted RHSA-2024:2106',
  'deleted RHEA-2024:5245',
  `quarantine ${doc('2003/rhsa-2003_315.json')}`,
  'advisory RHSA-2024:0010',
  'advisory RHSA-2024:4546',
  'advisory RHSA-2024:6163',
  'advisory RHSA-2024:9371',
  'advisory RHSA-2025:23414',
];

describe('Red Hat: provider-metadata.json -> directory changes.csv / deletions.csv', () => {
  it('a first sync reads the window since config.since, in time order, each document checked against its .sha512', async () => {
    const { batches, upstream, cursor } = await fullSync();
    expect(summary(batches)).toEqual(fullSyncRecords);
    const quarantined = records(batches).find((r) => r.kind === 'quarantine');
    expect(quarantined).toMatchObject({
      reason: expect.stringMatching(/^SHA-512 mismatch: .*rhsa-2003_315\.json\.sha512 says bd9e0d48/),
    });
    const fetched = upstream.requests.map((r) => r.url);
    // Deleted documents are not fetched, nor what changed before the window.
    expect(fetched).not.toContain(doc('2024/rhsa-2024_2106.json'));
    expect(fetched).not.toContain(doc('2024/rhea-2024_5245.json'));
    expect(fetched).not.toContain(doc('2023/rhsa-2023_0001.json'));
    expect(fetched).toContain(doc('2024/rhsa-2024_4546.json.sha512'));
    expect(cursor.positions[CHANGES]).toMatchObject({
      at: '2025-12-16T10:12:40.000Z',
      done: ['2025/rhsa-2025_23414.json'],
      etag: expect.any(String),
    });
    expect(cursor.positions[DELETIONS]).toMatchObject({
      at: '2025-02-07T17:44:49.000Z',
      done: ['2024/rhea-2024_5245.json'],
    });
    expect(cursor.metadata?.sources).toEqual([{ kind: 'directory', url: REDHAT_ADVISORIES }]);
  });

  it('the default window is 90 days before the run: an old provider is not read back twenty years', async () => {
    const upstream = server(recordedProviders());
    const run = providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch, { config: {} });
    const { batches, error } = await collectUntilFailure(syncCsaf(run));
    expect(error).toBeUndefined();
    expect(records(batches)).toEqual([]);
    expect(upstream.requests.filter((r) => r.url.endsWith('.json') && r.url !== REDHAT_PROVIDER_METADATA)).toEqual([]);
    // The position starts at the window's start, with the validators for the next, conditional request.
    expect(lastCursor(batches).positions[CHANGES]).toMatchObject({ at: '2026-08-29T00:00:00.000Z', done: [] });
  });

  it('with nothing changed, every index is asked conditionally, answers 304, and nothing is yielded', async () => {
    const { site, cursor } = await fullSync();
    const upstream = server(site);
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch, { cursor })),
    );
    expect(error).toBeUndefined();
    expect(batches).toEqual([]);
    expect(upstream.requests.map((r) => [r.url, r.status])).toEqual([
      [REDHAT_PROVIDER_METADATA, 304],
      [DELETIONS, 304],
      [CHANGES, 304],
    ]);
    for (const request of upstream.requests) {
      expect(request.headers.get('if-none-match')).toBe(site.get(request.url)?.etag);
      expect(request.headers.get('if-modified-since')).toBe('Fri, 27 Nov 2026 00:00:00 GMT');
    }
  });

  it('an incremental sync fetches only what changed since the saved position', async () => {
    const { site, cursor } = await fullSync();
    const changes = site.get(CHANGES)?.body ?? '';
    site.set(CHANGES, record(`"2024/rhsa-2024_9371.json","2026-11-26T09:00:00+00:00"\n${changes}`, 'text/csv'));
    const upstream = server(site);
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch, { cursor })),
    );
    expect(error).toBeUndefined();
    expect(summary(batches)).toEqual(['advisory RHSA-2024:9371']);
    expect(upstream.requests.filter((r) => r.status === 200).map((r) => r.url)).toEqual([
      CHANGES,
      doc('2024/rhsa-2024_9371.json'),
      doc('2024/rhsa-2024_9371.json.sha512'),
    ]);
    expect(lastCursor(batches).positions[CHANGES]).toMatchObject({
      at: '2026-11-26T09:00:00.000Z',
      done: ['2024/rhsa-2024_9371.json'],
      etag: site.get(CHANGES)?.etag,
    });
  });

  it('a replayed old document gives the same record, and storing it again changes nothing', async () => {
    const first = await fullSync();
    const changes = first.site.get(CHANGES)?.body ?? '';
    first.site.set(CHANGES, record(`"2024/rhsa-2024_0010.json","2026-11-26T09:00:00+00:00"\n${changes}`, 'text/csv'));
    const again = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, server(first.site).fetch, { cursor: first.cursor })),
    );
    const replayed = records(again.batches);
    const original = records(first.batches).find((r) => r.kind === 'advisory' && r.advisory.id === 'RHSA-2024:0010');
    expect(replayed).toEqual([original]);

    const context = {
      scope: '',
      actor: { tenantId: '', at: '2026-11-27T00:00:00.000Z', actor: 'feed:csaf-test', actorRole: 'feed' },
    };
    const stored = await storeRecords(env.DB, replayed, context);
    expect(stored.counts.imported + stored.counts.unchanged).toBe(1);
    const storedAgain = await storeRecords(env.DB, replayed, context);
    expect(storedAgain.counts).toMatchObject({ imported: 0, unchanged: 1 });
  });

  it('the same first sync twice gives the same records', async () => {
    const one = await fullSync();
    const two = await fullSync();
    expect(records(two.batches)).toEqual(records(one.batches));
  });

  it('a run that stops at its deadline between documents sharing one timestamp resumes exactly there', async () => {
    const upstream = server(recordedProviders());
    let documents = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('.json.sha512')) documents += 1;
      return upstream.fetch(input, init);
    };
    const base = providerRun(REDHAT_PROVIDER_METADATA, counting, {
      config: { since: '2024-01-01T00:00:00Z', batchSize: 1 },
    });
    // The deadline passes once four documents (315, 0010, 4546, 6163) are read.
    const run: FeedRun = Object.defineProperty({ ...base }, 'deadline', {
      get: () => (documents >= 4 ? 0 : Date.now() + 60_000),
    });
    const stopped = await collectUntilFailure(syncCsaf(run));
    expect(stopped.error).toBeUndefined();
    expect(summary(stopped.batches)).toEqual(fullSyncRecords.slice(0, 6));
    const cursor = lastCursor(stopped.batches);
    expect(cursor.positions[CHANGES]).toMatchObject({
      at: '2025-11-20T08:00:00.000Z',
      done: ['2024/rhsa-2024_4546.json', '2024/rhsa-2024_6163.json'],
      // The index is not read to its end: no validators yet, so the next run reads it whole again.
      etag: null,
    });
    const resumed = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, server(recordedProviders()).fetch, { cursor })),
    );
    expect(resumed.error).toBeUndefined();
    expect(summary(resumed.batches)).toEqual(['advisory RHSA-2024:9371', 'advisory RHSA-2025:23414']);
  });

  it('a document that is gone (404) is quarantined and the feed goes on', async () => {
    const upstream = server(recordedProviders(), new Map([[doc('2024/rhsa-2024_6163.json'), '404' as Fault]]));
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch)),
    );
    expect(error).toBeUndefined();
    expect(summary(batches)).toEqual(
      fullSyncRecords.map((r) =>
        r === 'advisory RHSA-2024:6163' ? `quarantine ${doc('2024/rhsa-2024_6163.json')}` : r,
      ),
    );
  });

  it('a document whose .sha512 does not match is quarantined with both digests', async () => {
    const site = recordedProviders();
    site.set(doc('2024/rhsa-2024_4546.json.sha512'), record(`${'0'.repeat(128)}  rhsa-2024_4546.json\n`, 'text/plain'));
    const { batches } = await collectUntilFailure(syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, server(site).fetch)));
    const quarantined = records(batches).find(
      (r) => r.kind === 'quarantine' && r.document.endsWith('rhsa-2024_4546.json'),
    );
    expect(quarantined).toMatchObject({
      reason: expect.stringMatching(/^SHA-512 mismatch: .* says 0{128}, the document is 5505b115/),
      content: site.get(doc('2024/rhsa-2024_4546.json'))?.body,
    });
    expect(summary(batches)).not.toContain('advisory RHSA-2024:4546');
  });

  const faults: Fault[] = ['5xx', 'timeout', 'reset', 'truncated', 'html'];

  it.each(faults)('%s on provider-metadata.json: FeedError, nothing yielded', async (fault) => {
    const upstream = server(recordedProviders(), new Map([[REDHAT_PROVIDER_METADATA, fault]]));
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch)),
    );
    expect(error).toBeInstanceOf(FeedError);
    expect(batches).toEqual([]);
  });

  it.each(faults)('%s on changes.csv: FeedError, and no cursor covers any change', async (fault) => {
    const upstream = server(recordedProviders(), new Map([[CHANGES, fault]]));
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch)),
    );
    expect(error).toBeInstanceOf(FeedError);
    // Only the deletions, which were read whole, were delivered.
    expect(summary(batches)).toEqual(['deleted RHSA-2024:2106', 'deleted RHEA-2024:5245']);
    for (const batch of batches) expect((batch.cursor as CsafCursor).positions[CHANGES]).toBeUndefined();
  });

  it.each(faults)(
    '%s on a document: FeedError after the documents before it; the next run resumes at it',
    async (fault) => {
      const failing = doc('2024/rhsa-2024_6163.json');
      const upstream = server(recordedProviders(), new Map([[failing, fault]]));
      const { batches, error } = await collectUntilFailure(
        syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch)),
      );
      expect(error).toBeInstanceOf(FeedError);
      expect(summary(batches)).toEqual(fullSyncRecords.slice(0, 5));
      const cursor = lastCursor(batches);
      expect(cursor.positions[CHANGES]).toMatchObject({
        at: '2025-11-20T08:00:00.000Z',
        done: ['2024/rhsa-2024_4546.json'],
        etag: null,
      });
      const resumed = await collectUntilFailure(
        syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, server(recordedProviders()).fetch, { cursor })),
      );
      expect(summary(resumed.batches)).toEqual([
        'advisory RHSA-2024:6163',
        'advisory RHSA-2024:9371',
        'advisory RHSA-2025:23414',
      ]);
    },
  );

  it.each(faults)('%s on a .sha512: FeedError, the document is not passed', async (fault) => {
    const upstream = server(recordedProviders(), new Map([[doc('2024/rhsa-2024_0010.json.sha512'), fault]]));
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch)),
    );
    expect(error).toBeInstanceOf(FeedError);
    expect(summary(batches)).toEqual(fullSyncRecords.slice(0, 3));
    expect(lastCursor(batches).positions[CHANGES]).toMatchObject({ at: '2025-09-01T00:00:00.000Z' });
  });

  it('a provider-metadata.json that lists no distribution is an upstream failure', async () => {
    const site = recordedProviders();
    site.set(REDHAT_PROVIDER_METADATA, record('{"metadata_version": "2.0"}', 'application/json'));
    const { error } = await collectUntilFailure(syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, server(site).fetch)));
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).toContain('neither a directory_url nor a ROLIE feed');
  });

  it('config.distributions picks which of the listed directories to follow', async () => {
    const site = recordedProviders();
    const metadata = JSON.parse(site.get(REDHAT_PROVIDER_METADATA)?.body ?? '{}');
    metadata.distributions.push({ directory_url: 'https://security.access.redhat.com/data/csaf/v2/vex/' });
    site.set(REDHAT_PROVIDER_METADATA, record(JSON.stringify(metadata), 'application/json'));
    const upstream = server(site);
    const config = { since: '2024-01-01T00:00:00Z', distributions: [REDHAT_ADVISORIES] };
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch, { config })),
    );
    expect(error).toBeUndefined();
    expect(summary(batches)).toEqual(fullSyncRecords);
    expect(upstream.requests.some((r) => r.url.includes('/vex/'))).toBe(false);
    // Without it, every directory is followed.
    const all = await collectUntilFailure(syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, server(site).fetch)));
    expect((all.error as Error).message).toContain('v2/vex/deletions.csv answered 404');
  });

  it('a changes.csv path that leaves the directory is refused, not fetched', async () => {
    const site = recordedProviders();
    site.set(CHANGES, record('"../../../evil.json","2025-12-20T00:00:00+00:00"\n', 'text/csv'));
    const upstream = server(site);
    const { batches } = await collectUntilFailure(syncCsaf(providerRun(REDHAT_PROVIDER_METADATA, upstream.fetch)));
    expect(summary(batches)).toEqual([
      'deleted RHSA-2024:2106',
      'deleted RHEA-2024:5245',
      'quarantine ../../../evil.json',
    ]);
    expect(upstream.requests.some((r) => r.url.includes('evil'))).toBe(false);
  });
});

describe('Microsoft: provider-metadata.json -> ROLIE feed', () => {
  const FEED = `${MICROSOFT_BASE}feed-tlp-white.json`;

  it('reads the feed entries, each with the hash file its entry links, then answers 304s', async () => {
    const site = recordedProviders();
    const upstream = server(site);
    const first = await collectUntilFailure(syncCsaf(providerRun(MICROSOFT_PROVIDER_METADATA, upstream.fetch)));
    expect(first.error).toBeUndefined();
    expect(summary(first.batches)).toEqual(['advisory msrc_CVE-2024-21338']);
    expect(upstream.requests.map((r) => r.url)).toEqual([
      MICROSOFT_PROVIDER_METADATA,
      FEED,
      `${MICROSOFT_BASE}advisories/2024/msrc_cve-2024-21338.json`,
      `${MICROSOFT_BASE}advisories/2024/msrc_cve-2024-21338.json.sha512`,
    ]);
    const cursor = lastCursor(first.batches);
    expect(cursor.positions[FEED]).toMatchObject({
      at: '2024-03-04T08:00:00.000Z',
      done: [`${MICROSOFT_BASE}advisories/2024/msrc_cve-2024-21338.json`],
    });

    const again = server(site);
    const second = await collectUntilFailure(
      syncCsaf(providerRun(MICROSOFT_PROVIDER_METADATA, again.fetch, { cursor })),
    );
    expect(second.batches).toEqual([]);
    expect(again.requests.map((r) => r.status)).toEqual([304, 304]);
    expect(again.requests[1]?.headers.get('if-none-match')).toBe(site.get(FEED)?.etag);
  });

  it('an entry without a date or a link is passed over, not the feed', async () => {
    const site = recordedProviders();
    const feed = JSON.parse(site.get(FEED)?.body ?? '{}');
    feed.feed.entry.push({ id: 'no-date', link: [{ rel: 'self', href: `${MICROSOFT_BASE}advisories/2024/x.json` }] });
    feed.feed.entry.push({ id: 'no-link', updated: '2024-05-01T00:00:00Z' });
    site.set(FEED, record(JSON.stringify(feed), 'application/json'));
    const { batches, error } = await collectUntilFailure(
      syncCsaf(providerRun(MICROSOFT_PROVIDER_METADATA, server(site).fetch)),
    );
    expect(error).toBeUndefined();
    expect(summary(batches)).toEqual(['advisory msrc_CVE-2024-21338']);
  });

  it.each(['5xx', 'timeout', 'reset', 'truncated', 'html'] as Fault[])(
    '%s on the ROLIE feed: FeedError',
    async (fault) => {
      const upstream = server(recordedProviders(), new Map([[FEED, fault]]));
      const { batches, error } = await collectUntilFailure(
        syncCsaf(providerRun(MICROSOFT_PROVIDER_METADATA, upstream.fetch)),
      );
      expect(error).toBeInstanceOf(FeedError);
      expect(batches).toEqual([]);
    },
  );
});
