/**
 * The raw CISA Known Exploited Vulnerabilities catalog
 * (https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json), as far as
 * Patchboard reads it. The catalog is checked loosely (only what locates the entries) and each entry
 * on its own, so one malformed entry is quarantined while the rest are stored. Strings are trimmed:
 * the catalog has carried stray spaces (`"vendorProject": "SimpleHelp "`).
 */
import * as v from 'valibot';

const Text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max));
const Named = (what: string, max: number) => v.pipe(Text(max), v.minLength(1, `${what} is empty`));

/** True for a real calendar day written YYYY-MM-DD (2025-02-30 is refused, not rolled over). */
function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

const Day = (what: string) =>
  v.pipe(v.string(), v.trim(), v.check(isCalendarDay, `${what} must be a calendar day YYYY-MM-DD`));

export const KevVulnerability = v.looseObject({
  cveID: v.pipe(v.string(), v.trim(), v.regex(/^CVE-\d{4}-\d{4,}$/, 'cveID must look like CVE-YYYY-NNNN')),
  vendorProject: Named('vendorProject', 512),
  product: Named('product', 512),
  vulnerabilityName: Named('vulnerabilityName', 1024),
  dateAdded: Day('dateAdded'),
  shortDescription: Text(10_000),
  requiredAction: Text(10_000),
  dueDate: Day('dueDate'),
  /** `Known` or `Unknown` today; kept as text so a new value does not refuse the entry. */
  knownRansomwareCampaignUse: Text(64),
  notes: v.optional(Text(10_000), ''),
  cwes: v.optional(v.array(v.string())),
});
export type KevVulnerability = v.InferOutput<typeof KevVulnerability>;

/** The catalog around the entries. `count` is not read: it has disagreed with the entries it came with. */
export const KevCatalog = v.looseObject({
  title: v.optional(v.string()),
  catalogVersion: v.pipe(v.string(), v.trim(), v.minLength(1, 'catalogVersion is empty'), v.maxLength(64)),
  dateReleased: v.optional(v.string()),
  vulnerabilities: v.pipe(v.array(v.unknown()), v.maxLength(100_000)),
});
export type KevCatalog = v.InferOutput<typeof KevCatalog>;
