/**
 * What a deployment installs on each host: from findings (each unresolved finding's installed
 * binaries at the advisory's fixed version; for Windows, the KB that fixes the host's build), from
 * advisories (their unresolved findings), or from packages named with a version (every host of the
 * tenant with that package installed in its OS package database).
 */
import type { DeploymentHosts, DeploymentTarget } from '@patchboard/shared/schemas/deployment';
import { compare, isInvalid } from '@patchboard/shared/versions/index';
import { WINDOWS_PACKAGE } from '../inventory/for-host';

export interface PlannedItem {
  readonly hostId: number;
  readonly hostname: string;
  readonly ring: string;
  readonly osFamily: string;
  readonly ecosystem: string;
  readonly package: string;
  readonly targetVersion: string | null;
  readonly kb: string | null;
  readonly advisories: readonly string[];
  readonly findings: readonly number[];
}

export interface ResolvedTarget {
  readonly items: PlannedItem[];
  /** Requested ids that name nothing the tenant can see. */
  readonly unknown: string[];
  /** Advisory ids the items close. */
  readonly advisories: string[];
}

interface FindingCandidate {
  id: number;
  host_id: number;
  hostname: string;
  ring: string;
  os_family: string;
  host_ecosystem: string;
  ecosystem: string;
  package: string;
  binaries: string;
  fixed_version: string | null;
  advisory_id: string;
  kb: string | null;
}

/** The hosts filter as SQL over `h` (bound at ?3 as JSON). */
function hostFilter(hosts: DeploymentHosts): { sql: string; values: string } {
  switch (hosts.kind) {
    case 'all':
      // Still names ?3, so every statement binds the same parameters.
      return { sql: "?3 = '[]'", values: '[]' };
    case 'rings':
      return { sql: 'h.ring IN (SELECT value FROM json_each(?3))', values: JSON.stringify(hosts.values) };
    case 'tags':
      return {
        sql: 'EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = h.id AND t.tag IN (SELECT value FROM json_each(?3)))',
        values: JSON.stringify(hosts.values),
      };
    case 'hostnames':
      return { sql: 'h.hostname IN (SELECT value FROM json_each(?3))', values: JSON.stringify(hosts.values) };
  }
}

/** The advisories (pk, id) that ids name for a tenant: by id or alias (a CVE names all its advisories). */
async function advisoriesNamed(
  db: D1Database,
  tenantId: string,
  ids: readonly string[],
): Promise<{ pks: number[]; unknown: string[] }> {
  const { results } = await db
    .prepare(
      `WITH wanted(id) AS (SELECT DISTINCT upper(value) FROM json_each(?2)),
       hits AS (
         SELECT w.id AS wanted, a.pk FROM wanted w JOIN advisories a ON upper(a.id) = w.id
         UNION SELECT w.id, x.advisory_pk FROM wanted w JOIN advisory_aliases x ON x.alias = w.id
       )
       SELECT h.wanted, a.pk FROM hits h JOIN advisories a ON a.pk = h.pk
       WHERE a.withdrawn IS NULL AND (a.scope = ?1 OR (a.scope = '' AND NOT EXISTS
         (SELECT 1 FROM advisories own WHERE own.id = a.id AND own.scope = ?1)))`,
    )
    .bind(tenantId, JSON.stringify(ids))
    .all<{ wanted: string; pk: number }>();
  const found = new Set(results.map((r) => r.wanted));
  return {
    pks: [...new Set(results.map((r) => r.pk))],
    unknown: ids.filter((id) => !found.has(id.toUpperCase())),
  };
}

/**
 * Unresolved findings of the given advisories or finding ids on the selected hosts, with the KB
 * that fixes each Windows finding (the first the advisory names for the host's build).
 */
async function findingCandidates(
  db: D1Database,
  tenantId: string,
  by: { advisoryPks: readonly number[] } | { findingIds: readonly number[] },
  hosts: DeploymentHosts,
): Promise<FindingCandidate[]> {
  const filter = hostFilter(hosts);
  const selector =
    'advisoryPks' in by
      ? 'f.advisory_pk IN (SELECT value FROM json_each(?2))'
      : 'f.id IN (SELECT value FROM json_each(?2))';
  const { results } = await db
    .prepare(
      `SELECT f.id, f.host_id, h.hostname, h.ring, h.os_family, h.ecosystem AS host_ecosystem, f.ecosystem, f.package,
              f.binaries, f.fixed_version, a.id AS advisory_id,
              (SELECT min(k.kb) FROM affected_ranges r JOIN range_kbs k ON k.range_id = r.id
               WHERE r.advisory_pk = f.advisory_pk AND r.ecosystem = f.ecosystem AND r.package = f.package) AS kb
       FROM findings f JOIN hosts h ON h.id = f.host_id JOIN advisories a ON a.pk = f.advisory_pk
       WHERE f.tenant_id = ?1 AND f.status <> 'resolved' AND ${selector} AND ${filter.sql}
       ORDER BY h.hostname, f.package`,
    )
    .bind(tenantId, JSON.stringify('advisoryPks' in by ? by.advisoryPks : by.findingIds), filter.values)
    .all<FindingCandidate>();
  return results;
}

