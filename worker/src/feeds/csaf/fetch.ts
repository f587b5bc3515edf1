/**
 * Syncing a CSAF 2.0 provider: its provider-metadata.json names where the documents are, either a
 * directory whose changes.csv lists every document with its last change (newest first) or ROLIE
 * feeds whose entries link each document; each document is checked against its .sha512. Index
 * files are requested conditionally (ETag / Last-Modified); documents changed since the saved
 * position are fetched in time order and delivered in batches, each with the position after its
 * last document, so a run that stops (its deadline, an upstream failure) resumes exactly there.
 * The first run reads back `config.since` (default: 90 days), not the provider's twenty years.
 * Red Hat's deletions.csv becomes `deleted` records.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRecord, FeedRun } from '../feed';
import { type Fetched, fetchFeed, lines, readJson } from '../http';
import { advance, type CsafCursor, isNew, type Position, readCursor, type Source } from './cursor';
import { documentUrl, type IndexEntry, idFromPath, readCsvLine, rolieEntries } from './indexes';
import { ProviderMetadata, RolieFeed } from './input';
import { NOT_HTML, retrieveDocument } from './retrieve';

export const REDHAT_PROVIDER_METADATA = 'https://security.access.redhat.com/data/csaf/v2/provider-metadata.json';
export const MICROSOFT_PROVIDER_METADATA = 'https://msrc.microsoft.com/csaf/provider-metadata.json';

const DAY_MS = 86_400_000;
const DEFAULT_SINCE_DAYS = 90;
const DEFAULT_BATCH_DOCUMENTS = 50;
const DELETIONS_PER_BATCH = 1000;

interface Config {
  /** Epoch ms: on a first run, documents changed before this are not read. */
  readonly sinceMs: number;
  readonly batchDocuments: number;
  /** Whether this directory keeps a deletions.csv (not part of CSAF; Red Hat has one). */
  readonly deletions: (directory: string) => boolean;
  /** Which of the provider's distributions to follow (directory or ROLIE feed URLs); all when unset. */
  readonly distributions: ReadonlySet<string> | undefined;
}

/**
 * `config.since` (ISO date), `config.batchSize` (documents per batch), `config.deletions` (read
 * deletions.csv; by default only on Red Hat's host, the one provider known to keep it) and
 * `config.distributions` (the directory or ROLIE feed URLs to follow, e.g. only Red Hat's
 * advisories/ and not its per-CVE vex/ directory).
 */
function readConfig(config: Readonly<Record<string, unknown>>, now: Date): Config {
  const since = typeof config.since === 'string' ? Date.parse(config.since) : Number.NaN;
  const size = config.batchSize;
  const distributions = Array.isArray(config.distributions)
    ? new Set(config.distributions.filter((d): d is string => typeof d === 'string'))
    : undefined;
  return {
    distributions,
    sinceMs: Number.isNaN(since) ? now.getTime() - DEFAULT_SINCE_DAYS * DAY_MS : since,
    batchDocuments:
      typeof size === 'number' && Number.isInteger(size) && size >= 1 && size <= 1000 ? size : DEFAULT_BATCH_DOCUMENTS,
    deletions: (directory) =>
      typeof config.deletions === 'boolean' ? config.deletions : /^https:\/\/[^/]*\.redhat\.com\//.test(directory),
  };
}

/** A ReadableStream of the body that fails at its end when fewer bytes came than Content-Length said. */
function checkedBody(response: Response): ReadableStream<Uint8Array> {
  const declared = response.headers.get('content-length');
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  if (declared === null || response.headers.get('content-encoding')) return body;
  let total = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush() {
        if (total !== Number(declared)) throw new Error(`body truncated (${total} of ${declared} bytes)`);
      },
    }),
  );
}

class Sync {
  readonly cursor: CsafCursor;
  /** Whether the cursor holds something not yet delivered in a batch (new validators). */
  dirty = false;

  constructor(
    readonly run: FeedRun,
    readonly config: Config,
  ) {
    this.cursor = readCursor(run.feed.cursor);
  }

  batch(records: FeedRecord[]): FeedBatch {
    this.dirty = false;
    return { records, cursor: structuredClone(this.cursor) };
  }

  position(index: string): Position | undefined {
    return this.cursor.positions[index];
  }

  deadlinePassed(): boolean {
    return Date.now() >= this.run.deadline;
  }

