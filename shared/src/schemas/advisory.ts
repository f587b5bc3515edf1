import * as v from 'valibot';
import { PageQuery, Timestamp } from './common';

/** One affected version interval, as advisories state it (see shared/src/ranges.ts). */
export const Interval = v.object({
  introduced: v.optional(v.string()),
  introducedExclusive: v.optional(v.boolean()),
  fixed: v.optional(v.string()),
  lastAffected: v.optional(v.string()),
});

export const AffectedPackage = v.object({
  /** As hosts name it: `Debian:12`, `Ubuntu:22.04`, `Red Hat:9`, `npm`, ... */
  ecosystem: v.string(),
  package: v.string(),
  intervals: v.array(Interval),
  /**
   * Windows: updates that fix it. A host with one of these KBs installed, or a KB that supersedes
   * one, is not affected whatever build it reports.
   */
  fixedBy: v.optional(v.object({ kbs: v.array(v.string()) })),
});
export type AffectedPackage = v.InferOutput<typeof AffectedPackage>;

/** CSAF remediation categories (OSV records carry none). */
export const RemediationCategory = v.picklist([
  'vendor_fix',
  'mitigation',
  'workaround',
  'none_available',
  'no_fix_planned',
]);

export const Remediation = v.object({
  category: RemediationCategory,
  details: v.string(),
  url: v.nullable(v.string()),
  /** CSAF restart_required category: none, vulnerable_component, service, parent, dependencies, connected, machine, zone, system. */
  restartRequired: v.nullable(v.string()),
  /** What it applies to, as `ecosystem package` (or the vendor's product name when nothing better is known). */
  packages: v.array(v.string()),
});

/** An advisory in Patchboard's normal form, whatever format it came in. */
export const AdvisoryDocument = v.object({
  id: v.string(),
  source: v.string(),
  summary: v.nullable(v.string()),
  details: v.nullable(v.string()),
  published: v.nullable(v.string()),
  modified: v.string(),
  withdrawn: v.nullable(v.string()),
  aliases: v.array(v.string()),
  cves: v.array(v.string()),
  references: v.array(v.object({ type: v.nullable(v.string()), url: v.string() })),
  affected: v.array(AffectedPackage),
  /** Affected entries that cannot be matched (an ecosystem without a version scheme), with why. */
  skipped: v.array(v.object({ ecosystem: v.string(), package: v.string(), reason: v.string() })),
  /** Scores as the source gives them: `{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/...' }`. */
  severity: v.optional(v.array(v.object({ type: v.string(), score: v.string() })), []),
  remediations: v.optional(v.array(Remediation), []),
  /** VEX known_not_affected entries, with the justification when the source gives one. */
  notAffected: v.optional(
    v.array(v.object({ ecosystem: v.string(), package: v.string(), justification: v.nullable(v.string()) })),
    [],
  ),
  /** CSAF threats: `exploit_status` (e.g. "Exploited in the wild"), `impact`, `target_set`. */
  threats: v.optional(
    v.array(v.object({ category: v.string(), details: v.string(), date: v.nullable(v.string()) })),
    [],
  ),
});
export type AdvisoryDocument = v.InferOutput<typeof AdvisoryDocument>;

export const Advisory = v.object({
  ...AdvisoryDocument.entries,
  /** `global` from the vendor feeds, `tenant` when imported by this tenant. */
  scope: v.picklist(['global', 'tenant']),
  findings: v.object({ open: v.number(), resolved: v.number() }),
});

export const ImportResult = v.object({
  /** The format read: named by `?format=` or recognised from the content. */
  format: v.string(),
  imported: v.number(),
  unchanged: v.number(),
  /** Advisories withdrawn by this import (a deletion, or NVD rejecting all their CVEs). */
  withdrawn: v.number(),
  rejected: v.array(v.object({ index: v.number(), id: v.nullable(v.string()), reason: v.string() })),
  /** Findings opened or updated, and resolved, by this import. */
  findings: v.object({ opened: v.number(), resolved: v.number() }),
  /** Per-CVE facts stored (KEV entries, EPSS scores, NVD records) that changed. */
  enrichment: v.number(),
});

/**
 * open: affected and nothing planned; scheduled: a deployment will install the fix; excepted: a
 * risk exception accepts it for a while; resolved: a software report shows it gone (resolution
 * `fixed` is a remediation), never on a job's word alone.
 */
export const FindingStatus = v.picklist(['open', 'scheduled', 'excepted', 'resolved']);

export const Finding = v.object({
  id: v.number(),
  hostname: v.string(),
  advisory: v.string(),
  cves: v.array(v.string()),
  ecosystem: v.string(),
  package: v.string(),
  /** The installed packages behind a source-package finding (libssl3, openssl for source openssl). */
  binaries: v.array(v.string()),
  installedVersion: v.string(),
  fixedVersion: v.nullable(v.string()),
  status: FindingStatus,
  resolution: v.nullable(v.string()),
  /** Why: `openssl 3.0.11-1~deb12u2 < 3.0.13-1~deb12u1 (fixed in DSA-5678-1 for Debian:12)`. */
  explanation: v.string(),
  /** 1 (most urgent) to 4, from the tenant's policy; null until first triaged. */
  priority: v.nullable(v.number()),
  /** Why: `P1: on CISA KEV since 2024-04-02 (ransomware: known), internet-facing, criticality 1; ...`. */
  priorityReason: v.nullable(v.string()),
  /** CISA SSVC decision: track, track*, attend, act. */
  ssvc: v.nullable(v.string()),
  /** One of its CVEs is on CISA's Known Exploited Vulnerabilities catalogue. */
  kev: v.boolean(),
  dueAt: v.nullable(Timestamp),
  /** Unresolved and not excepted past its due date (or resolved after it). */
  slaBreached: v.boolean(),
  /** The risk exception that excepts it. */
  exceptionId: v.nullable(v.number()),
  firstSeenAt: Timestamp,
  resolvedAt: v.nullable(Timestamp),
  reopenedAt: v.nullable(Timestamp),
});
export type Finding = v.InferOutput<typeof Finding>;

export const FindingsQuery = v.strictObject({
  host: v.optional(v.pipe(v.string(), v.maxLength(253), v.toLowerCase())),
  advisory: v.optional(v.pipe(v.string(), v.maxLength(128))),
  cve: v.optional(v.pipe(v.string(), v.toUpperCase(), v.regex(/^CVE-\d{4}-\d{4,}$/, 'cve looks like CVE-2024-3094'))),
  /** A status, or `unresolved` for every status but resolved. */
  status: v.optional(v.union([FindingStatus, v.literal('unresolved')])),
  priority: v.optional(v.picklist(['1', '2', '3', '4'], 'priority is 1, 2, 3 or 4')),
  /** `true`: only findings past their due date that are neither resolved nor excepted. */
  breached: v.optional(v.picklist(['true', 'false'], 'breached is true or false')),
  ...PageQuery,
});

export const AdvisoryParams = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/, 'not an advisory id')),
});