/** The higher of two versions in an ecosystem (an unreadable one loses). */
function newer(ecosystem: string, a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const order = compare(ecosystem, a, b);
  if (isInvalid(order)) return a;
  return order < 0 ? b : a;
}

/** Folds findings into one item per (host, installed package): the highest fixed version wins. */
function itemsFromFindings(candidates: readonly FindingCandidate[]): PlannedItem[] {
  const items = new Map<string, PlannedItem>();
  for (const f of candidates) {
    // Language packages from an SBOM are not the OS package manager's to install.
    if (f.ecosystem !== f.host_ecosystem) continue;
    const windows = f.package === WINDOWS_PACKAGE;
    const names = windows ? [WINDOWS_PACKAGE] : (f.binaries || f.package).split(',').filter(Boolean);
    for (const name of names) {
      const key = `${f.host_id}\u0000${windows ? (f.kb ?? f.fixed_version ?? '') : name}`;
      const before = items.get(key);
      items.set(key, {
        hostId: f.host_id,
        hostname: f.hostname,
        ring: f.ring,
        osFamily: f.os_family,
        ecosystem: f.host_ecosystem,
        package: windows && f.kb ? f.kb : name,
        targetVersion: newer(f.ecosystem, before?.targetVersion ?? null, f.fixed_version),
        kb: windows ? f.kb : null,
        advisories: [...new Set([...(before?.advisories ?? []), f.advisory_id])],
        findings: [...new Set([...(before?.findings ?? []), f.id])],
      });
    }
  }
  return [...items.values()];
}

async function packageItems(
  db: D1Database,
  tenantId: string,
  packages: readonly { name: string; version: string }[],
  hosts: DeploymentHosts,
): Promise<{ items: PlannedItem[]; unknown: string[] }> {
  const filter = hostFilter(hosts);
  const { results } = await db
    .prepare(
      `SELECT DISTINCT h.id AS host_id, h.hostname, h.ring, h.os_family, h.ecosystem, p.name, p.version AS installed,
              w.value ->> 1 AS target
       FROM json_each(?2) w
       JOIN installed_packages p ON p.tenant_id = ?1 AND p.name = w.value ->> 0
       JOIN hosts h ON h.id = p.host_id AND p.ecosystem = h.ecosystem
       WHERE ${filter.sql} ORDER BY h.hostname, p.name`,
    )
    .bind(tenantId, JSON.stringify(packages.map((p) => [p.name, p.version])), filter.values)
    .all<{
      host_id: number;
      hostname: string;
      ring: string;
      os_family: string;
      ecosystem: string;
      name: string;
      installed: string;
      target: string;
    }>();
  const items = new Map<string, PlannedItem>();
  for (const row of results) {
    // A host already at (or past) the version has nothing to do.
    const order = compare(row.ecosystem, row.installed, row.target);
    if (!isInvalid(order) && order >= 0) continue;
    items.set(`${row.host_id}\u0000${row.name}`, {
      hostId: row.host_id,
      hostname: row.hostname,
      ring: row.ring,
      osFamily: row.os_family,
      ecosystem: row.ecosystem,
      package: row.name,
      targetVersion: row.target,
      kb: null,
      advisories: [],
      findings: [],
    });
  }
  const seen = new Set(results.map((r) => r.name));
  return { items: [...items.values()], unknown: packages.filter((p) => !seen.has(p.name)).map((p) => p.name) };
}

/** Resolves a deployment's target on its hosts into items, one per (host, package). */
export async function resolveTarget(
  db: D1Database,
  tenantId: string,
  target: DeploymentTarget,
  hosts: DeploymentHosts,
): Promise<ResolvedTarget> {
  if (target.kind === 'packages') {
    const { items, unknown } = await packageItems(db, tenantId, target.packages, hosts);
    return { items, unknown, advisories: [] };
  }
  let candidates: FindingCandidate[];
  let unknown: string[] = [];
  if (target.kind === 'advisories') {
    const named = await advisoriesNamed(db, tenantId, target.ids);
    unknown = named.unknown;
    candidates = await findingCandidates(db, tenantId, { advisoryPks: named.pks }, hosts);
  } else {
    candidates = await findingCandidates(db, tenantId, { findingIds: target.ids }, hosts);
    const found = new Set(candidates.map((c) => c.id));
    unknown = target.ids.filter((id) => !found.has(id)).map((id) => `finding ${id}`);
  }
  const items = itemsFromFindings(candidates);
  return { items, unknown, advisories: [...new Set(items.flatMap((i) => i.advisories))].sort() };
}
