/**
 * The language packages of the inventory (npm, PyPI, Maven, Go, crates.io, ... from SBOMs) through
 * OSV's API: POST /v1/querybatch for exactly the packages installed anywhere (it answers ids and
 * `modified` only), then GET /v1/vulns/{id} for each record not already stored as of that `modified`.
 * Packages are taken in (ecosystem, name) order, a request's worth at a time, so a run cut short
 * resumes after the last package whose records are all stored.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRun } from '../feed';
import { fetchFeed, readJson } from '../http';
import { PendingBatch } from './batch';
import type { InventoryCursor } from './config';
import { fetchRecord } from './fetch-record';
import { QueryBatchAnswer } from './input';
import { quarantine } from './record';
import { LANGUAGE_ECOSYSTEMS, OSV_ID, type OsvLimits, QUERYBATCH_URL, vulnUrl } from './source';

interface Package {
  readonly ecosystem: string;
  readonly name: string;
}

interface Vuln {
  readonly id: string;
  readonly modified: string;
}

/** The next packages installed anywhere, after `after` in (ecosystem, name) order. */
async function packagesAfter(
  db: D1Database,
  after: readonly [string, string] | null,
  limit: number,
): Promise<Package[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT ecosystem, name FROM installed_packages
       WHERE ecosystem IN (SELECT value FROM json_each(?1))
         AND (?2 IS NULL OR (ecosystem, name) > (?2, ?3))
       ORDER BY ecosystem, name LIMIT ?4`,
    )
    .bind(JSON.stringify(LANGUAGE_ECOSYSTEMS), after?.[0] ?? null, after?.[1] ?? null, limit)
    .all<Package>();
  return results;
}

/** Every record OSV lists for the packages, following each query's pages. */
async function queryVulns(run: FeedRun, packages: readonly Package[], maxPages: number): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let queries: { package: Package; page_token?: string }[] = packages.map((p) => ({
    package: { ecosystem: p.ecosystem, name: p.name },
  }));
  for (let page = 1; queries.length > 0; page++) {
    if (page > maxPages) throw new FeedError(`${QUERYBATCH_URL}: still paging after ${maxPages} pages`);
    const fetched = await fetchFeed(run, QUERYBATCH_URL, {
      method: 'POST',
      body: JSON.stringify({ queries }),
      accept: 'application/json',
      contentType: /json/,
    });
    if (fetched.notModified) throw new FeedError(`${QUERYBATCH_URL} answered 304 to a query`);
    const answer = v.safeParse(QueryBatchAnswer, await readJson(fetched.response, QUERYBATCH_URL));
    if (!answer.success || answer.output.results.length !== queries.length) {
      throw new FeedError(`${QUERYBATCH_URL}: the answer does not match the ${queries.length} queries asked`);
    }
    const next: typeof queries = [];
    for (const [index, result] of answer.output.results.entries()) {
      for (const vuln of result.vulns ?? []) found.set(vuln.id, vuln.modified);
      const query = queries[index];
      if (result.next_page_token && query) next.push({ package: query.package, page_token: result.next_page_token });
    }
    queries = next;
  }
  return found;
}

/** How advisories stores `modified` (parse.ts): ISO with milliseconds. */
function storedForm(modified: string): string {
  const millis = Date.parse(modified);
  return Number.isNaN(millis) ? modified : new Date(millis).toISOString();
}

/** The records not stored yet, or stored as of another `modified`. */
async function notStored(db: D1Database, vulns: readonly Vuln[]): Promise<Vuln[]> {
  const stored = new Map<string, string>();
  for (let start = 0; start < vulns.length; start += 500) {
    const ids = vulns.slice(start, start + 500).map((vuln) => vuln.id);
    const { results } = await db
      .prepare(`SELECT id, modified FROM advisories WHERE scope = '' AND id IN (SELECT value FROM json_each(?1))`)
      .bind(JSON.stringify(ids))
      .all<{ id: string; modified: string }>();
    for (const row of results) stored.set(row.id, row.modified);
  }
  return vulns.filter((vuln) => stored.get(vuln.id) !== storedForm(vuln.modified));
}

export async function* syncInventory(
  run: FeedRun,
  cursor: InventoryCursor | null,
  limits: OsvLimits,
): AsyncGenerator<FeedBatch, void, void> {
  const completedAt = cursor?.completedAt ?? null;
  let after = cursor?.after ?? null;
  const pending = new PendingBatch(limits);
  // A record that affects packages in several requests is fetched once a run.
  const seen = new Set<string>();
  let fetches = 0;
  for (;;) {
    const packages = await packagesAfter(run.db, after, limits.queriesPerRequest);
    const last = packages[packages.length - 1];
    if (!last) break;
    const listed = await queryVulns(run, packages, limits.maxPages);
    const fresh: Vuln[] = [];
    for (const [id, modified] of [...listed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (seen.has(id)) continue;
      seen.add(id);
      if (OSV_ID.test(id)) fresh.push({ id, modified });
      else
        pending.add(
          quarantine(
            id.slice(0, 128),
            'querybatch listed an id that is not an OSV id',
            JSON.stringify({ id, modified }),
          ),
          0,
        );
    }
    const wanted = await notStored(run.db, fresh);
    // Until every record of these packages is stored, the cursor stays before them.
    const position: InventoryCursor = { completedAt, after };
    for (let start = 0; start < wanted.length; start += limits.concurrency) {
      if (Date.now() >= run.deadline || fetches >= limits.maxFetchesPerRun) {
        yield { records: pending.take(), cursor: position };
        return;
      }
      const group = wanted.slice(start, start + limits.concurrency);
      fetches += group.length;
      const read = await Promise.all(
        group.map((vuln) => fetchRecord(run, vulnUrl(vuln.id), vuln.id, limits.maxRecordBytes)),
      );
      for (const document of read) pending.add(document.record, document.bytes);
      if (pending.full) yield { records: pending.take(), cursor: position };
    }
    after = [last.ecosystem, last.name];
    yield { records: pending.take(), cursor: { completedAt, after } satisfies InventoryCursor };
    if (Date.now() >= run.deadline) return;
  }
  yield {
    records: pending.take(),
    cursor: { completedAt: run.now.toISOString(), after: null } satisfies InventoryCursor,
  };
}
