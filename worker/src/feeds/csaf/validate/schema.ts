/**
 * The CSAF 2.0 JSON schema (csaf_json_schema.json of the OASIS standard) in valibot: every required
 * property, type, enum, pattern, format, minItems/minProperties and uniqueItems of it. Loose objects, as
 * the schema allows additional properties (their use is the optional test 6.2.20, not an error).
 *
 * Not here: the CVSS objects (`scores[]/cvss_v2`, `cvss_v3`), which the schema takes from FIRST's CVSS
 * schemas; checking them is mandatory test 6.1.8 (see cvss/), so a bad CVSS object fails as 6.1.8.
 */
import * as v from 'valibot';
import {
  isCategory,
  isCpe,
  isCve,
  isCweId,
  isDateTime,
  isHashValue,
  isLanguageTag,
  isPurlShaped,
  isTrackingId,
  isUri,
  isVersion,
} from './formats';

const Text = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const DateTime = v.pipe(v.string(), v.check(isDateTime, 'is not an RFC 3339 date-time'));
const Uri = v.pipe(v.string(), v.check(isUri, 'is not an absolute URI'));
const Version = v.pipe(v.string(), v.check(isVersion, 'is neither integer nor semantic versioning (version_t)'));
const Language = v.pipe(v.string(), v.check(isLanguageTag, 'is not a well-formed language tag (lang_t)'));

