import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { FeedRecord, KevEntry } from '../feed';
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
import { KEV_URL, kevFeed } from './index';
import { parseKevCatalog } from './parse';
import single from './testdata/vunnel-single-entry-example1.json?raw';
import catalog from './testdata/vunnel-valid-catalog-1.json?raw';

function entries(records: readonly FeedRecord[]): KevEntry[] {
  return records.flatMap((r) => (r.kind === 'kev' ? r.entries : []));
}

/** The corpus catalog with one more day's entry and a new catalogVersion. */
function nextCatalog(): string {
  const doc = JSON.parse(catalog);
  doc.catalogVersion = '2025.02.20';
  doc.vulnerabilities.unshift({ ...doc.vulnerabilities[0], cveID: 'CVE-2025-24989', dateAdded: '2025-02-20' });
  return JSON.stringify(doc);
}

describe('KEV catalog parsing', () => {
  it('reads the corpus catalog: three entries, not the `count` of 1273 it claims', () => {
    const parsed = parseKevCatalog(JSON.parse(catalog));
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.catalogVersion).toBe('2025.02.19');
    expect(parsed.entries.map((e) => e.cve)).toEqual(['CVE-2025-0108', 'CVE-2024-53704', 'CVE-2024-57727']);
    expect(parsed.quarantined).toEqual([]);
    expect(parsed.entries[0]).toEqual({
      cve: 'CVE-2025-0108',
      vendor: 'Palo Alto Networks',
      product: 'PAN-OS',
      name: 'Palo Alto Networks PAN-OS Authentication Bypass Vulnerability',
      description: expect.stringMatching(/^Palo Alto Networks PAN-OS contains an authentication bypass/),
      dateAdded: '2025-02-18',
      dueDate: '2025-03-11',
      requiredAction:
        'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
      ransomware: 'Unknown',
      // Escaped slashes (`https:\/\/`) are plain JSON and read as slashes.
      notes: 'https://security.paloaltonetworks.com/CVE-2025-0108 ; https://nvd.nist.gov/vuln/detail/CVE-2025-0108',
    });
  });

  it('trims the stray space of "SimpleHelp "', () => {
    const parsed = parseKevCatalog(JSON.parse(catalog));
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.entries[2]).toMatchObject({ cve: 'CVE-2024-57727', vendor: 'SimpleHelp', product: 'SimpleHelp' });
  });

  it('quarantines an invalid entry and keeps the others', () => {
    const doc = JSON.parse(catalog);
    doc.vulnerabilities[1].cveID = 'CVE-24-1';
    doc.vulnerabilities[2].dueDate = '2025-02-30';
    doc.vulnerabilities.push({ ...doc.vulnerabilities[0], cveID: 'CVE-2025-0001', dateAdded: '18/02/2025' });
    const parsed = parseKevCatalog(doc);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.entries.map((e) => e.cve)).toEqual(['CVE-2025-0108']);
    expect(parsed.quarantined.map((q) => [q.document, q.reason])).toEqual([
      ['kev:CVE-24-1', 'cveID: cveID must look like CVE-YYYY-NNNN'],
      ['kev:CVE-2024-57727', 'dueDate: dueDate must be a calendar day YYYY-MM-DD'],
      ['kev:CVE-2025-0001', 'dateAdded: dateAdded must be a calendar day YYYY-MM-DD'],
    ]);
    expect(JSON.parse(parsed.quarantined[0]?.content ?? '')).toMatchObject({ cveID: 'CVE-24-1' });
  });

  it('refuses a document that is not a catalog (the single-entry fixture is one entry, no catalog)', () => {
    expect(parseKevCatalog(JSON.parse(single))).toEqual({
      error: expect.stringContaining('catalogVersion'),
    });
  });
});

describe('KEV importer', () => {
  it('detects a catalog and reads it; refuses a bare entry', async () => {
    const importer = kevFeed.importer;
    if (!importer) throw new Error('kev has an importer');
    expect(importer.detect(JSON.parse(catalog), catalog)).toBe(true);
    expect(importer.detect(JSON.parse(single), single)).toBe(false);
    expect(importer.detect({ vulnerabilities: [{ cve: { id: 'CVE-2024-1' } }], resultsPerPage: 1 }, '')).toBe(false);
    const records = await importer.parse(JSON.parse(catalog), catalog);
    expect(entries(records)).toHaveLength(3);
  });
});