  /** Where the documents are; from the saved list when provider-metadata.json has not changed. */
  async sources(): Promise<Source[]> {
    const url = this.run.feed.url;
    const saved = this.cursor.metadata;
    const fetched = await fetchFeed(this.run, url, {
      accept: 'application/json',
      contentType: /json/i,
      etag: saved?.etag,
      lastModified: saved?.lastModified,
    });
    if (fetched.notModified && !saved) throw new FeedError(`${url} answered 304 to an unconditional request`);
    if (!fetched.notModified) {
      const result = v.safeParse(ProviderMetadata, await readJson(fetched.response, url));
      if (!result.success) {
        const issue = result.issues[0];
        throw new FeedError(
          `${url} is not a CSAF provider-metadata.json: ${issue ? `${v.getDotPath(issue) ?? ''} ` : ''}${issue?.message}`,
        );
      }
      const distributions = result.output.distributions ?? [];
      const all: Source[] = [
        ...distributions.flatMap((d) =>
          d.directory_url ? [{ kind: 'directory' as const, url: d.directory_url.replace(/\/?$/, '/') }] : [],
        ),
        ...distributions.flatMap((d) => (d.rolie?.feeds ?? []).map((f) => ({ kind: 'rolie' as const, url: f.url }))),
      ];
      this.cursor.metadata = { etag: fetched.etag, lastModified: fetched.lastModified, sources: all };
      this.dirty = true;
    }
    const all = this.cursor.metadata?.sources ?? [];
    if (all.length === 0) throw new FeedError(`${url} lists neither a directory_url nor a ROLIE feed`);
    const chosen = this.config.distributions;
    const directories = all.filter((s) => s.kind === 'directory');
    // Both kinds list the same documents; a directory's changes.csv is the smaller index to poll.
    const sources = chosen
      ? all.filter((s) => chosen.has(s.url) || chosen.has(s.url.replace(/\/$/, '')))
      : directories.length > 0
        ? directories
        : all;
    if (sources.length === 0) throw new FeedError(`${url} lists none of the distributions in config.distributions`);
    // Positions of index files no longer followed are dropped with them.
    const indexes = new Set(
      sources.flatMap((s) => (s.kind === 'rolie' ? [s.url] : [`${s.url}changes.csv`, `${s.url}deletions.csv`])),
    );
    for (const key of Object.keys(this.cursor.positions)) {
      if (!indexes.has(key)) {
        delete this.cursor.positions[key];
        this.dirty = true;
      }
    }
    return sources;
  }

  async fetchIndex(url: string, accept: string, contentType: RegExp): Promise<Fetched> {
    const position = this.position(url);
    return fetchFeed(this.run, url, {
      accept,
      contentType,
      etag: position?.etag,
      lastModified: position?.lastModified,
    });
  }

  /** The index is read to its end: its validators are saved, so the next run asks conditionally. */
  finishIndex(url: string, fetched: Extract<Fetched, { notModified: false }>): void {
    const position = this.position(url);
    // A first reading with nothing new still starts the position, at the start of the window.
    const at = position?.at ?? new Date(this.config.sinceMs).toISOString();
    this.cursor.positions[url] = {
      at,
      done: position?.done ?? [],
      etag: fetched.etag,
      lastModified: fetched.lastModified,
    };
    this.dirty = true;
  }

