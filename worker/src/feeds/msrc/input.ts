/**
 * The raw MSRC CVRF v3 JSON (api.msrc.microsoft.com/cvrf/v3.0, `Accept: application/json`), as
 * far as Patchboard reads it: the updates list, and the monthly CVRF document, whose
 * vulnerabilities are checked one by one so that one malformed entry is quarantined alone. Loose:
 * fields we do not read pass unchecked; the ones we read are checked for type and size.
 */
import * as v from 'valibot';

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** CVRF text elements arrive as `{ "Value": "..." }`; `{}` is seen too (an empty RestartRequired). */
const Wrapped = (max: number) => v.looseObject({ Value: v.optional(v.nullable(Text(max))) });

const MSRC_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An MSRC timestamp in ISO form, or null. Documents write them without a zone
 * (`2024-01-09T08:00:00`, meant as UTC); the updates list adds `Z`; .NET writes up to 7 fraction
 * digits, which Date.parse does not promise to read, so they are cut to milliseconds.
 */
export function msrcTime(value: string | null | undefined): string | null {
  const match = MSRC_TIME.exec(value ?? '');
  if (!match) return null;
  const fraction = (match[2] ?? '').slice(0, 4);
  const ms = Date.parse(`${match[1]}${fraction}${match[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A timestamp that must be there and readable, as ISO. */
const Timestamp = v.pipe(
  v.string(),
  v.check((s) => msrcTime(s) !== null, 'a timestamp such as 2024-01-09T08:00:00'),
  v.transform((s) => msrcTime(s) ?? s),
);

/** `2024-Jan`, `2016-Oct-OOB`: also a path segment of the document's URL, so nothing else is let through. */
export const ReleaseId = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'a release id such as 2024-Jan'),
);

/** One entry of GET /cvrf/v3.0/updates. */
export const ReleaseEntry = v.looseObject({
  ID: ReleaseId,
  DocumentTitle: v.optional(v.nullable(Text(500))),
  InitialReleaseDate: v.optional(v.nullable(Timestamp)),
  CurrentReleaseDate: Timestamp,
});
export type ReleaseEntry = v.InferOutput<typeof ReleaseEntry>;

/** GET /cvrf/v3.0/updates: entries are checked one by one (ReleaseEntry). */
export const UpdatesList = v.looseObject({ value: v.pipe(v.array(v.unknown()), v.maxLength(10_000)) });

const ProductIds = v.optional(v.pipe(v.array(Text(64)), v.maxLength(10_000)), []);

/**
 * The flat product list of a document. (ProductTree.Branch repeats the same products in a vendor /
 * family hierarchy; the flat list is what vulnerabilities' ProductIDs refer to.)
 */
export const ProductName = v.looseObject({ ProductID: Text(64), Value: v.optional(v.nullable(Text(500))) });

/** A monthly CVRF document (GET /cvrf/v3.0/cvrf/2024-Jan), its vulnerabilities left to MsrcVulnerability. */
export const MonthlyDocument = v.looseObject({
  DocumentTracking: v.looseObject({
    Identification: v.looseObject({ ID: v.looseObject({ Value: ReleaseId }) }),
    InitialReleaseDate: v.optional(v.nullable(Timestamp)),
    CurrentReleaseDate: Timestamp,
  }),
  ProductTree: v.optional(
    v.looseObject({ FullProductName: v.optional(v.pipe(v.array(ProductName), v.maxLength(50_000)), []) }),
  ),
  Vulnerability: v.pipe(v.array(v.unknown()), v.maxLength(10_000)),
});
export type MonthlyDocument = v.InferOutput<typeof MonthlyDocument>;

/** Threat types (CVRF 1.1 order): 0 Impact, 1 Exploit Status, 2 Target Set, 3 Severity. */
export const ThreatType = { impact: 0, exploitStatus: 1, severity: 3 } as const;

/** Remediation types (CVRF 1.1 order): 0 Workaround, 1 Mitigation, 2 Vendor Fix; MSRC's later types are not read. */
export const RemediationType = { workaround: 0, mitigation: 1, vendorFix: 2 } as const;

/** ProductStatuses type 3: the products known to be affected. */
export const KNOWN_AFFECTED = 3;

export const MsrcVulnerability = v.looseObject({
  CVE: v.pipe(v.string(), v.regex(/^(CVE-\d{4}-\d{4,}|ADV\d{6})$/, 'CVE is a CVE id or an ADV advisory number')),
  Title: v.optional(Wrapped(1000)),
  Notes: v.optional(
    v.pipe(
      v.array(
        v.looseObject({ Title: v.optional(v.nullable(Text(500))), Value: v.optional(v.nullable(Text(200_000))) }),
      ),
      v.maxLength(1000),
    ),
    [],
  ),
  ProductStatuses: v.optional(
    v.pipe(v.array(v.looseObject({ Type: v.number(), ProductID: ProductIds })), v.maxLength(100)),
    [],
  ),
  Threats: v.optional(
    v.pipe(
      v.array(
        v.looseObject({
          Type: v.number(),
          Description: v.optional(Wrapped(2000)),
          ProductID: ProductIds,
          // Usually `0001-01-01T00:00:00` with DateSpecified false: read leniently, used only when specified.
          Date: v.optional(v.nullable(v.string())),
          DateSpecified: v.optional(v.boolean()),
        }),
      ),
      v.maxLength(100_000),
    ),
    [],
  ),
  CVSSScoreSets: v.optional(
    v.pipe(
      v.array(v.looseObject({ Vector: v.optional(v.nullable(Text(512))), ProductID: ProductIds })),
      v.maxLength(10_000),
    ),
    [],
  ),
  Remediations: v.optional(
    v.pipe(
      v.array(
        v.looseObject({
          Type: v.number(),
          SubType: v.optional(v.nullable(Text(200))),
          Description: v.optional(Wrapped(100_000)),
          URL: v.optional(v.nullable(Text(2048))),
          Supercedence: v.optional(v.nullable(Text(2000))),
          FixedBuild: v.optional(v.nullable(Text(128))),
          RestartRequired: v.optional(v.nullable(v.union([Wrapped(64), Text(64)]))),
          ProductID: ProductIds,
        }),
      ),
      v.maxLength(10_000),
    ),
    [],
  ),
  RevisionHistory: v.optional(
    v.pipe(v.array(v.looseObject({ Date: v.optional(v.nullable(Timestamp)) })), v.maxLength(1000)),
    [],
  ),
});
export type MsrcVulnerability = v.InferOutput<typeof MsrcVulnerability>;
