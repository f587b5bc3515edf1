import * as v from 'valibot';

/** Roles a tenant token can hold. `agent` tokens are bound to one host. */
export const Role = v.picklist(['admin', 'approver', 'operator', 'viewer', 'agent']);
export type Role = v.InferOutput<typeof Role>;

/**
 * A host name as admins and agents know it: DNS labels of letters, digits, `-` and `_`
 * (Windows and some CMDBs use `_`), dot-separated, at most 253 characters. Stored lower-case,
 * because DNS and NetBIOS names are case-insensitive and `WEB-01` must not become a second host.
 */
export const Hostname = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(253, 'hostname is longer than 253 characters'),
  v.regex(
    /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/,
    'hostname must be dot-separated labels of letters, digits, "-" and "_", each at most 63 characters',
  ),
  v.toLowerCase(),
);
export type Hostname = v.InferOutput<typeof Hostname>;

/** A deployment ring; rings are free-form so a tenant can add `canary` or `dmz`, but `test`, `pilot`, `prod` are the default plan. */
export const Ring = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9-]{0,31}$/, 'ring must be 1-32 lower-case letters, digits or "-", starting with a letter'),
);
export type Ring = v.InferOutput<typeof Ring>;

/** A free-form host tag such as `pci`, `web` or `team:payments`. */
export const Tag = v.pipe(
  v.string(),
  v.regex(/^[a-z0-9][a-z0-9:._/-]{0,63}$/, 'tag must be 1-64 lower-case letters, digits or ":._/-"'),
);
export type Tag = v.InferOutput<typeof Tag>;

/** Business criticality, 1 (most critical: outage stops the business) to 4 (least). */
export const Criticality = v.pipe(
  v.number(),
  v.integer('criticality must be an integer'),
  v.minValue(1, 'criticality is 1 (most critical) to 4'),
  v.maxValue(4, 'criticality is 1 (most critical) to 4'),
);

/** ISO 8601 UTC timestamp as stored and returned by the API. */
export const Timestamp = v.pipe(v.string(), v.isoTimestamp());

/** The visible, non-secret part of an API token, used to list and revoke it. */
export const TokenPrefix = v.pipe(
  v.string(),
  v.regex(/^pb_[A-Za-z0-9]{8}$/, 'token prefix looks like pb_ and 8 letters or digits'),
);

/** Opaque pagination cursor returned as `nextCursor`. */
export const Cursor = v.pipe(
  v.string(),
  v.maxLength(512),
  v.regex(/^[A-Za-z0-9_-]+$/, 'cursor is not one this API returned'),
);

/** Query parameters of every paginated list. */
export const PageQuery = {
  cursor: v.optional(Cursor),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'limit must be a whole number from 1 to 500'),
      v.transform(Number),
      v.number(),
      v.minValue(1, 'limit must be a whole number from 1 to 500'),
      v.maxValue(500, 'limit must be a whole number from 1 to 500'),
    ),
  ),
};

/** One page of a list: the items and the cursor of the next page, or null at the end. */
export function Page<T extends v.GenericSchema>(item: T) {
  return v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) });
}