  /**
   * Red Hat's deletions.csv: each document deleted since the position becomes a `deleted` record.
   * Answers when each path was deleted, so changes.csv entries of deleted documents are not fetched.
   */
  async *deletions(directory: string): AsyncGenerator<FeedBatch, Map<string, number>, void> {
    const url = `${directory}deletions.csv`;
    const deleted = new Map<string, number>();
    const fetched = await this.fetchIndex(url, 'text/csv, text/plain;q=0.9', NOT_HTML);
    if (fetched.notModified) return deleted;
    const fresh: { path: string; time: number }[] = [];
    const position = this.position(url);
    for await (const line of lines(checkedBody(fetched.response), url)) {
      const row = readCsvLine(line);
      if (!row) continue;
      deleted.set(row.path, Math.max(row.time, deleted.get(row.path) ?? 0));
      if (isNew(position, this.config.sinceMs, row.time, row.path)) fresh.push(row);
    }
    fresh.sort((a, b) => a.time - b.time || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (let i = 0; i < fresh.length; i += DELETIONS_PER_BATCH) {
      const chunk = fresh.slice(i, i + DELETIONS_PER_BATCH);
      for (const row of chunk) this.cursor.positions[url] = advance(this.position(url), row.time, row.path);
      if (i + DELETIONS_PER_BATCH >= fresh.length) this.finishIndex(url, fetched);
      yield this.batch(chunk.map((row): FeedRecord => ({ kind: 'deleted', id: idFromPath(row.path) })));
    }
    if (fresh.length === 0) this.finishIndex(url, fetched);
    return deleted;
  }

  /** The entries of a directory's changes.csv past the position, oldest first. */
  async *directory(directory: string, deleted: ReadonlyMap<string, number>): AsyncGenerator<FeedBatch, boolean, void> {
    const url = `${directory}changes.csv`;
    const fetched = await this.fetchIndex(url, 'text/csv, text/plain;q=0.9', NOT_HTML);
    if (fetched.notModified) return true;
    const position = this.position(url);
    const latest = new Map<string, IndexEntry & { deleted: boolean }>();
    for await (const line of lines(checkedBody(fetched.response), url)) {
      const row = readCsvLine(line);
      if (!row || !isNew(position, this.config.sinceMs, row.time, row.path)) continue;
      if ((latest.get(row.path)?.time ?? -1) >= row.time) continue;
      const documentAt = documentUrl(directory, row.path) ?? `${directory}${row.path}`;
      latest.set(row.path, {
        key: row.path,
        time: row.time,
        url: documentAt,
        hashUrl: `${documentAt}.sha512`,
        // Deleted after (or when) it last changed: gone, and its deletion is delivered.
        deleted: (deleted.get(row.path) ?? -1) >= row.time,
      });
    }
    return yield* this.documents(url, fetched, [...latest.values()], (entry) =>
      documentUrl(directory, entry.key) === undefined
        ? {
            kind: 'quarantine',
            document: entry.key,
            reason: `changes.csv names a path outside ${directory}`,
            content: '',
          }
        : undefined,
    );
  }

  /** The entries of a ROLIE feed past the position, oldest first. */
  async *rolie(url: string): AsyncGenerator<FeedBatch, boolean, void> {
    const fetched = await this.fetchIndex(url, 'application/json', /json/i);
    if (fetched.notModified) return true;
    const result = v.safeParse(RolieFeed, await readJson(fetched.response, url));
    if (!result.success) {
      const issue = result.issues[0];
      throw new FeedError(
        `${url} is not a ROLIE feed: ${issue ? `${v.getDotPath(issue) ?? ''} ` : ''}${issue?.message}`,
      );
    }
    const position = this.position(url);
    const latest = new Map<string, IndexEntry & { deleted: boolean }>();
    for (const entry of rolieEntries(result.output)) {
      if (Number.isNaN(entry.time) || !isNew(position, this.config.sinceMs, entry.time, entry.key)) continue;
      if ((latest.get(entry.key)?.time ?? -1) >= entry.time) continue;
      latest.set(entry.key, { ...entry, deleted: false });
    }
    return yield* this.documents(url, fetched, [...latest.values()], () => undefined);
  }

  /**
   * Fetches the entries in (time, key) order, in batches of `batchDocuments`. Answers false when
   * the deadline stopped it (the last batch's position is where the next run resumes).
   */
  async *documents(
    index: string,
    fetched: Extract<Fetched, { notModified: false }>,
    entries: (IndexEntry & { deleted: boolean })[],
    refuse: (entry: IndexEntry) => FeedRecord | undefined,
  ): AsyncGenerator<FeedBatch, boolean, void> {
    entries.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let records: FeedRecord[] = [];
    let taken = 0;
    for (const entry of entries) {
      if (this.deadlinePassed()) {
        if (taken > 0) yield this.batch(records);
        return false;
      }
      let record: FeedRecord | undefined;
      try {
        record = entry.deleted ? undefined : (refuse(entry) ?? (await retrieveDocument(this.run, entry)));
      } catch (err) {
        // What is stored so far stays stored; the failed document is retried on the next run.
        if (taken > 0) yield this.batch(records);
        throw err;
      }
      if (record) records.push(record);
      this.cursor.positions[index] = advance(this.position(index), entry.time, entry.key);
      taken += 1;
      if (taken >= this.config.batchDocuments) {
        yield this.batch(records);
        records = [];
        taken = 0;
      }
    }
    this.finishIndex(index, fetched);
    yield this.batch(records);
    return true;
  }
}

export async function* syncCsaf(run: FeedRun): AsyncGenerator<FeedBatch, void, void> {
  const sync = new Sync(run, readConfig(run.feed.config, run.now));
  const sources = await sync.sources();
  for (const source of sources) {
    let finished: boolean;
    if (source.kind === 'directory') {
      const deleted = sync.config.deletions(source.url) ? yield* sync.deletions(source.url) : new Map<string, number>();
      finished = yield* sync.directory(source.url, deleted);
    } else {
      finished = yield* sync.rolie(source.url);
    }
    if (!finished) return;
  }
  // New validators of provider-metadata.json or of an index with nothing new: saved all the same.
  if (sync.dirty) yield sync.batch([]);
}
