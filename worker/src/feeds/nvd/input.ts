/**
 * The raw NVD CVE API 2.0 response (https://nvd.nist.gov/developers/vulnerabilities), as far as
 * Patchboard reads it. The page envelope is checked strictly enough to paginate; each CVE is
 * checked on its own, so one malformed record is quarantined and the page's others are stored.
 * Loose objects: NVD adds fields (cveTags, ssvcV203 metrics, cisaExploitAdd, ...) without notice.
 */
import * as v from 'valibot';

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const NvdPage = v.looseObject({
  resultsPerPage: Count,
  startIndex: Count,
  totalResults: Count,
  format: v.optional(v.string()),
  version: v.optional(v.string()),
  timestamp: v.optional(v.string()),
  vulnerabilities: v.pipe(v.array(v.unknown()), v.maxLength(10_000)),
});
export type NvdPage = v.InferOutput<typeof NvdPage>;

/** NVD writes UTC timestamps without a zone (`2023-10-12T19:15:11.747`); an offset is accepted too. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?$/;
const Timestamp = (what: string) =>
  v.pipe(
    v.string(),
    v.check((s) => TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s)), `${what} must be an ISO 8601 timestamp`),
  );

const LangString = v.looseObject({ lang: v.string(), value: v.string() });

/** One CVSS metric of a version (cvssMetricV31, cvssMetricV30, cvssMetricV40). */
export const CvssMetric = v.looseObject({
  source: v.optional(v.string()),
  /** `Primary` is NVD's own (or the one NVD adopted); `Secondary` is a CNA's or ADP's. */
  type: v.optional(v.string()),
  cvssData: v.looseObject({
    version: v.optional(v.string()),
    vectorString: v.pipe(
      v.string(),
      v.regex(/^CVSS:\d\.\d\//, 'vectorString must start with CVSS:<version>/'),
      v.maxLength(512),
    ),
    baseScore: v.pipe(v.number(), v.minValue(0), v.maxValue(10)),
  }),
});
export type CvssMetric = v.InferOutput<typeof CvssMetric>;

export const NvdCve = v.looseObject({
  id: v.pipe(v.string(), v.regex(/^CVE-\d{4}-\d{4,}$/, 'id must look like CVE-YYYY-NNNN')),
  vulnStatus: v.pipe(v.string(), v.minLength(1, 'vulnStatus is empty'), v.maxLength(64)),
  published: v.optional(Timestamp('published')),
  lastModified: Timestamp('lastModified'),
  descriptions: v.optional(v.array(LangString), []),
  // Metrics are read one by one (see parse.ts): a malformed score must not hide a CVE's status.
  metrics: v.optional(
    v.looseObject({
      cvssMetricV40: v.optional(v.array(v.unknown())),
      cvssMetricV31: v.optional(v.array(v.unknown())),
      cvssMetricV30: v.optional(v.array(v.unknown())),
    }),
    {},
  ),
  weaknesses: v.optional(v.array(v.looseObject({ description: v.optional(v.array(v.unknown()), []) })), []),
});
export type NvdCve = v.InferOutput<typeof NvdCve>;

/** One entry of `vulnerabilities`: the CVE is wrapped in `{ cve: ... }`. */
export const NvdVulnerability = v.looseObject({ cve: NvdCve });
