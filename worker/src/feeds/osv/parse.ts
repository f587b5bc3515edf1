import { normalizeEcosystem } from '@patchboard/shared/ecosystems';
import { intervalsFromOsv } from '@patchboard/shared/ranges';
import type { AdvisoryDocument, AffectedPackage } from '@patchboard/shared/schemas/advisory';
import { schemeFor } from '@patchboard/shared/versions/index';
import type { OsvRecord } from './input';

/**
 * A CVE id, bare or as a distribution's record of it (`UBUNTU-CVE-2021-3782`, `DEBIAN-CVE-...`,
 * the ids OSV gives distro CVE records, named in `upstream` by the USNs and DSAs built on them).
 */
const CVE = /^(?:[A-Z]+-)?(CVE-\d{4}-\d{4,})$/;

/** `2024-01-02T03:04:05Z` style timestamps to the ISO form stored everywhere else. */
function isoTime(value: string | undefined): string | null {
  return value === undefined ? null : new Date(value).toISOString();
}

/**
 * An OSV record in Patchboard's normal form. Entries of ecosystems without a version scheme
 * (GIT-only repositories, Bitnami, ...) are kept aside as `skipped`; a version that the entry's
 * own scheme cannot read makes the whole record invalid, because matching part of an advisory
 * would silently under-report it.
 */
export function parseOsv(record: OsvRecord): { advisory: AdvisoryDocument } | { error: string } {
  const affected: AffectedPackage[] = [];
  const skipped: AdvisoryDocument['skipped'] = [];
  for (const [index, entry] of (record.affected ?? []).entries()) {
    if (!entry.package) continue; // GIT-only entries name a repository, not a package
    const ecosystem = normalizeEcosystem(entry.package.ecosystem);
    if (!schemeFor(ecosystem)) {
      skipped.push({ ecosystem, package: entry.package.name, reason: 'no version scheme for this ecosystem' });
      continue;
    }
    const result = intervalsFromOsv(ecosystem, entry.ranges, entry.versions);
    if ('error' in result) return { error: `affected[${index}] (${entry.package.name}): ${result.error}` };
    if (result.intervals.length === 0) continue;
    affected.push({ ecosystem, package: entry.package.name, intervals: result.intervals });
  }
  const aliases = [...new Set([...(record.aliases ?? []), ...(record.upstream ?? [])])].filter((a) => a !== record.id);
  const mapped = (record.affected ?? []).flatMap((a) => a.database_specific?.cves_map?.cves ?? []);
  const cves = [
    ...new Set([record.id, ...aliases, ...mapped.map((c) => c.id)].flatMap((id) => CVE.exec(id)?.[1] ?? [])),
  ];
  // Scores of the record, of each package, and of each CVE a USN maps: the same score once.
  const severity = new Map<string, { type: string; score: string }>();
  for (const s of [
    ...(record.severity ?? []),
    ...(record.affected ?? []).flatMap((a) => a.severity ?? []),
    ...mapped.flatMap((c) => c.severity ?? []),
  ]) {
    severity.set(`${s.type} ${s.score}`, { type: s.type, score: s.score });
  }
  return {
    advisory: {
      id: record.id,
      source: 'osv',
      summary: record.summary ?? null,
      details: record.details ?? null,
      published: isoTime(record.published),
      modified: new Date(record.modified).toISOString(),
      withdrawn: isoTime(record.withdrawn),
      aliases,
      cves,
      references: (record.references ?? []).map((r) => ({ type: r.type ?? null, url: r.url })),
      affected,
      skipped,
      severity: [...severity.values()],
      remediations: [],
      notAffected: [],
      threats: [],
    },
  };
}