describe('KEV sync', () => {
  it('a full sync from an empty cursor stores the catalog with its validators and cursor', async () => {
    const upstream = recordedUpstream(() =>
      json(catalog, { etag: '"v1"', 'last-modified': 'Wed, 19 Feb 2025 14:08:44 GMT' }),
    );
    const batches = await collect(kevFeed.sync(feedRun('kev', upstream.fetch)));
    expect(upstream.requests.map((r) => r.url)).toEqual([KEV_URL]);
    expect(batches).toHaveLength(1);
    expect(entries(batches[0]?.records ?? [])).toHaveLength(3);
    expect(batches[0]).toMatchObject({
      cursor: { catalogVersion: '2025.02.19', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      etag: '"v1"',
      lastModified: 'Wed, 19 Feb 2025 14:08:44 GMT',
    });
  });

  it('an incremental sync sends the validators and stores the newer catalog', async () => {
    const first = await collect(kevFeed.sync(feedRun('kev', recordedUpstream(() => json(catalog)).fetch)));
    const upstream = recordedUpstream(() => json(nextCatalog(), { etag: '"v2"' }));
    const run = feedRun('kev', upstream.fetch, {
      cursor: first[0]?.cursor,
      etag: '"v1"',
      lastModified: 'Wed, 19 Feb 2025 14:08:44 GMT',
    });
    const batches = await collect(kevFeed.sync(run));
    expect(upstream.requests[0]?.headers.get('if-none-match')).toBe('"v1"');
    expect(upstream.requests[0]?.headers.get('if-modified-since')).toBe('Wed, 19 Feb 2025 14:08:44 GMT');
    expect(entries(batches.flatMap((b) => b.records)).map((e) => e.cve)).toContain('CVE-2025-24989');
    expect(batches.at(-1)?.cursor).toMatchObject({ catalogVersion: '2025.02.20' });
  });

  it('a 304 yields nothing', async () => {
    const upstream = recordedUpstream(() => new Response(null, { status: 304 }));
    const batches = await collect(kevFeed.sync(feedRun('kev', upstream.fetch, { etag: '"v1"', lastModified: 'x' })));
    expect(upstream.requests[0]?.headers.get('if-none-match')).toBe('"v1"');
    expect(upstream.requests[0]?.headers.get('if-modified-since')).toBe('x');
    expect(batches).toEqual([]);
  });

  it('a replayed catalog (server ignoring the conditional request) changes nothing; the same text parses the same', async () => {
    const first = await collect(kevFeed.sync(feedRun('kev', recordedUpstream(() => json(catalog)).fetch)));
    const again = await collect(kevFeed.sync(feedRun('kev', recordedUpstream(() => json(catalog)).fetch)));
    expect(again).toEqual(first);
    const replay = await collect(
      kevFeed.sync(feedRun('kev', recordedUpstream(() => json(catalog)).fetch, { cursor: first[0]?.cursor })),
    );
    expect(replay).toEqual([]);
  });

  it('an older catalog from a stale mirror does not overwrite a newer one', async () => {
    const newer = await collect(kevFeed.sync(feedRun('kev', recordedUpstream(() => json(nextCatalog())).fetch)));
    const stale = await collect(
      kevFeed.sync(feedRun('kev', recordedUpstream(() => json(catalog)).fetch, { cursor: newer[0]?.cursor })),
    );
    expect(stale).toEqual([]);
  });

  it('one bad entry in a good catalog is quarantined beside the stored ones, and the cursor advances', async () => {
    const doc = JSON.parse(catalog);
    doc.vulnerabilities[0].dateAdded = 'yesterday';
    const batches = await collect(
      kevFeed.sync(feedRun('kev', recordedUpstream(() => json(JSON.stringify(doc))).fetch)),
    );
    const records = batches.flatMap((b) => b.records);
    expect(entries(records)).toHaveLength(2);
    expect(records.filter((r) => r.kind === 'quarantine')).toMatchObject([{ document: 'kev:CVE-2025-0108' }]);
    expect(batches.at(-1)?.cursor).toMatchObject({ catalogVersion: '2025.02.19' });
  });

  it('a document that is not a catalog is quarantined whole; the cursor and validators stay', async () => {
    const batches = await collect(
      kevFeed.sync(
        feedRun('kev', recordedUpstream(() => json('{"error":"maintenance"}', { etag: '"x"' })).fetch, {
          cursor: 'old',
        }),
      ),
    );
    expect(batches).toEqual([
      { records: [expect.objectContaining({ kind: 'quarantine', document: KEV_URL })], cursor: 'old' },
    ]);
  });

  it('a large catalog arrives in slices; only the last carries the new cursor', async () => {
    const doc = JSON.parse(catalog);
    const base = doc.vulnerabilities[0];
    doc.vulnerabilities = Array.from({ length: 4_500 }, (_, i) => ({ ...base, cveID: `CVE-2025-${10_000 + i}` }));
    const batches = await collect(
      kevFeed.sync(feedRun('kev', recordedUpstream(() => json(JSON.stringify(doc))).fetch, { cursor: 'old' })),
    );
    expect(batches.map((b) => entries(b.records).length)).toEqual([2_000, 2_000, 500]);
    expect(batches.map((b) => typeof b.cursor)).toEqual(['string', 'string', 'object']);
  });

  describe('faults throw FeedError and yield nothing', () => {
    const bytes = new TextEncoder().encode(catalog);
    const cases: Record<string, () => Response | Promise<Response>> = {
      '5xx': () => new Response('upstream down', { status: 503, headers: { 'retry-after': '120' } }),
      timeout,
      reset: () => resetResponse(bytes, 'application/json', 100),
      'truncated body': () => truncatedResponse(bytes, 'application/json'),
      'wrong content type': () =>
        new Response('<html>Access denied</html>', { headers: { 'content-type': 'text/html' } }),
      'JSON cut short without a Content-Length': () => json(catalog.slice(0, 500)),
    };
    for (const [name, answer] of Object.entries(cases)) {
      it(name, async () => {
        const { batches, error } = await collectUntilFailure(
          kevFeed.sync(feedRun('kev', recordedUpstream(answer).fetch)),
        );
        expect(error).toBeInstanceOf(FeedError);
        expect(batches).toEqual([]);
        if (name === '5xx') expect((error as FeedError).retryAfterSeconds).toBe(120);
      });
    }
  });
});
