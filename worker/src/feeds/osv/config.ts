/**
 * An OSV feed's configuration and its cursors. A saved cursor that does not read as the mode's own
 * (a feed switched modes, or an older shape) counts as none: starting over is always safe, since
 * storing the same record twice changes nothing.
 */
import * as v from 'valibot';
import { timeKey } from './timestamps';

export const OsvFeedConfig = v.variant('mode', [
  /** One distribution ecosystem in bulk: Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux, Red Hat, SUSE, ... */
  v.object({
    mode: v.literal('bulk'),
    ecosystem: v.pipe(
      v.string(),
      v.regex(
        /^[A-Za-z][A-Za-z0-9 .:_-]{0,63}$/,
        'ecosystem is an OSV ecosystem name such as "Debian" or "Rocky Linux"',
      ),
    ),
  }),
  /** The language packages of the inventory (npm, PyPI, Maven, Go, crates.io, ...) through the API. */
  v.object({ mode: v.literal('inventory') }),
]);
export type OsvFeedConfig = v.InferOutput<typeof OsvFeedConfig>;

const Timestamp = v.pipe(
  v.string(),
  v.check((value) => timeKey(value) !== null, 'an RFC 3339 timestamp'),
);

/** The first load, part way through all.zip: entries before `entries` are stored; `newest` is the latest `modified` among them. */
export const ArchiveCursor = v.object({
  archive: v.object({
    /** The archive read: a resumed read skips entries only in the same one. */
    etag: v.nullable(v.string()),
    entries: v.pipe(v.number(), v.integer(), v.minValue(0)),
    newest: v.nullable(Timestamp),
  }),
});
export type ArchiveCursor = v.InferOutput<typeof ArchiveCursor>;

/**
 * Following modified_id.csv: every record ordered at or before (`modified`, `id`) is stored. `id`
 * null covers the whole instant (after all.zip); an id covers that instant's records up to it, as
 * several records can share one `modified` and a batch may end among them.
 */
export const ChangesCursor = v.object({ modified: Timestamp, id: v.nullable(v.string()) });
export type ChangesCursor = v.InferOutput<typeof ChangesCursor>;

export const BulkCursor = v.union([ArchiveCursor, ChangesCursor]);
export type BulkCursor = v.InferOutput<typeof BulkCursor>;

/**
 * The inventory mode: when a pass over every package last completed, and during a pass the last
 * package (by ecosystem, name) whose records are stored.
 */
export const InventoryCursor = v.object({
  completedAt: v.nullable(v.string()),
  after: v.nullable(v.tuple([v.string(), v.string()])),
});
export type InventoryCursor = v.InferOutput<typeof InventoryCursor>;

export function cursorOf<S extends v.GenericSchema>(schema: S, saved: unknown): v.InferOutput<S> | null {
  const parsed = v.safeParse(schema, saved);
  return parsed.success ? parsed.output : null;
}
