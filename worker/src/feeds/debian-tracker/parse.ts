/**
 * One Debian tracker entry (a source package's view of one CVE, across releases) in Patchboard's
 * normal form. The tracker is keyed by package first, so a CVE that touches several source
 * packages appears once under each; it is read as it streams and cannot be regrouped per CVE
 * without holding the whole file. Each (CVE, source package) is therefore its own advisory,
 * `DEBIAN-CVE-2024-1234:openssl`: stable across runs, distinct from OSV.dev's combined
 * `DEBIAN-CVE-2024-1234` (which an OSV feed may also store), and grouped by its CVE like any other.
 */
import { intervalsFromDebianTracker } from '@patchboard/shared/ranges';
import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import * as v from 'valibot';
import type { FeedRecord } from '../feed';
import { digestHex } from '../http';
import { CveId, SourcePackage, TempId, TrackerEntry, type TrackerRelease } from './input';

export const SOURCE = 'debian-tracker';

/**
 * Release codenames as hosts know them (os.ts names Debian hosts by release number). `forky` is
 * testing after trixie and `duke` the one after: a testing host registers with the number its
 * release will get. `sid` (unstable) never gets a number, so no host can be on it: its column is
 * left out silently rather than listed as skipped on every advisory. A codename missing here
 * (a release newer than this table) is listed as skipped so that it shows.
 */
export const debianReleases: Readonly<Record<string, string | null>> = {
  wheezy: 'Debian:7',
  jessie: 'Debian:8',
  stretch: 'Debian:9',
  buster: 'Debian:10',
  bullseye: 'Debian:11',
  bookworm: 'Debian:12',
  trixie: 'Debian:13',
  forky: 'Debian:14',
  duke: 'Debian:15',
  sid: null,
};

const ADVISORY_ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/;

/** Bumped when the same input yields a different document, so stored advisories are rewritten. */
const PARSER_VERSION = 'debian-tracker/1';

/** How much of a refused entry is kept with it: enough to read, bounded against a hostile body. */
const MAX_QUARANTINED_CHARS = 64 * 1024;

/** Urgencies that say nothing about severity: no decision yet, or the release is unsupported. */
const NOT_A_SEVERITY = new Set(['not yet assigned', 'end-of-life']);

export function advisoryId(pkg: string, issue: string): string {
  return `DEBIAN-${issue}:${pkg}`;
}

function trackerUrl(issue: string): string {
  return `https://security-tracker.debian.org/tracker/${issue}`;
}

function releaseName(codename: string, ecosystem: string): string {
  return `Debian ${ecosystem.slice('Debian:'.length)} (${codename})`;
}

function remediationOf(
  pkg: string,
  issue: string,
  codename: string,
  ecosystem: string,
  release: TrackerRelease,
): AdvisoryDocument['remediations'][number] | null {
  const where = releaseName(codename, ecosystem);
  const base = { url: trackerUrl(issue), restartRequired: null, packages: [`${ecosystem} ${pkg}`] };
  if (release.status === 'resolved') {
    return {
      ...base,
      category: 'vendor_fix',
      details: `Update ${pkg} to ${release.fixed_version} or later (${where}).`,
    };
  }
  if (release.status !== 'open') return null;
  if (release.urgency === 'end-of-life') {
    return { ...base, category: 'no_fix_planned', details: `${pkg} is no longer security-supported in ${where}.` };
  }
  const later = release.next_point_update ? ' A fix is planned for the next point release.' : '';
  if (release.nodsa !== undefined) {
    const reason = release.nodsa_reason ? ` (${release.nodsa_reason})` : '';
    return {
      ...base,
      // `ignored`: the security team decided not to fix it in this release; otherwise it may come later.
      category: release.nodsa_reason === 'ignored' ? 'no_fix_planned' : 'none_available',
      details: `No security update planned for ${where}: ${release.nodsa}${reason}.${later}`,
    };
  }
  return { ...base, category: 'none_available', details: `No fixed version yet in ${where}.${later}` };
}

