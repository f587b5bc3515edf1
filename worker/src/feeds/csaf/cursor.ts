/**
 * How far a CSAF feed has read. Each index file (a directory's changes.csv and deletions.csv, or a
 * ROLIE feed) keeps its own position: the newest change time fully stored, the documents already
 * stored at exactly that time (several documents often share one timestamp, and a run can stop
 * between them), and the validators of the index as of its last complete reading. The provider's
 * metadata keeps its validators and the index files it listed, so a 304 still says where to look.
 */
import * as v from 'valibot';

const Validators = {
  etag: v.nullable(v.string()),
  lastModified: v.nullable(v.string()),
};

export const Position = v.object({
  /** ISO timestamp: every change up to it is stored, except those at exactly `at` not in `done`. */
  at: v.string(),
  done: v.array(v.string()),
  ...Validators,
});
export type Position = v.InferOutput<typeof Position>;

export const Source = v.union([
  /** A CSAF directory (`directory_url`): changes.csv, and deletions.csv where the provider keeps one. */
  v.object({ kind: v.literal('directory'), url: v.string() }),
  v.object({ kind: v.literal('rolie'), url: v.string() }),
]);
export type Source = v.InferOutput<typeof Source>;

export const CsafCursor = v.object({
  metadata: v.optional(v.object({ ...Validators, sources: v.array(Source) })),
  positions: v.record(v.string(), Position),
});
export type CsafCursor = v.InferOutput<typeof CsafCursor>;

/** The saved cursor, or a fresh one (first run, or a cursor of another shape). */
export function readCursor(saved: unknown): CsafCursor {
  const result = v.safeParse(CsafCursor, saved);
  return result.success ? result.output : { positions: {} };
}

/** Whether an index entry changed at `time` (epoch ms) is past the position (or `since` before any). */
export function isNew(position: Position | undefined, sinceMs: number, time: number, key: string): boolean {
  if (!position) return time >= sinceMs;
  const at = Date.parse(position.at);
  return time > at || (time === at && !position.done.includes(key));
}

/** The position after storing the entry changed at `time`; entries come in (time, key) order. */
export function advance(position: Position | undefined, time: number, key: string): Position {
  const at = new Date(time).toISOString();
  if (position && Date.parse(position.at) === time) return { ...position, done: [...position.done, key] };
  return { at, done: [key], etag: position?.etag ?? null, lastModified: position?.lastModified ?? null };
}
