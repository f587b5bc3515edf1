/**
 * Syncing secdb files. Every file is asked for conditionally with its own validators (kept in the
 * cursor, since one feed reads several files); when none changed, nothing happens. When one did,
 * the unchanged ones are fetched again too, because an advisory spans releases and is rebuilt
 * from all of them; the runner's content hashes make the unchanged advisories no-ops.
 *
 * Advisories go out in id order, in batches. A pass that runs out of time saves the last id it
 * delivered and the validators of the files it read; the next run fetches them again and goes
 * on after that id if they are the same files, or starts the pass over if any changed.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRecord, FeedRun, FeedState } from '../feed';
import { fetchFeed, readJson } from '../http';
import { SecdbConfig, SecdbFile } from './input';
import { SecdbCollector, type SecdbSource, secdbRecord } from './parse';

export const ALPINE_SECDB_URL = 'https://secdb.alpinelinux.org/';
export const WOLFI_SECDB_URL = 'https://packages.wolfi.dev/os/security.json';

export const BATCH_RECORDS = 1000;
/** A secdb file is a few hundred kilobytes (Wolfi's a few megabytes); anything near this is not one. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

const Validators = v.object({ etag: v.nullable(v.string()), lastModified: v.nullable(v.string()) });
type Validators = v.InferOutput<typeof Validators>;
const FileValidators = v.record(v.string(), Validators);
type FileValidators = v.InferOutput<typeof FileValidators>;

/**
 * `files`: validators of the files as the last finished pass read them. `pass`: an unfinished
 * pass, over the files with these validators, that delivered every advisory up to `after`.
 */
export const SecdbCursor = v.object({
  files: FileValidators,
  pass: v.optional(v.object({ files: FileValidators, after: v.pipe(v.string(), v.maxLength(300)) })),
});
export type SecdbCursor = v.InferOutput<typeof SecdbCursor>;

function readCursor(cursor: unknown): SecdbCursor {
  const result = v.safeParse(SecdbCursor, cursor);
  return result.success ? result.output : { files: {} };
}

/** The files a feed reads, from its configuration; a configuration that names none is an error. */
export function sourcesOf(feed: FeedState): { sources: SecdbSource[]; prefix: string } {
  const parsed = v.safeParse(SecdbConfig, feed.config);
  if (!parsed.success) throw new Error(`feed ${feed.id}: bad config: ${parsed.issues[0]?.message ?? 'malformed'}`);
  const config = parsed.output;
  const prefix = config.ecosystem.toUpperCase();
  if (config.ecosystem !== 'Alpine') {
    const url = config.url ?? (feed.url || WOLFI_SECDB_URL);
    return { prefix, sources: [{ url, ecosystem: config.ecosystem, label: config.ecosystem, release: null }] };
  }
  if (config.releases.length === 0) throw new Error(`feed ${feed.id}: config.releases names no Alpine release`);
  const base = config.url ?? (feed.url || ALPINE_SECDB_URL);
  const root = base.endsWith('/') ? base : `${base}/`;
  const sources = config.releases.flatMap((release) =>
    config.repos.map(
      (repo): SecdbSource => ({
        url: new URL(`${release}/${repo}.json`, root).toString(),
        ecosystem: `Alpine:${release}`,
        label: `${release}/${repo}`,
        release,
      }),
    ),
  );
  return { prefix, sources };
}

function sameFiles(a: FileValidators, b: FileValidators): boolean {
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  return keys.every((url) => {
    const x = a[url];
    const y = b[url];
    // Without any validator two bodies cannot be told apart: assume they differ.
    if (!x || !y || (x.etag === null && x.lastModified === null)) return false;
    return x.etag === y.etag && x.lastModified === y.lastModified;
  });
}

function newest(dates: readonly (string | null)[]): string | null {
  let best: number | null = null;
  for (const date of dates) {
    const time = date === null ? Number.NaN : Date.parse(date);
    if (!Number.isNaN(time) && (best === null || time > best)) best = time;
  }
  return best === null ? null : new Date(best).toISOString();
}

interface ReadFile {
  readonly source: SecdbSource;
  readonly file: SecdbFile;
  readonly validators: Validators;
}

async function readSecdbFile(
  run: FeedRun,
  source: SecdbSource,
  validators: Validators | null,
): Promise<ReadFile | null> {
  const fetched = await fetchFeed(run, source.url, {
    accept: 'application/json',
    contentType: /json/i,
    etag: validators?.etag,
    lastModified: validators?.lastModified,
  });
  if (fetched.notModified) return null;
  const body = await readJson(fetched.response, source.url, MAX_FILE_BYTES);
  // A file of the wrong shape is not a document to set aside: without it every advisory would
  // lose its releases, so the run fails and the stored advisories stay as they were.
  const file = v.safeParse(SecdbFile, body);
  if (!file.success) throw new FeedError(`${source.url}: not a secdb file: ${file.issues[0]?.message ?? 'malformed'}`);
  if (source.release && file.output.distroversion && file.output.distroversion !== source.release) {
    throw new FeedError(`${source.url}: holds ${file.output.distroversion}, not ${source.release}`);
  }
  return { source, file: file.output, validators: { etag: fetched.etag, lastModified: fetched.lastModified } };
}

export async function* syncSecdb(run: FeedRun): AsyncGenerator<FeedBatch, void, void> {
  const { sources, prefix } = sourcesOf(run.feed);
  const cursor = readCursor(run.feed.cursor);

  // A pass in progress needs its files whatever they say; otherwise ask whether anything changed.
  const files: (ReadFile | null)[] = [];
  for (const source of sources) {
    files.push(await readSecdbFile(run, source, cursor.pass ? null : (cursor.files[source.url] ?? null)));
  }
  if (files.every((f) => f === null)) return;
  const read: ReadFile[] = [];
  for (const [index, source] of sources.entries()) {
    read.push(files[index] ?? ((await readSecdbFile(run, source, null)) as ReadFile));
  }

  const validators: FileValidators = Object.fromEntries(read.map((f) => [f.source.url, f.validators]));
  const collector = new SecdbCollector(prefix);
  for (const f of read) collector.add(f.source, f.file);
  const { advisories, quarantined } = collector.finish();
  const after = cursor.pass && sameFiles(cursor.pass.files, validators) ? cursor.pass.after : null;
  const todo = after === null ? advisories : advisories.filter((a) => a.id > after);
  // secdb has no dates: an advisory's `modified` is when its files last changed (or now, without
  // Last-Modified); it is only stored when its content hash changed.
  const modified = newest(read.map((f) => f.validators.lastModified)) ?? run.now.toISOString();

  let records: FeedRecord[] = [];
  for (const collected of todo) {
    records.push(await secdbRecord(prefix, collected, modified));
    const stop = Date.now() >= run.deadline;
    if (records.length >= BATCH_RECORDS || stop) {
      yield { records, cursor: { files: cursor.files, pass: { files: validators, after: collected.id } } };
      records = [];
      if (stop) return;
    }
  }
  yield { records: [...records, ...quarantined], cursor: { files: validators } satisfies SecdbCursor };
}