/** The entry in normal form, or why it cannot be read (its versions, for one). */
export function parseTrackerEntry(
  pkg: string,
  issue: string,
  entry: TrackerEntry,
  modified: string,
): { advisory: AdvisoryDocument } | { error: string } {
  const id = advisoryId(pkg, issue);
  if (!ADVISORY_ID.test(id)) return { error: `"${id}" is not a usable advisory id` };
  const advisory: AdvisoryDocument = {
    id,
    source: SOURCE,
    summary: null,
    details: entry.description ?? null,
    published: null,
    modified,
    withdrawn: null,
    aliases: [issue],
    cves: CveId.test(issue) ? [issue] : [],
    references: [
      { type: 'ADVISORY', url: trackerUrl(issue) },
      ...(entry.debianbug === undefined
        ? []
        : [{ type: 'REPORT', url: `https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=${entry.debianbug}` }]),
    ],
    affected: [],
    skipped: [],
    severity: [],
    remediations: [],
    notAffected: [],
    threats: [],
  };
  const releases = Object.entries(entry.releases);
  const urgencies = new Set<string>();
  for (const [codename, release] of releases) {
    if (!Object.hasOwn(debianReleases, codename)) {
      advisory.skipped.push({
        ecosystem: `Debian:${codename}`,
        package: pkg,
        reason: `unknown Debian release "${codename}"`,
      });
      continue;
    }
    const ecosystem = debianReleases[codename];
    if (!ecosystem) continue;
    const result = intervalsFromDebianTracker(ecosystem, release);
    if ('error' in result) return { error: `${codename}: ${result.error}` };
    if (result.intervals.length === 0) {
      advisory.notAffected.push({ ecosystem, package: pkg, justification: null });
      continue;
    }
    advisory.affected.push({ ecosystem, package: pkg, intervals: result.intervals });
    if (release.urgency && !NOT_A_SEVERITY.has(release.urgency)) urgencies.add(release.urgency);
    const remediation = remediationOf(pkg, issue, codename, ecosystem, release);
    if (remediation) advisory.remediations.push(remediation);
  }
  advisory.severity = [...urgencies].map((score) => ({ type: 'debian-urgency', score }));
  return { advisory };
}

/** The entry without what changes on every upload (`repositories`), as the content hash sees it. */
function hashedForm(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entry = value as Record<string, unknown>;
  const releases = entry.releases;
  if (typeof releases !== 'object' || releases === null || Array.isArray(releases)) return value;
  const kept: Record<string, unknown> = {};
  for (const [codename, release] of Object.entries(releases)) {
    if (typeof release === 'object' && release !== null && !Array.isArray(release)) {
      const { repositories: _, ...rest } = release as Record<string, unknown>;
      kept[codename] = rest;
    } else {
      kept[codename] = release;
    }
  }
  return { ...entry, releases: kept };
}

/**
 * SHA-256 of what the advisory is made of. Not the bytes as received: the tracker rewrites every
 * entry's `repositories` on each upload to the archive, which would rewrite (and rematch) every
 * advisory of a package each time; so the hash covers the entry without it, its key, and the
 * parser version. The same entry imported or synced hashes the same.
 */
export function entryHash(pkg: string, issue: string, value: unknown): Promise<string> {
  return digestHex('SHA-256', `${PARSER_VERSION}\n${pkg}\n${issue}\n${JSON.stringify(hashedForm(value))}`);
}

function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'malformed';
  const path = v.getDotPath(first);
  return path ? `${path}: ${first.message}` : first.message;
}

/** What one tracker entry yields: an advisory, a quarantine record, or nothing (a TEMP id). */
export async function trackerRecord(
  pkg: string,
  issue: string,
  value: unknown,
  content: string,
  modified: string,
): Promise<FeedRecord | null> {
  // TEMP ids are derived from the description and renamed when a CVE is assigned: stored, an
  // open one would outlive its rename as a finding that never closes. OSV.dev and vunnel skip
  // them too.
  if (TempId.test(issue)) return null;
  const document = `${pkg}/${issue}`;
  const quarantine = (reason: string): FeedRecord => ({
    kind: 'quarantine',
    document,
    reason,
    content: content.slice(0, MAX_QUARANTINED_CHARS),
  });
  if (!SourcePackage.test(pkg)) return quarantine(`"${pkg.slice(0, 120)}" is not a Debian source package name`);
  if (!CveId.test(issue)) return quarantine(`"${issue.slice(0, 120)}" is neither a CVE nor a TEMP id`);
  const checked = v.safeParse(TrackerEntry, value);
  if (!checked.success) return quarantine(describe(checked.issues));
  const parsed = parseTrackerEntry(pkg, issue, checked.output, modified);
  if ('error' in parsed) return quarantine(parsed.error);
  return { kind: 'advisory', advisory: parsed.advisory, contentHash: await entryHash(pkg, issue, value) };
}

/** The same from the entry's text as it streamed in (capped at `maxChars`). */
export function trackerRecordFromText(
  pkg: string,
  issue: string,
  text: string,
  truncated: boolean,
  modified: string,
): Promise<FeedRecord | null> {
  if (TempId.test(issue)) return Promise.resolve(null);
  const quarantine = (reason: string): Promise<FeedRecord> =>
    Promise.resolve({
      kind: 'quarantine',
      document: `${pkg}/${issue}`,
      reason,
      content: text.slice(0, MAX_QUARANTINED_CHARS),
    });
  if (truncated) return quarantine(`the entry is larger than ${text.length} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return quarantine(`not valid JSON: ${(err as Error).message}`);
  }
  return trackerRecord(pkg, issue, value, text, modified);
}
