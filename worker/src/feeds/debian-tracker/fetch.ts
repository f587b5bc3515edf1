/**
 * Syncing the Debian security tracker's JSON. The tracker has no incremental API: each run asks
 * with If-Modified-Since / If-None-Match (the tracker sends Last-Modified: the time its data last
 * changed) and on a change reads the whole ~80 MB body as it streams, entry by entry, in batches.
 * The runner's content hashes make unchanged entries no-ops.
 *
 * A pass that runs out of time stops after an entry and saves where: the next run fetches the
 * body again (unconditionally) and skips forward to that point. Both levels of the tracker are
 * ordered by name, so "before the point" is a comparison, which stays right when packages come
 * or go between the two runs. If the body did change in between, the part already read is from
 * the older version, so the pass does not record the new validators at its end: the next run
 * then reads everything again instead of answering 304.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRecord, FeedRun } from '../feed';
import { fetchFeed } from '../http';
import { MalformedJsonError, nestedMembers } from './members';
import { trackerRecordFromText } from './parse';

export const TRACKER_URL = 'https://security-tracker.debian.org/tracker/data/json';

/** Records per batch: a few thousand at most, so one batch stores in one go. */
export const BATCH_RECORDS = 1000;
/** One entry's JSON; real ones are a few kilobytes, the cap only bounds a hostile body. */
const MAX_ENTRY_CHARS = 1024 * 1024;

const Validators = v.object({ etag: v.nullable(v.string()), lastModified: v.nullable(v.string()) });
type Validators = v.InferOutput<typeof Validators>;

/**
 * Where the feed stands. `done`: the last pass read the whole body, so the next run may ask
 * conditionally. Otherwise a pass stopped after `entry` of `package` (entry '' for a package
 * whose value was not an object); `validators` are those of the body the pass has read so far,
 * null when it changed during the pass.
 */
export const DebianTrackerCursor = v.union([
  v.object({ done: v.literal(true) }),
  v.object({
    done: v.literal(false),
    package: v.pipe(v.string(), v.maxLength(1024)),
    entry: v.pipe(v.string(), v.maxLength(1024)),
    validators: v.nullable(Validators),
  }),
]);
export type DebianTrackerCursor = v.InferOutput<typeof DebianTrackerCursor>;

/** A cursor this adapter cannot read (none yet, or another version's) starts a full unconditional pass. */
function readCursor(cursor: unknown): DebianTrackerCursor | null {
  const result = v.safeParse(DebianTrackerCursor, cursor);
  return result.success ? result.output : null;
}

function sameBody(a: Validators, b: Validators): boolean {
  // Without any validator two bodies cannot be told apart: assume they differ.
  if (a.etag === null && a.lastModified === null) return false;
  return a.etag === b.etag && a.lastModified === b.lastModified;
}

function isoFromHttpDate(value: string | null): string | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * The request's timeout also bounds reading the body, which pauses while the runner stores each
 * batch: give it the run's remaining budget, plus a margin, rather than a fixed 30 s.
 */
function timeoutFor(run: FeedRun): number {
  return Math.min(15 * 60_000, Math.max(30_000, run.deadline - Date.now() + 60_000));
}

/** Skips what a stopped pass already delivered: every member up to and including its last one. */
class ResumePoint {
  private skipping = true;

  constructor(
    private readonly pkg: string,
    private readonly entry: string,
  ) {}

  skips(pkg: string, entry: string): boolean {
    if (!this.skipping) return false;
    if (pkg < this.pkg || (pkg === this.pkg && entry < this.entry)) return true;
    this.skipping = false;
    return pkg === this.pkg && entry === this.entry;
  }
}

/** Counts the bytes that pass, so a body shorter than its Content-Length is refused. */
function byteCounter(): { stream: TransformStream<Uint8Array, Uint8Array>; count: () => number } {
  let total = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, count: () => total };
}

function asFeedError(url: string, err: unknown): FeedError {
  if (err instanceof FeedError) return err;
  if (err instanceof MalformedJsonError) return new FeedError(`${url}: not the tracker's JSON: ${err.message}`);
  return new FeedError(`${url}: reading the body failed: ${(err as Error).message}`, { cause: err });
}

export async function* syncDebianTracker(run: FeedRun): AsyncGenerator<FeedBatch, void, void> {
  const url = run.feed.url || TRACKER_URL;
  const cursor = readCursor(run.feed.cursor);
  const resume = cursor && !cursor.done ? cursor : null;
  const conditional = cursor?.done === true;
  const fetched = await fetchFeed(run, url, {
    accept: 'application/json',
    contentType: /json/i,
    etag: conditional ? run.feed.etag : null,
    lastModified: conditional ? run.feed.lastModified : null,
    timeoutMs: timeoutFor(run),
  });
  if (fetched.notModified) return;
  const { response } = fetched;
  const current: Validators = { etag: fetched.etag, lastModified: fetched.lastModified };
  const pass = resume === null ? current : resume.validators && sameBody(resume.validators, current) ? current : null;
  // The tracker gives no per-entry date: an entry's `modified` is when the file last changed. It
  // is only stored when the entry's content hash changed, so it is close to when the entry did.
  const modified = isoFromHttpDate(fetched.lastModified) ?? run.now.toISOString();
  if (!response.body) throw new FeedError(`${url}: empty body`);

  const counter = byteCounter();
  const text = response.body
    .pipeThrough(counter.stream)
    .pipeThrough(new TextDecoderStream('utf-8', { fatal: true }) as TransformStream<Uint8Array, string>);
  const skipper = resume ? new ResumePoint(resume.package, resume.entry) : null;
  const stoppedAfter = (pkg: string, entry: string): DebianTrackerCursor => ({
    done: false,
    package: pkg,
    entry,
    validators: pass,
  });

  let records: FeedRecord[] = [];
  try {
    for await (const member of nestedMembers(text, MAX_ENTRY_CHARS)) {
      const entry = member.kind === 'nested' ? member.inner : '';
      if (skipper?.skips(member.outer, entry)) continue;
      const record =
        member.kind === 'nested'
          ? await trackerRecordFromText(member.outer, member.inner, member.text, member.truncated, modified)
          : ({
              kind: 'quarantine',
              document: member.outer,
              reason: 'a package whose value is not an object of entries',
              content: member.text.slice(0, 4096),
            } as const);
      if (record) records.push(record);
      // Checked only after a member was read in this run, so every run moves forward.
      const stop = Date.now() >= run.deadline;
      if (records.length >= BATCH_RECORDS || stop) {
        yield { records, cursor: stoppedAfter(member.outer, entry) };
        records = [];
        if (stop) return;
      }
    }
  } catch (err) {
    throw asFeedError(url, err);
  }
  const declared = response.headers.get('content-length');
  // Compressed transfers report the compressed length; only plain ones can be checked.
  if (declared !== null && !response.headers.get('content-encoding') && Number(declared) !== counter.count()) {
    throw new FeedError(`${url}: body truncated (${counter.count()} of ${declared} bytes)`);
  }
  yield { records, cursor: { done: true }, etag: pass?.etag ?? null, lastModified: pass?.lastModified ?? null };
}
