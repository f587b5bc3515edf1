import * as v from 'valibot';
import { ID_KINDS } from '../ids';

/** Most ids one lookup answers: a vendor page rarely names more, and the answer stays small. */
export const MAX_LOOKUP_IDS = 500;

/** Longest id accepted; every recognised id is far shorter, and the answer echoes each id. */
export const MAX_LOOKUP_ID_LENGTH = 128;

const LookupId = v.pipe(
  v.string('each id is a string'),
  v.maxLength(MAX_LOOKUP_ID_LENGTH, `an id is at most ${MAX_LOOKUP_ID_LENGTH} characters`),
);

const IdList = v.pipe(
  v.array(LookupId, 'ids is a list of strings'),
  v.minLength(1, `give 1 to ${MAX_LOOKUP_IDS} ids`),
  v.maxLength(
    MAX_LOOKUP_IDS,
    (issue) => `at most ${MAX_LOOKUP_IDS} ids per lookup (got ${issue.received}); split the list into several calls`,
  ),
);

/**
 * `GET /v1/lookup?ids=CVE-2024-3094,DSA-5678-1,KB5034441`: comma-separated (not at spaces, which
 * `KB 5034441` may contain); empty entries from doubled or trailing commas are dropped.
 */
export const LookupQuery = v.strictObject({
  ids: v.pipe(
    v.string('ids is required: ?ids=CVE-2024-3094,DSA-5678-1'),
    v.transform((text) =>
      text
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
    IdList,
  ),
});

/** `POST /v1/lookup`: the same ids as a JSON list, for lists too long for a URL. */
export const LookupRequest = v.strictObject({ ids: IdList });

/** Most advisories listed per id (newest first); `advisoryCount` says how many there are. */
export const MAX_LOOKUP_ADVISORIES = 50;
/** Most CVEs listed per id; `cveCount` says how many there are. */
export const MAX_LOOKUP_CVES = 200;
/** Most fixed versions listed per id. */
export const MAX_LOOKUP_FIXED_VERSIONS = 25;

export const LookupAdvisory = v.object({
  id: v.string(),
  /** The format it came in: osv, csaf, msrc, ... */
  source: v.string(),
  summary: v.nullable(v.string()),
  published: v.nullable(v.string()),
  /** Set when the vendor withdrew it: it matches nothing any more. */
  withdrawn: v.nullable(v.string()),
});
export type LookupAdvisory = v.InferOutput<typeof LookupAdvisory>;

export const LookupItem = v.object({
  /** The id as given. */
  id: v.string(),
  /** Its canonical spelling (`rhsa-2024_4546` -> `RHSA-2024:4546`), or null when it is no recognised id. */
  canonical: v.nullable(v.string()),
  kind: v.nullable(v.picklist(ID_KINDS)),
  /**
   * Whether Patchboard knows it: an advisory this tenant can see matches it (by id, alias or, for a
   * KB, as a fix), or, for a CVE without advisory, a KEV, EPSS or NVD record exists.
   */
  known: v.boolean(),
  /** Why it is not known (unrecognised, or recognised but nowhere found); null when known. */
  reason: v.nullable(v.string()),
  /** The advisories it names, as this tenant sees them (its own import shadows the global one), newest first. */
  advisories: v.array(LookupAdvisory),
  advisoryCount: v.number(),
  /** The CVEs it stands for: a CVE itself, else the CVEs of its advisories. KEV and EPSS are read for these. */
  cves: v.array(v.string()),
  cveCount: v.number(),
  hosts: v.object({
    /** Distinct hosts of this tenant with an unresolved (open, scheduled or excepted) finding of these advisories. */
    affected: v.number(),
    /** The same hosts per ring; rings without an affected host are left out. */
    byRing: v.record(v.string(), v.number()),
  }),
  /** Findings (host x advisory x package) of this tenant, per status. */
  findings: v.object({ open: v.number(), scheduled: v.number(), excepted: v.number(), resolved: v.number() }),
  /** The most urgent unresolved finding: its priority, why, and the earliest due date at that priority; null when none is triaged. */
  priority: v.nullable(
    v.object({
      highest: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4)),
      explanation: v.nullable(v.string()),
      /** ISO 8601, as the triage pass stores it. */
      dueAt: v.nullable(v.string()),
    }),
  ),
  /** CISA KEV: the entry of these CVEs with the earliest due date. */
  kev: v.nullable(
    v.object({
      cve: v.string(),
      dateAdded: v.string(),
      dueDate: v.string(),
      /** CISA lists known use in ransomware campaigns. */
      ransomware: v.boolean(),
    }),
  ),
  /** FIRST EPSS: the highest score over these CVEs. */
  epss: v.nullable(v.object({ cve: v.string(), score: v.number(), percentile: v.number(), date: v.string() })),
  /**
   * Versions that fix it, from its advisories, in the ecosystems of this tenant's hosts (and the
   * language packages they have installed), each once, at most MAX_LOOKUP_FIXED_VERSIONS.
   */
  fixedVersions: v.array(v.object({ ecosystem: v.string(), package: v.string(), version: v.string() })),
  /**
   * The first deployment not yet ended (waiting for approval, approved or running) that installs a
   * fix for it, with the ring it is at; null when none is planned.
   */
  nextDeployment: v.nullable(
    v.object({
      id: v.number(),
      title: v.string(),
      status: v.picklist(['awaiting_approval', 'approved', 'running']),
      ring: v.nullable(v.string()),
    }),
  ),
});
export type LookupItem = v.InferOutput<typeof LookupItem>;

/** One item per requested id, in request order (duplicates answered twice). */
export const LookupResult = v.object({ items: v.array(LookupItem) });
export type LookupResult = v.InferOutput<typeof LookupResult>;
