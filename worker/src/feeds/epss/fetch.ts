/**
 * Downloads FIRST's daily EPSS file (a gzip CSV of about 300,000 rows) and streams it: the body is
 * decompressed (at the pace of the parsing, see inflate.ts) and split into lines as it arrives,
 * and scores leave in batches, so the file is never held whole. The cursor is the score date of the last file stored completely; while a file
 * is being read it also says how many rows were delivered, so a run cut by its deadline (or by a
 * failure after some batches) resumes in the same file where it stopped.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRun } from '../feed';
import { fetchFeed, lines } from '../http';
import { openCsv } from './body';
import type { EpssFile } from './input';
import { EpssFormatError, epssBatches, epssRecords, readEpssHead } from './parse';

/** FIRST's current file; the older host epss.cyentia.com redirects here. */
export const EPSS_URL = 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz';

const Day = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));

export const EpssCursor = v.object({
  /** Score date of the last file stored completely. */
  scoreDate: v.nullable(Day),
  /** A file read part of the way: its rows up to `rows` are stored. */
  partial: v.optional(v.object({ scoreDate: Day, modelVersion: v.string(), rows: v.pipe(v.number(), v.integer()) })),
});
export type EpssCursor = v.InferOutput<typeof EpssCursor>;

function savedCursor(cursor: unknown): EpssCursor {
  const parsed = v.safeParse(EpssCursor, cursor);
  return parsed.success ? parsed.output : { scoreDate: null };
}

function sameFile(a: EpssFile, b: EpssFile): boolean {
  return a.scoreDate === b.scoreDate && a.modelVersion === b.modelVersion;
}

export async function* syncEpss(run: FeedRun): AsyncGenerator<FeedBatch, void, void> {
  const url = run.feed.url || EPSS_URL;
  const fetched = await fetchFeed(run, url, {
    accept: 'application/gzip, text/csv;q=0.9',
    etag: run.feed.etag,
    lastModified: run.feed.lastModified,
    contentType: /gzip|octet-stream|csv|text\/plain/,
  });
  if (fetched.notModified) return;
  const csv = await openCsv(fetched.response, url);
  const rows = lines(csv.body, url);
  try {
    const saved = savedCursor(run.feed.cursor);
    let file: EpssFile;
    try {
      file = await readEpssHead(rows);
    } catch (err) {
      if (err instanceof EpssFormatError) throw new FeedError(`${url}: not an EPSS file: ${err.message}`);
      throw err;
    }
    // Today's file again (a server ignoring the conditional request), or an older one from a stale cache.
    if (saved.scoreDate !== null && file.scoreDate <= saved.scoreDate) return;
    const resume = saved.partial && sameFile(saved.partial, file) ? saved.partial.rows : 0;
    try {
      for await (const batch of epssBatches(rows, file, { skipRows: resume })) {
        if (batch.last) {
          const cursor: EpssCursor = { scoreDate: file.scoreDate };
          yield { records: epssRecords(batch), cursor, etag: fetched.etag, lastModified: fetched.lastModified };
          return;
        }
        const cursor: EpssCursor = { scoreDate: saved.scoreDate, partial: { ...file, rows: batch.rowsRead } };
        yield { records: epssRecords(batch), cursor };
        if (Date.now() >= run.deadline) return;
      }
    } catch (err) {
      if (err instanceof EpssFormatError) throw new FeedError(`${url}: ${err.message}`);
      throw err;
    }
  } finally {
    await rows.return();
    await csv.cancel();
  }
}