/** JSON Schema `uniqueItems`: no two items are equal JSON values. */
function unique<T>(items: readonly T[]): boolean {
  if (items.every((item) => typeof item === 'string')) return new Set(items).size === items.length;
  return new Set(items.map(canonicalJson)).size === items.length;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, item]) => `${JSON.stringify(k)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function list<TItem extends v.GenericSchema>(item: TItem, minItems = 1) {
  return v.pipe(v.array(item), v.minLength(minItems, `must have at least ${minItems} item${minItems > 1 ? 's' : ''}`));
}

function uniqueList<TItem extends v.GenericSchema>(item: TItem, minItems = 1) {
  return v.pipe(list(item, minItems), v.check(unique, 'must not hold the same item twice'));
}

/** JSON Schema `minProperties`; generic so that the pipe keeps the object's type. */
function minProperties<TInput extends object>(count: number) {
  return v.check<TInput, string>(
    (value) => Object.keys(value).length >= count,
    `must have at least ${count} propert${count > 1 ? 'ies' : 'y'}`,
  );
}

/** `/$defs/product_id_t` and `/$defs/products_t`. */
const ProductId = Text;
const Products = uniqueList(ProductId);
/** `/$defs/product_group_id_t` and `/$defs/product_groups_t`. */
const GroupId = Text;
const Groups = uniqueList(GroupId);

const Acknowledgments = list(
  v.pipe(
    v.looseObject({
      names: v.optional(list(Text)),
      organization: v.optional(Text),
      summary: v.optional(Text),
      urls: v.optional(list(Uri)),
    }),
    minProperties(1),
  ),
);

const Notes = list(
  v.looseObject({
    audience: v.optional(Text),
    category: v.picklist(['description', 'details', 'faq', 'general', 'legal_disclaimer', 'other', 'summary']),
    text: Text,
    title: v.optional(Text),
  }),
);

const References = list(
  v.looseObject({
    /** Absent means `external` (the schema's default). */
    category: v.optional(v.picklist(['external', 'self'])),
    summary: Text,
    url: Uri,
  }),
);

const FileHash = v.looseObject({
  algorithm: Text,
  value: v.pipe(v.string(), v.check(isHashValue, 'is not a hexadecimal hash of at least 32 digits')),
});

const ProductIdentificationHelper = v.pipe(
  v.looseObject({
    cpe: v.optional(
      v.pipe(v.string(), v.minLength(5), v.check(isCpe, 'is not a CPE 2.3 formatted string or a CPE 2.2 URI')),
    ),
    hashes: v.optional(list(v.looseObject({ file_hashes: list(FileHash), filename: Text }))),
    model_numbers: v.optional(uniqueList(Text)),
    purl: v.optional(
      v.pipe(
        v.string(),
        v.minLength(7),
        v.check(isUri, 'is not an absolute URI'),
        v.check(isPurlShaped, 'is not a package URL (pkg:type/...)'),
      ),
    ),
    sbom_urls: v.optional(list(Uri)),
    serial_numbers: v.optional(uniqueList(Text)),
    skus: v.optional(list(Text)),
    x_generic_uris: v.optional(list(v.looseObject({ namespace: Uri, uri: Uri }))),
  }),
  minProperties(1),
);

/** `/$defs/full_product_name_t`. */
const FullProductName = v.looseObject({
  name: Text,
  product_id: ProductId,
  product_identification_helper: v.optional(ProductIdentificationHelper),
});
export type FullProductName = v.InferOutput<typeof FullProductName>;

const branchCategories = [
  'architecture',
  'host_name',
  'language',
  'legacy',
  'patch_level',
  'product_family',
  'product_name',
  'product_version',
  'product_version_range',
  'service_pack',
  'specification',
  'vendor',
] as const;

/** `/$defs/branches_t` item. Written out because the schema is recursive. */
export interface Branch {
  readonly category: (typeof branchCategories)[number];
  readonly name: string;
  readonly branches?: readonly Branch[] | undefined;
  readonly product?: FullProductName | undefined;
}

const Branches: v.GenericSchema<unknown, readonly Branch[]> = v.lazy(() =>
  list(
    v.pipe(
      v.looseObject({
        branches: v.optional(Branches),
        category: v.picklist(branchCategories),
        name: Text,
        product: v.optional(FullProductName),
      }),
      // minProperties 3 and maxProperties 3 with category and name required: one of branches or product.
      v.check((branch) => Object.keys(branch).length === 3, 'must have category, name and one of branches or product'),
    ),
  ),
);

const ProductTree = v.pipe(
  v.looseObject({
    branches: v.optional(Branches),
    full_product_names: v.optional(list(FullProductName)),
    product_groups: v.optional(
      list(v.looseObject({ group_id: GroupId, product_ids: uniqueList(ProductId, 2), summary: v.optional(Text) })),
    ),
    relationships: v.optional(
      list(
        v.looseObject({
          category: v.picklist([
            'default_component_of',
            'external_component_of',
            'installed_on',
            'installed_with',
            'optional_component_of',
          ]),
          full_product_name: FullProductName,
          product_reference: ProductId,
          relates_to_product_reference: ProductId,
        }),
      ),
    ),
  }),
  minProperties(1),
);
export type ProductTree = v.InferOutput<typeof ProductTree>;

const ProductStatus = v.pipe(
  v.looseObject({
    first_affected: v.optional(Products),
    first_fixed: v.optional(Products),
    fixed: v.optional(Products),
    known_affected: v.optional(Products),
    known_not_affected: v.optional(Products),
    last_affected: v.optional(Products),
    recommended: v.optional(Products),
    under_investigation: v.optional(Products),
  }),
  minProperties(1),
);
export type ProductStatus = v.InferOutput<typeof ProductStatus>;

const Vulnerability = v.pipe(
  v.looseObject({
    acknowledgments: v.optional(Acknowledgments),
    cve: v.optional(v.pipe(v.string(), v.check(isCve, 'is not a CVE id (CVE-YYYY-NNNN)'))),
    cwe: v.optional(v.looseObject({ id: v.pipe(v.string(), v.check(isCweId, 'is not a CWE id (CWE-N)')), name: Text })),
    discovery_date: v.optional(DateTime),
    flags: v.optional(
      uniqueList(
        v.looseObject({
          date: v.optional(DateTime),
          group_ids: v.optional(Groups),
          label: v.picklist([
            'component_not_present',
            'inline_mitigations_already_exist',
            'vulnerable_code_cannot_be_controlled_by_adversary',
            'vulnerable_code_not_in_execute_path',
            'vulnerable_code_not_present',
          ]),
          product_ids: v.optional(Products),
        }),
      ),
    ),
    ids: v.optional(uniqueList(v.looseObject({ system_name: Text, text: Text }))),
    involvements: v.optional(
      uniqueList(
        v.looseObject({
          date: v.optional(DateTime),
          party: v.picklist(['coordinator', 'discoverer', 'other', 'user', 'vendor']),
          status: v.picklist(['completed', 'contact_attempted', 'disputed', 'in_progress', 'not_contacted', 'open']),
          summary: v.optional(Text),
        }),
      ),
    ),
    notes: v.optional(Notes),
    product_status: v.optional(ProductStatus),
    references: v.optional(References),
    release_date: v.optional(DateTime),
    remediations: v.optional(
      list(
        v.looseObject({
          category: v.picklist(['mitigation', 'no_fix_planned', 'none_available', 'vendor_fix', 'workaround']),
          date: v.optional(DateTime),
          details: Text,
          entitlements: v.optional(list(Text)),
          group_ids: v.optional(Groups),
          product_ids: v.optional(Products),
          restart_required: v.optional(
            v.looseObject({
              category: v.picklist([
                'connected',
                'dependencies',
                'machine',
                'none',
                'parent',
                'service',
                'system',
                'vulnerable_component',
                'zone',
              ]),
              details: v.optional(Text),
            }),
          ),
          url: v.optional(Uri),
        }),
      ),
    ),
    scores: v.optional(
      list(
        v.pipe(
          // The CVSS objects are checked by test 6.1.8 against FIRST's schemas.
          v.looseObject({ cvss_v2: v.optional(v.unknown()), cvss_v3: v.optional(v.unknown()), products: Products }),
          minProperties(2),
        ),
      ),
    ),
    threats: v.optional(
      list(
        v.looseObject({
          category: v.picklist(['exploit_status', 'impact', 'target_set']),
          date: v.optional(DateTime),
          details: Text,
          group_ids: v.optional(Groups),
          product_ids: v.optional(Products),
        }),
      ),
    ),
    title: v.optional(Text),
  }),
  minProperties(1),
);
export type Vulnerability = v.InferOutput<typeof Vulnerability>;

const Tracking = v.looseObject({
  aliases: v.optional(uniqueList(Text)),
  current_release_date: DateTime,
  generator: v.optional(
    v.looseObject({
      date: v.optional(DateTime),
      engine: v.looseObject({ name: Text, version: v.optional(Text) }),
    }),
  ),
  id: v.pipe(v.string(), v.minLength(1), v.check(isTrackingId, 'must not start or end with white space')),
  initial_release_date: DateTime,
  revision_history: list(
    v.looseObject({ date: DateTime, legacy_version: v.optional(Text), number: Version, summary: Text }),
  ),
  status: v.picklist(['draft', 'final', 'interim']),
  version: Version,
});

const Document = v.looseObject({
  acknowledgments: v.optional(Acknowledgments),
  aggregate_severity: v.optional(v.looseObject({ namespace: v.optional(Uri), text: Text })),
  category: v.pipe(
    v.string(),
    v.minLength(1),
    v.check(isCategory, 'must not start or end with white space, "-", "_" or "."'),
  ),
  csaf_version: v.picklist(['2.0']),
  distribution: v.optional(
    v.pipe(
      v.looseObject({
        text: v.optional(Text),
        tlp: v.optional(v.looseObject({ label: v.picklist(['AMBER', 'GREEN', 'RED', 'WHITE']), url: v.optional(Uri) })),
      }),
      minProperties(1),
    ),
  ),
  lang: v.optional(Language),
  notes: v.optional(Notes),
  publisher: v.looseObject({
    category: v.picklist(['coordinator', 'discoverer', 'other', 'translator', 'user', 'vendor']),
    contact_details: v.optional(Text),
    issuing_authority: v.optional(Text),
    name: Text,
    namespace: Uri,
  }),
  references: v.optional(References),
  source_lang: v.optional(Language),
  title: Text,
  tracking: Tracking,
});

/** A CSAF 2.0 document that conforms to the JSON schema (apart from its CVSS objects). */
export const CsafDocument = v.looseObject({
  document: Document,
  product_tree: v.optional(ProductTree),
  vulnerabilities: v.optional(list(Vulnerability)),
});
export type CsafDocument = v.InferOutput<typeof CsafDocument>;
