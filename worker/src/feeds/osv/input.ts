/**
 * The raw OSV record (https://ossf.github.io/osv-schema/), as far as Patchboard reads it. Loose:
 * fields we do not use, and fields added by later schema versions, pass through unchecked; the
 * fields we use are checked for type and shape so a malformed record is refused with the path.
 */
import * as v from 'valibot';

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const Version = v.pipe(v.string(), v.minLength(1, 'an event version is empty'), v.maxLength(256));

export const OsvEvent = v.union(
  [
    v.strictObject({ introduced: Version }),
    v.strictObject({ fixed: Version }),
    v.strictObject({ last_affected: Version }),
    v.strictObject({ limit: Version }),
  ],
  'an event has exactly one of introduced, fixed, last_affected, limit',
);

export const OsvRange = v.looseObject({
  type: v.picklist(['ECOSYSTEM', 'SEMVER', 'GIT'], 'range type is ECOSYSTEM, SEMVER or GIT'),
  repo: v.optional(Text(2048)),
  events: v.pipe(v.array(OsvEvent), v.minLength(1, 'a range needs events'), v.maxLength(1000)),
});

const Severities = v.pipe(v.array(v.looseObject({ type: Text(32), score: Text(512) })), v.maxLength(20));

export const OsvAffected = v.looseObject({
  package: v.optional(
    v.looseObject({
      ecosystem: v.pipe(Text(128), v.minLength(1)),
      name: v.pipe(Text(512), v.minLength(1)),
      purl: v.optional(Text(1024)),
    }),
  ),
  ranges: v.optional(v.pipe(v.array(OsvRange), v.maxLength(1000))),
  versions: v.optional(v.pipe(v.array(Version), v.maxLength(20_000))),
  /** Per-package scores (OSV 1.5+). */
  severity: v.optional(Severities),
  /** Ubuntu's USNs name the CVEs they fix, with their scores, here: `cves_map.cves[]`. */
  database_specific: v.optional(
    v.looseObject({
      cves_map: v.optional(
        v.looseObject({
          cves: v.optional(
            v.pipe(v.array(v.looseObject({ id: Text(128), severity: v.optional(Severities) })), v.maxLength(1000)),
          ),
        }),
      ),
    }),
  ),
});

export const OsvRecord = v.looseObject({
  schema_version: v.optional(Text(32)),
  id: v.pipe(
    v.string(),
    v.regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/, 'id must be 1-128 letters, digits or "._:+-"'),
  ),
  modified: v.pipe(v.string(), v.isoTimestamp('modified must be an RFC 3339 timestamp')),
  published: v.optional(v.pipe(v.string(), v.isoTimestamp('published must be an RFC 3339 timestamp'))),
  withdrawn: v.optional(v.pipe(v.string(), v.isoTimestamp('withdrawn must be an RFC 3339 timestamp'))),
  aliases: v.optional(v.pipe(v.array(Text(128)), v.maxLength(1000))),
  upstream: v.optional(v.pipe(v.array(Text(128)), v.maxLength(1000))),
  summary: v.optional(Text(1000)),
  severity: v.optional(Severities),
  details: v.optional(Text(100_000)),
  affected: v.optional(v.pipe(v.array(OsvAffected), v.maxLength(10_000))),
  references: v.optional(
    v.pipe(v.array(v.looseObject({ type: v.optional(Text(32)), url: Text(2048) })), v.maxLength(1000)),
  ),
});
export type OsvRecord = v.InferOutput<typeof OsvRecord>;

/** POST /v1/querybatch answers ids and `modified` only, one result per query in order; `{}` when none. */
export const QueryBatchAnswer = v.looseObject({
  results: v.array(
    v.looseObject({
      vulns: v.optional(v.array(v.looseObject({ id: Text(256), modified: Text(64) }))),
      next_page_token: v.optional(Text(4096)),
    }),
  ),
});
export type QueryBatchAnswer = v.InferOutput<typeof QueryBatchAnswer>;
