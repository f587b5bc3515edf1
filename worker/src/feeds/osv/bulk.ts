/**
 * A distribution's OSV records in bulk (Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux, Red Hat,
 * SUSE, ...). The first load streams `{ECOSYSTEM}/all.zip`; after it, each run reads
 * `{ECOSYSTEM}/modified_id.csv` (conditionally) down to the cursor and fetches just the records that
 * changed, oldest first, so the cursor after each batch covers exactly what was delivered.
 */
import type { FeedBatch, FeedRun } from '../feed';
import { fetchFeed } from '../http';
import { readArchive } from './archive';
import { PendingBatch } from './batch';
import { listChanges } from './changes';
import type { ArchiveCursor, BulkCursor, ChangesCursor } from './config';
import { fetchRecord } from './fetch-record';
import { quarantine, readOsvBytes } from './record';
import { archiveUrl, modifiedIdsUrl, type OsvLimits, recordUrl, streamTimeoutMs } from './source';
import { laterOf } from './timestamps';

/** Before any record, for an archive without one: modified_id.csv is then read whole. */
const BEGINNING = '1970-01-01T00:00:00Z';

const textOf = new TextDecoder('utf-8');

export async function* syncBulk(
  run: FeedRun,
  ecosystem: string,
  cursor: BulkCursor | null,
  limits: OsvLimits,
): AsyncGenerator<FeedBatch, void, void> {
  if (cursor === null || 'archive' in cursor) yield* loadArchive(run, ecosystem, cursor?.archive ?? null, limits);
  else yield* followChanges(run, ecosystem, cursor, limits);
}

/**
 * The first load: every record of all.zip. A run cut short (the deadline) resumes after the entries
 * delivered, in the same archive only (its ETag): a newer archive is read again from its start,
 * since records modified in between could otherwise fall between the two.
 */
async function* loadArchive(
  run: FeedRun,
  ecosystem: string,
  resume: ArchiveCursor['archive'] | null,
  limits: OsvLimits,
): AsyncGenerator<FeedBatch, void, void> {
  const url = archiveUrl(ecosystem);
  const fetched = await fetchFeed(run, url, {
    accept: 'application/zip',
    contentType: /zip|octet-stream/,
    timeoutMs: streamTimeoutMs(run.deadline),
  });
  if (fetched.notModified) return; // never asked for: no validators are sent
  const { response, etag } = fetched;
  const same = resume !== null && etag !== null && resume.etag === etag;
  let entries = same ? resume.entries : 0;
  let newest = same ? resume.newest : null;
  const declared = response.headers.get('content-length');
  const pending = new PendingBatch(limits);
  const body = response.body ?? new ReadableStream<Uint8Array>();
  for await (const entry of readArchive(body, url, {
    skip: entries,
    wants: (name) => name.endsWith('.json'),
    declaredLength: declared !== null && !response.headers.get('content-encoding') ? Number(declared) : null,
    maxEntryBytes: limits.maxRecordBytes,
    maxTotalBytes: limits.maxArchiveBytes,
  })) {
    if (entry.kind === 'file') {
      const read = await readOsvBytes(entry.bytes, entry.name);
      newest = laterOf(newest, read.modified);
      pending.add(read.record, entry.bytes.byteLength);
    } else if (entry.kind === 'refused') {
      pending.add(quarantine(entry.name, entry.reason, textOf.decode(entry.excerpt)), entry.excerpt.byteLength);
    }
    // Passed-over entries count too: the position is an index into the archive.
    entries = entry.index + 1;
    const late = Date.now() >= run.deadline;
    if (pending.full || late) {
      yield { records: pending.take(), cursor: { archive: { etag, entries, newest } } satisfies ArchiveCursor };
      if (late) return;
    }
  }
  // The whole archive is stored: from now on, what changed after its newest record.
  const done: ChangesCursor = { modified: newest ?? BEGINNING, id: null };
  yield { records: pending.take(), cursor: done };
}

/**
 * A later run: the records modified_id.csv lists as changed since the cursor, fetched oldest first.
 * Its validators are saved only with the batch that completes it, so a 304 always means that
 * everything it lists is stored.
 */
async function* followChanges(
  run: FeedRun,
  ecosystem: string,
  cursor: ChangesCursor,
  limits: OsvLimits,
): AsyncGenerator<FeedBatch, void, void> {
  const url = modifiedIdsUrl(ecosystem);
  const fetched = await fetchFeed(run, url, {
    etag: run.feed.etag,
    lastModified: run.feed.lastModified,
    accept: 'text/csv',
    contentType: /csv|text\/plain|octet-stream/,
    timeoutMs: streamTimeoutMs(run.deadline),
  });
  if (fetched.notModified) return;
  const listed = await listChanges(fetched.response, url, cursor, limits.maxChanges);
  if ('tooMany' in listed) {
    yield* loadArchive(run, ecosystem, null, limits);
    return;
  }
  const pending = new PendingBatch(limits);
  for (const problem of listed.problems) pending.add(problem, 0);
  let position: ChangesCursor = cursor;
  const { changes } = listed;
  for (let start = 0; start < changes.length; start += limits.concurrency) {
    if (Date.now() >= run.deadline || start >= limits.maxFetchesPerRun) {
      yield { records: pending.take(), cursor: position };
      return;
    }
    const group = changes.slice(start, start + limits.concurrency);
    const read = await Promise.all(
      group.map((change) => fetchRecord(run, recordUrl(ecosystem, change.id), change.id, limits.maxRecordBytes)),
    );
    for (const document of read) pending.add(document.record, document.bytes);
    const last = group[group.length - 1];
    if (last) position = { modified: last.modified, id: last.id };
    if (pending.full) yield { records: pending.take(), cursor: position };
  }
  yield { records: pending.take(), cursor: position, etag: fetched.etag, lastModified: fetched.lastModified };
}
