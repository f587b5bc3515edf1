/**
 * `{ECOSYSTEM}/modified_id.csv`: a line `<RFC 3339 modified>,<ID>` per record, newest first. Read
 * as a stream down to the cursor and no further, so a run that finds little new reads little.
 */
import { FeedError } from '../errors';
import type { FeedRecord } from '../feed';
import { lines } from '../http';
import type { ChangesCursor } from './config';
import { quarantine } from './record';
import { OSV_ID } from './source';
import { timeKey } from './timestamps';

export interface Change {
  /** As the file writes it; the cursor keeps it so. */
  readonly modified: string;
  readonly id: string;
  readonly key: string;
}

export type ChangeList =
  | {
      /** Records changed since the cursor, oldest first (ties by id), the order cursors advance in. */
      readonly changes: readonly Change[];
      /** Lines that are not `<time>,<id>`. */
      readonly problems: readonly FeedRecord[];
    }
  | { readonly tooMany: true };

/** Whether a change is at or before the cursor (already stored). */
export function covered(change: Pick<Change, 'key' | 'id'>, cursorKey: string, cursor: ChangesCursor): boolean {
  if (change.key !== cursorKey) return change.key < cursorKey;
  return cursor.id === null || change.id <= cursor.id;
}

/**
 * The changes listed since the cursor, or `tooMany` past `max` (reloading all.zip is then cheaper).
 * Reading stops at the first line older than the cursor's instant; lines of that very instant are
 * read on, since the file does not order them by id.
 */
export async function listChanges(
  response: Response,
  url: string,
  since: ChangesCursor,
  max: number,
): Promise<ChangeList> {
  const sinceKey = timeKey(since.modified) ?? '';
  let received = 0;
  const stop = new AbortController();
  const counted = (response.body ?? new ReadableStream<Uint8Array>()).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
    { signal: stop.signal },
  );
  const changes: Change[] = [];
  const problems: FeedRecord[] = [];
  let reachedCursor = false;
  let lineNumber = 0;
  try {
    for await (const line of lines(counted, url)) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const comma = line.indexOf(',');
      const modified = line.slice(0, Math.max(0, comma)).trim();
      const id = line.slice(comma + 1).trim();
      const key = comma > 0 ? timeKey(modified) : null;
      if (key === null || !OSV_ID.test(id)) {
        problems.push(quarantine(`modified_id.csv line ${lineNumber}`, 'not "<RFC 3339 time>,<OSV id>"', line));
        continue;
      }
      if (key < sinceKey || (key === sinceKey && since.id === null)) {
        reachedCursor = true;
        break;
      }
      if (covered({ key, id }, sinceKey, since)) continue;
      if (changes.length >= max) return { tooMany: true };
      changes.push({ modified, id, key });
    }
  } finally {
    // Stopped at the cursor (or at too many): the rest of the file is not wanted.
    stop.abort();
  }
  if (!reachedCursor) {
    // Read to the end: a cut body would look like a shorter list whose oldest changes are missing.
    const declared = response.headers.get('content-length');
    if (declared !== null && !response.headers.get('content-encoding') && Number(declared) !== received) {
      throw new FeedError(`${url}: body truncated (${received} of ${declared} bytes)`);
    }
  }
  changes.sort((a, b) => (a.key === b.key ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.key < b.key ? -1 : 1));
  return { changes, problems };
}
