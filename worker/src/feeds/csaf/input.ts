/**
 * What Patchboard reads of a CSAF 2.0 provider: its provider-metadata.json, its ROLIE feeds, and
 * the parts of a CSAF document the parser uses. Loose objects throughout: everything else a
 * provider writes passes unchecked (the full CSAF check is validate/, run before this), while the
 * fields we use are checked for type and size so a malformed one is refused with its path.
 */
import * as v from 'valibot';

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const Url = v.pipe(v.string(), v.url('not a URL'), v.maxLength(2048));
const Timestamp = v.pipe(v.string(), v.isoTimestamp('not an RFC 3339 timestamp'));
const Ids = v.pipe(v.array(Text(1000)), v.maxLength(100_000));

/** provider-metadata.json: where the documents are (CSAF 2.0 section 7.1.20). */
export const ProviderMetadata = v.looseObject({
  canonical_url: v.optional(Url),
  distributions: v.optional(
    v.pipe(
      v.array(
        v.looseObject({
          directory_url: v.optional(Url),
          rolie: v.optional(
            v.looseObject({
              feeds: v.pipe(
                v.array(v.looseObject({ url: Url, tlp_label: v.optional(Text(32)), summary: v.optional(Text(1000)) })),
                v.maxLength(100),
              ),
            }),
          ),
        }),
      ),
      v.maxLength(100),
    ),
  ),
  publisher: v.optional(v.looseObject({ name: v.optional(Text(1000)), namespace: v.optional(Text(2048)) })),
});
export type ProviderMetadata = v.InferOutput<typeof ProviderMetadata>;

/** A ROLIE feed in Atom-JSON (CSAF 2.0 section 7.1.21): one entry per document. */
export const RolieFeed = v.looseObject({
  feed: v.looseObject({
    entry: v.optional(
      v.pipe(
        v.array(
          // Loose on purpose: one entry without a date or link is passed over (indexes.ts), not the feed.
          v.looseObject({
            id: v.optional(v.unknown()),
            updated: v.optional(v.unknown()),
            link: v.optional(v.unknown()),
            content: v.optional(v.unknown()),
          }),
        ),
        v.maxLength(1_000_000),
      ),
    ),
  }),
});
export type RolieFeed = v.InferOutput<typeof RolieFeed>;

const Helper = v.looseObject({ purl: v.optional(Text(4096)), cpe: v.optional(Text(4096)) });

export const FullProductName = v.looseObject({
  name: Text(10_000),
  product_id: Text(1000),
  product_identification_helper: v.optional(Helper),
});
export type FullProductName = v.InferOutput<typeof FullProductName>;

export interface Branch {
  readonly category: string;
  readonly name: string;
  readonly product?: FullProductName | undefined;
  readonly branches?: readonly Branch[] | undefined;
}

export const Branch: v.GenericSchema<Branch> = v.looseObject({
  category: Text(64),
  name: Text(10_000),
  product: v.optional(FullProductName),
  branches: v.optional(v.pipe(v.array(v.lazy(() => Branch)), v.maxLength(1_000_000))),
});

const Note = v.looseObject({ category: Text(64), text: Text(1_000_000), title: v.optional(Text(10_000)) });
const Reference = v.looseObject({ url: Text(2048), category: v.optional(Text(32)), summary: v.optional(Text(10_000)) });
const Targets = { product_ids: v.optional(Ids), group_ids: v.optional(Ids) };

export const ProductStatus = v.looseObject({
  first_affected: v.optional(Ids),
  first_fixed: v.optional(Ids),
  fixed: v.optional(Ids),
  known_affected: v.optional(Ids),
  known_not_affected: v.optional(Ids),
  last_affected: v.optional(Ids),
  recommended: v.optional(Ids),
  under_investigation: v.optional(Ids),
});

const Vector = v.looseObject({ vectorString: Text(512) });

export const Vulnerability = v.looseObject({
  cve: v.optional(Text(64)),
  ids: v.optional(v.array(v.looseObject({ system_name: Text(1000), text: Text(1000) }))),
  notes: v.optional(v.array(Note)),
  references: v.optional(v.array(Reference)),
  product_status: v.optional(ProductStatus),
  remediations: v.optional(
    v.array(
      v.looseObject({
        category: Text(64),
        details: Text(100_000),
        url: v.optional(Text(2048)),
        date: v.optional(Text(64)),
        restart_required: v.optional(v.looseObject({ category: Text(64) })),
        ...Targets,
      }),
    ),
  ),
  scores: v.optional(v.array(v.looseObject({ cvss_v3: v.optional(Vector), cvss_v2: v.optional(Vector) }))),
  threats: v.optional(
    v.array(v.looseObject({ category: Text(64), details: Text(100_000), date: v.optional(Timestamp), ...Targets })),
  ),
  flags: v.optional(v.array(v.looseObject({ label: Text(128), date: v.optional(Timestamp), ...Targets }))),
});
export type Vulnerability = v.InferOutput<typeof Vulnerability>;

export const ProductTree = v.looseObject({
  branches: v.optional(v.array(Branch)),
  full_product_names: v.optional(v.array(FullProductName)),
  relationships: v.optional(
    v.array(
      v.looseObject({
        category: Text(64),
        product_reference: Text(1000),
        relates_to_product_reference: Text(1000),
        full_product_name: FullProductName,
      }),
    ),
  ),
  product_groups: v.optional(v.array(v.looseObject({ group_id: Text(1000), product_ids: Ids }))),
});
export type ProductTree = v.InferOutput<typeof ProductTree>;

/** The parts of a CSAF 2.0 document that parse.ts reads. */
export const CsafDocument = v.looseObject({
  document: v.looseObject({
    csaf_version: v.literal('2.0', 'csaf_version must be "2.0"'),
    title: Text(10_000),
    publisher: v.looseObject({ name: Text(1000), namespace: Text(2048) }),
    notes: v.optional(v.array(Note)),
    references: v.optional(v.array(Reference)),
    tracking: v.looseObject({
      id: v.pipe(
        v.string(),
        v.regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/, 'tracking.id must be 1-128 letters, digits or "._:+-"'),
      ),
      initial_release_date: Timestamp,
      current_release_date: Timestamp,
      status: Text(32),
    }),
  }),
  product_tree: v.optional(ProductTree),
  vulnerabilities: v.optional(v.array(Vulnerability)),
});
export type CsafDocument = v.InferOutput<typeof CsafDocument>;
